"""Reads of the working-day calendar: the years known, a year as month grids, missing years."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from apps.core import clock

from .models import CalendarYear, DayKind, SpecialDay

MONTH_NAMES = [f"{m}月" for m in range(1, 13)]
WEEKDAY_HEADERS = ["一", "二", "三", "四", "五", "六", "日"]


def year_list() -> QuerySet[CalendarYear]:
    """Every known year, the latest first, with its number of holidays and adjusted workdays."""
    return (
        CalendarYear.objects.select_related("confirmed_by")
        .annotate(
            holiday_count=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )
        .order_by("-year")
    )


def next_year_missing(today: datetime.date | None = None) -> int | None:
    """Next year, when its arrangement has not been entered yet (else None)."""
    year = (today or clock.today()).year + 1
    return None if CalendarYear.objects.filter(year=year).exists() else year


def this_year_missing(today: datetime.date | None = None) -> int | None:
    year = (today or clock.today()).year
    return None if CalendarYear.objects.filter(year=year).exists() else year


def notice_season(today: datetime.date | None = None) -> bool:
    """The State Council usually publishes next year's arrangement between October and December."""
    return (today or clock.today()).month >= 10


@dataclass(frozen=True)
class GridDay:
    date: datetime.date
    kind: str  # "holiday", "workday" (adjusted), "weekend" or "normal"
    name: str
    is_today: bool

    @property
    def label(self) -> str:
        text = {
            "holiday": "法定节假日",
            "workday": "调休上班",
            "weekend": "周末休息",
            "normal": "工作日",
        }[self.kind]
        return f"{self.date:%Y-%m-%d} {self.name} {text}".replace("  ", " ")


@dataclass(frozen=True)
class MonthGrid:
    month: int
    name: str
    weeks: list[list[GridDay | None]]
    holiday_count: int
    workday_count: int


def year_months(cal_year: CalendarYear, today: datetime.date | None = None) -> list[MonthGrid]:
    """Twelve Monday-first month grids of the year, each day marked with its kind."""
    today = today or clock.today()
    special = {
        row.date: row
        for row in SpecialDay.objects.filter(year=cal_year).only("date", "kind", "name")
    }
    months = []
    weeks_of = calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks: list[list[GridDay | None]] = []
        holidays = workdays = 0
        for week in weeks_of(cal_year.year, month):
            row: list[GridDay | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                found = special.get(day)
                if found is not None:
                    kind, name = found.kind, found.name
                    if kind == DayKind.HOLIDAY:
                        holidays += 1
                    else:
                        workdays += 1
                else:
                    kind, name = ("weekend" if day.weekday() >= 5 else "normal"), ""
                row.append(GridDay(day, str(kind), name, day == today))
            weeks.append(row)
        months.append(MonthGrid(month, MONTH_NAMES[month - 1], weeks, holidays, workdays))
    return months
