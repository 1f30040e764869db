"""Where the table is on a worksheet: the header row, which column holds which field, and which
rows are data, notes (“注：……”) or section lines.

An import type declares its fields with the names offices use for them (`Field.synonyms`); the
header row is the row, among the first few, that names the most of them. Every column of the header
gets a field or “不导入”; the user may change that in the preview, and the choice is remembered for
the same set of headers (see `services.remember_mapping`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from .reading import Grid, ImportFileError

HEADER_SCAN_ROWS = 10
"""The header row is looked for in this many rows from the top of a sheet."""

SHEET_EMPTY = "表格是空的：没有找到任何内容。"
IGNORE = ""
"""The field of a column that is not imported (“不导入”)."""


@dataclass(frozen=True)
class Field:
    """One field an import type understands: its name in the template and the names it accepts.

    `multiple`: several columns may feed it (e.g. “进展情况” and “备注” both kept as the note).
    `content`: a row with nothing but this field filled is an unused line of the form, not data.
    """

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    example: str = ""
    multiple: bool = False
    content: bool = True

    @property
    def aliases(self) -> list[str]:
        """The other names the field is recognised by."""
        return [name for name in self.synonyms if name != self.label]


def normalise_header(value: Any) -> str:
    """A header cell as a bare name: “事项名称（必填）*” → “事项名称”."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.split(r"[(\[]", text, maxsplit=1)[0]  # NFKC has turned （ into (
    return re.sub(r"[\s*:：]", "", text)


@dataclass
class Column:
    """One column of the header row and the field it feeds ("" = not imported)."""

    index: int
    header: str
    field: str
    auto: bool = False

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Layout:
    """The table found on a worksheet: its header row and its columns."""

    sheet: str
    header_row: int
    columns: list[Column]

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": [asdict(column) for column in self.columns],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        return cls(
            sheet=data["sheet"],
            header_row=data["header_row"],
            columns=[Column(**column) for column in data["columns"]],
        )

    @property
    def headers(self) -> list[str]:
        return [normalise_header(column.header) for column in self.columns]

    def fields(self) -> dict[str, list[Column]]:
        found: dict[str, list[Column]] = {}
        for column in self.columns:
            if column.field:
                found.setdefault(column.field, []).append(column)
        return found


def header_signature(import_type: str, headers: Sequence[str]) -> str:
    """Identifies a set of headers in order, so that next month's sheet finds its mapping."""
    return hashlib.sha256(f"{import_type}|{'|'.join(headers)}".encode()).hexdigest()


def _names(fields: Sequence[Field]) -> dict[str, str]:
    return {normalise_header(name): f.key for f in fields for name in (f.label, *f.synonyms)}


def _match(values: Sequence[Any], names: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = names.get(normalise_header(value))
        if key is not None and key not in found:
            found[key] = index
    return found


def find_layout(grid: Grid, fields: Sequence[Field]) -> Layout | None:
    """The header row (most recognised names, at least two) and its columns; None if none."""
    names = _names(fields)
    by_key = {f.key: f for f in fields}
    best: tuple[int, dict[str, int]] | None = None
    for number in sorted(grid.rows)[:HEADER_SCAN_ROWS]:
        if number > HEADER_SCAN_ROWS:
            break
        found = _match(grid.rows[number], names)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (number, found)
    if best is None:
        return None
    number, _ = best
    columns: list[Column] = []
    taken: set[str] = set()
    for index, value in enumerate(grid.rows[number]):
        if value is None or not str(value).strip():
            continue
        key = names.get(normalise_header(value), IGNORE)
        # The first column of a name wins; a second one is shown as not imported.
        if key and key in taken and not by_key[key].multiple:
            key = IGNORE
        taken.add(key)
        columns.append(Column(index=index, header=str(value).strip(), field=key, auto=bool(key)))
    return Layout(sheet=grid.title, header_row=number, columns=columns)


def apply_mapping(layout: Layout, mapping: dict[str, str]) -> None:
    """Set the fields chosen by the user (column letter → field key or "")."""
    for column in layout.columns:
        if column.letter in mapping:
            chosen = mapping[column.letter]
            column.auto = column.auto and chosen == column.field
            column.field = chosen


def mapping_problems(layout: Layout, fields: Sequence[Field]) -> list[str]:
    """Two columns on one field, or a required field with no column: the mapping cannot be used."""
    problems = []
    mapped = layout.fields()
    for f in fields:
        columns = mapped.get(f.key, [])
        if len(columns) > 1 and not f.multiple:
            names = "、".join(f"{c.letter}列“{c.header}”" for c in columns)
            problems.append(f"“{f.label}”对应了{len(columns)}列（{names}），请只保留一列")
    missing = [f.label for f in fields if f.required and f.key not in mapped]
    if missing:
        problems.append(
            f"工作表“{layout.sheet}”第{layout.header_row}行的表头缺少必需的列：{'、'.join(missing)}。"
            "可在下方把表中的某一列对应到该字段，或下载导入模板对照填写"
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Rows below the header
# ---------------------------------------------------------------------------------------------

_NOTE = re.compile(r"^\s*(注|备注|说明|填表说明|附注)\s*\d*\s*[:：]")
_SECTION = re.compile(
    r"^\s*([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)"
)


@dataclass
class SheetRow:
    """One data row: its Excel row number and its values by field key.

    A `multiple` field holds a list of (header, value) pairs, one per column that feeds it."""

    number: int
    cells: dict[str, Any]


@dataclass
class SkippedRow:
    """A row below the header that is not imported, and why (shown in the preview)."""

    number: int
    text: str
    reason: str


@dataclass
class Table:
    """What a worksheet holds below its header."""

    layout: Layout
    rows: list[SheetRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def split_rows(grid: Grid, layout: Layout, fields: Sequence[Field], *, max_rows: int) -> Table:
    """The data rows under the header; notes and section lines are set aside with a reason."""
    by_key = {f.key: f for f in fields}
    table = Table(layout)
    candidates: list[tuple[int, list[Any]]] = [
        (number, values)
        for number, values in sorted(grid.rows.items())
        if number > layout.header_row
    ]
    mapped = [c for c in layout.columns if c.field]
    content_columns = [c.index for c in mapped if by_key[c.field].content]

    def data_like(values: list[Any]) -> bool:
        filled = [i for i in content_columns if i < len(values) and _text(values[i])]
        return len(filled) >= 2

    last_data = max((number for number, values in candidates if data_like(values)), default=0)
    for number, values in candidates:
        texts = [_text(v) for v in values]
        non_empty = [t for t in texts if t]
        first = non_empty[0] if non_empty else ""
        if _NOTE.match(first):
            table.skipped.append(SkippedRow(number, first, "说明行，不导入"))
            continue
        if len(non_empty) == 1 and not data_like(values):
            reason = (
                "说明行，不导入"
                if number > last_data
                else ("分组标题行，不导入" if _SECTION.match(first) else "")
            )
            if reason:
                table.skipped.append(SkippedRow(number, first, reason))
                continue
        cells: dict[str, Any] = {}
        for column in mapped:
            value = values[column.index] if column.index < len(values) else None
            if by_key[column.field].multiple:
                if _text(value):
                    cells.setdefault(column.field, []).append((column.header, value))
            else:
                cells[column.field] = value
        # A row with nothing but a pre-filled 序号 is an unused line of the form, not data.
        if not any(
            _text(value) if not isinstance(value, list) else value
            for key, value in cells.items()
            if by_key[key].content
        ):
            continue
        if len(table.rows) >= max_rows:
            raise ImportFileError(
                f"表格的数据超过{max_rows}行（单次导入的上限），请拆分为多个文件分批导入。"
            )
        table.rows.append(SheetRow(number, cells))
    return table
