"""Extension requests go through the approvals engine: one approval mechanism for the platform."""

from __future__ import annotations

import datetime

import pytest

from apps.approvals import services as approvals
from apps.approvals.choices import EventKind as ApprovalEvent
from apps.approvals.choices import RequestStatus
from apps.approvals.models import ApprovalStage
from apps.ledger import services
from apps.ledger.choices import EventKind, ExtensionStatus
from apps.ledger.models import ExtensionRequest
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db

LATER = datetime.date(2026, 12, 30)


@pytest.fixture
def extension(personas, make_item, django_capture_on_commit_callbacks):
    item = services.item_assign(actor=personas.sun, item=make_item())
    with django_capture_on_commit_callbacks(execute=True):
        return services.extension_request(
            actor=personas.zhou, item=item, new_deadline=LATER, reason="需协调多个部门"
        )


def test_the_request_waits_in_the_leading_leaders_approvals(personas, extension):
    approval = extension.approval
    assert approval.flow.code == services.EXTENSION_FLOW
    assert approval.applicant == personas.zhou
    stage = ApprovalStage.objects.get(request=approval)
    assert (stage.approver, stage.name, stage.status) == (
        personas.zhao,
        "领责督办领导审批",
        "pending",
    )
    assert Notification.objects.filter(
        recipient=personas.zhao, title=f"待审批：延期申请：{extension.item.title}"
    ).exists()


def test_deciding_in_the_approvals_engine_moves_the_deadline(personas, extension):
    approvals.approval_decide(
        actor=personas.zhao, request=extension.approval, approve=True, comment="同意"
    )
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by, extension.decision_note) == (
        ExtensionStatus.GRANTED,
        personas.zhao,
        "同意",
    )
    assert extension.item.deadline == LATER
    assert extension.item.events.filter(kind=EventKind.EXTENSION_GRANTED).count() == 1


def test_the_ledger_page_decision_is_the_engines_decision(personas, extension):
    services.extension_decide(actor=personas.zhao, request=extension, grant=False, note="不宜延期")
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    approval = extension.approval
    assert approval.status == RequestStatus.REJECTED
    event = approval.events.get(kind=ApprovalEvent.REJECTED)
    assert (event.actor, event.note) == (personas.zhao, "不宜延期")
    assert event.working_hours is not None


def test_a_leader_passes_it_to_a_colleague_who_decides(personas, extension):
    approvals.approval_transfer(
        actor=personas.zhao,
        request=extension.approval,
        colleague=personas.qian,
        note="请办公室把关",
    )
    approvals.approval_decide(actor=personas.qian, request=extension.approval, approve=True)
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == (ExtensionStatus.GRANTED, personas.qian)


def test_the_applicant_withdraws_it_in_the_engine(personas, extension):
    approvals.approval_withdraw(actor=personas.zhou, request=extension.approval)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.WITHDRAWN
    assert extension.item.events.filter(kind=EventKind.EXTENSION_WITHDRAWN).exists()
    # A new request may be made once the old one is withdrawn.
    again = services.extension_request(
        actor=personas.zhou, item=extension.item, new_deadline=LATER, reason="再次申请"
    )
    assert again.approval.status == RequestStatus.PENDING


def test_closing_the_item_ends_its_pending_approval(personas, extension):
    item = services.item_acknowledge(actor=personas.zhou, item=extension.item)
    item = services.item_report_completion(actor=personas.zhou, item=item, text="已完成")
    item = services.item_verify(actor=personas.sun, item=item)
    services.item_close(actor=personas.sun, item=item, evidence="材料齐全")
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert extension.approval.status == RequestStatus.CANCELLED
    assert not approvals.pending_stages(extension.approval)


def test_a_request_made_before_the_engine_gets_its_approval_when_decided(personas, extension):
    old = extension.approval
    ExtensionRequest.objects.filter(pk=extension.pk).update(approval=None)
    approvals.approval_cancel(actor=personas.sun, request=old, note="迁移前的申请")
    extension.refresh_from_db()
    services.extension_decide(actor=personas.zhao, request=extension, grant=True)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.GRANTED
    assert extension.approval.status == RequestStatus.APPROVED


def test_a_leader_without_an_account_is_a_clear_message(personas, make_item):
    from django.core.exceptions import ValidationError

    from apps.core.testing.factories import PersonFactory
    from apps.organization.choices import LeadershipTitle
    from apps.organization.models import LeadershipPost

    wang = PersonFactory(name="王副主任")
    LeadershipPost.objects.create(
        person=wang, title=LeadershipTitle.DEPUTY_DIRECTOR, start_date="2022-01-01"
    )
    item = services.item_assign(actor=personas.sun, item=make_item(leading_leader=wang))
    with pytest.raises(ValidationError, match="王副主任没有可用的账号"):
        services.extension_request(
            actor=personas.zhou, item=item, new_deadline=LATER, reason="需协调"
        )
    assert not ExtensionRequest.objects.exists()
