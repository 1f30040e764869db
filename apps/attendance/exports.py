"""The notice as files: an .xlsx workbook (openpyxl) and a .docx notice (python-docx)."""

from __future__ import annotations

import copy
import io
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .selectors import Notice, notice_people

PERSON_HEADERS = [
    "单位",
    "姓名",
    "应出勤天数",
    "正常天数",
    "迟到次数",
    "早退次数",
    "缺卡次数",
    "旷工天数",
    "请假天数",
    "出差公出天数",
]
UNIT_HEADERS = [
    "单位",
    "人数",
    "应出勤人天",
    "正常人天",
    "正常率(%)",
    "迟到次数",
    "早退次数",
    "缺卡次数",
    "旷工天数",
    "请假天数",
    "出差公出天数",
]


def _person_row(row: Mapping[str, Any]) -> list[Any]:
    return [
        row["unit_short_name"] or "",
        row["person_name"],
        row["workdays"],
        row["normal"],
        row["late"],
        row["early"],
        row["missing"],
        float(row["absence"]),
        float(row["leave"]),
        float(row["away"]),
    ]


def _unit_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["unit_name"] or "未分配单位",
        row["staff"],
        row["workdays"],
        row["normal"],
        row["normal_rate"] if row["normal_rate"] is not None else "",
        row["late"],
        row["early"],
        row["missing"],
        float(row["absence"]),
        float(row["leave"]),
        float(row["away"]),
    ]


def _bold_row(sheet: Any, values: list[Any], *, center: bool = False) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        if center:
            cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def notice_xlsx(notice: Notice) -> bytes:
    """Every person of the notice's scope, then the units: written row by row (openpyxl's
    write-only mode) from the per-person aggregation, streamed from the database."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员明细")
    for index, width in enumerate([14, 10, 12, 10, 10, 10, 10, 10, 10, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    title = WriteOnlyCell(sheet, value=notice.title)
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(_bold_row(sheet, PERSON_HEADERS, center=True))
    for row in notice_people(notice).iterator(chunk_size=2000):
        sheet.append(_person_row(row))
    totals = notice.totals
    sheet.append(
        [
            "合计",
            f"{totals['staff']}人",
            totals["workdays"],
            totals["normal"],
            totals["late"],
            totals["early"],
            totals["missing"],
            float(totals["absence"]),
            float(totals["leave"]),
            float(totals["away"]),
        ]
    )

    units = workbook.create_sheet("单位汇总")
    for index in range(1, len(UNIT_HEADERS) + 1):
        units.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 30
    units.append(_bold_row(units, UNIT_HEADERS))
    for row in notice.by_unit:
        units.append(_unit_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set_font(run: Any, name: str, size: float, bold: bool = False) -> None:
    """Chinese text needs the East Asian font set explicitly (w:eastAsia); Word falls back to
    仿宋 on machines without 仿宋_GB2312."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _paragraph(
    document: Any,
    text: str,
    *,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
    font: str = "仿宋",
) -> Any:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _table(document: Any, headers: list[str], rows: Iterable[list[Any]]) -> None:
    """A bordered table of `headers` and `rows`, in 10.5pt 仿宋.

    python-docx's `add_row()` and run formatting search the table's children for every row, which
    is quadratic: 4,000 people took about 20 s. A formatted row is built once as a prototype and
    each data row is a copy of it with its texts filled in, appended at the end of the table.
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), "仿宋", 10.5, bold=True)
    prototype = table.add_row()
    for cell in prototype.cells:
        _set_font(cell.paragraphs[0].add_run("-"), "仿宋", 10.5)
    tbl, tr = table._tbl, prototype._tr
    tbl.remove(tr)
    for values in rows:
        row = copy.deepcopy(tr)
        for text, value in zip(row.iter(qn("w:t")), values, strict=True):
            text.text = str(value)
        tbl.append(row)


def notice_docx(notice: Notice) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "仿宋"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    _paragraph(document, notice.title, size=22, bold=True, center=True, font="黑体")
    totals = notice.totals
    rate = f"{totals['normal_rate']}%" if totals["normal_rate"] is not None else "—"
    _paragraph(
        document,
        f"{notice.period.label}，{'本单位' if notice.unit else '机关'}共 {totals['staff']} 人参加考勤，"
        f"应出勤 {totals['workdays']} 人天，正常 {totals['normal']} 人天，正常率 {rate}；"
        f"迟到 {totals['late']} 次，早退 {totals['early']} 次，缺卡 {totals['missing']} 次，"
        f"旷工 {totals['absence']} 天；请假 {totals['leave']} 天，出差公出 {totals['away']} 天。"
        "考勤日期依据国务院办公厅节假日安排（含调休上班日）确定，法定节假日不计缺勤。",
    )
    _paragraph(document, "一、各单位考勤情况", bold=True, font="黑体")
    _table(document, UNIT_HEADERS, (_unit_row(row) for row in notice.by_unit))
    _paragraph(document, "二、需要关注的人员", bold=True, font="黑体")
    problems = notice_people(notice, issues_only=True).iterator(chunk_size=2000)
    first = next(problems, None)
    if first is None:
        _paragraph(document, "本期无迟到、早退、缺卡、旷工情况。")
    else:
        _table(document, PERSON_HEADERS, map(_person_row, itertools.chain([first], problems)))
    _paragraph(
        document,
        "每条考勤结果均可在平台“我的考勤”中查看判定依据（打卡记录、作息、工作日历和已批准的申请）。"
        "对结果有异议的，请于通报发布后 3 个工作日内申请补卡或向办公室反映。",
    )
    _paragraph(document, "机关办公室", center=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
