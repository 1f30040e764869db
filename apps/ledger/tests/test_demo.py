import datetime

import pytest

from apps.core.demo.organ import generate_organ
from apps.ledger.choices import ItemKind, Status
from apps.ledger.demo import generate_ledger
from apps.ledger.models import Checklist, TrackedItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ledger(db):
    generate_organ()
    return generate_ledger(today=datetime.date(2026, 11, 27))


def test_the_numbers_of_the_text(demo_ledger):
    lists = {c.source: c for c in Checklist.objects.all()}
    assert lists["party_group"].items.count() == 22
    assert lists["inspection"].items.filter(kind=ItemKind.PROBLEM).count() == 24
    assert lists["work_points"].items.count() == 60
    assert TrackedItem.objects.filter(kind=ItemKind.MEASURE, parent__isnull=True).count() == 0
    assert set(TrackedItem.objects.values_list("status", flat=True)) >= {
        Status.CLOSED,
        Status.IN_PROGRESS,
    }
    assert demo_ledger.overdue > 0 and demo_ledger.closed > demo_ledger.items // 2


def test_every_timeline_ends_in_the_items_state(demo_ledger):
    for item in TrackedItem.objects.prefetch_related("events"):
        transitions = [e for e in item.events.all() if e.to_status]
        assert transitions[-1].to_status == item.status, item


def test_closed_problems_have_all_measures_closed(demo_ledger):
    for problem in TrackedItem.objects.filter(kind=ItemKind.PROBLEM, status=Status.CLOSED):
        assert not problem.children.exclude(status=Status.CLOSED).exists()


def test_deterministic(db):
    generate_organ()
    first = generate_ledger(today=datetime.date(2026, 11, 27))
    titles = list(TrackedItem.objects.order_by("id").values_list("title", "status", "deadline"))
    assert first.items == 157
    assert titles[0][0] == "健全五级人大代表协同履职机制"


def test_a_demo_built_in_january_tells_last_year():
    from apps.ledger.demo import demo_year

    assert demo_year(datetime.date(2027, 1, 4)) == 2026
    assert demo_year(datetime.date(2027, 2, 28)) == 2026
    assert demo_year(datetime.date(2027, 3, 1)) == 2027
