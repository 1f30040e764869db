"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright's sync API."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread while the browser is open, and
# Django refuses ORM calls from such a thread unless told that this is deliberate (the tests only
# touch the database between browser steps). The variable is set only while the browser is open:
# set for the whole session it would leak into other tests (`check --deploy` warns about it).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        message = "未找到 /usr/bin/chromium，请先执行 apt-get install chromium fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(f"持续集成环境必须运行浏览器测试：{message}")
        pytest.skip(message)
    # Imported here so that a machine without Playwright can still collect the other tests.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def working_calendar(transactional_db) -> None:
    """Reload the holiday table that migrations put there.

    Browser tests run in transactions that are flushed afterwards, which empties the table the
    migrations filled; serialized_rollback should restore it, but not while Playwright's event
    loop runs in this thread (seen: the table stays empty). Loading the package years is
    idempotent and cheap.

    The flush also recreates the content types under new ids, while Django's per-process cache
    still holds the old ones: a generic relation written from the test thread (an approval's
    subject) would then point at a content type that no longer exists. Forget the cache.
    """
    from django.contrib.contenttypes.models import ContentType

    from apps.workcalendar.services import import_package_years

    ContentType.objects.clear_cache()
    import_package_years()
