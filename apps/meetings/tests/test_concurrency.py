"""Two desks at once: the session row lock keeps a member from being both present and on leave,
and one vote from being recorded twice (PostgreSQL only: SQLite ignores select_for_update)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.meetings import services
from apps.meetings.choices import AttendanceStatus, MemberChoice
from apps.meetings.models import Attendance, MemberVote, Vote

from .factories import make_members, make_session, open_session


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_present_and_on_leave_at_once_records_one(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    members = make_members(5)
    session = open_session(personas, make_session(personas))

    def present():
        services.attendance_record(
            actor=personas.sun, session=session, member=members[0], status=AttendanceStatus.PRESENT
        )

    def leave():
        services.attendance_record(
            actor=personas.qian,
            session=session,
            member=members[0],
            status=AttendanceStatus.LEAVE,
            reason="出差",
        )

    assert _race(present, leave) == ["ok", "refused"]
    assert Attendance.objects.filter(session=session, member=members[0]).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_vote_recorded_twice_at_once_is_stored_once(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    members = make_members(5)
    session = open_session(personas, make_session(personas))
    for member in members[:3]:
        services.attendance_record(
            actor=personas.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    item = session.items.first()

    def vote(user):
        return lambda: services.vote_record(
            actor=user, item=item, yes=3, no=0, abstain=0, not_voted=0
        )

    assert _race(vote(personas.sun), vote(personas.qian)) == ["ok", "refused"]
    assert Vote.objects.filter(item=item).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_secretaries_recording_one_members_vote_give_one_row(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    members = make_members(5)
    session = open_session(personas, make_session(personas))
    for member in members[:3]:
        services.attendance_record(
            actor=personas.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    item = session.items.first()

    def create(user):
        return lambda: services.vote_record_roll(
            actor=user, item=item, choices={members[0]: MemberChoice.YES}
        )

    # The same per-member vote opened twice at once: one vote, one row per member.
    assert _race(create(personas.sun), create(personas.qian)) == ["ok", "refused"]
    vote = Vote.objects.get(item=item)
    assert MemberVote.objects.filter(vote=vote).count() == 5

    def record(user, choice):
        return lambda: services.member_votes_record(
            actor=user, vote=vote, choices={members[1]: choice}
        )

    for _ in range(3):
        outcomes = _race(
            record(personas.sun, MemberChoice.YES), record(personas.qian, MemberChoice.NO)
        )
        assert outcomes == ["ok", "ok"]
        rows = MemberVote.objects.filter(vote=vote, member=members[1])
        assert rows.count() == 1
        vote.refresh_from_db()
        # The counts agree with the row that won.
        assert (vote.yes, vote.no) == ((2, 0) if rows.get().choice == MemberChoice.YES else (1, 1))
