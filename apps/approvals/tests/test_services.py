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


@pytest.fixture
def secretary_flow(db):
    return services.flow_ensure(
        code="test.secretary",
        name="出差审批",
        steps=[("秘书长审批", ApproverKind.SECRETARY_GENERAL, 0)],
    )


def _submit_to_secretary(personas):
    return services.approval_submit(
        flow_code="test.secretary",
        applicant=personas.zhou,
        subject=personas.legal,
        title="出差2天",
        amount=2,
    )


def test_a_vacant_secretary_general_refuses_instead_of_going_to_the_director(
    personas, secretary_flow
):
    """Issue 10: a “秘书长审批” step silently went to the 主任. Now nothing is submitted and the
    message names the post."""
    from apps.approvals.models import ApprovalRequest

    with pytest.raises(ValidationError, match="“秘书长审批”应由秘书长审批，但秘书长目前空缺"):
        _submit_to_secretary(personas)
    assert not ApprovalRequest.objects.exists()


def test_a_secretary_general_without_an_account_is_named(personas, secretary_flow):
    from apps.core.testing.factories import PersonFactory, UserFactory
    from apps.organization.choices import LeadershipTitle
    from apps.organization.models import LeadershipPost

    holder = PersonFactory(name="王秘书长")
    LeadershipPost.objects.create(
        person=holder, title=LeadershipTitle.SECRETARY_GENERAL, start_date="2024-01-01"
    )
    with pytest.raises(ValidationError, match="应由秘书长王秘书长审批，但其尚无可用的系统账号"):
        _submit_to_secretary(personas)
    account = UserFactory(username="wangmsz", person=holder, role="leader")
    request = _submit_to_secretary(personas)
    assert request.stages.get().approver == account


def test_a_vacant_unit_head_refuses_but_a_unit_heads_own_request_goes_up(personas, leave_flow):
    from apps.organization.models import UnitMembership

    UnitMembership.objects.filter(person=personas.li.person).update(is_head=False)
    with pytest.raises(ValidationError, match="应由本单位负责人审批，但本单位负责人目前空缺"):
        services.approval_submit(
            flow_code="test.leave",
            applicant=personas.zhou,
            subject=personas.legal,
            title="事假1天",
            amount=1,
        )
    # The office head's own request goes past him to the secretary-general: vacant, so refused.
    with pytest.raises(ValidationError, match="秘书长目前空缺"):
        services.approval_submit(
            flow_code="test.leave",
            applicant=personas.qian,
            subject=personas.office,
            title="事假1天",
            amount=1,
        )
