"""The demo year of documents: realistic, consistent with the services, deterministic."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter

import pytest
import time_machine

from apps.core.demo import generate_organ
from apps.documents.choices import EventKind, IncomingStatus, OutgoingStatus
from apps.documents.demo import generate_documents
from apps.documents.models import (
    DocumentEvent,
    IncomingDocument,
    NumberSequence,
    OutgoingDocument,
)
from apps.ledger.choices import Source

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def demo():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False):
        generate_organ(seed=2026)
        yield generate_documents(seed=2026, today=TODAY)


def test_a_year_of_documents_in_circulation(demo):
    assert demo.outgoing == OutgoingDocument.objects.count() == 260
    assert demo.incoming == IncomingDocument.objects.count() == 180
    statuses = Counter(OutgoingDocument.objects.values_list("status", flat=True))
    assert statuses[OutgoingStatus.ISSUED] > 150
    assert (
        sum(
            statuses[s]
            for s in (
                OutgoingStatus.DRAFT,
                OutgoingStatus.UNIT_REVIEW,
                OutgoingStatus.OFFICE_REVIEW,
                OutgoingStatus.COUNTERSIGN,
                OutgoingStatus.SIGN_OFF,
            )
        )
        > 0
    )
    assert demo.countersigned > 20 and demo.returned > 5
    assert DocumentEvent.objects.filter(kind=EventKind.RETURNED).count() == demo.returned
    assert not OutgoingDocument.objects.filter(created_at__date__gt=TODAY).exists()


def test_numbers_are_consecutive_per_prefix_in_signing_order(demo):
    for sequence in NumberSequence.objects.exclude(prefix="收"):
        signed = OutgoingDocument.objects.filter(prefix=sequence.prefix, year=sequence.year)
        serials = list(signed.order_by("signed_at").values_list("serial", flat=True))
        assert serials == list(range(1, sequence.last + 1))
    for document in OutgoingDocument.objects.filter(serial__isnull=False)[:20]:
        assert document.number == f"{document.prefix}〔{document.year}〕{document.serial}号"
        assert document.signed_version is not None


def test_every_timeline_is_a_chain_of_states(demo):
    for document in OutgoingDocument.objects.all()[:80]:
        events = list(document.events.order_by("created_at", "id"))
        assert events[0].kind == EventKind.DRAFTED
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.created_at >= before.created_at
        assert events[-1].to_status == document.status


def test_a_few_instructions_became_ledger_items(demo):
    linked = IncomingDocument.objects.filter(ledger_item__isnull=False)
    assert linked.count() == demo.instructions_to_ledger >= 1
    for document in linked:
        assert document.ledger_item.source == Source.LEADER_INSTRUCTION
        assert document.ledger_item.leading_leader_id == document.leader_id
    assert IncomingDocument.objects.filter(status=IncomingStatus.ARCHIVED).count() > 50


def test_statistics_of_the_demo_year(demo, client):
    from apps.accounts.models import User
    from apps.documents.selectors import document_statistics

    office = User.objects.get(username="bgs_ganshi")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False):
        figures = document_statistics(office, 2026)
        issued = OutgoingDocument.objects.filter(status=OutgoingStatus.ISSUED).count()
        assert figures["cycle"]["count"] == issued
        assert 1 <= figures["cycle"]["median"] <= 30
        assert figures["bottleneck"]["step"] in {"拟稿", "部门核稿", "办公室核稿", "会签", "签发"}
        assert {row["step"] for row in figures["steps"]} >= {"拟稿", "签发", "用印", "印发"}
        assert figures["volume"]["characters"] > 100 * issued
        assert figures["previous"]["documents"] == 0 and figures["documents_change"] is None
        assert figures["volume"]["materials"] > 0
        slowest = figures["slowest"]
        assert slowest[0]["days"] >= slowest[-1]["days"]
        client.force_login(office)
        html = client.get("/documents/statistics/?year=2026").content.decode()
        assert "用时最长的环节" in html and slowest[0]["title"] in html


def test_the_four_drafting_groups_and_their_materials(demo):
    from apps.documents.choices import MaterialStatus
    from apps.documents.models import DraftingGroup, Material

    assert demo.groups == 4
    assert list(DraftingGroup.objects.values_list("name", flat=True)) == [
        "综合文稿组",
        "法制文稿组",
        "调研文稿组",
        "代表工作文稿组",
    ]
    assert Material.objects.count() == demo.materials == 13
    for material in Material.objects.filter(status=MaterialStatus.APPROVED):
        assert material.approved_version == material.versions.order_by("-number").first()
        assert material.events.filter(kind=EventKind.APPROVED).count() == 1
    assert Material.objects.filter(versions__number__gte=2).exists()  # some went round again
