"""The sessions' events on the ledger's key-work calendar and in its iCalendar feeds: sessions of
the Standing Committee for whoever reads them, and the 主任会议 for the organ's people."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from apps.accounts.permissions import is_business
from apps.ledger.calendar_sources import CalendarEvent

from . import scopes
from .models import DirectorsMeeting


def session_events(user: Any, start: datetime.date, end: datetime.date) -> Iterable[CalendarEvent]:
    if not scopes.can_view_sessions(user):
        return []
    events = [
        CalendarEvent(
            uid=f"meetings-session-{s.pk}",
            day=s.date,
            label=str(s),
            category="常委会会议",
            path=reverse("meetings:session_detail", args=[s.pk]),
            description=f"{s.place}；{s.get_status_display()}",
        )
        for s in scopes.visible_sessions(user).filter(date__range=(start, end))
    ]
    if is_business(user):
        events += [
            CalendarEvent(
                uid=f"meetings-directors-{m.pk}",
                day=m.date,
                label=str(m),
                category="主任会议",
                path=reverse("meetings:session_list"),
                description=m.topics,
            )
            for m in DirectorsMeeting.objects.filter(date__range=(start, end))
        ]
    return events
