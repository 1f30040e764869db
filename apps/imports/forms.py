"""Forms of the import pages: the upload (with the import type's own options) and the mapping."""

from __future__ import annotations

from typing import Any

from django import forms

from .layout import IGNORE, Layout
from .reading import human_size
from .registry import ImportType

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_form_class(import_type: ImportType) -> type[forms.Form]:
    """The import type's options form with the file field added."""
    base = import_type.options_form or forms.Form

    class UploadForm(base):  # type: ignore[valid-type,misc]
        file = forms.FileField(label="Excel文件（.xlsx）")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["file"].widget.attrs["accept"] = f".xlsx,{XLSX_CONTENT_TYPE}"
            self.fields["file"].help_text = (
                f"单次最多{import_type.max_rows()}行，"
                f"文件不超过{human_size(import_type.max_bytes())}。"
            )

    return UploadForm


def mapping_choices(import_type: ImportType) -> list[tuple[str, str]]:
    return [(IGNORE, "不导入"), *((f.key, f.label) for f in import_type.fields)]


def mapping_from_post(data: Any, layout: Layout) -> dict[str, str]:
    """The mapping posted from the preview: one select per column, named `col_<letter>`."""
    return {
        column.letter: str(data.get(f"col_{column.letter}", column.field))[:32]
        for column in layout.columns
    }
