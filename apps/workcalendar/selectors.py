"""Reads of the working-day calendar: the years known, a year as month grids, missing years."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from apps.core import clock

from .models import CalendarYear, DayKind
from .services import YearData

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


def provisional_years(today: datetime.date | None = None) -> list[int]:
    """This year and next, where their arrangement is not known: computed provisionally (预估)."""
    year = (today or clock.today()).year
    known = set(
        CalendarYear.objects.filter(year__in=[year, year + 1]).values_list("year", flat=True)
    )
    return [y for y in (year, year + 1) if y not in known]


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


def year_months(year: int, data: YearData, today: datetime.date | None = None) -> list[MonthGrid]:
    """Twelve Monday-first month grids of `year`, each day marked with its kind in `data` (as
    stored, provisional, or read from a notice before it is saved). Weekend days that a festival
    covers show as holidays: only weekday holidays are counted, as the notice counts them."""
    today = today or clock.today()
    months = []
    weeks_of = calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks: list[list[GridDay | None]] = []
        holidays = workdays = 0
        for week in weeks_of(year, month):
            row: list[GridDay | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                if day in data.holidays:
                    kind, name = "holiday", data.holidays[day]
                    holidays += day.weekday() < 5
                elif day in data.workdays:
                    kind, name = "workday", data.workdays[day]
                    workdays += 1
                else:
                    kind, name = ("weekend" if day.weekday() >= 5 else "normal"), ""
                row.append(GridDay(day, kind, name, day == today))
            weeks.append(row)
        months.append(MonthGrid(month, MONTH_NAMES[month - 1], weeks, holidays, workdays))
    return months
