"""The demo year of sessions, and the measures computed by hand from its stored times."""

import datetime

import pytest

from apps.core import clock
from apps.core.demo.organ import generate_organ
from apps.meetings import selectors
from apps.meetings.choices import OpinionStatus, SessionStatus
from apps.meetings.demo import generate_meetings
from apps.meetings.models import AgendaItem, DirectorsMeeting, Opinion, Session

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def demo_year(db):
    with clock.use_today(TODAY):
        generate_organ()
        summary = generate_meetings(today=TODAY)
    return summary


def test_the_demo_year(demo_year):
    assert Session.objects.count() == 6
    assert Session.objects.filter(status=SessionStatus.CLOSED).count() == 5
    assert 18 <= DirectorsMeeting.objects.count() <= 22
    assert Opinion.objects.filter(status=OpinionStatus.ACCEPTED).exists()
    assert demo_year.overdue >= 1
    assert AgendaItem.objects.filter(reading="third").exists()


def test_the_measures_match_a_hand_computation_from_the_stored_times(demo_year):
    year = TODAY.year
    by_session: dict[int, list[float]] = {}
    by_type: dict[str, list[float]] = {}
    for item in AgendaItem.objects.filter(session__date__year=year, actual_end__isnull=False):
        assert item.actual_end is not None and item.actual_start is not None
        minutes = round((item.actual_end - item.actual_start).total_seconds() / 60)
        by_session.setdefault(item.session_id, []).append(minutes)
        by_type.setdefault(item.item_type, []).append(minutes)
    measures = selectors.measures(year)
    per_session = [sum(m) for m in by_session.values()]
    assert measures.current.average_per_session == round(sum(per_session) / len(per_session), 1)
    for row in measures.current.by_type:
        assert row.average == round(sum(by_type[row.item_type]) / len(by_type[row.item_type]), 1)
    timed = measures.current.timed_sessions
    # The later sessions deliberate faster than the earlier ones (against their plan).
    assert timed[-1].actual / timed[-1].planned < timed[0].actual / timed[0].planned
    assert (
        measures.current.opinions_sent
        == Opinion.objects.filter(item__session__date__year=year, sent_at__isnull=False).count()
    )
