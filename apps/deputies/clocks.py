"""The statutory clocks of a suggestion.

Which rule, and why: the national rules (《全国人民代表大会代表建议、批评和意见处理办法》) and the
local ones modelled on them give the answer period in months from assignment — "自交办之日起三个月
内", extended with the office's consent to "六个月" in total. A period in months is counted as the
Civil Code counts one (第二百零一条至第二百零三条): the day of assignment is not counted, the period
ends on the corresponding day of the last month (its last day when it has none), and an end that
falls on a statutory holiday moves to the next working day. That is the default rule ("months").
Where a local regulation counts working days instead, CLOCK_RULE "workdays" counts ANSWER_WORKDAYS
and MAX_WORKDAYS on the working-day calendar. The return of a misassigned suggestion ("N个工作日
内") is always counted in working days, the 协办 opinion and re-handling periods in months.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings

from apps.ledger.deadlines import ResolvedDeadline, on_or_after_workday
from apps.workcalendar.services import add_workdays, flagged

from .choices import ClockRule


def config(name: str) -> Any:
    return settings.DEPUTIES[name]


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later, or that month's last day (30 Nov + 3 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` from `start`, moved past holidays."""
    return on_or_after_workday(months_after(start, months))


def _resolved(compute: Any, note: str) -> ResolvedDeadline:
    day, provisional = flagged(compute)
    return ResolvedDeadline(day, note=note, provisional=provisional)


def answer_due(assigned_on: datetime.date) -> ResolvedDeadline:
    """The answer deadline: three months from assignment (or ANSWER_WORKDAYS working days)."""
    if config("CLOCK_RULE") == ClockRule.WORKDAYS:
        n = config("ANSWER_WORKDAYS")
        return _resolved(lambda: add_workdays(assigned_on, n), f"自交办之日起{n}个工作日内答复")
    n = config("ANSWER_MONTHS")
    return _resolved(lambda: period_end(assigned_on, n), f"自交办之日起{n}个月内答复")


def max_due(assigned_on: datetime.date) -> datetime.date:
    """The latest an extension may reach: six months in total from assignment."""
    if config("CLOCK_RULE") == ClockRule.WORKDAYS:
        return add_workdays(assigned_on, config("MAX_WORKDAYS"))
    return period_end(assigned_on, config("MAX_MONTHS"))


def max_note() -> str:
    if config("CLOCK_RULE") == ClockRule.WORKDAYS:
        return f"{config('MAX_WORKDAYS')}个工作日"
    return f"{config('MAX_MONTHS')}个月"


def return_until(assigned_on: datetime.date) -> datetime.date:
    """The last day a body may send back a suggestion that is not theirs."""
    return add_workdays(assigned_on, config("RETURN_WORKDAYS"))


def opinion_due(assigned_on: datetime.date) -> datetime.date:
    """The last day a 协办 body owes the 主办 its opinion: one month from assignment."""
    return period_end(assigned_on, config("CO_OPINION_MONTHS"))


def rehandle_due(day: datetime.date) -> ResolvedDeadline:
    n = config("REHANDLE_MONTHS")
    return _resolved(lambda: period_end(day, n), f"代表不满意，{n}个月内重新办理答复")


def extension_problem(item: Any, new_deadline: datetime.date) -> str:
    """The ledger's extension rule for a suggestion: within six months of assignment in total."""
    from .models import Handling

    handling = Handling.objects.filter(item=item).first()
    if handling is None:
        return ""
    if new_deadline > handling.max_deadline:
        return (
            f"代表建议办理期限自交办之日起累计不得超过{max_note()}："
            f"最迟只能延至{handling.max_deadline:%Y年%m月%d日}。"
        )
    return ""
