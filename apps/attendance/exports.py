"""The notice as files: an .xlsx workbook (openpyxl) and a .docx notice (python-docx)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .selectors import Notice

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


def _person_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["unit__short_name"] or "",
        row["person__name"],
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
        row["unit__name"] or "未分配单位",
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


def notice_xlsx(notice: Notice) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "人员明细"
    sheet.append([notice.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(PERSON_HEADERS)
    for row in notice.people:
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
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for index, width in enumerate([14, 10, 12, 10, 10, 10, 10, 10, 10, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    units = workbook.create_sheet("单位汇总")
    units.append(UNIT_HEADERS)
    for row in notice.by_unit:
        units.append(_unit_row(row))
    for cell in units[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(UNIT_HEADERS) + 1):
        units.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 30
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
    table = document.add_table(rows=1, cols=len(UNIT_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, UNIT_HEADERS, strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), "仿宋", 10.5, bold=True)
    for row in notice.by_unit:
        cells = table.add_row().cells
        for cell, value in zip(cells, _unit_row(row), strict=True):
            _set_font(cell.paragraphs[0].add_run(str(value)), "仿宋", 10.5)
    _paragraph(document, "二、需要关注的人员", bold=True, font="黑体")
    problems = notice.problem_people
    if not problems:
        _paragraph(document, "本期无迟到、早退、缺卡、旷工情况。")
    else:
        people = document.add_table(rows=1, cols=len(PERSON_HEADERS))
        people.style = "Table Grid"
        for cell, text in zip(people.rows[0].cells, PERSON_HEADERS, strict=True):
            _set_font(cell.paragraphs[0].add_run(text), "仿宋", 10.5, bold=True)
        for row in problems:
            cells = people.add_row().cells
            for cell, value in zip(cells, _person_row(row), strict=True):
                _set_font(cell.paragraphs[0].add_run(str(value)), "仿宋", 10.5)
    _paragraph(
        document,
        "每条考勤结果均可在平台“我的考勤”中查看判定依据（打卡记录、作息、工作日历和已批准的申请）。"
        "对结果有异议的，请于通报发布后 3 个工作日内申请补卡或向办公室反映。",
    )
    _paragraph(document, "机关办公室", center=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
