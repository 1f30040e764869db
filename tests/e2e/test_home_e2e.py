"""Each role's first screen in a real browser, on a desktop and on a 390×844 phone (issue 10):
what each home shows, the ledger as cards, the whole week in the calendar, the clock page and my
items on a phone, no horizontal scrolling, no console error, no other host, and axe-core (vendored,
offline) finding no serious or critical accessibility violation. Screenshots: artifacts/e2e/."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import TrackedItem
from apps.ledger.services import ItemSpec

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def _red_items(personas, count: int) -> None:
    """`count` 法工委 items, assigned, their deadline passed five days ago."""
    checklist = services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )
    today = clock.today()
    for n in range(count):
        item = services.item_create(
            actor=personas.sun,
            spec=ItemSpec(
                checklist=checklist,
                title=f"推进立法联系点建设第{n + 1}项工作",
                lead_unit=personas.legal,
                deadline=DeadlineSpec(date=today + datetime.timedelta(days=40)),
                leading_leader=personas.zhao.person,
                responsible_person=personas.zhou.person,
                trackers=[personas.sun.person],
                milestones=[],
            ),
        )
        services.item_assign(actor=personas.sun, item=item)
    late = today - datetime.timedelta(days=5)
    TrackedItem.objects.update(deadline=late, warn_from=late - datetime.timedelta(days=3))
    for item in TrackedItem.objects.all():
        services.refresh_warning_dates(item)


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa"]});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )
    return list(result)


class Visit:
    """One browser context for one user and screen size, recording errors and foreign requests."""

    def __init__(self, browser, base: str, username: str, viewport: dict, artifacts: Path):
        # bypass_csp: only so that the test can inject axe-core; the pages' own CSP is unchanged.
        self.context = browser.new_context(locale="zh-CN", viewport=viewport, bypass_csp=True)
        self.page = self.context.new_page()
        self.base, self.username, self.viewport, self.artifacts = (
            base,
            username,
            viewport,
            artifacts,
        )
        self.errors: list[str] = []
        self.foreign: list[str] = []
        own = urlsplit(base).netloc
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on(
            "request",
            lambda request: (
                self.foreign.append(request.url)
                if urlsplit(request.url).scheme in {"http", "https"}
                and urlsplit(request.url).netloc != own
                else None
            ),
        )
        _sign_in(self.page, base, username)

    def open(self, path: str, shot: str) -> str:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        size = "phone" if self.viewport == PHONE else "desktop"
        self.page.screenshot(path=self.artifacts / f"home-{shot}-{size}.png", full_page=True)
        if self.viewport == PHONE:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, f"{shot}: the page scrolls sideways ({width}px)"
        violations = _axe(self.page)
        assert not violations, f"{shot} ({size}): {violations}"
        return self.page.inner_text("main")

    def close(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign
        self.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_roles_first_screen(
    live_server, personas, browser, artifacts_dir, working_calendar, viewport
):
    _red_items(personas, 3)
    base = live_server.url

    leader = Visit(browser, base, "zhao", viewport, artifacts_dir)
    text = leader.open("/", "leader")
    assert "各单位情况" in text and "超期未办结" in text and "全机关待审批" in text
    assert "今日尚未打卡" not in text
    leader.page.click("[data-figure='ledger.overdue']")
    leader.page.wait_for_load_state("load")
    assert "只显示“超期未办结”的事项" in leader.page.inner_text("main")
    leader.close()

    head = Visit(browser, base, "li", viewport, artifacts_dir)
    text = head.open("/", "unit-head")
    assert "本单位督办事项（红色在前）" in text and "本单位今日不在岗" in text
    assert "暂无需要您办理的督办事项" not in text
    head.close()

    staff = Visit(browser, base, "zhou", viewport, artifacts_dir)
    text = staff.open("/", "staff")
    assert "我的督办事项" in text and "各单位情况" not in text
    text = staff.open(reverse("ledger:item_list"), "ledger")
    # Every key field of an item shows, on the phone too (as a card).
    row = staff.page.locator("table.ledger-table tbody tr").first
    assert row.locator("td.rc-title").is_visible()
    for field in ("牵头单位", "办结时限", "预警", "状态"):
        cell = row.locator(f'td[data-label="{field}"]')
        assert cell.is_visible() and cell.inner_text().strip(), field
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"] + 1, field
    assert row.locator(".ledger-warning").is_visible()
    assert "红 · 超期未办结" in row.inner_text()
    if viewport == PHONE:
        assert not staff.page.locator("#filter-q").is_visible()  # behind the 筛选 button
        staff.page.click(".filter-summary")
        assert staff.page.locator("#filter-q").is_visible()
    staff.open(reverse("ledger:calendar") + "?view=week", "calendar-week")
    assert staff.page.locator(".cal-week-day").count() == 7
    assert staff.page.locator(".cal-week-day").last.is_visible()
    staff.open(reverse("attendance:home"), "clock")
    assert staff.page.locator("[data-testid=clock-button]").is_visible()
    staff.open(reverse("ledger:my_items"), "my-items")
    staff.open(reverse("organization:directory"), "directory")
    staff.open(reverse("core:search") + "?q=立法", "search")
    staff.close()

    admin = Visit(browser, base, "sysadmin", viewport, artifacts_dir)
    text = admin.open("/", "sysadmin")
    assert "督办台账" not in admin.page.inner_text("body")
    admin.close()
