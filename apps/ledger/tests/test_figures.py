"""Each figure is defined once (apps/ledger/figures.py) and every page that shows it agrees:
the ledger's cards and its filtered list, the statistics, the notice and the dashboards (issue 10)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from apps.core.figures import figure_values
from apps.ledger import figures, selectors, services
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.exporting import notice_figures
from apps.ledger.models import TrackedItem
from apps.ledger.services import MilestoneSpec

from .test_calendar import recolour

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
ASSIGNED = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
COUNTED = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=TZ)
TODAY = COUNTED.date()


@pytest.fixture
def known(personas, make_item, checklist):
    """超期未办结 (and 节点逾期), 反馈逾期 alone, 节点逾期 alone, and a green 财经委 item."""
    with time_machine.travel(ASSIGNED, tick=False):
        late = make_item(title="超期事项")  # deadline 12-15, node 12-01
        feedback = make_item(
            title="反馈逾期事项",
            deadline=DeadlineSpec(date=datetime.date(2026, 12, 31)),
            milestones=[],
        )
        node = make_item(
            title="节点逾期事项",
            deadline=DeadlineSpec(date=datetime.date(2026, 12, 31)),
            milestones=[MilestoneSpec("完成初稿", datetime.date(2026, 12, 5))],
        )
        green = make_item(
            title="财经委事项",
            lead_unit=personas.finance,
            responsible_person=personas.wu.person,
            deadline=DeadlineSpec(date=datetime.date(2027, 3, 31)),
            milestones=[],
        )
        items = [
            services.item_assign(actor=personas.sun, item=i) for i in (late, feedback, node, green)
        ]
    with time_machine.travel(COUNTED, tick=False):
        recolour(items, feedback_due=datetime.date(2027, 1, 31))
        recolour([items[1]], feedback_due=datetime.date(2026, 12, 10))
    return items


EXPECTED = {"overdue": 1, "feedback_late": 1, "milestone_late": 2, "red": 3}


@time_machine.travel(COUNTED, tick=False)
def test_the_three_kinds_of_late_are_counted_apart(personas, known):
    counts = figures.counts(personas.sun, TODAY)
    assert {key: counts[key] for key in EXPECTED} == EXPECTED
    assert counts["open"] == 4


@time_machine.travel(COUNTED, tick=False)
@pytest.mark.parametrize("name", ["zhao", "qian", "sun", "li", "zhou", "wu"])
def test_cards_list_statistics_notice_and_dashboard_agree(client, personas, known, checklist, name):
    user = getattr(personas, name)
    counts = figures.counts(user, TODAY)
    client.force_login(user)
    # The ledger's cards, and the list behind each card.
    summary = client.get(reverse("ledger:item_list")).context["summary"]
    for key in ("red", "overdue", "feedback_late", "milestone_late", "yellow"):
        assert summary[key] == counts[key], (name, key)
        behind = client.get(reverse("ledger:item_list"), {"figure": key}).context["summary"]
        assert behind["total"] == counts[key], (name, key)
    # The dashboards (core's figure registry).
    shown = {v.figure.key: v.value for v in figure_values(user, TODAY)}
    for key in ("red", "overdue", "feedback_late", "milestone_late"):
        assert shown[f"ledger.{key}"] == counts[key], (name, key)
    # The statistics table and its donut.
    rows = selectors.statistics(user)
    assert sum(row["overdue"] for row in rows) == counts["overdue"]
    donut = {w["key"]: w["value"] for w in selectors.warning_distribution(user)}
    assert donut["red"] == counts["red"]
    # The notice (督办通报), which the office and leaders write for the whole list.
    if name in {"zhao", "sun"}:
        assert notice_figures(list(checklist.items.all()), TODAY).overdue == counts["overdue"]


@time_machine.travel(COUNTED, tick=False)
def test_per_unit_counts_link_to_the_same_rows(client, personas, known):
    client.force_login(personas.zhao)
    per_unit = figures.per_unit(personas.zhao, "red", TODAY)
    assert per_unit == {personas.legal.pk: 3}
    response = client.get(figures.list_url("red", personas.legal.pk))
    assert response.context["summary"]["total"] == 3


@time_machine.travel(COUNTED, tick=False)
def test_a_red_row_names_why_it_is_red(client, personas, known):
    client.force_login(personas.sun)
    html = client.get(reverse("ledger:item_list")).content.decode()
    assert "红 · 反馈逾期" in html
    assert "红 · 节点逾期" in html
    assert "红 · 超期未办结、节点逾期" in html


@time_machine.travel(COUNTED, tick=False)
def test_the_ledger_opens_on_open_items_reddest_first(client, personas, known):
    TrackedItem.objects.filter(pk=known[3].pk).update(status="closed")
    client.force_login(personas.sun)
    rows = client.get(reverse("ledger:item_list")).context["rows"]
    assert [r.warning for r in rows][:3] == ["red", "red", "red"]
    assert rows[-1].pk == known[3].pk
