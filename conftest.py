"""Fixtures for the whole suite, and the organ's clock under test.

Time is an input: a test that depends on "today" says which day it is, with `@pytest.mark.today`
(or `time_machine` directly). To prove that nothing else depends on the real date, the whole suite
can run on another day: `ORGAN_TEST_TODAY=2029-06-15 pytest` starts every test on that date (the
clock still ticks). CI runs the suite on the real date, in late December and years past the holiday
package's data.
"""

import datetime
import os
import zoneinfo

import pytest
import time_machine

from apps.core.testing.personas import Personas, make_personas
from apps.workcalendar.services import clear_cache

ORGAN_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
_session_travel: time_machine.travel | None = None


def organ_moment(day: str) -> datetime.datetime:
    """10:00 Beijing time on `day` (YYYY-MM-DD): a working morning, whatever the date."""
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(10, 0), tzinfo=ORGAN_TIME_ZONE
    )


def pytest_configure(config: pytest.Config) -> None:
    global _session_travel
    config.addinivalue_line(
        "markers", "today(day): run the test on that date, 10:00 Beijing time (YYYY-MM-DD)"
    )
    frozen = os.environ.get("ORGAN_TEST_TODAY")
    if frozen:
        _session_travel = time_machine.travel(organ_moment(frozen), tick=True)
        _session_travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_travel is not None:
        _session_travel.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test with its own `@pytest.mark.today` runs on that day whatever ORGAN_TEST_TODAY says:
    # in a run on another day it would only repeat itself, so the run leaves it out.
    if not os.environ.get("ORGAN_TEST_TODAY"):
        return
    pinned = [item for item in items if item.get_closest_marker("today")]
    if pinned:
        config.hook.pytest_deselected(items=pinned)
        items[:] = [item for item in items if not item.get_closest_marker("today")]


def pytest_report_header(config: pytest.Config) -> str | None:
    frozen = os.environ.get("ORGAN_TEST_TODAY")
    return f"组织时钟：测试从 {frozen} 开始（ORGAN_TEST_TODAY）" if frozen else None


@pytest.fixture(autouse=True)
def _organ_today(request: pytest.FixtureRequest):
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(organ_moment(marker.args[0]), tick=True):
        yield


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The working-day cache is per process; a test that edits the calendar must not leak into the next.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_content_types_around_flushes(request):
    # A transactional test ends with a flush that recreates the content types under new ids, while
    # the per-process ContentType cache keeps the old ones; with two xdist workers any test may
    # follow one. Forget the cache around such tests (tests that count queries are not transactional).
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
