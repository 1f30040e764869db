"""A 下班打卡 right after the 上班打卡, or before the end of the day, is asked about first (issue
10); and an approved leave is what the home and clock pages say, not 今日尚未打卡 / 上班打卡."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.attendance import services
from apps.attendance.choices import ClockKind, RequestStatus
from apps.attendance.models import AttendanceRequest, ClockRecord

from .conftest import at

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # winter hours 09:00–17:00


def test_a_clock_out_soon_after_the_clock_in_needs_confirmation(personas):
    services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "08:50"))
    with pytest.raises(services.ClockOutNeedsConfirmation, match="距今仅 10 分钟"):
        services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "09:00"))
    assert ClockRecord.objects.count() == 1  # nothing written
    confirmed = services.clock_tap(
        user=personas.zhou, ip_address=None, now=at(MONDAY, "09:00"), confirmed=True
    )
    assert confirmed.created and confirmed.record.kind == ClockKind.OUT


def test_a_clock_out_before_the_end_of_the_day_needs_confirmation_and_after_it_none(personas):
    services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "08:50"))
    with pytest.raises(services.ClockOutNeedsConfirmation, match="早于下班时间 17:00"):
        services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "15:30"))
    outcome = services.clock_tap(user=personas.zhou, ip_address=None, now=at(MONDAY, "17:05"))
    assert outcome.created and outcome.record.kind == ClockKind.OUT


def test_the_page_warns_and_only_the_confirm_button_clocks_out(client, personas):
    client.force_login(personas.zhou)
    with time_machine.travel(at(MONDAY, "08:50"), tick=False):
        client.post(reverse("attendance:clock"), REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(at(MONDAY, "09:05"), tick=False):
        response = client.post(reverse("attendance:clock"), REMOTE_ADDR="10.1.1.1", follow=True)
        html = response.content.decode()
        assert "确认要下班打卡吗" in html and 'data-testid="confirm-out-button"' in html
        assert ClockRecord.objects.count() == 1  # the POST without confirmation changed nothing
        client.post(reverse("attendance:clock"), {"confirm": "out"}, REMOTE_ADDR="10.1.1.1")
    assert list(ClockRecord.objects.order_by("at").values_list("kind", flat=True)) == [
        ClockKind.IN,
        ClockKind.OUT,
    ]


@pytest.mark.today("2026-03-02")
def test_an_approved_leave_is_what_the_home_and_clock_pages_say(client, personas):
    request = services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    AttendanceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.APPROVED)
    services.results_compute_range(start=MONDAY, end=MONDAY, person_ids=[personas.zhou.person_id])
    client.force_login(personas.zhou)
    home = client.get("/").content.decode()
    assert "今日年休假（已批准）" in home and "今日尚未打卡" not in home
    page = client.get(reverse("attendance:home")).content.decode()
    assert "当前判定" in page and "请假" in page and "无需打卡" in page
    assert "上班打卡" not in page  # the button reads 实际到岗，仍要打卡
