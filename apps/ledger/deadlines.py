"""Deadline arithmetic of the ledger, all on the working-day calendar.

Every function that reads the calendar also says whether it used a provisional year (预估: its
holiday arrangement not announced yet), so that the stored date can carry the flag.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings

from apps.workcalendar.services import add_workdays, flagged, is_workday

from .choices import FeedbackRule


def yellow_workdays() -> int:
    return int(settings.LEDGER["YELLOW_WORKDAYS"])


def warn_from(deadline: datetime.date) -> datetime.date:
    """The first day an item shows yellow: N workdays before its deadline."""
    return add_workdays(deadline, -yellow_workdays())


def warn_from_flagged(deadline: datetime.date) -> tuple[datetime.date, bool]:
    """`warn_from`, and whether it was computed from provisional days."""
    return flagged(lambda: warn_from(deadline))


def on_or_after_workday(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class ResolvedDeadline:
    """A deadline as stored: the date, its note, and how it was computed (for recomputing)."""

    date: datetime.date
    note: str = ""
    base: datetime.date | None = None
    workdays: int | None = None
    provisional: bool = False


def workdays_note(base: datetime.date, workdays: int) -> str:
    return f"{base:%Y年%m月%d日}后{workdays}个工作日"


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline given either as a date or as N workdays after a base date (限时)."""

    date: datetime.date | None = None
    workdays: int | None = None
    base: datetime.date | None = None

    def resolve(self) -> ResolvedDeadline:
        """The deadline; a typed date is taken as it is and never moves, N workdays are counted
        on the calendar (provisionally in a year whose arrangement is not announced)."""
        if self.date is not None:
            return ResolvedDeadline(self.date)
        if self.workdays is None or self.base is None:
            raise ValueError("未给出办结时限")
        base, workdays = self.base, self.workdays
        day, provisional = flagged(lambda: add_workdays(base, workdays))
        return ResolvedDeadline(day, workdays_note(base, workdays), base, workdays, provisional)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day (31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def add_one_month(day: datetime.date) -> datetime.date:
    """The same day next month, or that month's last day (31 Jan → 28/29 Feb)."""
    return add_months(day, 1)


def next_feedback_due_flagged(
    rule: str, workdays: int | None, since: datetime.date | None
) -> tuple[datetime.date | None, bool]:
    """`next_feedback_due`, and whether it was computed from provisional days."""
    return flagged(lambda: next_feedback_due(rule, workdays, since))


def next_feedback_due(
    rule: str, workdays: int | None, since: datetime.date | None
) -> datetime.date | None:
    """When the next progress report is owed, counted from assignment or the last report."""
    if since is None or rule == FeedbackRule.NONE:
        return None
    if rule == FeedbackRule.WEEKLY:
        return on_or_after_workday(since + datetime.timedelta(days=7))
    if rule == FeedbackRule.MONTHLY:
        return on_or_after_workday(add_one_month(since))
    if rule == FeedbackRule.QUARTERLY:
        return on_or_after_workday(add_months(since, 3))
    if rule == FeedbackRule.WORKDAYS and workdays:
        return add_workdays(since, workdays)
    return None


def warning_dates(
    *,
    deadline: datetime.date,
    warn_from: datetime.date,
    feedback_due: datetime.date | None,
    pending_milestones: list[tuple[datetime.date, datetime.date]],
) -> tuple[datetime.date, datetime.date]:
    """(yellow_from, red_from) of an open item.

    Red the day after the deadline, a missed feedback or a missed pending milestone; yellow from
    the item's or a pending milestone's warning day. `pending_milestones` holds (deadline,
    warn_from) pairs.
    """
    day = datetime.timedelta(days=1)
    reds = [deadline + day, *(m_deadline + day for m_deadline, _ in pending_milestones)]
    if feedback_due is not None:
        reds.append(feedback_due + day)
    yellows = [warn_from, *(m_warn for _, m_warn in pending_milestones)]
    return min(yellows), min(reds)
