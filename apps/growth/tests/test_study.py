"""Study sessions: the Monday plan on the calendar, QR sign-in and its refusals, the roll."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.attendance import services as attendance
from apps.attendance.models import AttendancePolicy
from apps.core.testing.factories import interim_head
from apps.growth import selectors, services
from apps.growth.choices import Presence, SessionStatus
from apps.growth.models import StudyAttendance, StudyPlan, StudySession
from apps.workcalendar import services as calendar
from apps.workcalendar.models import CalendarYear

from .conftest import D

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _plan(personas, year: int) -> StudyPlan:
    return StudyPlan.objects.create(
        name="机关集中学习",
        kind="organ",
        year=year,
        start_time=datetime.time(15, 0),
        end_time=datetime.time(17, 0),
        place="第一会议室",
        created_by=personas.sun,
    )


def test_the_monday_plan_moves_holiday_mondays_and_skips_holiday_weeks(personas):
    plan = _plan(personas, 2026)
    services.plan_generate(plan=plan, title="机关集中学习")
    by_planned = {s.planned_date: s for s in plan.sessions.all()}
    assert len(by_planned) == 52  # every Monday of 2026
    ordinary = by_planned[D(2026, 3, 2)]
    assert (ordinary.date, ordinary.status, ordinary.date_note) == (D(2026, 3, 2), "scheduled", "")
    national_day = by_planned[D(2026, 10, 5)]
    assert national_day.date == D(2026, 10, 8)  # 5–7 October rest: the Thursday
    assert "顺延至10月08日（星期四）" in national_day.date_note
    spring = by_planned[D(2026, 2, 16)]  # 15–23 February rest: no workday that week
    assert spring.status == SessionStatus.SKIPPED and "停学一次" in spring.date_note
    assert not any(s.date_provisional for s in by_planned.values())


@pytest.mark.today("2026-12-20")
def test_a_provisional_year_is_flagged_and_placed_again_when_announced(personas, time_machine):
    CalendarYear.objects.filter(year=2027).delete()
    calendar.clear_cache()
    plan = _plan(personas, 2027)
    services.plan_generate(plan=plan, title="机关集中学习")
    week = plan.sessions.get(planned_date=D(2027, 2, 8))
    # Provisionally 春节 is 除夕 to 初三 (5–8 February): Monday rests, Tuesday takes it.
    assert (week.date, week.date_provisional) == (D(2027, 2, 9), True)
    assert plan.sessions.filter(date_provisional=True).count() == 52
    calendar.calendar_year_enter(
        actor=personas.sysadmin,
        year=2027,
        notice="国务院办公厅关于2027年部分节假日安排的通知（测试）",
        holidays=[(D(2027, 1, 1), "元旦")]
        + [(D(2027, 2, 5) + datetime.timedelta(days=n), "春节") for n in range(9)],
        workdays=[(D(2027, 1, 30), "春节"), (D(2027, 2, 20), "春节")],
    )
    week.refresh_from_db()
    assert week.status == SessionStatus.SKIPPED and not week.date_provisional
    assert week.date_note.startswith("因2027年节假日安排公布")
    assert not plan.sessions.filter(date_provisional=True).exists()


def test_required_participants_follow_the_kind(personas, make_session):
    organ = make_session()
    assert set(selectors.required_people(organ)) == {
        personas.qian.person,
        personas.sun.person,
        personas.li.person,
        personas.zhou.person,
        personas.wu.person,
    }
    branch = make_session(kind="branch", unit=personas.legal, title="法工委支部学习")
    assert set(selectors.required_people(branch)) == {personas.li.person, personas.zhou.person}
    assert organ.roll_required == 5 and organ.roll_computed_at is not None


def test_qr_sign_in_in_the_window_from_the_allowed_network(personas, make_session, time_machine):
    session = make_session()
    AttendancePolicy.objects.update_or_create(pk=1, defaults={"allowed_networks": "10.12.0.0/16"})
    time_machine.move_to(at(D(2026, 3, 2), 14, 50))
    token = services.sign_in_token(session)
    row, created = services.qr_sign_in(
        user=personas.zhou, session=session, token=token, ip_address="10.12.3.4"
    )
    assert created and row.presence == Presence.PRESENT and row.method == "qr"
    assert row.unit == personas.legal
    again, created = services.qr_sign_in(
        user=personas.zhou, session=session, token=token, ip_address="10.12.3.4"
    )
    assert not created and again.pk == row.pk
    session.refresh_from_db()
    assert session.roll_present == 1


@pytest.mark.parametrize(
    ("moment", "ip", "message"),
    [
        ((13, 0), "10.12.3.4", "不在签到时间内"),
        ((17, 30), "10.12.3.4", "不在签到时间内"),
        ((15, 10), "192.168.1.9", "不在机关允许签到的网络范围内"),
        ((15, 10), None, "无法识别您的网络地址"),
    ],
)
def test_sign_in_refused_outside_the_window_or_the_network(
    personas, make_session, time_machine, moment, ip, message
):
    session = make_session()
    AttendancePolicy.objects.update_or_create(pk=1, defaults={"allowed_networks": "10.12.0.0/16"})
    time_machine.move_to(at(D(2026, 3, 2), *moment))
    with pytest.raises(ValidationError) as error:
        services.qr_sign_in(
            user=personas.zhou,
            session=session,
            token=services.sign_in_token(session),
            ip_address=ip,
        )
    assert message in error.value.messages[0]
    assert not StudyAttendance.objects.filter(presence=Presence.PRESENT).exists()


def test_sign_in_refused_for_someone_else_or_with_a_bad_or_old_code(
    personas, make_session, time_machine
):
    session = make_session()
    other = make_session(title="另一次学习")
    time_machine.move_to(at(D(2026, 3, 2), 15, 5))
    token = services.sign_in_token(session)
    with pytest.raises(PermissionDenied, match="只能为本人签到"):
        services.qr_sign_in(
            user=personas.zhou,
            session=session,
            token=token,
            ip_address="10.0.0.1",
            person_id=personas.wu.person_id,
        )
    with pytest.raises(ValidationError, match="不是本次学习"):
        services.qr_sign_in(
            user=personas.zhou,
            session=session,
            token=services.sign_in_token(other),
            ip_address="10.0.0.1",
        )
    with pytest.raises(ValidationError, match="无效"):
        services.qr_sign_in(
            user=personas.zhou, session=session, token=token + "x", ip_address="10.0.0.1"
        )
    time_machine.move_to(at(D(2026, 3, 2), 15, 50))
    with pytest.raises(ValidationError, match="已过期"):
        services.qr_sign_in(user=personas.zhou, session=session, token=token, ip_address="10.0.0.1")
    with pytest.raises(ValidationError, match="不在本次学习的应参加人员名单中"):
        services.qr_sign_in(
            user=personas.zhao,
            session=session,
            token=services.sign_in_token(session),
            ip_address="10.0.0.1",
        )
    assert not StudyAttendance.objects.filter(presence=Presence.PRESENT).exists()


def _approved_leave(personas, day: datetime.date):
    # 财经委 has no head among the personas, and a vacant approver's post refuses the request: one
    # heads it until the day before (so that the day's roll is the personas').
    interim_head(personas.finance, until=day - datetime.timedelta(days=1))
    request = attendance.request_submit(
        user=personas.wu, kind="leave", leave_type="annual", start_date=day, reason="休假"
    )
    from apps.approvals.services import approval_decide

    for _ in range(3):
        request.refresh_from_db()
        if request.status != "pending":
            break
        approval = request.approval
        stage = approval.stages.filter(status="pending").order_by("order").first()
        approval_decide(actor=stage.approver, request=approval, approve=True, comment="同意")
    request.refresh_from_db()
    assert request.status == "approved"
    return request


def test_the_roll_counts_a_person_on_approved_leave_as_excused_not_absent(
    personas, make_session, time_machine
):
    session = make_session()
    time_machine.move_to(at(D(2026, 2, 27), 10))
    _approved_leave(personas, D(2026, 3, 2))
    time_machine.move_to(at(D(2026, 3, 2), 15, 5))
    services.qr_sign_in(
        user=personas.zhou,
        session=session,
        token=services.sign_in_token(session),
        ip_address="10.0.0.1",
    )
    services.roll_record(
        user=personas.sun, session=session, person=personas.li.person, present=True
    )
    services.roll_record(
        user=personas.sun,
        session=session,
        person=personas.qian.person,
        present=False,
        reason="陪同常委会领导调研",
    )
    time_machine.move_to(at(D(2026, 3, 2), 18, 0))
    session = services.session_roll_compute(session=session)
    roll = {row.person_id: row for row in selectors.session_roll(session)}
    assert roll[personas.wu.person_id].presence == Presence.ON_LEAVE
    assert "年休假" in roll[personas.wu.person_id].leave_note
    assert roll[personas.zhou.person_id].presence == Presence.PRESENT
    assert roll[personas.qian.person_id].presence == Presence.EXCUSED
    assert roll[personas.sun.person_id].presence == Presence.ABSENT  # no sign-in, no reason
    assert (session.roll_required, session.roll_present, session.roll_on_leave) == (5, 2, 1)
    assert (session.roll_excused, session.roll_absent) == (1, 1)
    assert session.attendance_rate == 50.0  # 2 present of 5 − 1 on leave


def test_the_secretary_refuses_an_absence_without_reason_and_non_organisers(
    personas, make_session, time_machine
):
    session = make_session()
    time_machine.move_to(at(D(2026, 3, 2), 15, 5))
    with pytest.raises(ValidationError, match="须填写缺席原因"):
        services.roll_record(
            user=personas.sun, session=session, person=personas.zhou.person, present=False
        )
    with pytest.raises(PermissionDenied):
        services.roll_record(
            user=personas.zhou, session=session, person=personas.wu.person, present=True
        )
    assert not StudyAttendance.objects.filter(presence__in=["present", "excused"]).exists()


def test_a_session_is_refused_with_a_first_topic_not_first_or_an_outside_link(
    personas, make_session
):
    with pytest.raises(ValidationError) as error:
        make_session(
            topics=[services.TopicSpec("监督法"), services.TopicSpec("讲话", is_first_topic=True)]
        )
    assert "第一议题" in str(error.value)
    with pytest.raises(ValidationError, match="外部网站"):
        make_session(materials=[("材料", "https://example.com/a", None)])
    with pytest.raises(PermissionDenied):
        make_session(user=personas.zhou)
    assert not StudySession.objects.exists()


def test_reflections_need_presence_and_substance(personas, make_session, time_machine):
    session = make_session(requires_reflection=True)
    time_machine.move_to(at(D(2026, 3, 2), 15, 5))
    with pytest.raises(ValidationError, match="签到出席后"):
        services.reflection_submit(user=personas.zhou, session=session, text="x" * 30)
    services.qr_sign_in(
        user=personas.zhou,
        session=session,
        token=services.sign_in_token(session),
        ip_address="10.0.0.1",
    )
    with pytest.raises(ValidationError, match="不少于 20 字"):
        services.reflection_submit(user=personas.zhou, session=session, text="很好")
    reflection = services.reflection_submit(
        user=personas.zhou,
        session=session,
        text="学习了重要讲话精神，要在立法工作中落实全过程人民民主。",
    )
    assert reflection.person == personas.zhou.person


def test_the_first_topic_register_lists_first_study_and_follow_ups(personas, make_session):
    first = make_session(day=D(2026, 3, 2))
    make_session(day=D(2026, 3, 9))
    topic = first.topics.get(is_first_topic=True)
    services.topic_follow_up(user=personas.sun, topic=topic, text="已转化为年度工作要点任务")
    [row] = selectors.first_topic_register(2026)
    assert row.first_studied == D(2026, 3, 2) and len(row.studied) == 2
    assert row.follow_ups == ["已转化为年度工作要点任务"]
