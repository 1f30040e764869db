"""Writing spreadsheets: every text cell of every .xlsx the platform writes goes through here.

A spreadsheet program takes text that starts with `=`, `+`, `-` or `@` — or with a tab or a
carriage return before one — for a formula: a 清单 named `=HYPERLINK("http://evil.example/","x")`
would be a live link in every exported row (CSV/formula injection). Following OWASP's guidance,
such text is written as text with a leading apostrophe, and the cell is typed as a string so that
openpyxl never stores it as a formula. Characters a worksheet cannot hold (NUL and other C0
controls) are dropped instead of failing the export.

    sheet.append(spreadsheets.row(sheet, ["标题", item.title, item.deadline]))
    sheet.append([spreadsheets.cell(sheet, title, font=Font(bold=True))])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """`value` as a worksheet can hold it and no spreadsheet will evaluate it."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_value(value: Any) -> Any:
    """A value for an ordinary (not write-only) worksheet's `append`: text made safe."""
    return safe_text(value) if isinstance(value, str) else value


def cell(sheet: Any, value: Any = None, **style: Any) -> Any:
    """One cell of a write-only sheet: text made safe and typed as a string, other values as they
    are (dates stay dates, numbers numbers); `style` sets font, fill, border, alignment, …"""
    if isinstance(value, str):
        result = WriteOnlyCell(sheet, value=safe_text(value))
        result.data_type = "s"
    else:
        result = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(result, name, setting)
    return result


def row(sheet: Any, values: Iterable[Any], *, bold: bool = False) -> list[Any]:
    """A row for `sheet.append`: each value made a safe cell (a cell already made is checked again)."""
    cells = []
    for value in values:
        # WriteOnlyCell is a factory of Cell objects.
        made = value if isinstance(value, Cell | MergedCell) else cell(sheet, value)
        if isinstance(made.value, str):  # safe_text leaves safe text as it is
            made.value = safe_text(made.value)
            made.data_type = "s"
        if bold:
            made.font = Font(bold=True)
        cells.append(made)
    return cells
