"""The key-work calendar's day cells: the first few entries of each day and how many there are.

A busy month holds thousands of deadlines and milestones, yet a cell shows only a few of them and a
"还有N项" link to the ledger. So the database picks each day's first entries (ROW_NUMBER over the
day) and counts the rest (COUNT over the day) in the same query: one query for the items' deadlines
and one for the milestones, whatever the number of items. This is a selector; it lives beside
`selectors.py` and reproduces the scope of `selectors.calendar_entries` exactly.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from apps.accounts.permissions import restrict
from apps.core import clock

from .choices import FINISHED_STATUSES, MilestoneStatus, Status, Warning
from .models import Milestone, TrackedItem
from .selectors import CalendarEntry, with_warning

# with_warning()'s `warning_rank`, which the milestones' colour follows too.
RANK_WARNINGS = {0: Warning.RED, 1: Warning.YELLOW, 2: Warning.GREEN, 3: Warning.NONE}
DEADLINE, MILESTONE = 0, 1  # a deadline goes before a milestone of the same colour
# (warning rank, deadline or milestone, item, milestone's sort order, milestone): a day's order.
SortKey = tuple[int, int, int, int, int]


@dataclass
class DayEntries:
    """The entries shown for each day (at most `per_day`, most urgent first) and each day's total."""

    shown: dict[datetime.date, list[CalendarEntry]] = field(default_factory=dict)
    totals: dict[datetime.date, int] = field(default_factory=dict)


def calendar_day_entries(
    user: Any,
    start: datetime.date,
    end: datetime.date,
    unit_id: int | None = None,
    *,
    per_day: int,
    today: datetime.date | None = None,
) -> DayEntries:
    """Deadlines and milestones from start to end (inclusive) of the items `user` may see.

    Each day keeps its first `per_day` entries: red, then yellow, then the rest; a deadline before
    a milestone; then by item, so that the order is the same from one visit to the next.
    """
    today = today or clock.today()
    items = restrict(
        TrackedItem.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED]), user, "view"
    )
    if unit_id:
        items = items.filter(lead_unit_id=unit_id)

    # Every row the two queries return, by day, with the key that puts the day in order.
    candidates: dict[datetime.date, list[tuple[SortKey, CalendarEntry]]] = defaultdict(list)
    # Every row of a day carries the same day_total: keep one per day and kind.
    deadline_totals: dict[datetime.date, int] = {}
    milestone_totals: dict[datetime.date, int] = {}

    deadlines = (
        with_warning(items.filter(deadline__range=(start, end)), today)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("deadline"),
                order_by=[F("warning_rank").asc(), F("pk").asc()],
            ),
            day_total=Window(Count("pk"), partition_by=F("deadline")),
        )
        .filter(place__lte=per_day)
        .order_by()
        .values(
            "pk",
            "title",
            "deadline",
            "warning",
            "warning_rank",
            "lead_unit__short_name",
            "deadline_provisional",
            "day_total",
        )
    )
    for row in deadlines:
        day = row["deadline"]
        deadline_totals[day] = row["day_total"]
        entry = CalendarEntry(
            day,
            row["title"],
            row["pk"],
            "deadline",
            row["warning"],
            row["lead_unit__short_name"],
            row["deadline_provisional"],
        )
        candidates[day].append(((row["warning_rank"], DEADLINE, row["pk"], 0, 0), entry))

    # The same colours as selectors.calendar_entries gives a milestone, as a rank SQL can sort by.
    milestone_rank = Case(
        When(Q(status=MilestoneStatus.DONE) | Q(item__status__in=FINISHED_STATUSES), then=Value(3)),
        When(deadline__lt=today, then=Value(0)),
        When(warn_from__lte=today, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    milestones = (
        Milestone.objects.filter(item__in=items.values("pk"), deadline__range=(start, end))
        .annotate(rank=milestone_rank)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("deadline"),
                order_by=[
                    F("rank").asc(),
                    F("item_id").asc(),
                    F("sort_order").asc(),
                    F("pk").asc(),
                ],
            ),
            day_total=Window(Count("pk"), partition_by=F("deadline")),
        )
        .filter(place__lte=per_day)
        .order_by()
        .values(
            "pk",
            "title",
            "deadline",
            "item_id",
            "sort_order",
            "rank",
            "item__lead_unit__short_name",
            "day_total",
        )
    )
    for row in milestones:
        day = row["deadline"]
        milestone_totals[day] = row["day_total"]
        entry = CalendarEntry(
            day,
            row["title"],
            row["item_id"],
            "milestone",
            RANK_WARNINGS[row["rank"]],
            row["item__lead_unit__short_name"],
        )
        key = (row["rank"], MILESTONE, row["item_id"], row["sort_order"], row["pk"])
        candidates[day].append((key, entry))

    # Each query kept the first `per_day` of its kind; the first `per_day` of both are among them.
    shown = {
        day: [entry for _, entry in sorted(rows, key=lambda row: row[0])[:per_day]]
        for day, rows in candidates.items()
    }
    totals = {day: deadline_totals.get(day, 0) + milestone_totals.get(day, 0) for day in candidates}
    return DayEntries(shown=shown, totals=totals)
