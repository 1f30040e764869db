from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.approvals import registry, services
from apps.approvals.choices import ApproverKind, RequestStatus, StageStatus
from apps.organization.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def leave_flow(db):
    return services.flow_ensure(
        code="test.leave",
        name="请假审批",
        steps=[
            ("单位负责人审批", ApproverKind.UNIT_HEAD, 0),
            ("主任审批", ApproverKind.DIRECTOR, 3),
        ],
    )


def test_short_request_needs_only_the_unit_head(personas, leave_flow):
    request = services.approval_submit(
        flow_code="test.leave",
        applicant=personas.zhou,
        subject=personas.legal,
        title="事假1天",
        amount=1,
    )
    assert [s.approver for s in request.stages.all()] == [personas.li]
    services.approval_decide(actor=personas.li, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_long_request_climbs_to_the_director_and_the_outcome_runs(personas, leave_flow):
    seen = []
    registry.register_outcome("test.leave", lambda r: seen.append(r.status))
    request = services.approval_submit(
        flow_code="test.leave",
        applicant=personas.zhou,
        subject=personas.legal,
        title="年假5天",
        amount=Decimal(5),
    )
    assert [s.approver for s in request.stages.all()] == [personas.li, personas.zhao]
    with pytest.raises(PermissionDenied):
        services.approval_decide(
            actor=personas.zhao, request=request, approve=True
        )  # not yet his turn
    services.approval_decide(actor=personas.li, request=request, approve=True)
    assert seen == []
    services.approval_decide(actor=personas.zhao, request=request, approve=True)
    assert seen == [RequestStatus.APPROVED]


def test_a_unit_head_goes_to_the_office_head(personas, leave_flow):
    request = services.approval_submit(
        flow_code="test.leave",
        applicant=personas.li,
        subject=personas.legal,
        title="事假1天",
        amount=1,
    )
    assert request.stages.get().approver == personas.qian


def test_refusal_needs_a_comment_and_ends_the_request(personas, leave_flow):
    request = services.approval_submit(
        flow_code="test.leave",
        applicant=personas.zhou,
        subject=personas.legal,
        title="年假5天",
        amount=5,
    )
    with pytest.raises(ValidationError, match="审批意见"):
        services.approval_decide(actor=personas.li, request=request, approve=False)
    assert request.stages.first().status == StageStatus.PENDING
    services.approval_decide(
        actor=personas.li, request=request, approve=False, comment="工作安排冲突"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert list(request.stages.values_list("status", flat=True)) == [
        StageStatus.REJECTED,
        StageStatus.CANCELLED,
    ]
    with pytest.raises(ValidationError, match="不能再审批"):
        services.approval_decide(actor=personas.zhao, request=request, approve=True)


def test_unknown_flow_is_a_clear_message(personas):
    with pytest.raises(ValidationError, match="不存在或已停用"):
        services.approval_submit(
            flow_code="nope", applicant=personas.zhou, subject=Unit.objects.first(), title="x"
        )
