"""Global search (issue 10): items and people, each within what the user may see."""

from __future__ import annotations

import datetime

import pytest

from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.services import ItemSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(personas):
    checklist = services.checklist_create(
        actor=personas.sun, name="2026年清单", year=2026, source=Source.PARTY_GROUP
    )
    for title, unit, person in (
        ("推进立法联系点建设", personas.legal, personas.zhou),
        ("开展预算联网监督", personas.finance, personas.wu),
    ):
        item = services.item_create(
            actor=personas.sun,
            spec=ItemSpec(
                checklist=checklist,
                title=title,
                lead_unit=unit,
                deadline=DeadlineSpec(date=datetime.date(2026, 12, 15)),
                leading_leader=personas.zhao.person,
                responsible_person=person.person,
                trackers=[],
                milestones=[],
            ),
        )
        services.item_assign(actor=personas.sun, item=item)


def main(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode().split('<main id="main">')[1]


def test_two_characters_find_items_and_people(client, personas, items):
    client.force_login(personas.sun)
    html = main(client, "立法")
    assert "推进立法联系点建设" in html
    html = main(client, "科员")
    assert "周科员" in html and "吴科员" in html


def test_search_stays_within_the_users_scope(client, personas, items):
    client.force_login(personas.zhou)
    html = main(client, "预算")
    assert "开展预算联网监督" not in html and "没有找到相关的督办事项" in html


def test_administrators_search_no_business(client, personas, items):
    client.force_login(personas.secadmin)
    html = main(client, "立法")
    assert "推进立法联系点建设" not in html
