"""Dated events of other areas on the key-work calendar (重点工作行事历) and in its iCalendar feeds.

The calendar shows the ledger's deadlines and milestones; a session of the Standing Committee or a
主任会议 is key work too, but lives in its own area. Such an area registers a source from its
`AppConfig.ready()`; the ledger only iterates the sources, so it imports no other area. A source
answers with the events `user` may see between two dates (inclusive), in one query or a few.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across feeds, e.g. "meetings-session-12"
    day: datetime.date
    label: str  # what the day cell says
    category: str  # e.g. 常委会会议
    path: str  # the event's page on the platform
    description: str = ""


CalendarSource = Callable[[Any, datetime.date, datetime.date], Iterable[CalendarEvent]]
_SOURCES: dict[str, CalendarSource] = {}


def register_calendar_source(key: str, source: CalendarSource) -> None:
    """Register (or replace, by key) a source of calendar events."""
    _SOURCES[key] = source


def calendar_events(
    user: Any, start: datetime.date, end: datetime.date
) -> dict[datetime.date, list[CalendarEvent]]:
    by_day: dict[datetime.date, list[CalendarEvent]] = defaultdict(list)
    for key in sorted(_SOURCES):
        for event in _SOURCES[key](user, start, end):
            by_day[event.day].append(event)
    return dict(by_day)
