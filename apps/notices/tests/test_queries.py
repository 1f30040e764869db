"""Publishing, the receipt page, the list and the home panel cost the same number of queries for
10 recipients as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.navigation import home_panels_for
from apps.notices import selectors, services
from apps.notices.panels import unread_panel

from .factories import make_notice, staffed_unit

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-10")]


def _count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _measure(personas, size: int, django_capture_on_commit_callbacks) -> dict[str, int]:
    unit, users = staffed_unit(size, name=f"测试委{size}")
    notice = make_notice(personas, units=[unit, personas.legal], requires_confirmation=True)
    counts = {}
    with django_capture_on_commit_callbacks(execute=True):
        counts["publish"] = _count(
            lambda: services.notice_publish(actor=personas.sun, notice=notice)
        )
    notice.refresh_from_db()
    for user in users[: size // 2]:
        services.notice_read(reader=user, notice=notice)
    for user in users[: size // 4]:
        services.notice_confirm(reader=user, notice=notice)
    for n in range(3):
        make_notice(personas, title=f"其他通知{n}", units=[unit])
    reader = users[-1]
    counts["summary"] = _count(lambda: selectors.receipt_summary(notice))
    counts["list"] = _count(lambda: list(selectors.notices_for(reader)[:20]))
    counts["panel"] = _count(lambda: unread_panel(reader))
    return counts


def test_constant_queries_for_10_and_100_recipients(personas, django_capture_on_commit_callbacks):
    small = _measure(personas, 10, django_capture_on_commit_callbacks)
    large = _measure(personas, 100, django_capture_on_commit_callbacks)
    assert small == large, (small, large)
    assert large["summary"] == 2


def test_the_receipt_page_in_constant_queries(client, personas, django_assert_max_num_queries):
    unit, _users = staffed_unit(60)
    notice = make_notice(personas, units=[unit])
    services.notice_publish(actor=personas.sun, notice=notice)
    client.force_login(personas.zhao)
    client.get(f"/notices/{notice.pk}/receipts/")  # warm the per-process caches
    with django_assert_max_num_queries(15):
        assert client.get(f"/notices/{notice.pk}/receipts/").status_code == 200


def test_the_home_page_asks_the_panel_once(personas):
    assert any(p.title.startswith("通知公告") for p in home_panels_for(personas.wu))
