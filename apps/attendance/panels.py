"""The attendance box on the home page: today's clocks and the user's requests under approval."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.permissions import current_unit_ids
from apps.core import clock
from apps.core.navigation import HomePanel
from apps.organization.models import Person, UnitMembership

from .choices import RequestStatus
from .models import AttendanceRequest, ClockRecord
from .selectors import approved_absences


def attendance_panel(user: Any) -> HomePanel | None:
    if not getattr(user, "person_id", None) or user.is_admin_role:
        return None
    today = clock.today()
    home = reverse("attendance:home")
    covering = approved_absences(today, [user.person_id]).get(user.person_id, [])
    clocks = list(ClockRecord.objects.filter(person_id=user.person_id, day=today).order_by("at"))
    items: list[dict[str, Any]]
    if user.role == Role.LEADER:
        # The Standing Committee's leaders are outside attendance: no clock line for them.
        items = []
    elif covering:
        request = covering[0]
        items = [
            {
                "label": f"今日{request.label}（已批准）",
                "url": reverse("attendance:request_detail", args=[request.pk]),
                "meta": request.period_label,
                "tone": "info",
            }
        ]
    elif clocks:
        times = "、".join(f"{timezone.localtime(c.at):%H:%M}" for c in clocks)
        items = [
            {"label": f"今日已打卡：{times}", "url": home, "meta": "考勤打卡", "tone": "success"}
        ]
    else:
        items = [{"label": "今日尚未打卡", "url": home, "meta": "点此打卡", "tone": "warning"}]
    pending = AttendanceRequest.objects.filter(
        person_id=user.person_id, status=RequestStatus.PENDING
    ).order_by("-created_at")[:5]
    for request in pending:
        items.append(
            {
                "label": f"{request.label} {request.period_label}",
                "url": reverse("attendance:request_detail", args=[request.pk]),
                "meta": "审批中",
                "tone": "info",
            }
        )
    if not items:
        return None
    return HomePanel(title="考勤", items=items, more_url=reverse("attendance:my_month"), order=20)


def away_today_panel(user: Any) -> HomePanel | None:
    """The unit head's box of who in the unit is away today (请假、出差、公出), and why."""
    if getattr(user, "role", None) != Role.UNIT_HEAD or not user.person_id:
        return None
    today = clock.today()
    unit_ids = current_unit_ids(user, today)
    people = list(
        UnitMembership.objects.on(today)
        .filter(unit_id__in=unit_ids)
        .exclude(person_id=user.person_id)
        .values_list("person_id", flat=True)
    )
    covering = approved_absences(today, people)
    names = dict(Person.objects.filter(pk__in=covering).values_list("pk", "name"))
    items = [
        {
            "label": f"{names.get(person_id, '')}：{requests[0].label}",
            "url": reverse("attendance:request_detail", args=[requests[0].pk]),
            "meta": requests[0].period_label,
            "tone": "info",
        }
        for person_id, requests in sorted(covering.items(), key=lambda pair: names.get(pair[0], ""))
    ]
    return HomePanel(
        title="本单位今日不在岗",
        items=items[:12],
        more_url=reverse("attendance:notice"),
        empty_text="本单位今日无人请假、出差或公出",
        order=6,
    )
