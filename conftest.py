import pytest

from apps.core.testing.personas import Personas, make_personas
from apps.workcalendar.services import clear_cache


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The working-day cache is per process; a test that edits the calendar must not leak into the next.
    clear_cache()
    yield
    clear_cache()
