"""The one working-day service every deadline in the product uses."""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass

from django.db import transaction

from .models import CalendarYear, DayKind, SpecialDay, YearSource


class CalendarYearMissing(LookupError):
    """Raised for a date whose year's holiday arrangement has not been entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚未录入，无法计算工作日。"
            f"请系统管理员依据国务院办公厅发布的{year}年部分节假日安排通知，在“工作日历”中录入后再试。"
        )


@dataclass(frozen=True)
class YearData:
    holidays: dict[datetime.date, str]
    workdays: dict[datetime.date, str]


# Per-process cache of years; a change in this process clears it, other processes re-read within TTL.
_CACHE: dict[int, tuple[float, YearData | None]] = {}
_LOCK = threading.Lock()
CACHE_SECONDS = 300.0


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _year(year: int) -> YearData:
    now = time.monotonic()
    cached = _CACHE.get(year)
    if cached is None or now - cached[0] > CACHE_SECONDS:
        data: YearData | None = None
        if CalendarYear.objects.filter(year=year).exists():
            holidays: dict[datetime.date, str] = {}
            workdays: dict[datetime.date, str] = {}
            for day, kind, name in SpecialDay.objects.filter(year_id=year).values_list("date", "kind", "name"):
                (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
            data = YearData(holidays, workdays)
        with _LOCK:
            _CACHE[year] = (now, data)
        cached = _CACHE[year]
    if cached[1] is None:
        raise CalendarYearMissing(year)
    return cached[1]


def is_workday(day: datetime.date) -> bool:
    data = _year(day.year)
    if day in data.holidays:
        return False
    if day in data.workdays:
        return True
    return day.weekday() < 5


def day_name(day: datetime.date) -> str:
    """The holiday or adjusted-workday name of the day, or ""."""
    data = _year(day.year)
    return data.holidays.get(day) or data.workdays.get(day) or ""


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The date that is `count` workdays after `start` (start itself not counted); count may be negative."""
    if count == 0:
        return start
    step = 1 if count > 0 else -1
    remaining = abs(count)
    day = start
    while remaining:
        day += datetime.timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Workdays in the half-open range (start, end]; negative when end is before start."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    count = 0
    day = lo
    while day < hi:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return sign * count


def known_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def import_package_years(*, years: list[int] | None = None) -> list[int]:
    """Load the years the `chinesecalendar` package covers into the table (idempotent)."""
    import chinese_calendar

    holiday_names = {d: str(n) for d, n in chinese_calendar.holidays.items()}
    workday_names = {d: str(n) for d, n in chinese_calendar.workdays.items()}
    covered = sorted({d.year for d in holiday_names})
    if years is not None:
        covered = [y for y in covered if y in years]
    with transaction.atomic():
        for year in covered:
            if CalendarYear.objects.filter(year=year, source=YearSource.ADMIN).exists():
                continue  # an administrator's entry for a year wins over the package
            cal_year, _ = CalendarYear.objects.update_or_create(
                year=year, defaults={"source": YearSource.PACKAGE, "notice": "chinesecalendar"}
            )
            SpecialDay.objects.filter(year=cal_year).delete()
            rows = [
                SpecialDay(date=d, kind=DayKind.HOLIDAY, name=_zh(n), year=cal_year)
                for d, n in holiday_names.items()
                if d.year == year and d.weekday() < 5
            ] + [
                SpecialDay(date=d, kind=DayKind.WORKDAY, name=_zh(n), year=cal_year)
                for d, n in workday_names.items()
                if d.year == year and d.weekday() >= 5
            ]
            SpecialDay.objects.bulk_create(rows)
    clear_cache()
    return covered


_ZH_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _zh(name: str) -> str:
    return _ZH_NAMES.get(name, name)
