"""Two 会签 answers at once on PostgreSQL: the step closes exactly once and the next opens once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from apps.approvals import services
from apps.approvals.choices import EventKind, StageStatus
from apps.approvals.models import ApprovalRequest
from apps.approvals.services import ChainStep


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_countersign_answers_at_once_close_the_step_once(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    request = services.approval_submit(
        flow_code="test.countersign",
        flow_name="会签测试",
        applicant=personas.zhou,
        subject=personas.legal,
        title="关于会签的请示",
        chain=[
            ChainStep("会签", [personas.qian, personas.wu]),
            ChainStep("签发", [personas.zhao]),
        ],
    )
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def answer(actor):
        try:
            barrier.wait()
            services.approval_decide(
                actor=actor, request=ApprovalRequest.objects.get(pk=request.pk), approve=True
            )
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    # qian answers twice at once as well: exactly one of his two answers counts.
    threads = [
        threading.Thread(target=answer, args=(actor,))
        for actor in (personas.qian, personas.wu, personas.qian)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("ok") == 2
    assert [o for o in outcomes if o != "ok"] == [
        "ValidationError(['您所在的审批环节已经结束，不能再审批。'])"
    ]
    stages = {
        (s.order, s.approver.username): s.status for s in request.stages.select_related("approver")
    }
    assert stages == {
        (0, "qian"): StageStatus.APPROVED,
        (0, "wu"): StageStatus.APPROVED,
        (1, "zhao"): StageStatus.PENDING,
    }
    assert request.events.filter(kind=EventKind.APPROVED).count() == 2
