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

from .choices import RequestKind, RequestStatus
from .models import AttendanceRequest, ClockRecord
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
