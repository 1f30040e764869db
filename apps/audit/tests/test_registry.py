"""The catch-all recording of tracked models, for saves with `update_fields`."""

from __future__ import annotations

import pytest

from apps.approvals import services
from apps.approvals.models import ApprovalStage
from apps.approvals.services import ChainStep
from apps.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def updates_of(stage):
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE,
            object_type=stage._meta.label_lower,
            object_id=str(stage.pk),
        ).values_list("detail", flat=True)
    )


def stage_of(personas):
    request = services.approval_submit(
        flow_code="test.audit",
        flow_name="审计测试",
        applicant=personas.zhou,
        subject=personas.legal,
        title="x",
        chain=[ChainStep("核稿", [personas.li])],
    )
    return ApprovalStage.objects.get(request=request)


@pytest.mark.parametrize("field", ["approver", "approver_id"])
def test_a_foreign_key_saved_with_update_fields_is_recorded(personas, field):
    stage = stage_of(personas)
    stage.approver = personas.qian
    stage.save(update_fields=[field])
    assert updates_of(stage) == [{"approver_id": [personas.li.pk, personas.qian.pk]}]


def test_fields_left_out_of_update_fields_are_not_recorded(personas):
    stage = stage_of(personas)
    stage.approver = personas.qian
    stage.comment = "改了"
    stage.save(update_fields=["comment"])
    assert updates_of(stage) == [{"comment": ["", "改了"]}]
