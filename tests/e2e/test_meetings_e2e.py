"""A Standing Committee session end to end in a real browser.

sun (the General Office) drafts the session and its agenda, records the 主任会议's decision and
sends the notice; gov (市人民政府's contact) uploads the material against its deadline; at the
meeting sun signs members in and watches the quorum line turn, times the item with two taps on a
phone-sized 会中 screen, records the vote, closes, compiles and sends the opinions; gov reports how
they were handled; sun enters the 满意度测评 and concludes: the opinions' ledger item is closed.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD
from apps.meetings.choices import OpinionStatus, SessionStatus
from apps.meetings.models import AgendaItem, Opinion, Session, Vote
from apps.meetings.tests.factories import make_members
from apps.organization.models import Unit

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


def test_a_session_runs_end_to_end(
    live_server, working_calendar, personas, browser, artifacts_dir, time_machine
):
    from playwright.sync_api import expect

    today = clock.today()
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(9, 0), tzinfo=BEIJING))
    members = make_members(5)
    url = live_server.url
    day = today + datetime.timedelta(days=10)

    # 1. The office drafts the session and its agenda.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sun = _sign_in(desk, url, "sun")
    sun.goto(url + reverse("meetings:session_create"))
    sun.fill("input[name=date]", day.isoformat())
    sun.get_by_role("button", name="保存").click()
    sun.wait_for_load_state("load")
    session = Session.objects.get()
    form = sun.locator("[data-testid=item-form]")
    form.locator("input[name=title]").fill("市人民政府关于国有资产管理情况的报告")
    form.locator("select[name=item_type]").select_option("work_report")
    form.locator("select[name=reporting_body]").select_option(str(personas.government.pk))
    form.locator("select[name=committee]").select_option(
        str(Unit.objects.get(name="财政经济工作委员会").pk)
    )
    form.locator("input[name=planned_minutes]").fill("40")
    form.get_by_role("button", name="加入议程").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=agenda]")).to_contain_text("国有资产管理情况")

    # 2. The 主任会议 decides the agenda; the notice goes out.
    sun.goto(url + reverse("meetings:directors_meeting_create"))
    sun.get_by_role("button", name="保存").click()
    sun.wait_for_load_state("load")
    sun.goto(url + reverse("meetings:session_detail", args=[session.pk]))
    sun.locator("select[name=directors_meeting]").select_option(index=1)
    sun.locator("[data-testid=decide]").click()
    sun.wait_for_load_state("load")
    sun.locator("[data-testid=send-notice]").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=session-status]")).to_have_text("已发会议通知")

    # 3. The reporting body uploads its material.
    body = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    gov = _sign_in(body, url, "gov")
    gov.goto(url + reverse("meetings:body_home"))
    gov.get_by_role("link", name="市人民政府关于国有资产管理情况的报告").click()
    gov.wait_for_load_state("load")
    gov.fill("input[name=title]", "国有资产管理情况的报告")
    gov.fill("input[name=pages]", "12")
    gov.fill("input[name=characters]", "8600")
    gov.set_input_files(
        "input[name=file]",
        files=[{"name": "报告.txt", "mimeType": "text/plain", "buffer": "报告正文".encode()}],
    )
    gov.get_by_role("button", name="报送").click()
    gov.wait_for_load_state("load")
    expect(gov.locator(".alert")).to_contain_text("第1版")

    # 4. Sign-in at the meeting: the quorum line turns at three of five.
    sun.goto(url + reverse("meetings:session_detail", args=[session.pk]))
    sun.locator("[data-testid=open-session]").click()
    sun.wait_for_load_state("load")
    sun.goto(url + reverse("meetings:attendance", args=[session.pk]))
    for n, member in enumerate(members[:3]):
        sun.locator(f"[data-testid=present-{member.pk}]").click()
        sun.wait_for_load_state("load")
        if n == 1:
            expect(sun.locator("[data-testid=quorum]")).to_contain_text("未超过半数，不能表决")
    expect(sun.locator("[data-testid=quorum]")).to_contain_text("已超过半数，可以表决")
    sun.screenshot(path=str(artifacts_dir / "meetings-attendance.png"), full_page=True)

    # 5. The item timed with two taps on a phone.
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    sun_phone = _sign_in(phone, url, "sun")
    sun_phone.goto(url + reverse("meetings:live", args=[session.pk]))
    sun_phone.locator("[data-testid=tap-1]").tap()
    sun_phone.wait_for_load_state("load")
    expect(sun_phone.locator("[data-testid=tap-1]")).to_contain_text("点击结束")
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(9, 25), tzinfo=BEIJING))
    sun_phone.locator("[data-testid=tap-1]").tap()
    sun_phone.wait_for_load_state("load")
    expect(sun_phone.locator("[data-testid=tap-1]")).to_contain_text("已结束")
    sun_phone.screenshot(path=str(artifacts_dir / "meetings-live.png"), full_page=True)
    item = AgendaItem.objects.get()
    assert item.actual_minutes == 25

    # 6. The vote, counted against all five members; the session closes.
    sun.goto(url + reverse("meetings:item_detail", args=[item.pk]))
    vote = sun.locator("[data-testid=vote-form]")
    vote.locator("input[name=yes]").fill("3")
    for name in ("no", "abstain", "not_voted"):
        vote.locator(f"input[name={name}]").fill("0")
    vote.get_by_role("button", name="登记表决结果").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=vote-result]")).to_have_text("通过")
    assert Vote.objects.get().passed
    sun.goto(url + reverse("meetings:session_detail", args=[session.pk]))
    sun.fill("textarea[name=minutes]", "会议审议了国有资产管理情况的报告。")
    sun.locator("[data-testid=close-session]").click()
    sun.wait_for_load_state("load")
    assert Session.objects.get().status == SessionStatus.CLOSED

    # 7. Opinions compiled, signed and sent to the body.
    sun.goto(url + reverse("meetings:item_detail", args=[item.pk]))
    sun.fill("textarea[name=text]", "一、进一步摸清资产底数。")
    sun.get_by_role("button", name="保存审议意见").click()
    sun.wait_for_load_state("load")
    sun.locator("[data-testid=opinion-sign]").click()
    sun.wait_for_load_state("load")
    sun.locator("[data-testid=opinion-send]").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=opinion-status]")).to_have_text("已交办")

    # 8. The body reports how it handled them.
    gov.goto(url + reverse("meetings:body_home"))
    gov.get_by_role("link", name="关于市人民政府关于国有资产管理情况的报告的审议意见").click()
    gov.wait_for_load_state("load")
    gov.fill("textarea[name=text]", "已逐条研究处理。")
    gov.get_by_role("button", name="报送").click()
    gov.wait_for_load_state("load")
    expect(gov.locator("[data-testid=opinion-status]")).to_have_text("已报送处理情况")

    # 9. 满意度测评 and the conclusion: the ledger item is closed.
    sun.goto(url + reverse("meetings:item_detail", args=[item.pk]))
    rating = sun.locator("[data-testid=rating-form]")
    for member in members[:4]:
        rating.locator(f"select[name=m{member.pk}]").select_option("satisfied")
    rating.get_by_role("button", name="登记测评").click()
    sun.wait_for_load_state("load")
    sun.locator("[data-testid=opinion-conclude]").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=opinion-status]")).to_have_text("已办结")
    opinion = Opinion.objects.get()
    assert opinion.status == OpinionStatus.ACCEPTED
    assert opinion.tracked_item is not None and opinion.tracked_item.status == "closed"
    sun.screenshot(path=str(artifacts_dir / "meetings-opinion.png"), full_page=True)
    for context in (desk, body, phone):
        context.close()
