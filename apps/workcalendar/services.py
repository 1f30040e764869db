"""The one working-day service every deadline in the product uses."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, params

from .models import CalendarYear, DayKind, SpecialDay, YearSource
from .registry import ArrangementChange, notify_arrangement_changed
from .statutory import statutory_holidays


@dataclass(frozen=True)
class YearData:
    """One year's departures from the Monday–Friday rule, by date and name."""

    holidays: dict[datetime.date, str]
    workdays: dict[datetime.date, str]
    # True for a year computed from the statutory holidays alone (预估): the State Council has not
    # published its arrangement, or nobody has entered it yet. Make-up workdays are unknown then.
    provisional: bool = False


def provisional_year(year: int) -> YearData:
    """The year as the law alone makes it: statutory holidays rest, weekends rest, no 调休."""
    return YearData(holidays=statutory_holidays(year), workdays={}, provisional=True)


PROVISIONAL_NOTE = (
    "{year}年的节假日安排尚未公布（或尚未录入），按《全国年节及纪念日放假办法》规定的法定节假日"
    "预估，未计调休；公布后系统将自动重新计算。"
)


def provisional_note(years: Iterable[int]) -> str:
    """The sentence shown next to a 预估 date: why it may still move."""
    names = "、".join(f"{year}" for year in sorted(set(years)))
    return PROVISIONAL_NOTE.format(year=names)


# Per-process cache of years; a change in this process clears it, other processes re-read
# within CACHE_SECONDS.
_CACHE: dict[int, tuple[float, YearData]] = {}
_LOCK = threading.Lock()
CACHE_SECONDS = 300.0

# The provisional years that calendar calls inside `provisional_watch()` blocks have used; a
# tuple, one set per open block, so that nested blocks each learn what happened inside them.
_WATCHES: contextvars.ContextVar[tuple[set[int], ...]] = contextvars.ContextVar(
    "provisional_watches", default=()
)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


@dataclass
class ProvisionalUse:
    """What a `provisional_watch()` block learnt: the provisional years its calendar calls used."""

    years: set[int] = field(default_factory=set)

    @property
    def used(self) -> bool:
        return bool(self.years)

    @property
    def note(self) -> str:
        return provisional_note(self.years) if self.years else ""


@contextlib.contextmanager
def provisional_watch() -> Iterator[ProvisionalUse]:
    """Collect the provisional years that `is_workday`, `day_name`, `add_workdays`,
    `workdays_between` (and everything built on them) use inside the block, so that the caller
    can flag what it computed:

        with provisional_watch() as use:
            deadline = add_workdays(assigned, 30)
        item.deadline_provisional = use.used
    """
    use = ProvisionalUse()
    token = _WATCHES.set((*_WATCHES.get(), use.years))
    try:
        yield use
    finally:
        _WATCHES.reset(token)


def flagged[T](compute: Callable[[], T]) -> tuple[T, bool]:
    """Run `compute` and say whether any calendar call inside it used a provisional year."""
    with provisional_watch() as use:
        value = compute()
    return value, use.used


def _load(year: int) -> YearData:
    if not CalendarYear.objects.filter(year=year).exists():
        return provisional_year(year)
    holidays: dict[datetime.date, str] = {}
    workdays: dict[datetime.date, str] = {}
    for day, kind, name in SpecialDay.objects.filter(year_id=year).values_list(
        "date", "kind", "name"
    ):
        (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
    return YearData(holidays, workdays)


def year_data(year: int) -> YearData:
    """The year's days: as announced when known, else provisional (never refused)."""
    now = time.monotonic()
    cached = _CACHE.get(year)
    if cached is None or now - cached[0] > CACHE_SECONDS:
        data = _load(year)
        with _LOCK:
            _CACHE[year] = (now, data)
        cached = (now, data)
    data = cached[1]
    if data.provisional:
        for years in _WATCHES.get():
            years.add(year)
    return data


def is_provisional(year: int) -> bool:
    """True when `year` has no announced arrangement and is computed from the law alone."""
    now = time.monotonic()
    cached = _CACHE.get(year)
    if cached is not None and now - cached[0] <= CACHE_SECONDS:
        return cached[1].provisional
    return not CalendarYear.objects.filter(year=year).exists()


def is_workday(day: datetime.date) -> bool:
    data = year_data(day.year)
    if day in data.holidays:
        return False
    if day in data.workdays:
        return True
    return day.weekday() < 5


def day_name(day: datetime.date) -> str:
    """The holiday or adjusted-workday name of the day, or ""."""
    data = year_data(day.year)
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


# The organ's office day for "how long did it take" figures (not attendance: that has its schedules).
OFFICE_DAY = (datetime.time(8, 30), datetime.time(17, 30))


@dataclass(frozen=True)
class WorkingTime:
    """Working time between two moments: whole workdays passed and office hours inside them."""

    days: int
    hours: float


def working_time(start: datetime.datetime, end: datetime.datetime) -> WorkingTime:
    """Workdays in (start's day, end's day] and the office hours (08:30–17:30 of workdays) spent
    between the two moments, in local time; zero when `end` is not after `start`."""
    from django.utils import timezone

    if end <= start:
        return WorkingTime(0, 0.0)
    start, end = timezone.localtime(start), timezone.localtime(end)
    seconds = 0.0
    day = start.date()
    while day <= end.date():
        if is_workday(day):
            opens = datetime.datetime.combine(day, OFFICE_DAY[0], tzinfo=start.tzinfo)
            closes = datetime.datetime.combine(day, OFFICE_DAY[1], tzinfo=start.tzinfo)
            overlap = min(end, closes) - max(start, opens)
            seconds += max(overlap.total_seconds(), 0.0)
        day += datetime.timedelta(days=1)
    return WorkingTime(workdays_between(start.date(), end.date()), round(seconds / 3600, 1))


def known_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def import_package_years(*, years: list[int] | None = None) -> list[int]:
    """Load the years the `chinesecalendar` package covers into the table (idempotent: a year
    whose stored days already match the package is left alone, so running it daily writes
    nothing until a package upgrade brings a new or corrected year). Returns the years covered."""
    import chinese_calendar

    covered = sorted({d.year for d in chinese_calendar.holidays})
    if years is not None:
        covered = [y for y in covered if y in years]
    entered = set(
        CalendarYear.objects.filter(year__in=covered, source=YearSource.ADMIN).values_list(
            "year", flat=True
        )
    )
    stored: dict[int, set[tuple[datetime.date, str, str]]] = {}
    for day, kind, name, year in SpecialDay.objects.filter(year_id__in=covered).values_list(
        "date", "kind", "name", "year_id"
    ):
        stored.setdefault(year, set()).add((day, kind, name))
    known = set(CalendarYear.objects.filter(year__in=covered).values_list("year", flat=True))
    before: dict[int, YearData] = {}
    with transaction.atomic():
        for year in covered:
            if year in entered:
                continue  # an administrator's entry for a year wins over the package
            wanted = {
                (d, DayKind.HOLIDAY.value, _zh(str(n)))
                for d, n in chinese_calendar.holidays.items()
                if d.year == year and d.weekday() < 5
            } | {
                (d, DayKind.WORKDAY.value, _zh(str(n)))
                for d, n in chinese_calendar.workdays.items()
                if d.year == year and d.weekday() >= 5
            }
            if year in known and stored.get(year, set()) == wanted:
                continue
            before[year] = _load(year)
            cal_year, _ = CalendarYear.objects.update_or_create(
                year=year, defaults={"source": YearSource.PACKAGE, "notice": "chinesecalendar"}
            )
            SpecialDay.objects.filter(year=cal_year).delete()
            SpecialDay.objects.bulk_create(
                SpecialDay(date=d, kind=kind, name=name, year=cal_year)
                for d, kind, name in sorted(wanted)
            )
            # bulk_create bypasses the per-row audit signals: record the import once per year.
            record_event(
                action=AuditAction.UPDATE,
                obj=cal_year,
                detail={"导入": "chinesecalendar", "特殊日期": len(wanted)},
            )
        try:
            _announce(before, actor=None)
        finally:
            clear_cache()
    return covered


def changed_days(old: YearData, new: YearData) -> set[datetime.date]:
    """The days whose kind (workday or rest) or name differs between two versions of a year."""
    days = set(old.holidays) | set(old.workdays) | set(new.holidays) | set(new.workdays)

    def kind(data: YearData, day: datetime.date) -> tuple[bool, str]:
        workday = day not in data.holidays and (day in data.workdays or day.weekday() < 5)
        return workday, data.holidays.get(day) or data.workdays.get(day) or ""

    return {day for day in days if kind(old, day) != kind(new, day)}


def _announce(before: dict[int, YearData], *, actor: Any) -> dict[str, int]:
    """Tell every registered area which years' days changed, inside the caller's transaction, so
    that each computes again the dates it derived from them. `before` holds each year as it was
    (provisional or announced). Nothing is said for a year that came back unchanged."""
    clear_cache()
    years: list[int] = []
    days: set[datetime.date] = set()
    announced: list[int] = []
    for year, old in sorted(before.items()):
        new = _load(year)
        moved = changed_days(old, new)
        if old.provisional:
            announced.append(year)
        elif not moved:
            continue
        years.append(year)
        days |= moved
    if not years:
        return {}
    names = "、".join(f"{year}年" for year in years)
    verb = "公布" if announced == years else "更正"
    return notify_arrangement_changed(
        ArrangementChange(
            years=tuple(years),
            actor=actor,
            reason=f"因{names}节假日安排{verb}",
            days=frozenset(days),
        )
    )


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
LATEST_SHOWN_YEAR = 2100  # the furthest year the calendar pages draw (provisionally)
NAME_MAX_LENGTH = 32
NOTICE_MAX_LENGTH = 200
RANGE_MAX_DAYS = 31

DayList = list[tuple[datetime.date, str]]


def latest_enterable_year(today: datetime.date | None = None) -> int:
    """Next year at most: its arrangement is published around November of this year."""
    return (today or clock.today()).year + 1


def describe_day(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}（{WEEKDAY_NAMES[day.weekday()]}）"


def _day_problem(
    day: datetime.date, kind: str, year: int, neighbours: frozenset[int] = frozenset()
) -> str | None:
    """What is impossible about listing `day` as `kind` in `year`'s arrangement, or None.
    `neighbours` are the adjacent years (already entered) that may receive bridging days."""
    if day.year != year and day.year not in neighbours:
        return f"{describe_day(day)}不在{year}年内。"
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return (
            f"{describe_day(day)}本来就是工作日，不能列为调休上班日（调休上班日应为周六或周日）。"
        )
    return None


def _check_days(
    year: int, holidays: DayList, workdays: DayList, neighbours: frozenset[int] = frozenset()
) -> list[str]:
    errors: list[str] = []
    seen: dict[datetime.date, str] = {}
    for kind, days in ((DayKind.HOLIDAY, holidays), (DayKind.WORKDAY, workdays)):
        for day, name in days:
            problem = _day_problem(day, kind, year, neighbours)
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


def entered_neighbours(year: int) -> frozenset[int]:
    """The adjacent years already entered, which a notice's bridging days may reach into (the
    notice for 2012 moved a workday to 31 December 2011)."""
    return frozenset(
        CalendarYear.objects.filter(year__in=[year - 1, year + 1]).values_list("year", flat=True)
    )


def arrangement_problems(
    *,
    year: int,
    notice: str,
    holidays: DayList,
    workdays: DayList,
    neighbours: frozenset[int] = frozenset(),
) -> dict[str, list[str]]:
    """Every reason the arrangement cannot be saved, by form field (empty: it can)."""
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
        problems = _check_days(year, holidays, workdays, neighbours)
        if problems:
            errors["days"] = problems
    return errors


def arrangement_data(holidays: DayList, workdays: DayList) -> YearData:
    """The days as the calendar will read them once saved (weekend holidays kept for display)."""
    return YearData(
        holidays={day: name for day, name in holidays},
        workdays={day: name for day, name in workdays},
    )


@dataclass(frozen=True)
class DayChange:
    """One day that saving an arrangement changes, as people read it."""

    date: datetime.date
    before: str
    after: str


def _describe_kind(data: YearData, day: datetime.date) -> str:
    if day in data.holidays:
        return f"{data.holidays[day]}放假" if day.weekday() < 5 else f"{data.holidays[day]}（周末）"
    if day in data.workdays:
        return f"{data.workdays[day]}调休上班"
    return "周末休息" if day.weekday() >= 5 else "工作日"


def arrangement_difference(year: int, holidays: DayList, workdays: DayList) -> list[DayChange]:
    """What saving would change, day by day, against the year as it stands now (provisional or
    entered); weekend days that only gain a festival's name are left out."""
    new = arrangement_data(holidays, workdays)
    old = year_data(year)
    return [
        DayChange(day, _describe_kind(old, day), _describe_kind(new, day))
        for day in sorted(changed_days(old, new))
        if day.year == year and is_workday_in(old, day) != is_workday_in(new, day)
    ]


def is_workday_in(data: YearData, day: datetime.date) -> bool:
    if day in data.holidays:
        return False
    return day in data.workdays or day.weekday() < 5


def calendar_year_enter(
    *,
    actor: Any,
    year: int,
    notice: str,
    holidays: DayList,
    workdays: DayList,
    reach_neighbours: bool = False,
) -> CalendarYear:
    """Enter (or correct) one year's holidays and adjusted workdays from the State Council notice.

    Holidays that fall on a weekend are rest days anyway and are not stored (a SpecialDay is only a
    departure from the Monday–Friday rule). Only the dates that differ from what is stored change,
    so the audit trail shows exactly what the administrator corrected. The year's source becomes
    "admin", which the package import never overwrites. With `reach_neighbours`, a bridging day in
    an adjacent year that is already entered is added to that year. Every area that computed dates
    from the year hears of the change in the same transaction (`registry.py`).
    """
    neighbours = entered_neighbours(year) if reach_neighbours else frozenset()
    errors = arrangement_problems(
        year=year, notice=notice, holidays=holidays, workdays=workdays, neighbours=neighbours
    )
    if errors:
        raise ValidationError(errors)
    notice = notice.strip()
    wanted: dict[datetime.date, tuple[str, str]] = {
        day: (DayKind.HOLIDAY, name.strip()) for day, name in holidays if day.weekday() < 5
    }
    wanted.update({day: (DayKind.WORKDAY, name.strip()) for day, name in workdays})
    own = {day: value for day, value in wanted.items() if day.year == year}
    bridging = {day: value for day, value in wanted.items() if day.year != year}
    before = {y: _load(y) for y in {year, *(day.year for day in bridging)}}
    with transaction.atomic():
        cal_year, _ = CalendarYear.objects.update_or_create(
            year=year,
            defaults={"source": YearSource.ADMIN, "notice": notice, "confirmed_by": actor},
        )
        stored = {row.date: row for row in SpecialDay.objects.filter(year=cal_year)}
        for day, old in stored.items():
            if day not in own:
                old.delete()
        for day, (kind, name) in sorted(own.items()):
            existing = stored.get(day)
            if existing is None:
                SpecialDay.objects.create(date=day, kind=kind, name=name, year=cal_year)
            elif (existing.kind, existing.name) != (kind, name):
                existing.kind, existing.name = kind, name
                existing.save(update_fields=["kind", "name"])
        for day, (kind, name) in sorted(bridging.items()):
            row = SpecialDay.objects.filter(date=day).first()
            if row is None:
                SpecialDay.objects.create(date=day, kind=kind, name=name, year_id=day.year)
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name"])
        try:
            _announce(before, actor=actor)
        finally:
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


YEARS = f"{params.MIN_YEAR}至{params.MAX_YEAR}年"


def _read_date(text: str, default_year: int | None = None) -> datetime.date:
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if len(numbers) == 2 and default_year is not None:
        numbers = [default_year, *numbers]
    year, month, day = numbers
    if not params.MIN_YEAR <= year <= params.MAX_YEAR:  # 9999-12-31 has no next day to count to
        raise ValueError(year)
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
            errors.append(f"{prefix}日期“{match['start'].strip()}”不存在或超出{YEARS}。")
            continue
        end = start
        if match["end"]:
            try:
                end = _read_date(match["end"], default_year=start.year)
            except ValueError:
                errors.append(f"{prefix}日期“{match['end'].strip()}”不存在或超出{YEARS}。")
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
