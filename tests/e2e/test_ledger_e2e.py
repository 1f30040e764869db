"""The closed loop of one assigned matter, in a real browser, by the people who do each step.

sun (General Office) assigns a draft; zhou (法工委, responsible) acknowledges, feeds back and
reports completion with a file; sun returns it once, then verifies and closes it with evidence.
The item page must tell each of them what they may do now, and the timeline must show every step.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.core.testing.factories import TEST_PASSWORD
from apps.ledger import services
from apps.ledger.choices import Source, Status
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import TrackedItem
from apps.ledger.services import ItemSpec

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(context, base_url: str, username: str):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm asks before closing etc.
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def _act(
    page, label: str, fields: dict[str, str] | None = None, files: dict[str, str] | None = None
):
    """Open the action panel called `label`, fill it in and confirm."""
    panel = page.locator("details.ledger-action", has=page.locator("summary", has_text=label))
    if panel.get_attribute("open") is None:  # a refused form comes back with its panel open
        panel.locator("summary").click()
    for name, value in (fields or {}).items():
        panel.locator(f"[name={name}]").fill(value)
    for name, path in (files or {}).items():
        panel.locator(f"input[name={name}]").set_input_files(path)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def test_an_item_goes_round_the_loop_in_the_browser(
    live_server, working_calendar, personas, browser, artifacts_dir, tmp_path
):
    from playwright.sync_api import expect

    checklist = services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )
    item = services.item_create(
        actor=personas.sun,
        spec=ItemSpec(
            checklist=checklist,
            title="新建基层立法联系点",
            lead_unit=personas.legal,
            deadline=DeadlineSpec(date=datetime.date(2026, 12, 28)),
            leading_leader=personas.zhao.person,
            responsible_person=personas.zhou.person,
            trackers=[personas.sun.person],
        ),
    )
    item_url = live_server.url + reverse("ledger:item_detail", args=[item.pk])
    evidence = tmp_path / "联系点挂牌照片说明.txt"
    evidence.write_text("三个联系点已挂牌运行。", encoding="utf-8")

    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    unit = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    sun = _sign_in(office, live_server.url, "sun")
    zhou = _sign_in(unit, live_server.url, "zhou")

    sun.goto(item_url)
    _act(sun, "交办")
    expect(sun.locator(".alert")).to_contain_text("交办")

    zhou.goto(item_url)
    _act(zhou, "签收")
    _act(zhou, "进展反馈", {"text": "已完成选址，正在协调挂牌。", "percent": "60"})
    _act(zhou, "报送办结", {"text": "三个联系点已建成并挂牌。"}, {"attachments": str(evidence)})
    zhou.screenshot(path=artifacts_dir / "ledger-reported-phone.png", full_page=True)

    sun.goto(item_url)
    _act(sun, "退回", {"reason": "请补充联系点工作规则。"})
    zhou.goto(item_url)
    _act(zhou, "报送办结", {"text": "已补充工作规则。"})
    sun.goto(item_url)
    _act(sun, "核验")
    # A close without evidence is refused and changes nothing.
    _act(sun, "销号", {"evidence": ""})
    expect(sun.locator("body")).to_contain_text("销号须填写销号依据")
    assert TrackedItem.objects.get(pk=item.pk).status == Status.VERIFIED
    _act(sun, "销号", {"evidence": "联系点挂牌照片及工作规则已归档。"})
    sun.screenshot(path=artifacts_dir / "ledger-closed-desktop.png", full_page=True)

    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.verifier == personas.sun
    timeline = sun.locator("body").inner_text()
    for step in ("交办", "签收", "进展反馈", "退回", "核验", "销号"):
        assert step in timeline
    assert item.attachments.filter(name="联系点挂牌照片说明.txt").exists()
    office.close()
    unit.close()
