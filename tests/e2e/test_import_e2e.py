"""A rectification sheet imported in a real browser: upload, preview with its column mapping,
确认导入, the result — with no script beyond htmx and the platform's own files."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.testing.factories import TEST_PASSWORD, UnitFactory
from apps.ledger import services
from apps.ledger.choices import ItemKind, Source
from apps.ledger.models import TrackedItem
from apps.ledger.tests.data import rectification_sheet
from apps.organization.services import unit_alias_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_office_imports_its_rectification_sheet(
    live_server, working_calendar, personas, browser, artifacts_dir, tmp_path
):
    from playwright.sync_api import expect

    checklist = services.checklist_create(
        actor=personas.sun, name="2026年巡察反馈问题整改台账", year=2026, source=Source.INSPECTION
    )
    UnitFactory(name="人事代表选举任免联络工作委员会", short_name="人代联工委")
    unit_alias_add(unit=personas.finance, name="财经工委")
    sheet = tmp_path / "巡察整改台账.xlsx"
    sheet.write_bytes(rectification_sheet())

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", "sun")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")

    page.goto(live_server.url + reverse("imports:upload", args=["ledger"]))
    page.select_option("select[name=checklist]", str(checklist.pk))
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text("第 3 行为表头")
    expect(page.locator("[data-import-preview]")).to_contain_text("每月开展一次集体学习")
    expect(page.locator("body")).to_contain_text("说明行，不导入")
    page.screenshot(path=artifacts_dir / "import-preview-desktop.png", full_page=True)
    assert not TrackedItem.objects.exists()

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text("导入完成")
    page.screenshot(path=artifacts_dir / "import-done-desktop.png", full_page=True)
    assert TrackedItem.objects.filter(kind=ItemKind.PROBLEM).count() == 3
    assert TrackedItem.objects.filter(kind=ItemKind.MEASURE).count() == 8
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert not outside, outside
    context.close()
