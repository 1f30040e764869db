"""A deputy's suggestion handled to completion in a real browser, each role on its own part.

dai (a deputy, on a phone) drafts and submits; sun (General Office) registers it and assigns it to
市人民政府 (主办, its contact gov) with 市交通运输局 (协办, its contact jtj); jtj sends its opinion;
gov answers B; dai is 不满意; sun sends it back for re-handling; gov answers A; dai is 满意; sun
confirms, and the suggestion and its ledger item are closed.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD
from apps.deputies.choices import SuggestionStatus
from apps.deputies.factories import make_body, make_deputy, make_session
from apps.deputies.models import Handling, Suggestion
from apps.ledger.choices import Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(context, base_url: str, username: str):
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def _submit(page, form_selector: str) -> None:
    page.locator(form_selector).locator("button").click()
    page.wait_for_load_state("load")


def test_a_suggestion_goes_from_a_phone_to_closed(
    live_server, working_calendar, personas, browser, artifacts_dir
):
    from playwright.sync_api import expect

    make_session(personas.sun, year=clock.today().year)
    make_deputy("戴代表", account=personas.dai)
    make_body("市交通运输局", "jtj", parent=personas.government)
    url = live_server.url

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    dai = _sign_in(phone, url, "dai")
    sun = _sign_in(desk, url, "sun")
    gov = _sign_in(browser.new_context(locale="zh-CN"), url, "gov")
    jtj = _sign_in(browser.new_context(locale="zh-CN"), url, "jtj")

    # The deputy drafts and submits on the phone.
    dai.goto(url + reverse("deputies:my_suggestion_new"))
    dai.fill("input[name=title]", "关于增开夜班公交的建议")
    dai.fill("textarea[name=content]", "建议在主城区增开夜班公交线路。")
    dai.get_by_role("button", name="保存草稿").click()
    dai.wait_for_load_state("load")
    dai.locator("[data-testid=submit]").click()
    dai.wait_for_load_state("load")
    expect(dai.locator("[data-testid=status]")).to_have_text("待审查")
    suggestion = Suggestion.objects.get()
    # The deputy sees no staff page.
    assert dai.goto(url + reverse("deputies:suggestion_list")).status == 403

    # The office registers and assigns it.
    detail = url + reverse("deputies:suggestion_detail", args=[suggestion.pk])
    sun.goto(detail)
    sun.select_option("[data-testid=review-form] select[name=decision]", "register")
    _submit(sun, "[data-testid=review-form]")
    sun.select_option("[data-testid=assign-form] select[name=mode]", "joint")
    sun.select_option("[data-testid=assign-form] select[name=main]", label="市人民政府")
    sun.select_option("[data-testid=assign-form] select[name=co]", label="市交通运输局")
    _submit(sun, "[data-testid=assign-form]")
    expect(sun.locator("[data-testid=status]")).to_have_text("办理中")
    main = Handling.objects.get(suggestion=suggestion, role="main")
    co = Handling.objects.get(suggestion=suggestion, role="co")

    # The 协办 body sends its opinion; it cannot open the 主办's part.
    jtj.goto(url + reverse("deputies:body_list"))
    jtj.get_by_role("link", name="关于增开夜班公交的建议").click()
    jtj.fill("[data-testid=opinion-form] textarea[name=text]", "同意，配合调整场站。")
    _submit(jtj, "[data-testid=opinion-form]")
    expect(jtj.locator(".alert")).to_contain_text("协办意见已提交")
    assert jtj.goto(url + reverse("deputies:body_detail", args=[main.pk])).status == 404

    # The 主办 answers B.
    body_page = url + reverse("deputies:body_detail", args=[main.pk])
    gov.goto(body_page)
    expect(gov.locator("body")).to_contain_text("同意，配合调整场站。")
    gov.select_option("[data-testid=answer-form] select[name=klass]", "B")
    gov.fill("[data-testid=answer-form] textarea[name=text]", "已列入明年公交线网优化计划。")
    gov.fill("[data-testid=answer-form] input[name=signed_by]", "王市长")
    planned = clock.today() + datetime.timedelta(days=200)
    gov.fill("[data-testid=answer-form] input[name=planned_resolution]", planned.isoformat())
    _submit(gov, "[data-testid=answer-form]")
    expect(gov.locator("[data-testid=item-status]")).to_have_text("已报办结")

    # The deputy is not satisfied.
    mine = url + reverse("deputies:my_suggestion", args=[suggestion.pk])
    dai.goto(mine)
    dai.check("input[name=satisfaction][value=unsatisfied]")
    dai.fill("textarea[name=note]", "希望今年就开通。")
    dai.locator("[data-testid=feedback]").click()
    dai.wait_for_load_state("load")
    expect(dai.locator("body")).to_contain_text("不满意")

    # The office sends it back for re-handling; the 主办 answers A.
    sun.goto(detail)
    sun.locator("[data-testid=rehandle]").click()
    sun.wait_for_load_state("load")
    expect(sun.locator(".alert")).to_contain_text("重新办理")
    gov.goto(body_page)
    gov.select_option("[data-testid=answer-form] select[name=klass]", "A")
    gov.fill("[data-testid=answer-form] textarea[name=text]", "夜班公交线路已于本月开通。")
    gov.fill("[data-testid=answer-form] input[name=signed_by]", "王市长")
    _submit(gov, "[data-testid=answer-form]")

    # The deputy is satisfied and the office closes it.
    dai.goto(mine)
    dai.locator("[data-testid=letter]").last.locator("input[value=satisfied]").check()
    dai.locator("[data-testid=letter]").last.locator("[data-testid=feedback]").click()
    dai.wait_for_load_state("load")
    dai.screenshot(path=artifacts_dir / "deputies-answered-phone.png", full_page=True)
    sun.goto(detail)
    sun.locator("[data-testid=conclude]").click()
    sun.wait_for_load_state("load")
    expect(sun.locator("[data-testid=status]")).to_have_text("办结")
    sun.screenshot(path=artifacts_dir / "deputies-closed-desktop.png", full_page=True)

    suggestion.refresh_from_db()
    main.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED and suggestion.rehandled
    assert main.item.status == Status.CLOSED
    assert [a.klass for a in suggestion.answers.order_by("id")] == ["B", "A"]
    co.refresh_from_db()
    assert co.opinion == "同意，配合调整场站。"
    phone.close()
    desk.close()
