import datetime

import pytest

from apps.ledger import services
from apps.ledger.choices import ItemKind, Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.services import ItemSpec, MilestoneSpec


@pytest.fixture
def checklist(personas):
    return services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )


@pytest.fixture
def make_item(personas, checklist):
    """Register an item led by 法工委 (li heads it, zhou is responsible), led by zhao."""

    def build(**overrides):
        spec = ItemSpec(
            checklist=overrides.pop("checklist", checklist),
            title=overrides.pop("title", "推进立法联系点建设"),
            lead_unit=overrides.pop("lead_unit", personas.legal),
            deadline=overrides.pop("deadline", DeadlineSpec(date=datetime.date(2026, 12, 15))),
            leading_leader=overrides.pop("leading_leader", personas.zhao.person),
            responsible_person=overrides.pop("responsible_person", personas.zhou.person),
            trackers=overrides.pop("trackers", [personas.sun.person]),
            kind=overrides.pop("kind", ItemKind.MATTER),
            milestones=overrides.pop(
                "milestones", [MilestoneSpec("完成调研", datetime.date(2026, 12, 1))]
            ),
            **overrides,
        )
        return services.item_create(actor=personas.sun, spec=spec)

    return build
