"""Item numbers are unambiguous across lists (issue 10: "two items in different lists both show as
023"): each list has a code ("2026交办", a second list of the year "2026交办2"), shown with the
serial everywhere and searchable."""

import datetime

import pytest
from django.urls import reverse

from apps.core.search import search
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import Checklist, TrackedItem
from apps.ledger.selectors import text_q
from apps.ledger.services import ItemSpec

pytestmark = pytest.mark.django_db


def _item(personas, checklist, serial, title):
    return services.item_create(
        actor=personas.sun,
        spec=ItemSpec(
            checklist=checklist,
            title=title,
            lead_unit=personas.legal,
            deadline=DeadlineSpec(date=datetime.date(2026, 12, 15)),
            leading_leader=personas.zhao.person,
            responsible_person=personas.zhou.person,
            trackers=[],
            milestones=[],
            serial=serial,
        ),
    )


@pytest.mark.today("2026-06-01")
def test_two_lists_number_023_apart_and_the_number_finds_the_right_one(client, personas):
    first = services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )
    second = services.checklist_create(
        actor=personas.sun,
        name="2026年党组交办事项清单（补充）",
        year=2026,
        source=Source.PARTY_GROUP,
    )
    inspection = services.checklist_create(
        actor=personas.sun, name="2026年巡察反馈问题清单", year=2026, source=Source.INSPECTION
    )
    assert [first.code, second.code, inspection.code] == ["2026交办", "2026交办2", "2026巡察"]
    a = _item(personas, first, "023", "甲事项")
    b = _item(personas, second, "023", "乙事项")
    c = _item(personas, inspection, "023", "丙事项")
    assert {a.reference, b.reference, c.reference} == {
        "2026交办-023",
        "2026交办2-023",
        "2026巡察-023",
    }

    def found(text):
        return set(TrackedItem.objects.filter(text_q(text)).values_list("title", flat=True))

    assert found("2026交办-023") == {"甲事项"}
    assert found("2026交办2-023") == {"乙事项"}
    assert found("巡察-023") == {"丙事项"}  # without the year: that source's lists of every year
    assert found("023") == {"甲事项", "乙事项", "丙事项"}

    client.force_login(personas.sun)
    html = client.get(reverse("ledger:item_list")).content.decode()
    assert "2026交办-023" in html and "2026交办2-023" in html and "2026巡察-023" in html
    html = client.get(reverse("ledger:item_list"), {"q": "2026交办2-023"}).content.decode()
    assert "乙事项" in html and "甲事项" not in html
    detail = client.get(reverse("ledger:item_detail", args=[b.pk])).content.decode()
    assert "2026交办2-023" in detail
    services.item_assign(actor=personas.sun, item=c)  # the global search lists no drafts
    hits = [hit for group in search(personas.sun, "2026巡察-023") for hit in group["hits"]]
    assert any(hit.title.startswith("2026巡察-023 丙事项") for hit in hits)


def test_existing_lists_get_codes_in_the_order_they_were_made(personas):
    # The migration's rule and the model's agree: the first list of a year and source has no number.
    lists = [
        Checklist.objects.create(
            name=f"清单{n}", year=2025, source=Source.INSPECTION, created_by=personas.sun
        )
        for n in range(3)
    ]
    assert [c.code for c in lists] == ["2025巡察", "2025巡察2", "2025巡察3"]
