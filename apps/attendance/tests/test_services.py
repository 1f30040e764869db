import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_decide
from apps.attendance import services
from apps.attendance.choices import ClockKind, ClockSource, DayStatus, RequestKind, RequestStatus
from apps.attendance.models import (
    AttendancePolicy,
    AttendanceRequest,
    ClockRecord,
    DailyResult,
    PointRule,
    Schedule,
    YearPoints,
)
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import clear_cache

from .conftest import at

# The requests below are dated in 2026; a request may start at most a year back, so the tests
# run in December 2026 whatever the real date.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]

D = dt.date
MONDAY = D(2026, 3, 2)  # winter hours 09:00–17:00


def compute(person, day):
    return services.result_compute(person=person.person, day=day)


# --- the 2026 working-day calendar ----------------------------------------------------------


def test_adjusted_saturday_2026_02_14_is_a_workday(personas, workday_pair):
    result = compute(personas.zhou, D(2026, 2, 14))
    assert result.status == DayStatus.ABSENT  # no clock on a workday
    assert result.is_workday
    assert any("调休上班日" in r for r in result.reasons)
    workday_pair(personas.zhou.person, D(2026, 2, 14))
    assert compute(personas.zhou, D(2026, 2, 14)).status == DayStatus.NORMAL


def test_spring_festival_holidays_are_not_absences(personas):
    services.results_compute_range(
        start=D(2026, 2, 15), end=D(2026, 2, 23), person_ids=[personas.zhou.person_id]
    )
    results = DailyResult.objects.filter(
        person=personas.zhou.person, day__range=(D(2026, 2, 15), D(2026, 2, 23))
    )
    assert results.count() == 9
    assert not results.filter(status=DayStatus.ABSENT).exists()
    monday = results.get(day=D(2026, 2, 16))
    assert monday.status == DayStatus.HOLIDAY
    assert "法定节假日" in monday.reasons[0]


def test_adjusted_saturday_2026_10_10_is_a_workday_and_national_day_is_not(personas, workday_pair):
    workday_pair(personas.zhou.person, D(2026, 10, 10))
    assert compute(personas.zhou, D(2026, 10, 10)).status == DayStatus.NORMAL
    assert compute(personas.zhou, D(2026, 10, 1)).status == DayStatus.HOLIDAY
    assert compute(personas.zhou, D(2026, 3, 7)).status == DayStatus.REST  # an ordinary Saturday


def test_a_year_without_calendar_data_is_judged_provisionally(personas):
    CalendarYear.objects.filter(year=2026).delete()
    clear_cache()
    result = compute(personas.zhou, MONDAY)
    assert result.provisional and result.is_workday
    assert any("（预估）2026年的节假日安排尚未公布" in reason for reason in result.reasons)
    request = services.request_submit(
        user=personas.zhou,
        kind=RequestKind.LEAVE,
        leave_type="personal",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="家中有事",
    )
    assert request.days == 1


# --- clocking in ------------------------------------------------------------------------------


def test_a_repeated_tap_within_the_window_is_one_record(personas):
    first = services.clock_tap(user=personas.zhou, ip_address="10.1.2.3", now=at(MONDAY, "08:50"))
    again = services.clock_tap(
        user=personas.zhou,
        ip_address="10.1.2.3",
        now=at(MONDAY, "08:50") + dt.timedelta(seconds=30),
    )
    assert first.created and not again.created
    assert again.record.pk == first.record.pk
    assert ClockRecord.objects.count() == 1
    later = services.clock_tap(user=personas.zhou, ip_address="10.1.2.3", now=at(MONDAY, "17:05"))
    assert later.created and later.record.kind == ClockKind.OUT
    assert first.record.kind == ClockKind.IN
    assert first.record.at == at(MONDAY, "08:50")  # the server's time (passed in), not the client's


def test_a_first_tap_after_work_is_a_clock_out(personas):
    outcome = services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "17:20"))
    assert outcome.record.kind == ClockKind.OUT


def test_a_clock_from_a_disallowed_network_is_refused_with_the_reason(personas):
    services.policy_update(
        allowed_networks="10.12.0.0/16\n192.168.8.0/24",
        duplicate_window_seconds=60,
        points_total_cap=Decimal("5"),
    )
    with pytest.raises(ValidationError) as error:
        services.clock_tap(user=personas.zhou, ip_address="172.16.0.9", now=at(MONDAY, "08:50"))
    message = error.value.messages[0]
    assert "172.16.0.9" in message and "10.12.0.0/16" in message and "192.168.8.0/24" in message
    assert not ClockRecord.objects.exists()
    assert services.clock_tap(
        user=personas.zhou, ip_address="10.12.3.4", now=at(MONDAY, "08:50")
    ).created


def test_bad_network_lines_are_refused_and_nothing_changes(personas):
    with pytest.raises(ValidationError, match="无法识别"):
        services.policy_update(
            allowed_networks="10.0.0.0/8\nnot-a-net",
            duplicate_window_seconds=60,
            points_total_cap=Decimal("5"),
        )
    assert AttendancePolicy.current().allowed_networks == ""


def test_admin_accounts_have_no_person_and_cannot_clock(personas):
    with pytest.raises(PermissionDenied):
        services.clock_tap(user=personas.sysadmin, ip_address=None)


# --- results and their reasons ----------------------------------------------------------------


def test_late_early_and_half_day_results_name_their_reasons(personas, clock):
    zhou = personas.zhou.person
    clock(zhou, MONDAY, "09:20", ClockKind.IN)
    clock(zhou, MONDAY, "17:01", ClockKind.OUT)
    late = compute(personas.zhou, MONDAY)
    assert late.status == DayStatus.LATE and late.is_late and late.late_minutes == 20
    assert any("迟到 20 分钟" in r for r in late.reasons)
    assert any("机关默认作息" in r for r in late.reasons)
    assert late.explanation["schedule"]["start"] == "09:00"
    assert [c["kind"] for c in late.explanation["clocks"]] == ["in", "out"]

    tuesday = MONDAY + dt.timedelta(days=1)
    clock(zhou, tuesday, "08:55", ClockKind.IN)
    clock(zhou, tuesday, "16:30", ClockKind.OUT)
    early = compute(personas.zhou, tuesday)
    assert early.status == DayStatus.EARLY and early.early_minutes == 30
    assert any("早退 30 分钟" in r for r in early.reasons)

    wednesday = MONDAY + dt.timedelta(days=2)
    clock(zhou, wednesday, "11:30", ClockKind.IN)
    clock(zhou, wednesday, "17:00", ClockKind.OUT)
    half = compute(personas.zhou, wednesday)
    assert half.status == DayStatus.ABSENT and half.absence_days == Decimal("0.5")
    assert not half.is_late
    assert any("计旷工半天" in r for r in half.reasons)


def test_grace_minutes_are_not_late(personas, clock):
    clock(personas.zhou.person, MONDAY, "09:05", ClockKind.IN)
    clock(personas.zhou.person, MONDAY, "17:00", ClockKind.OUT)
    result = compute(personas.zhou, MONDAY)
    assert result.status == DayStatus.NORMAL
    assert result.reasons[-1] == "结论：正常。"


def test_a_forgotten_clock_out_stays_missing_and_is_never_closed(personas, clock):
    clock(personas.zhou.person, MONDAY, "08:50", ClockKind.IN)
    for _ in range(2):  # recomputing does not "heal" it
        result = compute(personas.zhou, MONDAY)
        assert result.status == DayStatus.MISSING_OUT
        assert result.missing_out and result.last_out is None
        assert any("不会自动补全" in r for r in result.reasons)
    assert ClockRecord.objects.count() == 1


def test_a_missing_clock_in(personas, clock):
    clock(personas.zhou.person, MONDAY, "17:10", ClockKind.OUT)
    result = compute(personas.zhou, MONDAY)
    assert result.status == DayStatus.MISSING_IN and result.missing_in


def test_today_with_only_a_clock_in_is_in_progress(personas, clock):
    from django.utils import timezone

    today = timezone.localdate()
    clock(personas.zhou.person, today, "00:01", ClockKind.IN)
    result = services.result_compute(person=personas.zhou.person, day=today)
    assert result is not None
    if result.is_workday:
        assert result.status == DayStatus.IN_PROGRESS
        assert not result.missing_out


def test_schedules_person_over_unit_over_organ_and_summer_hours(personas, clock):
    zhou = personas.zhou.person
    june = D(2026, 6, 1)  # summer: 08:30–17:30
    clock(zhou, june, "08:45", ClockKind.IN)
    clock(zhou, june, "17:35", ClockKind.OUT)
    assert compute(personas.zhou, june).status == DayStatus.LATE
    Schedule.objects.create(
        name="法工委作息", unit=personas.legal, work_start=dt.time(9, 0), work_end=dt.time(17, 0)
    )
    result = compute(personas.zhou, june)
    assert result.status == DayStatus.NORMAL
    assert result.explanation["schedule"]["scope"] == "单位：法制工作委员会"
    Schedule.objects.create(
        name="周科员弹性", person=zhou, work_start=dt.time(8, 0), work_end=dt.time(16, 0)
    )
    result = compute(personas.zhou, june)
    assert result.status == DayStatus.LATE and result.late_minutes == 45


# --- requests through the approvals engine ----------------------------------------------------


def submit_leave(user, start, end=None, **extra):
    return services.request_submit(
        user=user,
        kind=RequestKind.LEAVE,
        leave_type=extra.pop("leave_type", "annual"),
        start_date=start,
        end_date=end or start,
        reason=extra.pop("reason", "休假"),
        **extra,
    )


def test_leave_is_approved_by_the_unit_head_and_the_day_becomes_leave(personas):
    assert compute(personas.zhou, MONDAY).status == DayStatus.ABSENT
    request = submit_leave(personas.zhou, MONDAY)
    assert request.days == 1 and request.approval is not None
    assert [s.approver for s in request.approval.stages.all()] == [personas.li]
    approval_decide(actor=personas.li, request=request.approval, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    result = DailyResult.objects.get(person=personas.zhou.person, day=MONDAY)
    assert result.status == DayStatus.LEAVE and result.leave_days == 1
    assert any(f"申请#{request.pk}" in r for r in result.reasons)


def test_long_leave_adds_the_leader_step_and_counts_workdays_only(personas, secretary):
    # 2026-02-13 (Fri) to 2026-02-24 (Tue): 14 Sat is a workday, 15–23 are the Spring Festival.
    request = submit_leave(personas.zhou, D(2026, 2, 13), D(2026, 2, 24))
    assert request.days == 3
    assert [s.approver for s in request.approval.stages.all()] == [personas.li, secretary]


def test_approval_by_the_wrong_person_is_refused_and_changes_nothing(personas):
    request = submit_leave(personas.zhou, MONDAY)
    for intruder in (personas.wu, personas.zhou, personas.qian):
        with pytest.raises(PermissionDenied):
            approval_decide(actor=intruder, request=request.approval, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert request.approval.stages.get().status == "pending"


def test_end_before_start_is_refused_and_nothing_is_created(personas):
    with pytest.raises(ValidationError) as error:
        submit_leave(personas.zhou, MONDAY, MONDAY - dt.timedelta(days=1))
    assert "结束日期不能早于开始日期" in str(error.value.message_dict["end_date"])
    assert not AttendanceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_overlapping_requests_are_refused(personas, secretary):
    first = submit_leave(personas.zhou, MONDAY, MONDAY + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match=f"申请#{first.pk}"):
        services.request_submit(
            user=personas.zhou,
            kind=RequestKind.TRIP,
            start_date=MONDAY + dt.timedelta(days=2),
            end_date=MONDAY + dt.timedelta(days=4),
            reason="赴省人大",
            destination="省城",
        )
    assert AttendanceRequest.objects.count() == 1 and ApprovalRequest.objects.count() == 1
    # A morning and an afternoon of the same day do not overlap.
    friday = MONDAY + dt.timedelta(days=4)
    submit_leave(personas.zhou, friday, day_part="am")
    submit_leave(personas.zhou, friday, day_part="pm", leave_type="personal")
    assert AttendanceRequest.objects.count() == 3


def test_a_request_on_rest_days_only_is_refused(personas):
    with pytest.raises(ValidationError, match="无需申请"):
        submit_leave(personas.zhou, D(2026, 3, 7), D(2026, 3, 8))


def test_a_correction_for_a_normal_day_is_refused(personas, workday_pair):
    workday_pair(personas.zhou.person, MONDAY)
    with pytest.raises(ValidationError, match="无需补卡"):
        services.request_submit(
            user=personas.zhou,
            kind=RequestKind.CORRECTION,
            start_date=MONDAY,
            reason="忘记打卡",
            correction_kind=ClockKind.OUT,
            correction_time=dt.time(17, 30),
        )
    assert not AttendanceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_an_approved_correction_adds_a_marked_clock_and_the_day_is_recomputed(personas, clock):
    clock(personas.zhou.person, MONDAY, "08:50", ClockKind.IN)
    assert compute(personas.zhou, MONDAY).status == DayStatus.MISSING_OUT
    request = services.request_submit(
        user=personas.zhou,
        kind=RequestKind.CORRECTION,
        start_date=MONDAY,
        reason="加班后忘记打卡",
        correction_kind=ClockKind.OUT,
        correction_time=dt.time(18, 30),
    )
    with pytest.raises(ValidationError, match="同类补卡申请"):
        services.request_submit(
            user=personas.zhou,
            kind=RequestKind.CORRECTION,
            start_date=MONDAY,
            reason="再补",
            correction_kind=ClockKind.OUT,
            correction_time=dt.time(18, 0),
        )
    approval_decide(actor=personas.li, request=request.approval, approve=True)
    added = ClockRecord.objects.get(source=ClockSource.CORRECTION)
    assert added.correction == request and added.at == at(MONDAY, "18:30")
    result = DailyResult.objects.get(person=personas.zhou.person, day=MONDAY)
    assert result.status == DayStatus.NORMAL
    assert any("补卡" in r for r in result.reasons)


def test_a_rejected_request_leaves_the_day_as_it_was(personas):
    request = submit_leave(personas.zhou, MONDAY)
    approval_decide(actor=personas.li, request=request.approval, approve=False, comment="工作需要")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert compute(personas.zhou, MONDAY).status == DayStatus.ABSENT


def test_withdrawing_marks_the_request(personas):
    request = submit_leave(personas.zhou, MONDAY)
    services.request_withdraw(user=personas.zhou, request=request)
    assert request.status == RequestStatus.WITHDRAWN
    # The freed days may be requested again.
    submit_leave(personas.zhou, MONDAY)


def test_half_day_leave_moves_the_expected_arrival_to_midday(personas, clock):
    request = submit_leave(personas.zhou, MONDAY, day_part="am", leave_type="sick")
    approval_decide(actor=personas.li, request=request.approval, approve=True)
    clock(personas.zhou.person, MONDAY, "12:03", ClockKind.IN)
    clock(personas.zhou.person, MONDAY, "17:02", ClockKind.OUT)
    result = compute(personas.zhou, MONDAY)
    assert result.status == DayStatus.NORMAL and result.leave_days == Decimal("0.5")
    assert result.expected_start == dt.time(12, 0)


def test_trip_result(personas):
    request = services.request_submit(
        user=personas.zhou,
        kind=RequestKind.TRIP,
        start_date=MONDAY,
        end_date=MONDAY,
        reason="赴省人大汇报",
        destination="省城",
    )
    approval_decide(actor=personas.li, request=request.approval, approve=True)
    result = DailyResult.objects.get(person=personas.zhou.person, day=MONDAY)
    assert result.status == DayStatus.TRIP and result.away_days == 1


# --- year-end points --------------------------------------------------------------------------


def test_points_follow_the_rules_with_caps_and_link_their_results(personas, clock, workday_pair):
    zhou, wu = personas.zhou.person, personas.wu.person
    days = [MONDAY + dt.timedelta(days=n) for n in range(5)]
    for day in days:
        workday_pair(wu, day)
    clock(zhou, days[0], "09:30", ClockKind.IN)
    clock(zhou, days[0], "17:10", ClockKind.OUT)
    clock(zhou, days[1], "09:40", ClockKind.IN)
    clock(zhou, days[1], "17:10", ClockKind.OUT)
    # days[2]: no clock -> absent; days[3]: clock-in only -> missing clock-out
    clock(zhou, days[3], "08:40", ClockKind.IN)
    workday_pair(zhou, days[4])
    services.results_compute_range(start=days[0], end=days[-1], person_ids=[zhou.pk, wu.pk])
    services.points_compute(year=2026)

    wu_points = YearPoints.objects.get(person=wu, year=2026)
    assert wu_points.total == Decimal("2")
    assert [e.rule_name for e in wu_points.entries.all()] == ["全勤"]

    zhou_points = YearPoints.objects.get(person=zhou, year=2026)
    entries = {e.rule_name: e for e in zhou_points.entries.all()}
    assert set(entries) == {"迟到", "旷工", "缺卡"}
    assert entries["迟到"].points == Decimal("-1") and entries["迟到"].occurrences == 2
    assert {r.day for r in entries["迟到"].results.all()} == {days[0], days[1]}
    assert entries["旷工"].points == Decimal("-2")
    assert [r.day for r in entries["旷工"].results.all()] == [days[2]]
    assert [r.day for r in entries["缺卡"].results.all()] == [days[3]]
    assert zhou_points.raw_total == Decimal("-3.5") and zhou_points.total == Decimal("-3.5")

    # A rule cap and the total cap.
    PointRule.objects.filter(name="迟到").update(cap=Decimal("0.5"))
    AttendancePolicy.objects.filter(pk=1).update(points_total_cap=Decimal("3"))
    services.points_compute(year=2026)
    zhou_points = YearPoints.objects.get(person=zhou, year=2026)
    late = zhou_points.entries.get(rule_name="迟到")
    assert late.raw_points == Decimal("-1") and late.points == Decimal("-0.5")
    assert zhou_points.raw_total == Decimal("-3") and zhou_points.total == Decimal("-3")
    assert YearPoints.objects.filter(year=2026).count() == 2  # recomputing replaces, never adds


# --- date and length bounds (the probe filed leave dated 2004, and leave longer than a year) ---


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(2004, 3, 1), D(2004, 3, 2), "start_date"),
        (D(2025, 11, 1), D(2025, 11, 3), "start_date"),  # more than a year back
        (D(2028, 1, 3), D(2028, 1, 4), "start_date"),  # more than a year ahead
        (D(2026, 12, 7), D(2027, 12, 31), "end_date"),  # longer than a year
    ],
)
def test_a_request_out_of_the_date_bounds_is_refused(personas, start, end, field):
    with pytest.raises(ValidationError) as error:
        services.request_submit(
            user=personas.zhou,
            kind=RequestKind.LEAVE,
            leave_type="personal",
            start_date=start,
            end_date=end,
            reason="家中有事",
        )
    assert field in error.value.message_dict
    assert not ApprovalRequest.objects.exists()


def test_a_reason_over_the_cap_is_refused(personas):
    with pytest.raises(ValidationError, match="1000"):
        services.request_submit(
            user=personas.zhou,
            kind=RequestKind.LEAVE,
            leave_type="personal",
            start_date=D(2026, 12, 7),
            reason="很" * 1001,
        )
