"""Attendance's dashboard figures: who is away today and who has clocked in, by unit.

Counted over the people the user may see (scopes.visible_people): leaders and the office see the
whole organ, a unit head his unit. Each person counts in the unit he is posted to today.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from apps.organization.models import UnitMembership

from .choices import DayStatus, RequestKind, RequestStatus
from .models import AttendanceRequest, ClockRecord, DailyResult
from .scopes import visible_people


def _postings(user: Any, today: datetime.date) -> Any:
    """Today's postings of the people the user may see (UnitMembership has a `person`, so the
    attendance scope applies as it is)."""
    scope = visible_people(user)
    postings = UnitMembership.objects.on(today)
    return postings if scope is None else postings.filter(scope).distinct()


def away_q(today: datetime.date) -> Q:
    """请假、出差、公出: an approved request (not a clock correction) covers today."""
    covering = AttendanceRequest.objects.filter(
        status=RequestStatus.APPROVED, start_date__lte=today, end_date__gte=today
    ).exclude(kind=RequestKind.CORRECTION)
    return Q(person_id__in=covering.values("person_id"))


def clocked_q(today: datetime.date) -> Q:
    return Q(person_id__in=ClockRecord.objects.filter(day=today).values("person_id"))


def _per_unit(user: Any, today: datetime.date, condition: Q) -> dict[int, int]:
    rows = (
        _postings(user, today)
        .filter(condition)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def _count(user: Any, today: datetime.date, condition: Q) -> int:
    return (
        _postings(user, today).filter(condition).values("person_id").distinct().order_by().count()
    )


def register_dashboard_figures() -> None:
    from apps.core.figures import Figure, register_figure

    def away_count(user: Any, today: datetime.date) -> int:
        return _count(user, today, away_q(today))

    def away_per_unit(user: Any, today: datetime.date) -> dict[int, int]:
        return _per_unit(user, today, away_q(today))

    def clocked_count(user: Any, today: datetime.date) -> int:
        return _count(user, today, clocked_q(today))

    def clocked_per_unit(user: Any, today: datetime.date) -> dict[int, int]:
        return _per_unit(user, today, clocked_q(today))

    def notice_url(user: Any, unit_id: int | None) -> str:
        url = reverse("attendance:notice")
        return f"{url}?unit={unit_id}" if unit_id else url

    def requests_url(user: Any, unit_id: int | None) -> str:
        return reverse("attendance:request_list")

    register_figure(
        Figure(
            key="attendance.away",
            label="今日请假出差",
            area="考勤",
            count=away_count,
            url=requests_url,
            per_unit=away_per_unit,
            measure="人",
            tone="info",
            note="今天有已批准的请假、出差或公出的人数",
            gate="attendance.notice",
            order=40,
        )
    )
    register_figure(
        Figure(
            key="attendance.clocked",
            label="今日已打卡",
            area="考勤",
            count=clocked_count,
            url=notice_url,
            per_unit=clocked_per_unit,
            measure="人",
            tone="success",
            note="今天至少打卡一次的人数",
            gate="attendance.notice",
            order=41,
        )
    )


# ---------------------------------------------------------------------------------------------
# 各单位考勤 on the leaders' dashboard: this month to date and today, by unit
# ---------------------------------------------------------------------------------------------

BOARD_COLUMNS = ("应出勤", "正常", "迟到", "早退", "缺卡", "请假", "出差", "正常率")


def _empty() -> dict[str, Any]:
    return {"workdays": 0, "normal": 0, "late": 0, "early": 0, "missing": 0, "leave": 0, "away": 0}


def today_by_unit(
    unit_ids: set[int] | None, now: datetime.datetime | None = None
) -> dict[int, dict[str, Any]]:
    """Today's figures per unit, judged in memory (today's results are written only at night).

    Before a person's expected start nobody is short of a clock; after it, no clock-in yet counts
    as 缺卡. A fixed number of queries whatever the number of staff.
    """
    from django.utils import timezone

    from apps.core import clock

    from .services import judge_range

    now = now or clock.now()
    local = timezone.localtime(now)
    today = local.date()
    table: dict[int, dict[str, Any]] = {}
    for result in judge_range(start=today, end=today, now=now):
        if result.unit_id is None or (unit_ids is not None and result.unit_id not in unit_ids):
            continue
        row = table.setdefault(result.unit_id, _empty())
        if not result.is_workday:
            continue
        row["workdays"] += 1
        row["late"] += int(result.is_late)
        row["early"] += int(result.is_early)
        row["leave"] += result.leave_days
        row["away"] += result.away_days
        not_yet_in = (
            result.first_in is None
            and result.expected_start is not None
            and local.time() > result.expected_start
        )
        row["missing"] += int(result.missing_in) + int(result.missing_out) + int(not_yet_in)
        started_well = result.first_in is not None and not result.is_late
        if result.status == DayStatus.NORMAL or (
            result.status == DayStatus.IN_PROGRESS and started_well
        ):
            row["normal"] += 1
    return table


def month_by_unit(
    unit_ids: set[int] | None, start: datetime.date, before: datetime.date
) -> dict[int, dict[str, Any]]:
    """The judged results from `start` to the day before `before`, per unit, in one query."""
    from .selectors import _aggregates

    results = DailyResult.objects.filter(day__gte=start, day__lt=before)
    if unit_ids is not None:
        results = results.filter(unit_id__in=unit_ids)
    rows = results.values("unit_id").annotate(**_aggregates()).order_by()
    return {row["unit_id"]: dict(row) for row in rows if row["unit_id"] is not None}


def _cells(row: dict[str, Any], url: str, away_url: str) -> list[Any]:
    from apps.core.figures import TableCell
    from apps.core.quantities import number

    def cell(value: Any, tone: str = "", link: str = url) -> TableCell:
        return TableCell(number(value), link if value else "", tone if value else "")

    rate = f"{100 * row['normal'] / row['workdays']:.1f}%" if row["workdays"] else "—"
    return [
        cell(row["workdays"]),
        cell(row["normal"]),
        cell(row["late"], "warning"),
        cell(row["early"], "warning"),
        cell(row["missing"], "danger"),
        cell(row["leave"], link=away_url),
        cell(row["away"], link=away_url),
        TableCell(rate, url if row["workdays"] else ""),
    ]


def attendance_board(user: Any, today: datetime.date) -> Any:
    """各单位考勤: per organ unit, this month to date and today (leaders are outside attendance:
    they hold no posting, so no row counts them)."""
    from apps.core.figures import TableData
    from apps.organization.models import Unit

    from .scopes import notice_unit_ids

    allowed = notice_unit_ids(user)
    unit_ids = None if allowed is None else set(allowed)
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    first = today.replace(day=1)
    month = month_by_unit(unit_ids, first, today)
    now_rows = today_by_unit(unit_ids)
    notice = reverse("attendance:notice")
    away_url = reverse("attendance:request_list")
    rows = []
    for unit in units:
        so_far = dict(month.get(unit.pk, _empty()))
        current = now_rows.get(unit.pk, _empty())
        for key in _empty():
            so_far[key] = so_far.get(key, 0) + current[key]
        url = f"{notice}?unit={unit.pk}&month={today:%Y-%m}"
        rows.append(
            (unit.short_name, _cells(so_far, url, away_url) + _cells(current, url, away_url))
        )
    return TableData(
        columns=list(BOARD_COLUMNS) * 2,
        rows=rows,
        groups=[(f"本月至今（{first.month}月1日—{today.day}日，人次）", 8), ("今日（人）", 8)],
        note=(
            "应出勤、正常、迟到、早退、缺卡按人次计，请假、出差按天计；常委会领导不参加考勤。"
            "今日数字为实时判定：应到时间已过仍未上班打卡的计入缺卡。点击数字查看该单位考勤通报。"
        ),
        more_url=f"{notice}?month={today:%Y-%m}",
    )


def register_board_table() -> None:
    from apps.core.figures import BoardTable, register_table

    register_table(
        BoardTable(
            key="attendance.by_unit",
            title="各单位考勤（本月至今、今日）",
            build=attendance_board,
            gate="attendance.notice",
            order=20,
        )
    )
