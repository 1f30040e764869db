"""The session page and the measures page cost the same number of queries with one year of
sessions as with ten (the benchmark measures them at scale; this test keeps them constant)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import clock
from apps.meetings.choices import ItemType, OpinionStatus, SessionStatus
from apps.meetings.models import AgendaItem, Material, Opinion, Session, Vote
from apps.organization.models import Unit

from .factories import make_members

pytestmark = pytest.mark.django_db
TYPES = [ItemType.WORK_REPORT, ItemType.INSPECTION, ItemType.REGULATION, ItemType.APPOINTMENT]


def add_year(p, year: int, first_number: int) -> Session:
    committee = Unit.objects.get(name="财政经济工作委员会")
    tz = clock.localtime().tzinfo
    session = None
    for n in range(6):
        day = datetime.date(year, 2 * n + 1, 15)
        session = Session.objects.create(
            number=first_number + n,
            date=day,
            end_date=day,
            status=SessionStatus.CLOSED,
            created_by=p.sun,
        )
        start = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz)
        for k, item_type in enumerate(TYPES):
            item = AgendaItem.objects.create(
                session=session,
                order=k + 1,
                title=f"议题{k}",
                item_type=item_type,
                reading="first" if item_type == ItemType.REGULATION else "",
                reporting_body=p.government,
                committee=committee,
                planned_minutes=40,
                actual_start=start,
                actual_end=start + datetime.timedelta(minutes=35 + k),
            )
            start += datetime.timedelta(minutes=45)
            for version in (1, 2):
                Material.objects.create(
                    item=item,
                    version=version,
                    title="材料",
                    pages=10,
                    characters=7000,
                    uploaded_by=p.gov,
                    uploaded_at=start,
                )
            Vote.objects.create(
                item=item,
                yes=6,
                no=0,
                abstain=0,
                not_voted=0,
                members_total=11,
                present=6,
                passed=True,
                recorded_at=start,
                recorded_by=p.sun,
            )
            Opinion.objects.create(
                item=item,
                text="意见",
                status=OpinionStatus.ACCEPTED,
                sent_at=start,
                deadline=day + datetime.timedelta(days=60),
                reported_at=start,
                closed_at=start,
            )
    assert session is not None
    return session


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_ten_years_of_sessions(client, personas):
    make_members(11)
    year = clock.today().year
    session = add_year(personas, year, 100)
    client.force_login(personas.sun)
    paths = [
        f"/meetings/{session.pk}/",
        f"/meetings/items/{session.items.first().pk}/",
        f"/meetings/measures/?year={year}",
        f"/meetings/measures/?year={year}&type=work_report",
        "/meetings/",
    ]
    for path in paths:
        queries(client, path)  # warm caches (content types, the calendar)
    one_year = [queries(client, path) for path in paths]
    for back in range(1, 10):
        add_year(personas, year - back, 100 + 6 * back)
    ten_years = [queries(client, path) for path in paths]
    print("queries per page, one year and ten years:", dict(zip(paths, one_year, strict=True)))
    assert ten_years == one_year
