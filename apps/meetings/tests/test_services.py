"""The rules of a session, and every refusal the issue lists: refused with a Chinese message,
nothing changed."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core import clock
from apps.ledger.choices import Status as LedgerStatus
from apps.ledger.models import TrackedItem
from apps.meetings import services
from apps.meetings.choices import (
    AttendanceStatus,
    ItemType,
    OpinionStatus,
    Rating,
    SessionStatus,
)
from apps.meetings.models import Attendance, Material, Opinion, SessionEvent, Vote
from apps.organization.choices import UnitKind
from apps.organization.models import Unit

from .factories import decide, make_members, make_session, open_session

pytestmark = pytest.mark.django_db


def sign_in(p, session, members, count, *, leave=()):
    for member in members[:count]:
        services.attendance_record(
            actor=p.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    for member in leave:
        services.attendance_record(
            actor=p.sun,
            session=session,
            member=member,
            status=AttendanceStatus.LEAVE,
            reason="出差",
        )


# --- quorum and passing at the boundaries -------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "present", "reached"),
    [(10, 5, False), (10, 6, True), (11, 5, False), (11, 6, True), (1, 1, True), (0, 0, False)],
)
def test_quorum_is_more_than_half_of_all_members(total, present, reached):
    quorum = services.Quorum(total=total, present=present, on_leave=0)
    assert quorum.reached is reached
    assert (present >= quorum.needed) is reached or total == 0


@pytest.mark.parametrize(("yes", "passed"), [(5, False), (6, True)])
def test_passing_counts_all_members_not_those_present(yes, passed):
    # 10 members, 7 present: 5 of the 7 is a majority of those present, not of all members.
    assert services.passes(yes, 10) is passed


def test_exactly_half_present_refuses_a_vote(personas, members):
    even = members[:10]
    for extra in members[10:]:
        extra.term_end = datetime.date(2020, 12, 31)
        extra.save()
    session = open_session(personas, make_session(personas))
    sign_in(personas, session, even, 5)
    quorum = services.quorum_of(session)
    assert (quorum.total, quorum.present, quorum.reached) == (10, 5, False)
    item = session.items.first()
    with pytest.raises(ValidationError, match="未超过全体组成人员10人的半数"):
        services.vote_record(actor=personas.sun, item=item, yes=5, no=0, abstain=0, not_voted=0)
    assert not Vote.objects.exists()
    services.attendance_record(
        actor=personas.sun, session=session, member=even[5], status=AttendanceStatus.PRESENT
    )
    assert services.quorum_of(session).reached  # half plus one
    vote = services.vote_record(actor=personas.sun, item=item, yes=5, no=1, abstain=0, not_voted=0)
    # 5 of 6 present voted yes, but 5 is not more than half of the 10 members.
    assert (vote.passed, vote.members_total, vote.present) == (False, 10, 6)


def test_members_on_leave_count_in_all_members_but_not_as_present(personas, members):
    session = open_session(personas, make_session(personas))
    sign_in(personas, session, members, 5, leave=members[5:11])
    quorum = services.quorum_of(session)
    assert (quorum.total, quorum.present, quorum.on_leave, quorum.reached) == (11, 5, 6, False)
    with pytest.raises(ValidationError, match="不能表决"):
        services.vote_record(
            actor=personas.sun, item=session.items.first(), yes=5, no=0, abstain=0, not_voted=0
        )


def test_a_vote_passes_with_more_than_half_of_all_members(personas, members):
    session = open_session(personas, make_session(personas))
    sign_in(personas, session, members, 8)
    item = session.items.first()
    vote = services.vote_record(actor=personas.sun, item=item, yes=6, no=1, abstain=1, not_voted=0)
    assert vote.passed
    assert SessionEvent.objects.filter(session=session, kind="voted").count() == 1


def test_a_vote_count_that_does_not_add_up_is_refused(personas, members):
    session = open_session(personas, make_session(personas))
    sign_in(personas, session, members, 8)
    item = session.items.first()
    with pytest.raises(ValidationError, match="合计7票，与出席人数8人不符"):
        services.vote_record(actor=personas.sun, item=item, yes=6, no=1, abstain=0, not_voted=0)
    with pytest.raises(ValidationError, match="不能为负数"):
        services.vote_record(actor=personas.sun, item=item, yes=9, no=-1, abstain=0, not_voted=0)
    assert not Vote.objects.exists()


def test_an_appointment_is_voted_person_by_person(personas, members):
    session = make_session(personas, items=0)
    item = services.item_add(
        actor=personas.sun,
        session=session,
        spec=services.ItemSpec(
            title="人事任免案",
            item_type=ItemType.APPOINTMENT,
            committee=Unit.objects.get(name="办公室"),
            planned_minutes=10,
        ),
    )
    open_session(personas, session)
    sign_in(personas, session, members, 7)
    with pytest.raises(ValidationError, match="逐人表决"):
        services.vote_record(actor=personas.sun, item=item, yes=7, no=0, abstain=0, not_voted=0)
    services.vote_record(
        actor=personas.sun, item=item, subject="张某某", yes=7, no=0, abstain=0, not_voted=0
    )
    services.vote_record(
        actor=personas.sun, item=item, subject="李某某", yes=5, no=2, abstain=0, not_voted=0
    )
    assert list(item.votes.values_list("subject", "passed")) == [
        ("张某某", True),
        ("李某某", False),
    ]
    with pytest.raises(ValidationError, match="已有表决结果"):
        services.vote_record(
            actor=personas.sun, item=item, subject="张某某", yes=7, no=0, abstain=0, not_voted=0
        )


# --- attendance ---------------------------------------------------------------------------------


def test_a_member_cannot_be_present_and_on_leave(personas, members):
    session = open_session(personas, make_session(personas))
    services.attendance_record(
        actor=personas.sun,
        session=session,
        member=members[0],
        status=AttendanceStatus.LEAVE,
        reason="病假",
    )
    with pytest.raises(ValidationError, match="已登记为“请假”，不能同时签到"):
        services.attendance_record(
            actor=personas.sun,
            session=session,
            member=members[0],
            status=AttendanceStatus.PRESENT,
        )
    assert list(Attendance.objects.values_list("status", flat=True)) == ["leave"]
    services.attendance_clear(actor=personas.sun, session=session, member=members[0])
    services.attendance_record(
        actor=personas.sun, session=session, member=members[0], status=AttendanceStatus.PRESENT
    )
    assert services.quorum_of(session).present == 1


def test_leave_needs_a_reason_and_a_former_member_is_refused(personas, members):
    session = open_session(personas, make_session(personas))
    with pytest.raises(ValidationError, match="请假须填写事由"):
        services.attendance_record(
            actor=personas.sun, session=session, member=members[0], status=AttendanceStatus.LEAVE
        )
    members[1].term_end = datetime.date(2020, 6, 30)
    members[1].save()
    with pytest.raises(ValidationError, match="不是常委会组成人员"):
        services.attendance_record(
            actor=personas.sun,
            session=session,
            member=members[1],
            status=AttendanceStatus.PRESENT,
        )
    assert not Attendance.objects.exists()


def test_a_member_signs_in_only_for_themselves(personas, members):
    session = open_session(personas, make_session(personas))
    members[0].user = personas.zhao
    members[0].save()
    services.attendance_record(
        actor=personas.zhao,
        session=session,
        member=members[0],
        status=AttendanceStatus.PRESENT,
        method="self",
    )
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=personas.zhao,
            session=session,
            member=members[1],
            status=AttendanceStatus.PRESENT,
        )
    assert Attendance.objects.count() == 1


# --- timing ---------------------------------------------------------------------------------------


def test_one_tap_starts_and_a_second_ends_an_item(personas, members):
    session = open_session(personas, make_session(personas))
    first, second = session.items.all()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        services.item_tap(actor=personas.sun, item=first)
        traveller.shift(datetime.timedelta(minutes=1))
        with pytest.raises(ValidationError, match="时间重叠"):
            services.item_tap(actor=personas.sun, item=second)
        traveller.shift(datetime.timedelta(minutes=34))
        first = services.item_tap(actor=personas.sun, item=first)
        services.item_tap(actor=personas.sun, item=second)
    assert first.actual_minutes == 35
    second.refresh_from_db()
    assert second.actual_start == first.actual_end and second.actual_end is None
    with pytest.raises(ValidationError, match="尚未结束，不能闭会"):
        services.session_close(actor=personas.sun, session=session)


def test_an_end_before_the_start_or_two_items_at_once_are_refused(personas, members):
    session = open_session(personas, make_session(personas))
    first, second = session.items.all()
    start = clock.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    services.item_set_times(
        actor=personas.sun, item=first, start=start, end=start + datetime.timedelta(minutes=40)
    )
    with pytest.raises(ValidationError, match="结束时间须晚于开始时间"):
        services.item_set_times(
            actor=personas.sun, item=second, start=start, end=start - datetime.timedelta(minutes=1)
        )
    with pytest.raises(ValidationError, match="时间重叠"):
        services.item_set_times(
            actor=personas.sun,
            item=second,
            start=start + datetime.timedelta(minutes=39),
            end=start + datetime.timedelta(minutes=60),
        )
    second.refresh_from_db()
    assert second.actual_start is None
    # Back to back is fine.
    services.item_set_times(
        actor=personas.sun,
        item=second,
        start=start + datetime.timedelta(minutes=40),
        end=start + datetime.timedelta(minutes=60),
    )


def test_group_speeches_overlap_across_groups_but_not_within_one(personas, members):
    session = open_session(personas, make_session(personas))
    item = session.items.first()
    start = clock.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    end = start + datetime.timedelta(minutes=5)
    services.speech_add(
        actor=personas.sun,
        item=item,
        group="第一组",
        speaker="委员01",
        started_at=start,
        ended_at=end,
    )
    services.speech_add(
        actor=personas.sun,
        item=item,
        group="第二组",
        speaker="委员02",
        started_at=start,
        ended_at=end,
    )
    with pytest.raises(ValidationError, match="发言时间重叠"):
        services.speech_add(
            actor=personas.sun,
            item=item,
            group="第一组",
            speaker="委员03",
            started_at=start,
            ended_at=end,
        )
    with pytest.raises(ValidationError):
        services.speech_add(
            actor=personas.sun,
            item=item,
            group="第三组",
            speaker="委员03",
            started_at=end,
            ended_at=start,
        )
    assert item.speeches.count() == 2


# --- the notice -----------------------------------------------------------------------------------


def test_a_late_notice_needs_confirming_with_a_reason(personas, members):
    session = decide(personas, make_session(personas, days_ahead=3))
    with pytest.raises(services.LateNotice, match="会议7日前"):
        services.notice_send(actor=personas.sun, session=session)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.notice_send(actor=personas.sun, session=session, confirm_late=True)
    session.refresh_from_db()
    assert session.status == SessionStatus.AGENDA_DECIDED and session.notice_sent_at is None
    services.notice_send(
        actor=personas.sun, session=session, confirm_late=True, late_reason="议程临时调整"
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NOTIFIED
    assert session.events.filter(kind="late_notice").exists()


def test_an_event_row_is_stamped_by_the_platform_clock(personas, members):
    session = decide(personas, make_session(personas, days_ahead=3))
    services.notice_send(actor=personas.sun, session=session, confirm_late=True, late_reason=" 急 ")
    event = session.events.get(kind="late_notice")
    assert event.actor == personas.sun and event.note == "急"
    assert abs(event.created_at - clock.now()) < datetime.timedelta(minutes=1)
    assert list(session.events.all()) == sorted(session.events.all(), key=lambda e: e.created_at)


def test_a_notice_on_the_last_allowed_day_is_not_late(personas, members):
    session = decide(personas, make_session(personas, days_ahead=7))
    services.notice_send(actor=personas.sun, session=session)
    assert session.events.filter(kind="late_notice").count() == 0


# --- agenda ---------------------------------------------------------------------------------------


def test_agenda_items_are_checked(personas):
    session = make_session(personas, items=0)
    committee = Unit.objects.get(name="法制工作委员会")
    bad = services.ItemSpec(
        title="",
        item_type=ItemType.REGULATION,
        committee=personas.government,
        planned_minutes=0,
        reporting_body=committee,
    )
    with pytest.raises(ValidationError) as error:
        services.item_add(actor=personas.sun, session=session, spec=bad)
    assert set(error.value.message_dict) == {
        "title",
        "reading",
        "committee",
        "reporting_body",
        "planned_minutes",
    }
    with pytest.raises(PermissionDenied):
        services.item_add(
            actor=personas.zhou,
            session=session,
            spec=services.ItemSpec("条例草案", ItemType.REGULATION, committee, 30, reading="first"),
        )
    assert not session.items.exists()


def test_deciding_the_agenda_assigns_the_materials_to_the_body_on_the_ledger(personas, members):
    session = decide(personas, make_session(personas))
    tracked = TrackedItem.objects.filter(lead_unit=personas.government)
    assert tracked.count() == 2
    assert {t.status for t in tracked} == {LedgerStatus.ASSIGNED}
    item = session.items.first()
    assert item.materials_due is not None
    assert item.materials_item.deadline == item.materials_due < session.date
    with pytest.raises(ValidationError, match="不能修改议程"):
        services.item_add(
            actor=personas.sun,
            session=session,
            spec=services.ItemSpec(
                "另一议题", ItemType.DECISION, Unit.objects.get(name="办公室"), 10
            ),
        )


def test_the_body_uploads_its_material_and_the_office_closes_the_ledger_item(personas, members):
    session = decide(personas, make_session(personas))
    item = session.items.first()
    services.material_upload(
        actor=personas.gov, item=item, title="工作报告", pages=12, characters=8600
    )
    services.material_upload(
        actor=personas.gov, item=item, title="工作报告（修改稿）", pages=11, characters=8100
    )
    assert list(item.materials.values_list("version", "pages")) == [(2, 11), (1, 12)]
    item.materials_item.refresh_from_db()
    assert item.materials_item.status == LedgerStatus.REPORTED
    services.materials_receive(actor=personas.sun, item=item)
    item.materials_item.refresh_from_db()
    assert item.materials_item.status == LedgerStatus.CLOSED


def test_a_body_cannot_reach_another_bodys_items(personas, members):
    court = Unit.everything.create(name="市中级人民法院", short_name="中院", kind=UnitKind.COURT)
    session = make_session(personas, items=1)
    services.item_add(
        actor=personas.sun,
        session=session,
        spec=services.ItemSpec(
            "法院工作报告",
            ItemType.WORK_REPORT,
            Unit.objects.get(name="法制工作委员会"),
            30,
            reporting_body=court,
        ),
    )
    decide(personas, session)
    court_item = session.items.get(reporting_body=court)
    with pytest.raises(PermissionDenied):
        services.material_upload(
            actor=personas.gov, item=court_item, title="报告", pages=1, characters=100
        )
    assert not Material.objects.exists()
    from apps.meetings import scopes

    assert list(scopes.body_items(personas.gov).values_list("reporting_body", flat=True)) == [
        personas.government.pk
    ]
    assert not scopes.body_items(personas.sun).exists()


# --- opinions ---------------------------------------------------------------------------------------


def closed_session(p, members):
    session = open_session(p, make_session(p, items=1))
    sign_in(p, session, members, 8)
    item = session.items.get()
    start = clock.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    services.item_set_times(
        actor=p.sun, item=item, start=start, end=start + datetime.timedelta(minutes=30)
    )
    services.session_close(actor=p.sun, session=session, minutes="会议纪要")
    return session, item


def test_opinions_are_followed_up_as_a_ledger_item_until_rated(personas, members):
    _session, item = closed_session(personas, members)
    opinion = services.opinion_save(actor=personas.sun, item=item, text="一、……", deadline_months=2)
    services.opinion_sign(actor=personas.sun, opinion=opinion)
    opinion = services.opinion_send(actor=personas.sun, opinion=opinion)
    tracked = opinion.tracked_item
    assert tracked.lead_unit == personas.government and tracked.status == LedgerStatus.ASSIGNED
    assert opinion.deadline is not None
    assert tracked.deadline == opinion.deadline > clock.today()
    opinion = services.opinion_report(actor=personas.gov, opinion=opinion, text="已研究处理")
    tracked.refresh_from_db()
    assert tracked.status == LedgerStatus.REPORTED
    # 5 of 8 satisfied or basically: 62.5% ≥ 60%.
    ratings = {m: Rating.SATISFIED for m in members[:3]}
    ratings |= {m: Rating.BASICALLY for m in members[3:5]}
    ratings |= {m: Rating.UNSATISFIED for m in members[5:8]}
    services.opinion_rate(actor=personas.sun, opinion=opinion, ratings=ratings)
    opinion = services.opinion_conclude(actor=personas.sun, opinion=opinion)
    assert (opinion.status, opinion.satisfied_percent) == (OpinionStatus.ACCEPTED, 62)
    tracked.refresh_from_db()
    assert tracked.status == LedgerStatus.CLOSED


def test_an_unsatisfying_report_is_handled_again(personas, members):
    _session, item = closed_session(personas, members)
    opinion = services.opinion_save(
        actor=personas.sun, item=item, text="意见", threshold_percent=80
    )
    services.opinion_sign(actor=personas.sun, opinion=opinion)
    opinion = services.opinion_send(actor=personas.sun, opinion=opinion)
    opinion = services.opinion_report(actor=personas.gov, opinion=opinion, text="处理情况")
    services.opinion_rate(
        actor=personas.sun,
        opinion=opinion,
        ratings={
            m: Rating.SATISFIED if n < 6 else Rating.UNSATISFIED for n, m in enumerate(members[:8])
        },
    )
    opinion = services.opinion_conclude(actor=personas.sun, opinion=opinion)
    assert (opinion.status, opinion.rating_round) == (OpinionStatus.REHANDLE, 2)
    opinion.tracked_item.refresh_from_db()
    assert opinion.tracked_item.status == LedgerStatus.IN_PROGRESS
    opinion = services.opinion_report(actor=personas.gov, opinion=opinion, text="再次处理")
    services.opinion_rate(
        actor=personas.sun, opinion=opinion, ratings={members[0]: Rating.SATISFIED}
    )
    assert (
        services.opinion_conclude(actor=personas.sun, opinion=opinion).status
        == OpinionStatus.ACCEPTED
    )


def test_opinions_wait_for_the_close_and_another_body_cannot_report(personas, members):
    session = open_session(personas, make_session(personas, items=1))
    item = session.items.get()
    with pytest.raises(ValidationError, match="闭会后"):
        services.opinion_save(actor=personas.sun, item=item, text="意见")
    assert not Opinion.objects.exists()
    services.session_close(actor=personas.sun, session=session)
    opinion = services.opinion_save(actor=personas.sun, item=item, text="意见")
    services.opinion_sign(actor=personas.sun, opinion=opinion)
    opinion = services.opinion_send(actor=personas.sun, opinion=opinion)
    with pytest.raises(PermissionDenied):
        services.opinion_report(actor=personas.sun, opinion=opinion, text="代报")
    with pytest.raises(ValidationError, match="请填写研究处理情况"):
        services.opinion_report(actor=personas.gov, opinion=opinion, text=" ")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SENT


def test_a_draft_member_rule_makes_members_dated(personas):
    make_members(3, start=datetime.date(2030, 1, 1))
    assert services.members_total(datetime.date(2029, 12, 31)) == 0
    assert services.members_total(datetime.date(2030, 1, 1)) == 3
