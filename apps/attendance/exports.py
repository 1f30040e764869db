"""The notice as files: an .xlsx workbook (openpyxl) and a .docx 公文 (the layout engine)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.core import clock, quantities, spreadsheets
from apps.documents.layout import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)
from apps.documents.layout.model import Block

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
    style = {"alignment": Alignment(horizontal="center")} if center else {}
    return [spreadsheets.cell(sheet, value, font=Font(bold=True), **style) for value in values]


def notice_xlsx(notice: Notice) -> bytes:
    """Every person of the notice's scope, then the units: written row by row (openpyxl's
    write-only mode) from the per-person aggregation, streamed from the database."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员明细")
    for index, width in enumerate([14, 10, 12, 10, 10, 10, 10, 10, 10, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([spreadsheets.cell(sheet, notice.title, font=Font(bold=True, size=14))])
    sheet.append(_bold_row(sheet, PERSON_HEADERS, center=True))
    for row in notice_people(notice).iterator(chunk_size=2000):
        sheet.append(spreadsheets.row(sheet, _person_row(row)))
    totals = notice.totals
    sheet.append(
        spreadsheets.row(
            sheet,
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
            ],
        )
    )

    units = workbook.create_sheet("单位汇总")
    for index in range(1, len(UNIT_HEADERS) + 1):
        units.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 30
    units.append(_bold_row(units, UNIT_HEADERS))
    for row in notice.by_unit:
        units.append(spreadsheets.row(units, _unit_row(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ISSUER = "人大常委会办公室"
"""Who issues the attendance notice (the office keeps attendance)."""


def attendance_notice(notice: Notice) -> OfficialDocument:
    """The notice as a 公文: the overview, the table of units, and the people who need
    attention (late, early, missing a clock or absent)."""
    totals = notice.totals
    rate = f"{totals['normal_rate']}%" if totals["normal_rate"] is not None else "—"
    problems = [
        [str(value) for value in _person_row(row)]
        for row in notice_people(notice, issues_only=True).iterator(chunk_size=2000)
    ]
    # Eleven columns in 五号 fit the width of the page; numbers are centred.
    body: list[Block] = [
        Paragraph(
            f"{notice.period.label}，{'本单位' if notice.unit else '机关'}共{totals['staff']}人参加考勤，"
            f"应出勤{totals['workdays']}人天，正常{totals['normal']}人天，正常率{rate}；"
            f"迟到{totals['late']}次，早退{totals['early']}次，缺卡{totals['missing']}次，"
            f"旷工{quantities.days(totals['absence'])}；请假{quantities.days(totals['leave'])}，"
            f"出差公出{quantities.days(totals['away'])}。"
            "考勤日期依据国务院办公厅节假日安排（含调休上班日）确定，法定节假日不计缺勤。"
        ),
        Heading(1, "各单位考勤情况"),
        Table(
            UNIT_HEADERS,
            [[str(value) for value in _unit_row(row)] for row in notice.by_unit],
            size_pt=10.5,
            centered=frozenset(range(1, len(UNIT_HEADERS))),
        ),
        Heading(1, "需要关注的人员"),
        Table(PERSON_HEADERS, problems, size_pt=10.5, centered=frozenset(range(2, 10)))
        if problems
        else Paragraph("本期无迟到、早退、缺卡、旷工情况。"),
        Paragraph(
            "每条考勤结果均可在平台“我的考勤”中查看判定依据（打卡记录、作息、工作日历和已批准的申请）。"
            "对结果有异议的，请于通报发布后3个工作日内申请补卡或向办公室反映。"
        ),
    ]
    today = clock.today()
    return OfficialDocument(
        title=notice.title,
        issuer_mark=f"{ISSUER}文件",
        recipients=notice.unit.name if notice.unit else "各工作委员会，办公室各处室",
        body=body,
        signature=ISSUER,
        date=today,
        copy_to="常委会各位领导",
        printer=ISSUER,
        print_date=today,
        author=ISSUER,
        subject=notice.title,
        keywords=("考勤通报", notice.period.label),
    )


def notice_docx(notice: Notice) -> bytes:
    return render_docx(attendance_notice(notice))
