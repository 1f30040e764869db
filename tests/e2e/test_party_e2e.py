"""A party group meeting with a 三重一大 item, run in a real browser from agenda to decision to a
ledger item, and refused at each missing step.

sun (General Office) registers the meeting of the five-member party group (zhao the secretary,
li, qian and two others, one of whom is away), adds a 三重一大 item (refused: the 第一议题 comes
first), then the 第一议题 and the item; the decision is refused without prior consultation, then
with the secretary not speaking last, then with a recused member voting; recorded properly it
passes, and sun assigns it to the office as a ledger item, which the meeting page links to.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD, PersonFactory
from apps.ledger.models import TrackedItem
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership
from apps.party.models import MajorDecision, PartyMeeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SUBMIT = "[data-testid=decision-form] button[type=submit]"


def _sign_in(context, base_url: str, username: str):
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def test_a_major_matter_from_agenda_to_ledger(
    live_server, working_calendar, personas, browser, artifacts_dir
):
    from playwright.sync_api import expect

    start = datetime.date(2020, 1, 1)
    chen, wang = PersonFactory(name="陈副书记"), PersonFactory(name="王成员")
    for person, role in (
        (personas.zhao.person, PartyGroupRole.SECRETARY),
        (chen, PartyGroupRole.DEPUTY_SECRETARY),
        (personas.qian.person, PartyGroupRole.MEMBER),
        (personas.li.person, PartyGroupRole.MEMBER),
        (wang, PartyGroupRole.MEMBER),
    ):
        PartyGroupMembership.objects.create(person=person, role=role, start_date=start)
    today = clock.today()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sun = _sign_in(context, live_server.url, "sun")

    # 1. The meeting: wang is away, zhou sits in.
    sun.goto(live_server.url + reverse("party:meeting_create"))
    sun.fill("input[name=date]", today.isoformat())
    sun.fill("input[name=place]", "党组会议室")
    sun.select_option("select[name=presider]", str(personas.zhao.person.pk))
    sun.select_option("select[name=recorder]", str(personas.sun.person.pk))
    sun.fill("textarea[name=absences]", "王成员：参加省人大培训")
    sun.select_option("select[name=non_voting]", [str(personas.zhou.person.pk)])
    sun.click(".card-body form button[type=submit]")
    expect(sun.get_by_test_id("quorum")).to_contain_text("应到 5 人，实到 4 人")
    meeting = PartyMeeting.objects.get()

    # 2. The agenda: 第一议题 first.
    form = sun.get_by_test_id("agenda-form")
    form.locator("select[name=kind]").select_option("major")
    form.locator("input[name=title]").fill("机关办公楼维修改造项目")
    form.locator("button").click()
    expect(sun.locator("body")).to_contain_text("须以“第一议题”开篇")
    form = sun.get_by_test_id("agenda-form")
    form.locator("select[name=kind]").select_option("first_topic")
    form.locator("input[name=title]").fill(
        "传达学习习近平总书记关于坚持和完善人民代表大会制度的重要思想"
    )
    form.locator("button").click()
    form = sun.get_by_test_id("agenda-form")
    form.locator("select[name=kind]").select_option("major")
    form.locator("input[name=title]").fill("机关办公楼维修改造项目")
    form.locator("button").click()
    expect(sun.get_by_test_id("agenda")).to_contain_text("三重一大")

    # 3. The decision, refused at each missing step.
    sun.get_by_test_id("record-decision").click()
    sun.select_option("select[name=category]", "project")
    sun.fill("input[name=matter]", "机关办公楼维修改造")
    sun.fill("input[name=amount]", "260")
    sun.fill("textarea[name=materials]", "维修方案、预算评审报告")
    opinions = "陈副书记：同意\n钱主任：同意：建议分期实施\n李主任：同意\n赵主任：同意"
    sun.fill("textarea[name=opinions]", opinions)
    sun.click(SUBMIT)
    expect(sun.get_by_test_id("decision-form")).to_contain_text("须经会前酝酿")
    sun.fill("input[name=consulted_with]", "党组书记、分管领导、办公室")
    consulted = (today - datetime.timedelta(days=5)).isoformat()
    sun.fill("input[name=consulted_on]", consulted)
    sun.fill("textarea[name=opinions]", "赵主任：同意\n陈副书记：同意\n钱主任：同意\n李主任：同意")
    sun.click(SUBMIT)
    expect(sun.get_by_test_id("decision-form")).to_contain_text("须由赵主任末位表态")
    sun.fill("input[name=consulted_on]", consulted)
    sun.fill("textarea[name=recusals]", "李主任：近亲属在投标单位任职")
    sun.fill("textarea[name=opinions]", opinions)
    sun.click(SUBMIT)
    expect(sun.get_by_test_id("decision-form")).to_contain_text("李主任已回避，不能参与表态和表决")
    assert MajorDecision.objects.count() == 0
    sun.fill("input[name=consulted_on]", consulted)
    sun.fill("textarea[name=opinions]", "陈副书记：同意\n钱主任：同意：建议分期实施\n赵主任：同意")
    sun.click(SUBMIT)
    expect(sun.get_by_test_id("agenda")).to_contain_text("通过")
    decision = MajorDecision.objects.get()
    assert decision.recusals.get().member == personas.li.person
    assert [o.member.name for o in decision.opinions.order_by("order")][-1] == "赵主任"

    # 4. Followed up in the ledger.
    ledger = sun.get_by_test_id("to-ledger")
    ledger.locator("select[name=lead_unit]").select_option(str(personas.office.pk))
    ledger.locator("input[name=deadline]").fill((today + datetime.timedelta(days=60)).isoformat())
    ledger.locator("button").click()
    expect(sun.get_by_test_id("ledger-link")).to_contain_text("已交办")
    item = TrackedItem.objects.get()
    assert item.source == "party_group" and item.lead_unit == personas.office
    sun.screenshot(path=str(artifacts_dir / "party_meeting.png"), full_page=True)
    assert meeting.items.count() == 2
    context.close()
