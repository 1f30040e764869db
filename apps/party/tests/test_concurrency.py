"""Races on PostgreSQL: meetings registered at once take consecutive numbers; a reviewer who
submits twice at once leaves one ballot."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.core.testing.factories import PersonFactory
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership
from apps.party import services
from apps.party.choices import Presence, ReviewMode
from apps.party.models import PartyMeeting, ReviewBallot

from .conftest import D

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run(targets, work) -> list[str]:
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def run(target):
        try:
            barrier.wait()
            work(target)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_parallel_meetings_and_ballots(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    member = PersonFactory(name="党组成员")
    PartyGroupMembership.objects.create(
        person=member, role=PartyGroupRole.SECRETARY, start_date=D(2020, 1, 1)
    )

    def meet(day):
        services.meeting_create(
            actor=personas.sun,
            date=day,
            place="党组会议室",
            presider=member,
            recorder=personas.sun.person,
            attendees=[services.AttendeeSpec(member, Presence.PRESENT)],
        )

    days = [D(2026, 3, n) for n in (2, 3, 4, 5)]
    assert _run(days, meet) == ["ok"] * 4
    numbers = sorted(PartyMeeting.objects.filter(year=2026).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]

    review = services.review_create(
        actor=personas.sun,
        year=2026,
        title="述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("总体", 100)],
        subjects=[(personas.li.person, personas.legal)],
    )
    subject = review.subjects.get()
    services.report_submit(actor=personas.li, subject=subject, report="述职")
    criterion = review.criteria.get()

    def score(points):
        services.ballot_submit(actor=personas.zhou, subject=subject, scores={criterion.pk: points})

    assert _run(["90", "60"], score) == ["ok", "refused"]
    assert ReviewBallot.objects.filter(subject=subject).count() == 1
