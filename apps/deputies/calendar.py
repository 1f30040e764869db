"""The stations' reception days (接待日) on the ledger's key-work calendar and in its iCalendar
feeds: every reception day for the organ's people, and a deputy's own days on duty for that
deputy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from apps.accounts.permissions import is_business
from apps.ledger.calendar_sources import CalendarEvent

from . import scopes
from .models import Deputy, ReceptionDay

CATEGORY = "代表接待日"


def describe(reception: ReceptionDay) -> str:
    parts = [f"{reception.start:%H:%M}—{reception.end:%H:%M}", reception.topic]
    names = "、".join(d.name for d in reception.on_duty.all())
    parts.append(f"值班代表：{names}" if names else "值班代表待安排")
    if reception.note:
        parts.append(reception.note)
    if reception.provisional:
        parts.append("日期按预估的节假日安排计算")
    return "；".join(part for part in parts if part)


def reception_events(
    user: Any, start: datetime.date, end: datetime.date
) -> Iterable[CalendarEvent]:
    days = ReceptionDay.objects.filter(date__range=(start, end))
    deputy = scopes.deputy_of(user)
    if deputy is not None:
        days = days.filter(on_duty=deputy)
        path = reverse("deputies:my_home")
    elif is_business(user):
        path = ""
    else:
        return []
    days = days.select_related("station").prefetch_related(
        Prefetch("on_duty", queryset=Deputy.objects.order_by("name", "id"))
    )
    return [
        CalendarEvent(
            uid=f"deputies-reception-{reception.pk}",
            day=reception.date,
            label=f"{reception.station.name}接待日",
            category=CATEGORY,
            path=path or reverse("deputies:station_detail", args=[reception.station_id]),
            description=describe(reception),
        )
        for reception in days.order_by("date", "start", "id")
    ]
