"""Parallel sign-offs on PostgreSQL: consecutive 文号, no gap, no duplicate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from apps.documents import services
from apps.documents.choices import DocumentType, OutgoingStatus
from apps.documents.models import NumberSequence, OutgoingDocument

SIGNERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_sign_offs_take_consecutive_numbers(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    documents = []
    for n in range(SIGNERS):
        document = services.outgoing_create(
            actor=personas.zhou,
            spec=services.DraftSpec(
                title=f"关于第{n + 1}项工作的通知",
                doc_type=DocumentType.NOTICE,
                body="正文。",
                signer=personas.zhao.person,
            ),
        )
        document = services.outgoing_submit(actor=personas.zhou, document=document)
        document = services.outgoing_approve(actor=personas.li, document=document)
        documents.append(services.outgoing_approve(actor=personas.sun, document=document))
    # One document is signed twice at once as well: exactly one of the two wins.
    targets = [*documents, documents[0]]
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def sign(document):
        try:
            barrier.wait()
            services.outgoing_sign(
                actor=personas.zhao, document=OutgoingDocument.objects.get(pk=document.pk)
            )
            outcomes.append("ok")
        except services.TransitionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(d,)) for d in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok"] * SIGNERS + ["refused"]
    signed = OutgoingDocument.objects.filter(status=OutgoingStatus.SIGNED)
    assert sorted(signed.values_list("serial", flat=True)) == list(range(1, SIGNERS + 1))  # type: ignore[type-var]
    assert NumberSequence.objects.get(prefix="常办发").last == SIGNERS
