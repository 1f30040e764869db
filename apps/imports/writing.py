"""Workbooks the framework writes: each import type's template.

Every text cell goes through `apps.core.spreadsheets` (formula-safe, as every export of the
platform).
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.core.spreadsheets import safe_value

from .registry import ImportType


def build_template(import_type: ImportType) -> bytes:
    """The import template: the header row, one example row, and a 说明 sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = import_type.sheet_title
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example = import_type.example_row()
    fields = import_type.fields
    sheet.append([safe_value(f.label) for f in fields])
    sheet.append([safe_value(example.get(f.key, "")) for f in fields])
    for index, f in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if f.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = 30 if len(f.example) > 12 else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("说明")
    notes.append(["列名", "是否必填", "也可写作", "填写说明"])
    for f in fields:
        notes.append(
            [
                safe_value(f.label),
                "必填" if f.required else "",
                safe_value("、".join(f.aliases)),
                safe_value(f.help),
            ]
        )
    notes.append([])
    for line in import_type.template_notes():
        notes.append([safe_value(line)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for letter, width in zip("ABCD", (14, 10, 36, 90), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
