"""Responsibility lists (一岗双责) and branch activities."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.ledger.models import TrackedItem
from apps.party import selectors, services
from apps.party.models import BranchActivity, ResponsibilityList

from .conftest import D

pytestmark = pytest.mark.django_db

BOTH = [("party", "落实党风廉政建设责任，每季度研究一次"), ("work", "牵头完成年度立法计划")]


def test_a_list_carries_both_duties(personas):
    with pytest.raises(ValidationError, match="一岗双责"):
        services.list_create(
            actor=personas.sun, year=2026, person=personas.li.person, post="主任", items=BOTH[1:]
        )
    assert ResponsibilityList.objects.count() == 0
    lst = services.list_create(
        actor=personas.sun, year=2026, person=personas.li.person, post="主任", items=BOTH
    )
    with pytest.raises(ValidationError, match="已经制定"):
        services.list_create(
            actor=personas.sun, year=2026, person=personas.li.person, post="主任", items=BOTH
        )
    item = lst.items.get(order=1)
    with pytest.raises(PermissionDenied):
        services.item_evidence(actor=personas.zhou, item=item, evidence="记实")
    with pytest.raises(ValidationError, match="年终检查前须有履责记实"):
        services.item_check(actor=personas.sun, item=item, stage="year_end", result="done")
    services.item_evidence(actor=personas.li, item=item, evidence="召开专题会议4次")
    services.item_check(actor=personas.sun, item=item, stage="midyear", result="on_track")
    item = services.item_check(actor=personas.sun, item=item, stage="year_end", result="done")
    assert (item.midyear, item.year_end) == ("on_track", "done")
    item = services.responsibility_to_ledger(
        actor=personas.sun, item=item, lead_unit=personas.legal, deadline=D(2026, 12, 31)
    )
    assert item.ledger_item.lead_unit == personas.legal
    assert TrackedItem.objects.count() == 1


@pytest.mark.today("2026-12-28")
def test_activities_count_against_the_rules(personas):
    with pytest.raises(ValidationError, match="实到人数不能多于应到人数"):
        services.activity_record(
            actor=personas.li,
            branch=personas.legal,
            kind="general_meeting",
            date=D(2026, 3, 1),
            title="支部党员大会",
            expected=5,
            present=6,
        )
    with pytest.raises(PermissionDenied):
        services.activity_record(
            actor=personas.li,
            branch=personas.finance,
            kind="lecture",
            date=D(2026, 3, 1),
            title="党课",
            expected=5,
            present=5,
        )
    assert BranchActivity.objects.count() == 0
    for month in (3, 6):
        services.activity_record(
            actor=personas.li,
            branch=personas.legal,
            kind="general_meeting",
            date=D(2026, month, 1),
            title="支部党员大会",
            expected=5,
            present=4,
        )
    counts = {c.unit.short_name: c for c in selectors.activity_counts(2026)}
    assert counts["法工委"].counts["general_meeting"] == 2
    assert "支部党员大会2/4" in counts["法工委"].shortfalls
