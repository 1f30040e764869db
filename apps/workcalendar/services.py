"""The one working-day service every deadline in the product uses."""

from __future__ import annotations

import datetime
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock

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


# Per-process cache of years; a change in this process clears it, other processes re-read
# within CACHE_SECONDS.
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
            for day, kind, name in SpecialDay.objects.filter(year_id=year).values_list(
                "date", "kind", "name"
            ):
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
    """The date `count` workdays after `start` (start not counted); `count` may be negative."""
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
            # bulk_create bypasses the per-row audit signals: record the import once per year.
            record_event(
                action=AuditAction.UPDATE,
                obj=cal_year,
                detail={"导入": "chinesecalendar", "特殊日期": len(rows)},
            )
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


# ---------------------------------------------------------------------------------------------
# Entering a year by hand (国务院办公厅关于某年部分节假日安排的通知)
# ---------------------------------------------------------------------------------------------

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
EARLIEST_YEAR = 2000
NAME_MAX_LENGTH = 32
NOTICE_MAX_LENGTH = 200
RANGE_MAX_DAYS = 31

DayList = list[tuple[datetime.date, str]]


def latest_enterable_year(today: datetime.date | None = None) -> int:
    """Next year at most: its arrangement is published around November of this year."""
    return (today or clock.today()).year + 1


def describe_day(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}（{WEEKDAY_NAMES[day.weekday()]}）"


def _day_problem(day: datetime.date, kind: str, year: int) -> str | None:
    """What is impossible about listing `day` as `kind` in `year`'s arrangement, or None."""
    if day.year != year:
        return f"{describe_day(day)}不在{year}年内。"
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return (
            f"{describe_day(day)}本来就是工作日，不能列为调休上班日（调休上班日应为周六或周日）。"
        )
    return None


def _check_days(year: int, holidays: DayList, workdays: DayList) -> list[str]:
    errors: list[str] = []
    seen: dict[datetime.date, str] = {}
    for kind, days in ((DayKind.HOLIDAY, holidays), (DayKind.WORKDAY, workdays)):
        for day, name in days:
            problem = _day_problem(day, kind, year)
            if problem:
                errors.append(problem)
            if len(name) > NAME_MAX_LENGTH:
                errors.append(f"{describe_day(day)}的名称超过{NAME_MAX_LENGTH}个字。")
            if day in seen:
                if seen[day] == kind:
                    errors.append(f"{describe_day(day)}重复填写。")
                else:
                    errors.append(f"{describe_day(day)}不能既是法定节假日又是调休上班日。")
            seen[day] = kind
    return errors


def calendar_year_enter(
    *, actor: Any, year: int, notice: str, holidays: DayList, workdays: DayList
) -> CalendarYear:
    """Enter (or correct) one year's holidays and adjusted workdays from the State Council notice.

    Holidays that fall on a weekend are rest days anyway and are not stored (a SpecialDay is only a
    departure from the Monday–Friday rule). Only the dates that differ from what is stored change,
    so the audit trail shows exactly what the administrator corrected. The year's source becomes
    "admin", which the package import never overwrites.
    """
    notice = notice.strip()
    errors: dict[str, list[str]] = {}
    latest = latest_enterable_year()
    if not EARLIEST_YEAR <= year <= latest:
        errors["year"] = [f"只能录入{EARLIEST_YEAR}年至{latest}年的节假日安排。"]
    if not notice:
        errors["notice"] = ["请填写依据文件，例如国务院办公厅关于该年部分节假日安排的通知文号。"]
    elif len(notice) > NOTICE_MAX_LENGTH:
        errors["notice"] = [f"依据文件不能超过{NOTICE_MAX_LENGTH}个字。"]
    if not holidays:
        errors["days"] = ["请至少填写一个法定节假日。"]
    elif "year" not in errors:
        problems = _check_days(year, holidays, workdays)
        if problems:
            errors["days"] = problems
    if errors:
        raise ValidationError(errors)

    wanted: dict[datetime.date, tuple[str, str]] = {
        day: (DayKind.HOLIDAY, name.strip()) for day, name in holidays if day.weekday() < 5
    }
    wanted.update({day: (DayKind.WORKDAY, name.strip()) for day, name in workdays})
    with transaction.atomic():
        cal_year, _ = CalendarYear.objects.update_or_create(
            year=year,
            defaults={"source": YearSource.ADMIN, "notice": notice, "confirmed_by": actor},
        )
        stored = {row.date: row for row in SpecialDay.objects.filter(year=cal_year)}
        for day, old in stored.items():
            if day not in wanted:
                old.delete()
        for day, (kind, name) in sorted(wanted.items()):
            existing = stored.get(day)
            if existing is None:
                SpecialDay.objects.create(date=day, kind=kind, name=name, year=cal_year)
            elif (existing.kind, existing.name) != (kind, name):
                existing.kind, existing.name = kind, name
                existing.save(update_fields=["kind", "name"])
    clear_cache()
    return cal_year


@dataclass
class ParsedDays:
    """The dates read from the text an administrator typed or pasted."""

    holidays: DayList = field(default_factory=list)
    workdays: DayList = field(default_factory=list)


_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)\s*日?"
_SHORT_DATE = r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)\s*日?"
_LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:\s*(?:~|～|至|到|—|–)\s*(?P<end>{_SHORT_DATE}))?(?P<rest>.*)$"
)
_NUMBERS = re.compile(r"\d+")
_LEADING_TOKEN = re.compile(r"^\S+")
_WORKDAY_WORDS = ("调休上班", "上班", "补班")
_HOLIDAY_WORDS = ("放假调休", "放假", "休息", "休假")


def _read_date(text: str, default_year: int | None = None) -> datetime.date:
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if len(numbers) == 2 and default_year is not None:
        numbers = [default_year, *numbers]
    year, month, day = numbers
    return datetime.date(year, month, day)


def _split_kind(rest: str) -> tuple[str, str]:
    """("name", kind) from the text after the date: a trailing 上班/补班 marks an adjusted workday."""
    text = rest.strip().strip(",，、;；:：").strip()
    for word in _WORKDAY_WORDS:
        if text.endswith(word):
            return text.removesuffix(word).strip(" ,，、;；:：（()）"), DayKind.WORKDAY
    for word in _HOLIDAY_WORDS:
        if text.endswith(word):
            return text.removesuffix(word).strip(" ,，、;；:：（()）"), DayKind.HOLIDAY
    return text, DayKind.HOLIDAY


def parse_day_lines(text: str, *, year: int | None = None) -> ParsedDays:
    """Read one date (or a range) per line, then the holiday's name, ending with 上班 for an
    adjusted workday:

        2027-01-01 元旦
        2027-02-06 至 2027-02-12 春节
        2027-02-14 春节 调休上班

    Blank lines and lines starting with # are skipped. With `year`, dates are also checked against
    that year. Every bad line is reported with its number (ValidationError with one message per
    problem); nothing is returned unless every line is good.
    """
    parsed = ParsedDays()
    errors: list[str] = []
    seen: dict[datetime.date, tuple[int, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        prefix = f"第{number}行："
        match = _LINE.match(line)
        if match is None:
            token = _LEADING_TOKEN.match(line)
            shown = token.group(0)[:20] if token else line[:20]
            errors.append(
                f"{prefix}无法识别日期“{shown}”，请按“2027-01-01 元旦”或"
                "“2027-02-14 春节 调休上班”的格式填写。"
            )
            continue
        try:
            start = _read_date(match["start"])
        except ValueError:
            errors.append(f"{prefix}日期“{match['start'].strip()}”不存在。")
            continue
        end = start
        if match["end"]:
            try:
                end = _read_date(match["end"], default_year=start.year)
            except ValueError:
                errors.append(f"{prefix}日期“{match['end'].strip()}”不存在。")
                continue
            if end < start:
                errors.append(f"{prefix}结束日期早于开始日期。")
                continue
            if (end - start).days >= RANGE_MAX_DAYS:
                errors.append(f"{prefix}日期区间超过{RANGE_MAX_DAYS}天，请核对。")
                continue
        name, kind = _split_kind(match["rest"])
        if len(name) > NAME_MAX_LENGTH:
            errors.append(f"{prefix}名称超过{NAME_MAX_LENGTH}个字。")
            continue
        day = start
        while day <= end:
            problem = _day_problem(day, kind, year) if year is not None else None
            if problem is None and kind == DayKind.WORKDAY and day.weekday() < 5:
                problem = _day_problem(day, kind, day.year)
            if problem:
                errors.append(prefix + problem)
            elif day in seen:
                other_line, other_kind = seen[day]
                if other_kind == kind:
                    errors.append(f"{prefix}{describe_day(day)}与第{other_line}行重复。")
                else:
                    errors.append(
                        f"{prefix}{describe_day(day)}已在第{other_line}行列为"
                        f"{'法定节假日' if other_kind == DayKind.HOLIDAY else '调休上班日'}，"
                        "同一天不能既放假又上班。"
                    )
            else:
                seen[day] = (number, kind)
                target = parsed.holidays if kind == DayKind.HOLIDAY else parsed.workdays
                target.append((day, name))
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return parsed


def format_day_lines(cal_year: CalendarYear) -> str:
    """The stored arrangement of a year as text `parse_day_lines` reads back (for editing)."""
    lines: list[str] = []
    run: list[SpecialDay] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        when = f"{first.date:%Y-%m-%d}"
        if last.date != first.date:
            when += f" 至 {last.date:%Y-%m-%d}"
        suffix = " 调休上班" if first.kind == DayKind.WORKDAY else ""
        lines.append(f"{when} {first.name}{suffix}".rstrip())
        run.clear()

    for row in cal_year.days.order_by("date"):
        previous = run[-1] if run else None
        if (
            previous is not None
            and row.kind == previous.kind == DayKind.HOLIDAY
            and row.name == previous.name
            and row.date - previous.date == datetime.timedelta(days=1)
        ):
            run.append(row)
            continue
        flush()
        run.append(row)
    flush()
    return "\n".join(lines)
