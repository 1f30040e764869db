"""Reads of the ledger: the filtered table, an item's timeline, the calendar, the statistics.

The warning colour is computed in SQL from stored dates (deadline, warn_from, feedback_due and the
milestones'), so the ledger filters, sorts and paginates by colour with a constant number of queries.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields
from typing import Any, cast

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from apps.accounts.permissions import restrict
from apps.core import clock, params

from .choices import FINISHED_STATUSES, OPEN_STATUSES, MilestoneStatus, Status, Warning
from .figures import FIGURES, figure_q, overdue_q
from .models import Checklist, ItemEvent, Milestone, TrackedItem


def warning_q(warning: str, today: datetime.date) -> Q:
    """The items that show `warning` today, as a filter on the stored dates."""
    open_q = Q(status__in=OPEN_STATUSES)
    red = Q(red_from__lte=today)
    yellow = Q(yellow_from__lte=today)
    return {
        Warning.RED: open_q & red,
        Warning.YELLOW: open_q & yellow & ~red,
        Warning.GREEN: open_q & ~yellow & ~red,
        Warning.NONE: ~open_q,
    }[Warning(warning)]


def with_warning(queryset: QuerySet[TrackedItem], today: datetime.date) -> QuerySet[Any]:
    """Annotate `warning` (red / yellow / green / none) and `warning_rank` for sorting.

    Compares today with the stored `red_from` / `yellow_from` (see deadlines.warning_dates), so the
    colour costs two date comparisons per row and a colour filter can use an index."""
    open_q = Q(status__in=OPEN_STATUSES)
    red = open_q & Q(red_from__lte=today)
    yellow = open_q & Q(yellow_from__lte=today)
    annotated = queryset.annotate(
        warning=Case(
            When(red, then=Value(Warning.RED.value)),
            When(yellow, then=Value(Warning.YELLOW.value)),
            When(open_q, then=Value(Warning.GREEN.value)),
            default=Value(Warning.NONE.value),
        ),
        warning_rank=Case(
            When(red, then=Value(0)),
            When(yellow, then=Value(1)),
            When(open_q, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    )
    # Typed loosely: django-stubs cannot see the `warning` / `warning_rank` annotations.
    return cast("QuerySet[Any]", annotated)


@dataclass(frozen=True)
class LedgerFilters:
    checklist: int | None = None
    status: str = ""
    source: str = ""
    unit: int | None = None
    leader: int | None = None
    warning: str = ""
    q: str = ""
    kind: str = ""
    mine: bool = False
    due: datetime.date | None = None
    # One of figures.FIGURES (超期未办结, 反馈逾期, 节点逾期, ...): the rows behind a count.
    figure: str = ""
    # The lead unit only (a dashboard's per-unit count), where `unit` also takes co-operated items.
    lead: int | None = None
    # Open items first, the reddest first (issue 10): closed ones sink to the end.
    sort: str = "warning"

    SORTS = {
        "deadline": ("deadline", "id"),
        "-deadline": ("-deadline", "-id"),
        "warning": ("warning_rank", "deadline", "id"),
        "serial": ("checklist_id", "serial"),
        "unit": ("lead_unit__sort_order", "deadline", "id"),
        "status": ("status", "deadline", "id"),
        "-updated": ("-updated_at", "-id"),
    }

    @classmethod
    def from_query(cls, query: Any) -> LedgerFilters:
        read = params.Params(query)
        figure = read.choice("figure", FIGURES)
        if read.flag("overdue") and not figure:
            figure = "overdue"  # the old link of the 超过办结时限 card
        return cls(
            checklist=read.id("checklist"),
            status=read.choice("status", Status.values),
            source=read.text("source", 32),
            unit=read.id("unit"),
            leader=read.id("leader"),
            warning=read.choice("warning", Warning.values),
            q=read.text("q", 100),
            kind=read.text("kind", 16),
            mine=read.flag("mine"),
            due=read.date("due"),
            figure=figure,
            lead=read.id("lead"),
            sort=read.choice("sort", cls.SORTS, "warning"),
        )

    def as_query(self) -> dict[str, str]:
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False):
                continue
            values[f.name] = "1" if value is True else str(value)
        return values


def ledger_items(
    user: Any, filters: LedgerFilters, today: datetime.date | None = None
) -> QuerySet[Any]:
    """The rows of the ledger table that `user` may see, filtered and sorted."""
    today = today or clock.today()
    queryset = restrict(TrackedItem.objects.all(), user, "view")
    if filters.checklist:
        queryset = queryset.filter(checklist_id=filters.checklist)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.unit:
        queryset = queryset.filter(
            Q(lead_unit_id=filters.unit) | Q(co_units=filters.unit)
        ).distinct()
    if filters.lead:
        queryset = queryset.filter(lead_unit_id=filters.lead)
    if filters.leader:
        queryset = queryset.filter(leading_leader_id=filters.leader)
    if filters.figure:
        queryset = queryset.filter(figure_q(filters.figure, today))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.q:
        queryset = queryset.filter(text_q(filters.q))
    if filters.due:
        # The calendar's "还有N项" link: the items or milestones due that day.
        queryset = queryset.filter(
            Q(deadline=filters.due) | Q(milestones__deadline=filters.due)
        ).distinct()
    if filters.mine and user.person_id:
        queryset = queryset.filter(
            Q(responsible_person_id=user.person_id)
            | Q(leading_leader_id=user.person_id)
            | Q(trackers=user.person_id)
        ).distinct()
    if filters.warning:
        # Filtered on the stored dates, not on the annotation, so that the indexes serve it.
        queryset = queryset.filter(warning_q(filters.warning, today))
    rows = with_warning(queryset, today)
    return rows.select_related(
        "checklist", "lead_unit", "leading_leader", "responsible_person"
    ).order_by(*LedgerFilters.SORTS[filters.sort])


def text_q(text: str) -> Q:
    """The ledger's text search: the title, the serial, or the number as shown ("2026巡察-023"; also
    "巡察-023" for that source's lists of every year): a list's code, then the serial within it."""
    found = Q(title__icontains=text) | Q(serial__icontains=text)
    code, dash, serial = text.strip().partition("-")
    code, serial = code.strip(), serial.strip()
    if dash and code and serial:
        same_list = Q(checklist__code=code) | Q(
            checklist__code__regex=rf"^\d{{4}}{re.escape(code)}$"
        )
        found |= same_list & Q(serial__iexact=serial)
    return found


def visible_to_whole_organ(user: Any) -> bool:
    """Whether the user's ledger is the whole organ's (leaders and the office) or a part of it."""
    from .rules import visible_items_q

    return visible_items_q(user) is None


def item_timeline(item: TrackedItem) -> QuerySet[ItemEvent]:
    return item.events.select_related("actor", "actor__person").prefetch_related("attachments")


def item_warning(item: TrackedItem, today: datetime.date | None = None) -> str:
    today = today or clock.today()
    row = with_warning(TrackedItem.objects.filter(pk=item.pk), today).values_list(
        "warning", flat=True
    )
    return row.first() or Warning.NONE


def milestones_with_warning(
    item: TrackedItem, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    today = today or clock.today()
    rows = []
    for milestone in item.milestones.all():
        if milestone.status == MilestoneStatus.DONE:
            warning = Warning.NONE
        elif milestone.deadline < today:
            warning = Warning.RED
        elif milestone.warn_from <= today:
            warning = Warning.YELLOW
        else:
            warning = Warning.GREEN
        rows.append({"milestone": milestone, "warning": warning})
    return rows


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    title: str
    item_id: int
    kind: str  # "deadline" or "milestone"
    warning: str
    unit: str
    provisional: bool = False  # a deadline counted in workdays from a year not announced (预估)


def calendar_entries(
    user: Any, start: datetime.date, end: datetime.date, unit_id: int | None = None
) -> list[CalendarEntry]:
    """Deadlines and milestones between start and end (inclusive) of the items `user` may see."""
    today = clock.today()
    items = restrict(
        TrackedItem.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED]), user, "view"
    )
    if unit_id:
        items = items.filter(lead_unit_id=unit_id)
    entries: list[CalendarEntry] = []
    dated = items.filter(deadline__range=(start, end), is_standing=False)
    for row in with_warning(dated, today).values(
        "pk", "title", "deadline", "warning", "lead_unit__short_name", "deadline_provisional"
    ):
        entries.append(
            CalendarEntry(
                row["deadline"],
                row["title"],
                row["pk"],
                "deadline",
                row["warning"],
                row["lead_unit__short_name"],
                row["deadline_provisional"],
            )
        )
    milestones = Milestone.objects.filter(item__in=items.values("pk"), deadline__range=(start, end))
    for m in milestones.values(
        "deadline",
        "title",
        "item_id",
        "status",
        "warn_from",
        "item__lead_unit__short_name",
        "item__status",
    ):
        if m["status"] == MilestoneStatus.DONE or m["item__status"] in FINISHED_STATUSES:
            warning = Warning.NONE
        elif m["deadline"] < today:
            warning = Warning.RED
        elif m["warn_from"] <= today:
            warning = Warning.YELLOW
        else:
            warning = Warning.GREEN
        entries.append(
            CalendarEntry(
                m["deadline"],
                m["title"],
                m["item_id"],
                "milestone",
                warning,
                m["item__lead_unit__short_name"],
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.kind, e.item_id))


# Closed on time: no later than the deadline in force when it closed (a granted extension moves it).
# Closed no later than the deadline in force; a standing task (长期) is never on time or late.
CLOSED_ON_TIME = Q(status=Status.CLOSED, closed_at__date__lte=F("deadline"), is_standing=False)


def person_items(person: Any, today: datetime.date | None = None) -> QuerySet[Any]:
    """The assigned items a person was responsible for (for the growth file), the latest deadline
    first, with `timeliness`: on_time, late (closed after the deadline), overdue (open past it),
    open, or cancelled. One query."""
    today = today or clock.today()
    items = (
        TrackedItem.objects.filter(responsible_person=person)
        .exclude(status=Status.DRAFT)
        .select_related("lead_unit", "checklist")
        .annotate(
            timeliness=Case(
                When(is_standing=True, status=Status.CANCELLED, then=Value("cancelled")),
                When(is_standing=True, then=Value("standing")),
                When(CLOSED_ON_TIME, then=Value("on_time")),
                When(status=Status.CLOSED, then=Value("late")),
                When(status=Status.CANCELLED, then=Value("cancelled")),
                When(deadline__lt=today, then=Value("overdue")),
                default=Value("open"),
            )
        )
        .order_by("-deadline", "-id")
    )
    return cast("QuerySet[Any]", items)


def statistics(
    user: Any, *, by: str = "unit", checklist_id: int | None = None
) -> list[dict[str, Any]]:
    """Per unit (or per list): items, closed, closed on time, on-time rate, overdue, days to close.

    On-time means closed no later than the deadline in force when it closed (a granted extension
    counts); average days to close runs from assignment to closing.
    """
    today = clock.today()
    items = restrict(TrackedItem.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED]), user)
    if checklist_id:
        items = items.filter(checklist_id=checklist_id)
    group = {
        "unit": (
            "lead_unit_id",
            "lead_unit__name",
            "lead_unit__sort_order",
            "lead_unit__short_name",
        ),
        "checklist": ("checklist_id", "checklist__name", "checklist_id", "checklist__name"),
    }[by]
    duration = ExpressionWrapper(F("closed_at") - F("assigned_at"), output_field=DurationField())
    rows = (
        items.values(group[0], group[1], group[3])
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            # Standing tasks (长期) count neither as on time nor as late.
            closed_dated=Count("pk", filter=Q(status=Status.CLOSED, is_standing=False)),
            closed_on_time=Count("pk", filter=CLOSED_ON_TIME),
            overdue=Count("pk", filter=overdue_q(today)),
            standing=Count("pk", filter=Q(is_standing=True)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            avg_close=Avg(duration, filter=Q(status=Status.CLOSED)),
        )
        .order_by(group[2])
    )
    result = []
    for row in rows:
        closed = row["closed"]
        result.append(
            {
                "id": row[group[0]],
                "name": row[group[1]],
                "short_name": row[group[3]] or row[group[1]],
                "total": row["total"],
                "open": row["open"],
                "closed": closed,
                "closed_on_time": row["closed_on_time"],
                "on_time_rate": round(100 * row["closed_on_time"] / row["closed_dated"], 1)
                if row["closed_dated"]
                else None,
                "closed_dated": row["closed_dated"],
                "standing": row["standing"],
                "overdue": row["overdue"],
                "avg_days_to_close": round(row["avg_close"].total_seconds() / 86400, 1)
                if row["avg_close"] is not None
                else None,
            }
        )
    return result


def checklists_for(user: Any) -> QuerySet[Checklist]:
    """The lists the user may pick from (filters, statistics); counting their items is the
    callers' business: at 50,000 items a count here cost every ledger page 27 ms."""
    return restrict(Checklist.objects.all(), user)


MONTHS_SHOWN = 12
CHART_WARNINGS = (Warning.RED, Warning.YELLOW, Warning.GREEN)
# Red combines 超期未办结, 反馈逾期 and 节点逾期: it is named as the colour, never as 逾期 alone, so
# that it is not read as the table's 超期未办结 column.
CHART_NAMES = {
    Warning.RED: "红色预警",
    Warning.YELLOW: "黄色预警（临期）",
    Warning.GREEN: "绿色（正常）",
}
WARNING_COLOURS = {Warning.RED: "#d63939", Warning.YELLOW: "#f59f00", Warning.GREEN: "#2fb344"}


def _counted_items(user: Any, checklist_id: int | None) -> QuerySet[TrackedItem]:
    """The items statistics count: assigned ones (not drafts, not cancelled) the user may see."""
    items = restrict(
        TrackedItem.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED]), user, "view"
    )
    return items.filter(checklist_id=checklist_id) if checklist_id else items


def warning_distribution(
    user: Any, checklist_id: int | None = None, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Open items by warning colour (red, yellow, green), in one aggregate query."""
    today = today or clock.today()
    open_items = _counted_items(user, checklist_id).filter(status__in=OPEN_STATUSES)
    rows = (
        with_warning(open_items, today)
        .order_by()
        # `warning` is with_warning()'s annotation, which django-stubs cannot see.
        .values("warning")  # type: ignore[misc]
        .annotate(count=Count("pk"))
    )
    counts = {row["warning"]: row["count"] for row in rows}
    return [
        {
            "key": warning.value,
            "name": CHART_NAMES[warning],
            "value": counts.get(warning.value, 0),
            "colour": WARNING_COLOURS[warning],
        }
        for warning in CHART_WARNINGS
    ]


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def closed_per_month(
    user: Any,
    checklist_id: int | None = None,
    today: datetime.date | None = None,
    months: int = MONTHS_SHOWN,
) -> list[dict[str, Any]]:
    """Items closed (销号) in each of the last `months` months, in one aggregate query."""
    today = today or clock.today()
    starts = _month_starts(today, months)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    rows = (
        _counted_items(user, checklist_id)
        .filter(status=Status.CLOSED, closed_at__gte=since)
        .annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
    )
    # TruncMonth works in the current time zone, so a month is a Beijing-time month.
    counts = {timezone.localtime(row["month"]).date(): row["count"] for row in rows}
    return [
        {"month": f"{start.year}年{start.month}月", "count": counts.get(start, 0)}
        for start in starts
    ]
