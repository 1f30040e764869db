import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from apps.attendance.choices import ClockKind, ClockSource
from apps.attendance.models import ClockRecord

TZ = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def clock(db):
    """clock(person, date, "08:55", kind="in") writes a clock row directly (as the demo does)."""

    def make(person, day: dt.date, hm: str, kind: str = ClockKind.IN) -> ClockRecord:
        return ClockRecord.objects.create(
            person=person, at=at(day, hm), day=day, kind=kind, source=ClockSource.TAP
        )

    return make


@pytest.fixture
def workday_pair(clock):
    """A normal day: in at 08:50, out at 17:10 (winter hours 09:00–17:00)."""

    def make(person, day: dt.date, start: str = "08:50", end: str = "17:10") -> None:
        clock(person, day, start, ClockKind.IN)
        clock(person, day, end, ClockKind.OUT)

    return make


@pytest.fixture
def secretary(db):
    """The 秘书长, with an account: the second step of longer leaves and trips (a vacant post
    refuses the request rather than pass it to the 主任)."""
    from apps.core.testing.factories import PersonFactory, UserFactory
    from apps.organization.choices import LeadershipTitle
    from apps.organization.models import LeadershipPost

    person = PersonFactory(name="秘书长")
    LeadershipPost.objects.create(
        person=person, title=LeadershipTitle.SECRETARY_GENERAL, start_date="2024-01-01"
    )
    return UserFactory(username="mishuzhang", person=person, role="leader")
