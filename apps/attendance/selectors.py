"""Reads of the attendance area: the clock page, month grids, notices (aggregated in SQL), points."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core import clock, params
from apps.organization.models import Person, Unit

from .choices import STATUS_TONES, DayStatus, RequestKind, RequestStatus
from .models import AttendanceRequest, ClockRecord, DailyResult, PointEntry, YearPoints
from .scopes import notice_unit_ids, visible_people
from .services import ScheduleBook, next_clock_kind, unit_on

# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "week"
    value: str  # "2026-03" | "2026-W10"
    start: datetime.date
    end: datetime.date
    label: str
    previous: str
    following: str


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    prev_day = start - datetime.timedelta(days=1)
    next_day = end + datetime.timedelta(days=1)
    return Period(
        "month",
        f"{year:04d}-{month:02d}",
        start,
        end,
        f"{year}年{month}月",
        f"{prev_day:%Y-%m}",
        f"{next_day:%Y-%m}",
    )


def week_period(year: int, week: int) -> Period:
    start = datetime.date.fromisocalendar(year, week, 1)
    end = start + datetime.timedelta(days=6)
    prev = (start - datetime.timedelta(days=7)).isocalendar()
    nxt = (start + datetime.timedelta(days=7)).isocalendar()
    return Period(
        "week",
        f"{year:04d}-W{week:02d}",
        start,
        end,
        f"{year}年第{week}周（{start:%m月%d日}至{end:%m月%d日}）",
        f"{prev.year:04d}-W{prev.week:02d}",
        f"{nxt.year:04d}-W{nxt.week:02d}",
    )


# A notice opens on the previous month until this many workdays of the current one have passed:
# on 1 December "参加考勤 1 人, 正常率 —%" said nothing (issue 10).
NOTICE_MONTH_SETTLES_AFTER_WORKDAYS = 5


def default_notice_month(today: datetime.date) -> Period:
    from apps.workcalendar.services import workdays_between

    first = today.replace(day=1)
    # Workdays of this month before today (the half-open range (first - 1 day, today - 1 day]).
    passed = workdays_between(
        first - datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    )
    if passed >= NOTICE_MONTH_SETTLES_AFTER_WORKDAYS:
        return month_period(today.year, today.month)
    previous = first - datetime.timedelta(days=1)
    return month_period(previous.year, previous.month)


def parse_period(
    kind: str, value: str, today: datetime.date, *, settled: bool = False
) -> tuple[Period, str]:
    """The period of a notice from the query string, or this month/week with a message why.
    `settled`: with no month given, open on the last month with enough days to report on."""
    value = params.clean_text(value, 20)
    if kind == "week":
        default = today.isocalendar()
        if not value:
            return week_period(default.year, default.week), ""
        week = params.parse_week(value.upper())
        if week is None:
            return (
                week_period(default.year, default.week),
                f"周次“{value}”无法识别，请按 2026-W10 的格式填写。已显示本周。",
            )
        return week_period(*week), ""
    if not value:
        return (
            default_notice_month(today) if settled else month_period(today.year, today.month)
        ), ""
    month = params.parse_month(value)
    if month is None:
        return (
            month_period(today.year, today.month),
            f"月份“{value}”无法识别，请按 2026-03 的格式填写。已显示本月。",
        )
    return month_period(*month), ""


# ---------------------------------------------------------------------------------------------
# The clock page
# ---------------------------------------------------------------------------------------------


@dataclass
class TodayState:
    day: datetime.date
    clocks: list[ClockRecord]
    start: datetime.time
    end: datetime.time
    season: str
    schedule_name: str
    next_kind_label: str
    result: DailyResult | None


def today_state(person: Person, now: datetime.datetime | None = None) -> TodayState:
    local = timezone.localtime(now or clock.now())
    day = local.date()
    clocks = list(ClockRecord.objects.filter(person=person, day=day).order_by("at"))
    schedule = ScheduleBook.load().for_person(person.pk, unit_on(person.pk, day))
    start, end, season = schedule.hours_on(day)
    has_in = any(c.kind == "in" for c in clocks)
    kind = next_clock_kind(person_id=person.pk, day=day, local_time=local.time(), has_in=has_in)
    return TodayState(
        day=day,
        clocks=clocks,
        start=start,
        end=end,
        season=season,
        schedule_name=schedule.name,
        next_kind_label="下班打卡" if kind == "out" else "上班打卡",
        result=DailyResult.objects.filter(person=person, day=day).first(),
    )


# ---------------------------------------------------------------------------------------------
# Month view of one person
# ---------------------------------------------------------------------------------------------


@dataclass
class MonthCell:
    day: datetime.date
    in_month: bool
    is_today: bool
    result: DailyResult | None
    tone: str
    title: str


@dataclass
class MonthView:
    person: Person
    period: Period
    weeks: list[list[MonthCell]]
    counts: dict[str, Any] = field(default_factory=dict)
    results: list[DailyResult] = field(default_factory=list)


def month_view(person: Person, period: Period, today: datetime.date) -> MonthView:
    results = {
        r.day: r
        for r in DailyResult.objects.filter(person=person, day__range=(period.start, period.end))
    }
    first = period.start - datetime.timedelta(days=period.start.weekday())
    weeks: list[list[MonthCell]] = []
    day = first
    while day <= period.end:
        week = []
        for _ in range(7):
            result = results.get(day)
            week.append(
                MonthCell(
                    day=day,
                    in_month=period.start <= day <= period.end,
                    is_today=day == today,
                    result=result,
                    tone=STATUS_TONES.get(DayStatus(result.status), "secondary")
                    if result
                    else "light",
                    title="\n".join(result.reasons) if result else "",
                )
            )
            day += datetime.timedelta(days=1)
        weeks.append(week)
    ordered = [results[d] for d in sorted(results)]
    counts = {
        "workdays": sum(1 for r in ordered if r.is_workday),
        "normal": sum(1 for r in ordered if r.status == DayStatus.NORMAL),
        "late": sum(1 for r in ordered if r.is_late),
        "early": sum(1 for r in ordered if r.is_early),
        "missing": sum(r.missing_clocks for r in ordered),
        "absence": sum((r.absence_days for r in ordered), Decimal("0")),
        "leave": sum((r.leave_days for r in ordered), Decimal("0")),
        "away": sum((r.away_days for r in ordered), Decimal("0")),
    }
    return MonthView(person=person, period=period, weeks=weeks, counts=counts, results=ordered)


# ---------------------------------------------------------------------------------------------
# Notices (考勤通报): a constant number of queries, whatever the number of staff
# ---------------------------------------------------------------------------------------------

ZERO_DEC = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))

# The per-person table on screen shows a page of people at a time; the exports carry everyone.
NOTICE_PAGE_SIZE = 50


def _aggregates() -> dict[str, Any]:
    return {
        "workdays": Count("id", filter=Q(is_workday=True)),
        "normal": Count("id", filter=Q(status=DayStatus.NORMAL)),
        "late": Count("id", filter=Q(is_late=True)),
        "early": Count("id", filter=Q(is_early=True)),
        # A day without both clocks counts twice, as the person's month view counts it.
        "missing": Count("id", filter=Q(missing_in=True)) + Count("id", filter=Q(missing_out=True)),
        "absence": Coalesce(Sum("absence_days"), ZERO_DEC),
        "leave": Coalesce(Sum("leave_days"), ZERO_DEC),
        "away": Coalesce(Sum("away_days"), ZERO_DEC),
    }


def _unit_field(name: str) -> Subquery:
    return Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).order_by().values(name)[:1])


def _person_name() -> Subquery:
    return Subquery(Person.objects.filter(pk=OuterRef("person_id")).order_by().values("name")[:1])


# Rows are grouped by ids and their names looked up once per group. Joining the units and people
# before grouping would put their text columns into the GROUP BY of ≈150k rows (a sort that spills
# to disk at 5,000 staff); a subquery on the group's id adds nothing to the grouping. The orderings
# repeat the subqueries rather than name the annotations: ordering by an annotation's alias would
# make Django group by it, and PostgreSQL would then run the subquery for every one of the rows.
ROSTER_ORDER = (
    _unit_field("sort_order").asc(),
    F("unit_id").asc(),
    _person_name().asc(),
    F("person_id").asc(),
)


# What a notice is about: someone late, leaving early, missing a clock or absent in the period.
HAS_ISSUES = Q(late__gt=0) | Q(early__gt=0) | Q(missing__gt=0) | Q(absence__gt=0)


@dataclass
class Notice:
    """A notice's figures: the organ's (or one unit's) totals, per unit and per workday.

    The per-person rows are not held here: at 5,000 staff they are read on demand, a page at a
    time on screen and streamed into the exports (`notice_people`).
    """

    period: Period
    unit: Unit | None
    units: list[Unit]
    results: QuerySet[DailyResult]  # the period's results in the notice's scope
    by_unit: list[dict[str, Any]]
    daily: list[dict[str, Any]]
    totals: dict[str, Any]

    @property
    def title(self) -> str:
        scope = self.unit.name if self.unit else "机关"
        kind = "月度" if self.period.kind == "month" else "每周"
        return f"{scope}{kind}考勤通报（{self.period.label}）"

    def chart_data(self) -> dict[str, Any]:
        return {
            "units": [u["unit_short_name"] or "未分配" for u in self.by_unit],
            "late": [u["late"] for u in self.by_unit],
            "early": [u["early"] for u in self.by_unit],
            "missing": [u["missing"] for u in self.by_unit],
            "absence": [float(u["absence"]) for u in self.by_unit],
            "days": [f"{d['day']:%m-%d}" for d in self.daily],
            "daily_late": [d["late"] for d in self.daily],
            "daily_missing": [d["missing"] for d in self.daily],
            "daily_absent": [d["absent"] for d in self.daily],
        }


def notice_units(user: Any) -> list[Unit]:
    allowed = notice_unit_ids(user)
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    return list(units if allowed is None else units.filter(pk__in=allowed))


def _rate(normal: int, workdays: int) -> float | None:
    return round(100 * normal / workdays, 1) if workdays else None


def build_notice(period: Period, unit: Unit | None, units: list[Unit]) -> Notice:
    """Three grouped queries (units, days, totals) for any number of staff; see `notice_people`
    for the per-person rows."""
    results = DailyResult.objects.filter(day__range=(period.start, period.end))
    if unit is not None:
        results = results.filter(unit=unit)
    by_unit: list[dict[str, Any]] = [
        dict(row)
        for row in results.values("unit_id")
        .annotate(staff=Count("person", distinct=True), **_aggregates())
        .annotate(unit_name=_unit_field("name"), unit_short_name=_unit_field("short_name"))
        .order_by(_unit_field("sort_order").asc(), "unit_id")
    ]
    for row in by_unit:
        row["normal_rate"] = _rate(row["normal"], row["workdays"])
    daily: list[dict[str, Any]] = [
        dict(row)
        for row in results.filter(is_workday=True)
        .values("day")
        .annotate(
            late=Count("id", filter=Q(is_late=True)),
            missing=Count("id", filter=Q(missing_in=True) | Q(missing_out=True)),
            absent=Count("id", filter=Q(status=DayStatus.ABSENT)),
        )
        .order_by("day")
    ]
    # The sums could be added up from `by_unit`, but not the head count: a cadre rotated between
    # two units in the period is one person of the organ and one in each unit's row.
    totals = results.aggregate(staff=Count("person", distinct=True), **_aggregates())
    totals["normal_rate"] = _rate(totals["normal"], totals["workdays"])
    return Notice(
        period=period,
        unit=unit,
        units=units,
        results=results,
        by_unit=by_unit,
        daily=daily,
        totals=totals,
    )


def notice_people(
    notice: Notice, *, search: str = "", issues_only: bool = False, issues_first: bool = False
) -> QuerySet[Any, Mapping[str, Any]]:
    """One row of figures per person and unit (a cadre rotated in the period has a row in each
    unit), aggregated in one grouped query.

    `search` narrows to names containing it; `issues_only` keeps the people late, early, missing a
    clock or absent at least once (`HAS_ISSUES`). The order is the roster's (unit, then name), or
    with `issues_first` the people to report first, the most days absent and then the most
    lates, early leaves and missing clocks at the top.
    """
    rows = notice.results
    if search:
        rows = rows.filter(person__name__icontains=search)
    people: QuerySet[Any, Mapping[str, Any]] = (
        rows.values("person_id", "unit_id")
        .annotate(**_aggregates())
        .annotate(person_name=_person_name(), unit_short_name=_unit_field("short_name"))
    )
    if issues_only:
        people = people.filter(HAS_ISSUES)
    if issues_first:
        flagged = F("late") + F("early") + F("missing")
        return people.order_by(F("absence").desc(), flagged.desc(), *ROSTER_ORDER)
    return people.order_by(*ROSTER_ORDER)


# ---------------------------------------------------------------------------------------------
# Requests and points
# ---------------------------------------------------------------------------------------------


def requests_for(user: Any, *, mine: bool) -> QuerySet[AttendanceRequest]:
    from apps.accounts.permissions import restrict

    requests = restrict(AttendanceRequest.objects.all(), user, "view").select_related(
        "person", "approval"
    )
    if mine:
        requests = requests.filter(person_id=user.person_id)
    return requests.order_by("-created_at", "-id")


def pending_count(user: Any) -> int:
    return AttendanceRequest.objects.filter(
        person_id=user.person_id, status=RequestStatus.PENDING
    ).count()


def points_for(user: Any, year: int) -> QuerySet[YearPoints]:
    condition = visible_people(user)
    rows = YearPoints.objects.filter(year=year).select_related("person")
    if condition is not None:
        rows = rows.filter(condition).distinct()
    return rows.order_by("-total", "person__name")


def person_points(person: Person) -> list[YearPoints]:
    """A person's year-end attendance points, the latest year first (for the growth file)."""
    return list(YearPoints.objects.filter(person=person).order_by("-year"))


def approved_absences(
    day: datetime.date, person_ids: Iterable[int] | None = None
) -> dict[int, list[AttendanceRequest]]:
    """The approved leaves, trips and outings that cover `day`, per person: for other areas that
    excuse an absence on such a day (a study session, say). One query."""
    requests = AttendanceRequest.objects.filter(
        status=RequestStatus.APPROVED, start_date__lte=day, end_date__gte=day
    ).exclude(kind=RequestKind.CORRECTION)
    if person_ids is not None:
        requests = requests.filter(person_id__in=list(person_ids))
    covering: dict[int, list[AttendanceRequest]] = {}
    for request in requests.order_by("start_date", "id"):
        covering.setdefault(request.person_id, []).append(request)
    return covering


def point_entries(year_points: YearPoints) -> list[PointEntry]:
    return list(
        year_points.entries.prefetch_related("results").order_by("id")  # the linked results
    )
