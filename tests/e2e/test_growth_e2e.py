"""A Monday study session, planned on the calendar and signed into by QR code in a real browser.

sun (General Office) plans the weekly 机关集中学习 through the form; on the next planned Monday
afternoon she shows the session's QR code on the host's screen; zhou scans it (the test reads the
link the code carries and checks that the code on screen is that link's QR code) and signs in on a
phone from the allowed network; wu is on an approved leave that day. After the session the roll
counts zhou present, wu on leave (not absent) and the others absent.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import segno
from django.urls import reverse

from apps.approvals.services import approval_decide
from apps.attendance import services as attendance
from apps.attendance.models import AttendancePolicy
from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD, interim_head
from apps.growth.choices import Presence, SessionStatus
from apps.growth.models import StudyAttendance, StudyPlan
from apps.organization.models import UnitMembership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def _sign_in(context, base_url: str, username: str):
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def _approve_leave(user, day: datetime.date) -> None:
    # The approval flows come from attendance's data migration, which the flush of transactional
    # tests empties (as the holiday table, see `working_calendar`); put them back.
    import importlib

    from django.apps import apps

    importlib.import_module(
        "apps.attendance.migrations.0002_default_flows_schedule_rules"
    ).forwards(apps, None)
    # The unit's head post is vacant among the personas, and a vacant approver's post refuses the
    # request: someone heads it until the day before (so that the day's roll is the personas').
    unit = UnitMembership.objects.on(clock.today()).get(person=user.person).unit
    interim_head(unit, until=day - datetime.timedelta(days=1))
    request = attendance.request_submit(
        user=user, kind="leave", leave_type="annual", start_date=day, reason="探望老人"
    )
    while request.status == "pending":
        stage = request.approval.stages.filter(status="pending").order_by("order").first()
        approval_decide(
            actor=stage.approver, request=request.approval, approve=True, comment="同意"
        )
        request.refresh_from_db()
    assert request.status == "approved"


def test_a_monday_session_signed_in_by_qr_code(
    live_server, working_calendar, personas, browser, artifacts_dir, time_machine
):
    from playwright.sync_api import expect

    today = clock.today()
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(10, 0), tzinfo=BEIJING))
    AttendancePolicy.objects.update_or_create(pk=1, defaults={"allowed_networks": "127.0.0.0/8"})
    year = (today + datetime.timedelta(days=8)).year

    # 1. The office plans the Monday study through the form.
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sun = _sign_in(office, live_server.url, "sun")
    sun.goto(live_server.url + reverse("growth:plan_create"))
    sun.fill("input[name=name]", "机关集中学习（每周一下午）")
    sun.fill("input[name=year]", str(year))
    sun.fill("input[name=start_time]", "15:00")
    sun.fill("input[name=end_time]", "17:00")
    sun.fill("input[name=place]", "机关三楼第一会议室")
    sun.fill("input[name=title]", "机关集中学习")
    sun.get_by_role("button", name="保存").click()
    sun.wait_for_load_state("load")
    expect(sun.locator(".alert")).to_contain_text("已按工作日历生成")
    plan = StudyPlan.objects.get(year=year)
    session = (
        plan.sessions.filter(status=SessionStatus.SCHEDULED, date__gt=today)
        .order_by("date")
        .first()
    )
    assert session is not None and session.planned_date.weekday() == 0
    office.close()

    # wu is away that day on an approved annual leave.
    _approve_leave(personas.wu, session.date)

    # 2. On the day, during the session: the host's screen shows the QR code.
    time_machine.move_to(
        datetime.datetime.combine(session.date, datetime.time(15, 5), tzinfo=BEIJING)
    )
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sun = _sign_in(office, live_server.url, "sun")
    sun.goto(live_server.url + reverse("growth:session_detail", args=[session.pk]))
    sun.locator("[data-testid=show-qr]").click()
    sun.wait_for_load_state("load")
    qr = sun.locator("[data-testid=qr-code]")
    expect(qr.locator("svg")).to_be_visible()
    sign_url = qr.get_attribute("data-sign-url")
    assert sign_url.startswith(live_server.url) and "?t=" in sign_url
    # The code on screen is exactly the QR code of that link (rendered on the server as SVG).
    on_screen = re.findall(r'd="([^"]+)"', qr.inner_html())
    expected = re.findall(r'd="([^"]+)"', segno.make(sign_url, error="m").svg_inline(light="#fff"))
    assert on_screen == expected
    sun.screenshot(path=artifacts_dir / "growth-qr-host.png", full_page=True)

    # 3. zhou scans it with a phone and confirms.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    zhou = _sign_in(phone, live_server.url, "zhou")
    zhou.goto(sign_url)
    zhou.locator("[data-testid=confirm-sign-in]").click()
    zhou.wait_for_load_state("load")
    expect(zhou.locator(".alert")).to_contain_text("签到成功")
    expect(zhou.locator("[data-testid=own-presence]")).to_contain_text("出席")
    zhou.screenshot(path=artifacts_dir / "growth-signed-in-phone.png", full_page=True)
    row = StudyAttendance.objects.get(session=session, person=personas.zhou.person)
    assert (row.presence, row.method, row.ip_address) == (Presence.PRESENT, "qr", "127.0.0.1")

    # 4. After the session the roll is computed: wu on leave is not absent.
    time_machine.move_to(
        datetime.datetime.combine(session.date, datetime.time(17, 30), tzinfo=BEIJING)
    )
    office.close()
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sun = _sign_in(office, live_server.url, "sun")
    sun.goto(live_server.url + reverse("growth:session_roll", args=[session.pk]))
    expect(sun.locator("[data-testid=roll-present]")).to_have_text("1")
    expect(sun.locator("[data-testid=roll-on-leave]")).to_have_text("1")
    expect(sun.locator("[data-testid=roll-absent]")).to_have_text("3")
    expect(sun.locator("[data-testid=roll-rate]")).to_have_text("25.0%")
    expect(sun.locator("tr[data-person=吴科员]")).to_contain_text("请假或公出（已批准）")
    sun.screenshot(path=artifacts_dir / "growth-roll.png", full_page=True)
    office.close()
    phone.close()
