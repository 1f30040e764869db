"""The ledger out of the system: the filtered table as .xlsx, and the supervision notice (督办通报)
of one list as .docx.

Both builders take a queryset the caller has already scoped to the user (`selectors.ledger_items`)
and annotated with the warning colour; they only lay it out. Views record the audit EXPORT event.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.core import spreadsheets
from apps.documents.layout import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)
from apps.documents.layout.model import Block
from apps.documents.layout.text import chinese_date
from apps.organization.models import Person, Unit

from .choices import OPEN_STATUSES, FeedbackRule, ItemKind, Source, Status, Warning
from .figures import FIGURES, overdue_q
from .models import Checklist, TrackedItem
from .selectors import LedgerFilters

ISSUER = "人大常委会办公室"
"""Who issues the supervision notice (办公室跟踪问效)."""


def feedback_text(item: TrackedItem) -> str:
    if item.feedback_rule == FeedbackRule.WORKDAYS and item.feedback_workdays:
        return f"交办后{item.feedback_workdays}个工作日内反馈"
    return item.get_feedback_rule_display()


def _natural_key(serial: str) -> tuple[Any, ...]:
    """“2-10” after “2-9”, “10” after “9”."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", serial)
        if part
    )


# ---------------------------------------------------------------------------------------------
# The ledger as .xlsx
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: float


EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("序号", 8),
    ExportColumn("所属清单", 22),
    ExportColumn("类型", 10),
    ExportColumn("事项名称", 36),
    ExportColumn("具体内容", 40),
    ExportColumn("来源", 12),
    ExportColumn("类别", 12),
    ExportColumn("领责督办领导", 12),
    ExportColumn("牵头单位", 18),
    ExportColumn("配合单位", 22),
    ExportColumn("责任人", 10),
    ExportColumn("跟踪问效人员", 14),
    ExportColumn("办结时限", 12),
    ExportColumn("时限说明", 18),
    ExportColumn("反馈要求", 18),
    ExportColumn("下次反馈截止", 13),
    ExportColumn("完成进度(%)", 10),
    ExportColumn("状态", 10),
    ExportColumn("预警", 8),
    ExportColumn("交办日期", 12),
    ExportColumn("销号日期", 12),
)

WARNING_FILLS = {
    Warning.RED: "FFC7CE",
    Warning.YELLOW: "FFEB9C",
    Warning.GREEN: "C6EFCE",
}
WARNING_FONTS = {Warning.RED: "9C0006", Warning.YELLOW: "9C5700", Warning.GREEN: "006100"}
_THIN = Side(style="thin", color="BFBFBF")


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    # Excel has no time zones: give the day as people here saw it.
    return timezone.localdate(moment) if moment is not None else None


_EXPORT_FIELDS = (
    "pk",
    "serial",
    "checklist__name",
    "kind",
    "title",
    "content",
    "source",
    "category",
    "leading_leader__name",
    "lead_unit__name",
    "responsible_person__name",
    "deadline",
    "deadline_note",
    "deadline_provisional",
    "feedback_rule",
    "feedback_workdays",
    "feedback_due",
    "progress",
    "status",
    "warning",
    "assigned_at",
    "closed_at",
)


def _names_by_item(through: Any, target: str, chunk: Sequence[dict[str, Any]]) -> dict[int, str]:
    """“财经委、办公室” per item of the chunk, read from a many-to-many table in one query."""
    names: dict[int, list[str]] = {}
    pairs = through.objects.filter(trackeditem_id__in=[row["pk"] for row in chunk])
    for item_id, name in pairs.order_by(f"{target}__id").values_list(
        "trackeditem_id", f"{target}__name"
    ):
        names.setdefault(item_id, []).append(name)
    return {item_id: "、".join(values) for item_id, values in names.items()}


def describe_filters(filters: LedgerFilters) -> str:
    """The filters of an export in words, for the sheet's second row and the audit trail."""
    parts: list[str] = []
    if filters.checklist:
        name = Checklist.objects.filter(pk=filters.checklist).values_list("name", flat=True).first()
        parts.append(f"清单：{name or filters.checklist}")
    if filters.status:
        parts.append(f"状态：{Status(filters.status).label}")
    if filters.source in Source.values:
        parts.append(f"来源：{Source(filters.source).label}")
    if filters.unit:
        name = Unit.objects.filter(pk=filters.unit).values_list("name", flat=True).first()
        parts.append(f"单位：{name or filters.unit}")
    if filters.leader:
        name = Person.objects.filter(pk=filters.leader).values_list("name", flat=True).first()
        parts.append(f"领导：{name or filters.leader}")
    if filters.kind in ItemKind.values:
        parts.append(f"类型：{ItemKind(filters.kind).label}")
    if filters.warning:
        parts.append(f"预警：{Warning(filters.warning).label}")
    if filters.figure:
        parts.append(f"仅{FIGURES[filters.figure].label}")
    if filters.mine:
        parts.append("仅与我有关")
    if filters.q:
        parts.append(f"关键词：{filters.q}")
    return "；".join(parts) or "全部（本人权限范围内）"


def write_ledger_xlsx(
    items: QuerySet[TrackedItem],
    target: IO[bytes],
    *,
    title: str,
    subtitle: str = "",
    chunk_size: int = 2000,
) -> int:
    """Write the rows of `items` (annotated with `warning`) as a workbook; returns the row count.

    A write-only workbook and `.iterator()` keep memory flat for tens of thousands of rows: rows go
    to a temporary file as they are read, chunk by chunk, as plain values (no model instances),
    with the co-units and trackers of each chunk read in one query each.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("督办台账")
    last_column = get_column_letter(len(EXPORT_COLUMNS))
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A4"  # title, filters, header stay in view
    sheet.merged_cells.add(f"A1:{last_column}1")
    sheet.merged_cells.add(f"A2:{last_column}2")
    sheet.row_dimensions[1].height = 30

    sheet.append(
        [
            spreadsheets.cell(
                sheet,
                title,
                font=Font(name="宋体", size=16, bold=True),
                alignment=Alignment(horizontal="center", vertical="center"),
            )
        ]
    )
    sheet.append([spreadsheets.cell(sheet, subtitle, font=Font(size=10, color="595959"))])

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    header_row = []
    for column in EXPORT_COLUMNS:
        header_row.append(
            spreadsheets.cell(
                sheet,
                column.header,
                font=header_font,
                fill=header_fill,
                border=header_border,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
        )
    sheet.append(header_row)
    sheet.auto_filter.ref = f"A3:{last_column}3"

    fills = {key: PatternFill("solid", fgColor=color) for key, color in WARNING_FILLS.items()}
    fonts = {
        key: Font(color=color, bold=key == Warning.RED) for key, color in WARNING_FONTS.items()
    }

    kinds, sources, statuses = dict(ItemKind.choices), dict(Source.choices), dict(Status.choices)
    feedback_rules, warnings = dict(FeedbackRule.choices), dict(Warning.choices)
    rows = items.values(*_EXPORT_FIELDS)
    count = 0
    for chunk in itertools.batched(rows.iterator(chunk_size=chunk_size), chunk_size):
        co_units = _names_by_item(TrackedItem.co_units.through, "unit", chunk)
        trackers = _names_by_item(TrackedItem.trackers.through, "person", chunk)
        for row in chunk:
            warning = row["warning"]
            warning_cell = spreadsheets.cell(sheet, warnings.get(warning, ""))
            if warning in fills:
                warning_cell.fill = fills[warning]
                warning_cell.font = fonts[warning]
            feedback = feedback_rules.get(row["feedback_rule"], "")
            if row["feedback_rule"] == FeedbackRule.WORKDAYS and row["feedback_workdays"]:
                feedback = f"交办后{row['feedback_workdays']}个工作日内反馈"
            # Dates go in as dates: openpyxl gives them the yyyy-mm-dd format. Every text, the
            # checklist's and the people's names too, is written formula-safe.
            sheet.append(
                spreadsheets.row(
                    sheet,
                    [
                        row["serial"],
                        row["checklist__name"],
                        kinds.get(row["kind"], row["kind"]),
                        row["title"],
                        row["content"],
                        sources.get(row["source"], row["source"]),
                        row["category"],
                        row["leading_leader__name"] or "",
                        row["lead_unit__name"],
                        co_units.get(row["pk"], ""),
                        row["responsible_person__name"] or "",
                        trackers.get(row["pk"], ""),
                        row["deadline"],
                        row["deadline_note"] + ("（预估）" if row["deadline_provisional"] else ""),
                        feedback,
                        row["feedback_due"],
                        row["progress"],
                        statuses.get(row["status"], row["status"]),
                        warning_cell,
                        _local_date(row["assigned_at"]),
                        _local_date(row["closed_at"]),
                    ],
                )
            )
            count += 1
    workbook.save(target)
    return count


# ---------------------------------------------------------------------------------------------
# The supervision notice (督办通报) as .docx
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeFigures:
    """The numbers of the overview paragraph, computed from the items of the list."""

    total: int
    closed: int
    open: int
    draft: int
    cancelled: int
    overdue: int
    closed_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        # As in the statistics page: closed no later than the deadline in force, over all closed.
        return round(100 * self.closed_on_time / self.closed, 1) if self.closed else None


def notice_figures(items: Sequence[TrackedItem], today: datetime.date) -> NoticeFigures:
    counted = [item for item in items if item.status != Status.CANCELLED]
    closed = [item for item in counted if item.status == Status.CLOSED]
    return NoticeFigures(
        total=len(counted),
        closed=len(closed),
        open=sum(item.status in OPEN_STATUSES for item in counted),
        draft=sum(item.status == Status.DRAFT for item in counted),
        cancelled=len(items) - len(counted),
        # The same definition as the ledger's 超期未办结 card, the statistics and the dashboards.
        overdue=TrackedItem.objects.filter(pk__in=[item.pk for item in counted])
        .filter(overdue_q(today))
        .count(),
        closed_on_time=sum(
            item.closed_at is not None and timezone.localdate(item.closed_at) <= item.deadline
            for item in closed
        ),
    )


def overview_text(checklist: Checklist, figures: NoticeFigures, today: datetime.date) -> str:
    text = (
        f"截至{chinese_date(today)}，{checklist.name}共有事项{figures.total}项，"
        f"其中已销号{figures.closed}项，办理中{figures.open}项"
    )
    if figures.draft:
        text += f"，尚未交办{figures.draft}项"
    text += f"；超期未办结{figures.overdue}项"
    rate = figures.on_time_rate
    if rate is None:
        text += "，暂无已销号事项。"
    else:
        text += f"；已销号事项中按期办结{figures.closed_on_time}项，按期办结率{rate:g}%。"
    if figures.cancelled:
        text += f"另有{figures.cancelled}项已撤销，不计入上述统计。"
    return text


NOTICE_TABLE_HEADERS = ("序号", "事项", "牵头单位", "责任人", "办结时限", "状态", "预警")
NOTICE_SHADES = {Warning.RED: "FFC7CE", Warning.YELLOW: "FFEB9C"}


def supervision_notice(
    checklist: Checklist,
    items: Iterable[TrackedItem],
    *,
    today: datetime.date,
    issuer: str = ISSUER,
) -> OfficialDocument:
    """The supervision notice of one list as a 公文: the overview, the table of all items, the
    overdue items with days overdue, and the closing line. `items` carry `warning`."""
    rows = sorted(items, key=lambda item: _natural_key(item.serial))
    figures = notice_figures(rows, today)
    table_rows, shades = [], {}
    for index, item in enumerate(rows):
        warning = getattr(item, "warning", Warning.NONE)
        table_rows.append(
            (
                item.serial,
                item.title,
                item.lead_unit.short_name or item.lead_unit.name,
                item.responsible_person.name if item.responsible_person else "",
                "长期" if item.is_standing else f"{item.deadline:%Y-%m-%d}",
                item.get_status_display(),
                Warning(warning).label,
            )
        )
        if warning in NOTICE_SHADES:
            shades[(index, len(NOTICE_TABLE_HEADERS) - 1)] = NOTICE_SHADES[warning]
    overdue = [
        item
        for item in rows
        if item.status in OPEN_STATUSES and not item.is_standing and item.deadline < today
    ]
    overdue.sort(key=lambda item: (item.deadline, _natural_key(item.serial)))
    body: list[Block] = [
        Heading(1, "总体情况"),
        Paragraph(overview_text(checklist, figures, today)),
        Heading(1, "事项办理情况"),
        Table(
            NOTICE_TABLE_HEADERS,
            table_rows,
            centered=frozenset({0, 2, 3, 4, 5, 6}),
            shades=shades,
        ),
        Heading(1, "逾期事项"),
    ]
    if not overdue:
        body.append(Paragraph("截至目前，本清单无超期未办结事项。"))
    for item in overdue:
        who = item.responsible_person.name if item.responsible_person else "未明确"
        body.append(
            Heading(
                2,
                f"{item.serial} {item.title}。",
                run_in=f"牵头单位：{item.lead_unit.name}；责任人：{who}；"
                f"办结时限：{chinese_date(item.deadline)}；已逾期{(today - item.deadline).days}天，"
                f"当前状态：{item.get_status_display()}。",
            )
        )
    body += [
        Paragraph(
            "请各牵头单位对照清单抓紧办理，逾期事项须说明原因、明确办结时间，"
            "并按要求及时反馈办理进展，确保事事有回音、件件有落实。"
        ),
        Paragraph("特此通报。"),
    ]
    return OfficialDocument(
        title=f"关于{checklist.name}办理情况的督办通报",
        issuer_mark=f"{issuer}文件",
        recipients="各工作委员会，办公室各处室",
        body=body,
        signature=issuer,
        date=today,
        copy_to="常委会各位领导",
        printer=issuer,
        print_date=today,
        author=issuer,
        subject=f"{checklist.name}督办通报",
        keywords=("督办通报", checklist.name),
    )


def build_notice_docx(
    checklist: Checklist,
    items: Iterable[TrackedItem],
    *,
    today: datetime.date,
    issuer: str = ISSUER,
) -> bytes:
    """The supervision notice as .docx, laid out by the 公文 engine."""
    return render_docx(supervision_notice(checklist, items, today=today, issuer=issuer))
