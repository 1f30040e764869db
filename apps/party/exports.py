"""The .xlsx of party building: the 三重一大 register and the year's statistics. Every text goes
through `apps.core.spreadsheets.safe_value`, the platform's one formula-safe writer."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.spreadsheets import safe_value

from .models import MajorDecision
from .selectors import BranchCount, YearStats


def _row(values: Iterable[Any]) -> list[Any]:
    return [safe_value(v) for v in values]


def _bold_first(sheet: Any) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decisions_xlsx(decisions: QuerySet[MajorDecision], year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{year}年三重一大台账"
    sheet.append(
        _row(
            [
                "会议",
                "日期",
                "类别",
                "事项",
                "金额（万元）",
                "会前酝酿",
                "会议材料",
                "回避",
                "同意",
                "不同意",
                "弃权",
                "结果",
                "督办事项",
            ]
        )
    )
    for d in decisions:
        meeting = d.item.meeting
        sheet.append(
            _row(
                [
                    f"第{meeting.number}次",
                    meeting.date,
                    d.get_category_display(),
                    d.matter,
                    float(d.amount) if d.amount is not None else "",
                    f"{d.consulted_on:%Y-%m-%d} {d.consulted_with}",
                    d.materials,
                    "、".join(f"{r.member.name}（{r.reason}）" for r in d.recusals.all()),
                    d.agree,
                    d.disagree,
                    d.abstain,
                    d.get_result_display(),
                    d.item.ledger_item.serial if d.item.ledger_item else "",
                ]
            )
        )
    _bold_first(sheet)
    return _save(workbook)


def statistics_xlsx(stats: YearStats, branches: list[BranchCount], labels: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "总体情况"
    sheet.append(_row(["指标", "数值"]))
    for label, value in (
        ("党组会议（次）", stats.meetings),
        ("计划召开（次）", stats.meetings_planned),
        ("以第一议题开篇（次）", stats.first_topic_meetings),
        ("三重一大决策（项）", sum(stats.decisions_by_category.values())),
        ("其中通过（项）", stats.decisions_passed),
        ("有回避的决策（项）", stats.recusals),
        ("责任清单事项（项）", stats.list_items),
        ("年终检查已完成（项）", stats.list_items_done),
        ("转为督办事项（项）", stats.list_items_to_ledger),
        ("支部活动（次）", stats.activities),
        ("宣传稿件发布（篇）", stats.articles_published),
        ("被上级采用（篇）", stats.articles_adopted),
    ):
        sheet.append(_row([label, value]))
    _bold_first(sheet)
    cat = workbook.create_sheet("三重一大分类")
    cat.append(_row(["类别", "项数"]))
    for label, n in stats.decisions_by_category.items():
        cat.append(_row([label, n]))
    _bold_first(cat)
    act = workbook.create_sheet("支部活动")
    act.append(_row(["支部", *labels, "未达要求"]))
    for b in branches:
        act.append(_row([b.unit.short_name, *b.counts.values(), "；".join(b.shortfalls)]))
    _bold_first(act)
    pub = workbook.create_sheet("宣传信息")
    pub.append(_row(["单位", "发布", "采用"]))
    for name, n, adopted in stats.by_unit:
        pub.append(_row([name, n, adopted]))
    pub.append(_row([]))
    pub.append(_row(["渠道", "发布", "采用"]))
    for label, (n, adopted) in stats.by_channel.items():
        pub.append(_row([label, n, adopted]))
    _bold_first(pub)
    return _save(workbook)
