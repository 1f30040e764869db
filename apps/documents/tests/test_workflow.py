"""发文 runs on the approvals engine: its 核稿, 会签 and 签发 are the steps of one request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.approvals import services as approvals
from apps.approvals.choices import EventKind as ApprovalEventKind
from apps.approvals.choices import RequestStatus, StageStatus
from apps.documents import services
from apps.documents.choices import CountersignStatus, EventKind, OutgoingStatus
from apps.documents.models import OutgoingDocument

from .test_services import draft, heads  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def chain(document):
    return [
        (s.order, s.name, s.approver.username, s.status)
        for s in document.approval.stages.select_related("approver").order_by("order", "id")
    ]


def test_sending_a_draft_fixes_its_chain(personas, heads):  # noqa: F811
    document = draft(personas, units=[personas.finance])
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    assert document.approval.flow.code == services.OUTGOING_FLOW
    assert chain(document) == [
        (0, "部门核稿", "li", StageStatus.PENDING),
        (1, "办公室核稿", "qian", StageStatus.WAITING),
        (1, "办公室核稿", "sun", StageStatus.WAITING),
        (2, "会签", "cjw_head", StageStatus.WAITING),
        (3, "签发", "zhao", StageStatus.WAITING),
    ]
    document = services.outgoing_approve(actor=personas.li, document=document)
    document = services.outgoing_approve(actor=personas.sun, document=document)
    # Either person of the office answers for the office.
    assert [s[3] for s in chain(document) if s[1] == "办公室核稿"] == [
        StageStatus.SKIPPED,
        StageStatus.APPROVED,
    ]
    countersign = document.countersigns.get()
    services.countersign_answer(actor=heads["finance"], countersign=countersign, agree=True)
    document = services.outgoing_sign(
        actor=personas.zhao, document=OutgoingDocument.objects.get(pk=document.pk)
    )
    assert document.status == OutgoingStatus.SIGNED and document.number
    assert document.approval.status == RequestStatus.APPROVED
    kinds = list(document.approval.events.values_list("kind", "step_name"))
    assert kinds == [
        (ApprovalEventKind.SUBMITTED, "部门核稿"),
        (ApprovalEventKind.APPROVED, "部门核稿"),
        (ApprovalEventKind.APPROVED, "办公室核稿"),
        (ApprovalEventKind.APPROVED, "会签"),
        (ApprovalEventKind.APPROVED, "签发"),
    ]
    assert all(
        e.working_hours is not None
        for e in document.approval.events.exclude(kind=ApprovalEventKind.SUBMITTED)
    )


def test_a_review_passed_on_by_transfer_is_approved_by_the_colleague(personas, heads):  # noqa: F811
    document = services.outgoing_submit(actor=personas.zhou, document=draft(personas))
    approvals.approval_transfer(
        actor=personas.li, request=document.approval, colleague=personas.wu, note="请代为核稿"
    )
    document.refresh_from_db()
    assert services.holds_step(personas.wu, document)
    assert not services.holds_step(personas.li, document)
    document = services.outgoing_approve(actor=personas.wu, document=document)
    assert document.status == OutgoingStatus.OFFICE_REVIEW


def test_a_reviewer_added_by_add_signer_keeps_the_step_open(personas, heads):  # noqa: F811
    document = services.outgoing_submit(actor=personas.zhou, document=draft(personas))
    approvals.approval_add_signer(
        actor=personas.li, request=document.approval, colleague=personas.wu
    )
    document = services.outgoing_approve(actor=personas.li, document=document)
    assert document.status == OutgoingStatus.UNIT_REVIEW
    document = services.outgoing_approve(actor=personas.wu, document=document)
    assert document.status == OutgoingStatus.OFFICE_REVIEW
    assert document.events.filter(kind=EventKind.UNIT_APPROVED).count() == 2


def test_the_office_returns_during_countersign_through_the_engine(personas, heads):  # noqa: F811
    document = draft(personas, units=[personas.finance])
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    document = services.outgoing_approve(actor=personas.li, document=document)
    document = services.outgoing_approve(actor=personas.sun, document=document)
    services.outgoing_return(actor=personas.sun, document=document, reason="请先征求预算委意见")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.DRAFT
    assert document.approval.status == RequestStatus.RETURNED
    assert document.events.latest("created_at", "id").note == "请先征求预算委意见"
    assert document.countersigns.get().status == CountersignStatus.CLOSED
    # Sent again: a new request, the old one ended.
    old = document.approval
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    old.refresh_from_db()
    assert old.status == RequestStatus.CANCELLED
    assert document.approval.status == RequestStatus.PENDING


def test_a_document_sent_before_the_engine_gets_its_request_on_the_next_step(personas, heads):  # noqa: F811
    document = draft(personas, units=[personas.finance])
    OutgoingDocument.objects.filter(pk=document.pk).update(status=OutgoingStatus.OFFICE_REVIEW)
    document.refresh_from_db()
    assert document.approval is None
    assert services.holds_step(personas.sun, document)
    document = services.outgoing_approve(actor=personas.sun, document=document)
    assert document.status == OutgoingStatus.COUNTERSIGN
    assert [s[1] for s in chain(document)] == ["办公室核稿", "办公室核稿", "会签", "签发"]


def test_the_approvals_page_sends_deciding_to_the_document_page(client, personas, heads):  # noqa: F811
    document = services.outgoing_submit(actor=personas.zhou, document=draft(personas))
    client.force_login(personas.li)
    url = reverse("approvals:request_detail", args=[document.approval_id])
    html = client.get(url).content.decode()
    assert "审批意见请在" in html and "同意</button>" not in html and "转办</button>" in html
    response = client.post(
        reverse("approvals:request_decide", args=[document.approval_id]),
        {"decision": "approve"},
        follow=True,
    )
    assert "该申请请在公文页面办理。" in response.content.decode()
    document.refresh_from_db()
    assert document.status == OutgoingStatus.UNIT_REVIEW


@pytest.fixture
def material(personas):
    from apps.documents.choices import MaterialKind
    from apps.documents.models import DraftingGroup

    group = DraftingGroup.objects.create(
        name="法制文稿组", lead_unit=personas.legal, head=personas.li.person
    )
    group.members.add(personas.zhou.person)
    return services.material_create(
        actor=personas.zhou,
        spec=services.MaterialSpec(
            group,
            "关于地方立法工作情况的调研报告",
            MaterialKind.RESEARCH,
            personas.zhao.person,
            "正文",
        ),
    )


def test_review_rounds_and_sign_off_are_rounds_and_steps_of_one_request(personas, material):
    from apps.documents.choices import MaterialStatus

    material = services.material_submit(actor=personas.zhou, material=material)
    request = material.approval_request
    material = services.material_review(
        actor=personas.li, material=material, comment="请补充案例。", passed=False
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    material = services.material_submit(actor=personas.zhou, material=material)
    assert material.approval_request_id == request.pk
    request.refresh_from_db()
    assert request.round == 2
    material = services.material_review(
        actor=personas.li, material=material, comment="", passed=True
    )
    material = services.material_return(actor=personas.zhao, material=material, reason="再精炼")
    material = services.material_submit(actor=personas.zhou, material=material)
    material = services.material_review(
        actor=personas.li, material=material, comment="", passed=True
    )
    material = services.material_approve(actor=personas.zhao, material=material, opinion="同意")
    assert material.status == MaterialStatus.APPROVED
    request.refresh_from_db()
    assert (request.status, request.round) == (RequestStatus.APPROVED, 3)
    assert list(request.events.values_list("kind", flat=True)) == [
        ApprovalEventKind.SUBMITTED,
        ApprovalEventKind.RETURNED,
        ApprovalEventKind.RESUBMITTED,
        ApprovalEventKind.APPROVED,
        ApprovalEventKind.RETURNED,
        ApprovalEventKind.RESUBMITTED,
        ApprovalEventKind.APPROVED,
        ApprovalEventKind.APPROVED,
    ]


def test_a_sign_off_passed_on_to_another_leader(personas, material):
    from apps.documents.choices import MaterialStatus

    material = services.material_submit(actor=personas.zhou, material=material)
    material = services.material_review(
        actor=personas.li, material=material, comment="", passed=True
    )
    approvals.approval_transfer(
        actor=personas.zhao, request=material.approval_request, colleague=personas.qian
    )
    material = services.material_approve(actor=personas.qian, material=material)
    assert material.status == MaterialStatus.APPROVED
