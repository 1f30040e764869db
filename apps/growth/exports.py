"""Statistics of growing people (for the page and its charts) and the .xlsx exports.

Every row written to a workbook goes through `apps.core.spreadsheets.row`, which writes text a
spreadsheet would take for a formula (a topic typed as "=HYPERLINK(...)") as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from apps.accounts.permissions import restrict
from apps.core import spreadsheets

from . import selectors
from .models import MentorPair, StudySession, Talk, TalkDuty


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_xlsx(sessions: QuerySet[StudySession], year: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学习台账")
    sheet.append(spreadsheets.row(sheet, [f"{year}年学习台账"], bold=True))
    sheet.append(
        spreadsheets.row(
            sheet,
            [
                "日期",
                "时间",
                "类型",
                "学习主题",
                "第一议题",
                "主持人",
                "地点",
                "状态",
                "应参加",
                "出席",
                "请假",
                "说明原因缺席",
                "未说明原因缺席",
                "出席率(%)",
            ],
            bold=True,
        )
    )
    for session in sessions.iterator(chunk_size=500):
        topics = list(session.topics.all())
        first = next((t.title for t in topics if t.is_first_topic), "")
        rate = session.attendance_rate
        sheet.append(
            spreadsheets.row(
                sheet,
                [
                    session.date.isoformat(),
                    f"{session.start_time:%H:%M}-{session.end_time:%H:%M}",
                    session.get_kind_display(),
                    session.title,
                    first,
                    session.host.name if session.host else "",
                    session.place,
                    session.get_status_display()
                    + (f"（{session.date_note}）" if session.date_note else ""),
                    session.roll_required,
                    session.roll_present,
                    session.roll_on_leave,
                    session.roll_excused,
                    session.roll_absent,
                    rate if rate is not None else "",
                ],
            )
        )
    return _save(workbook)


def statistics_data(user: Any, year: int) -> dict[str, Any]:
    """The figures of the statistics page, the chart series and the export, in one place."""
    by_kind = selectors.attendance_by_kind(year)
    by_unit = selectors.attendance_by_unit(year)
    pairs = restrict(MentorPair.objects.all(), user)
    mentoring = selectors.mentoring_progress(pairs)
    counts = selectors.talk_counts_per_leader(restrict(Talk.objects.all(), user, "count"), year)
    coverage = selectors.talk_coverage(restrict(TalkDuty.objects.all(), user), year)
    training = selectors.training_by_unit(year)
    first_topics = selectors.first_topic_register(year, user)
    chart = {
        "kinds": [row["label"] for row in by_kind],
        "kindRates": [row["rate"] for row in by_kind],
        "units": [row["short_name"] for row in by_unit],
        "unitRates": [row["rate"] for row in by_unit],
        "mentoring": [{"name": k, "value": v} for k, v in mentoring.items()],
        "leaders": [c.duty.leader.name for c in coverage],
        "coverage": [c.rate for c in coverage],
        "trainingUnits": [row["short_name"] for row in training],
        "trainingAverage": [row["average"] for row in training],
    }
    return {
        "by_kind": by_kind,
        "by_unit": by_unit,
        "mentoring": mentoring,
        "talk_counts": counts,
        "coverage": coverage,
        "training": training,
        "training_required": selectors.training_requirement(year),
        "first_topics": first_topics,
        "totals": selectors.sessions_total(year),
        "chart": chart,
    }


def statistics_xlsx(user: Any, year: int) -> bytes:
    data = statistics_data(user, year)
    workbook = Workbook(write_only=True)

    def table(title: str, headers: list[str], rows: Iterable[list[Any]]) -> None:
        sheet = workbook.create_sheet(title)
        sheet.append(spreadsheets.row(sheet, [f"{year}年{title}"], bold=True))
        sheet.append(spreadsheets.row(sheet, headers, bold=True))
        for row in rows:
            sheet.append(spreadsheets.row(sheet, row))

    figures = ["应参加人次", "出席", "请假", "说明原因缺席", "未说明原因缺席", "出席率(%)"]

    def rate(value: float | None) -> Any:
        return value if value is not None else ""

    table(
        "按学习类型",
        ["学习类型", "次数", *figures],
        (
            [
                r["label"],
                r["sessions"],
                r["required"],
                r["present"],
                r["on_leave"],
                r["excused"],
                r["absent"],
                rate(r["rate"]),
            ]
            for r in data["by_kind"]
        ),
    )
    table(
        "按单位",
        ["单位", *figures],
        (
            [
                r["name"],
                r["required"],
                r["present"],
                r["on_leave"],
                r["excused"],
                r["absent"],
                rate(r["rate"]),
            ]
            for r in data["by_unit"]
        ),
    )
    table(
        "第一议题",
        ["学习内容", "首次学习日期", "学习次数", "贯彻落实"],
        (
            [r.title, r.first_studied.isoformat(), len(r.studied), "；".join(r.follow_ups)]
            for r in data["first_topics"]
        ),
    )
    table("传帮带进展", ["阶段", "结对数"], ([k, v] for k, v in data["mentoring"].items()))
    table(
        "谈心谈话覆盖",
        ["谈话责任人", "应谈人数", "已谈人数", "覆盖率(%)", "谈话次数"],
        (
            [c.duty.leader.name, c.required, c.covered, rate(c.rate), c.talks_held]
            for c in data["coverage"]
        ),
    )
    table(
        "培训学时",
        ["单位", "人数", "总学时", "人均学时", f"未达{data['training_required']}学时人数"],
        (
            [r["name"], r["people"], float(r["hours"]), r["average"], r["short"]]
            for r in data["training"]
        ),
    )
    return _save(workbook)
