"""The flows of outgoing and incoming documents, and every refusal the issue names."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from apps.accounts.choices import Role
from apps.audit.models import AuditEvent
from apps.core.testing.factories import MembershipFactory, PersonFactory, UserFactory
from apps.documents import services
from apps.documents.choices import (
    CountersignStatus,
    DocumentType,
    EventKind,
    IncomingStatus,
    OutgoingStatus,
)
from apps.documents.layout import render_docx, render_pdf
from apps.documents.models import DocumentEvent, NumberSequence, OutgoingDocument
from apps.documents.printing import body_blocks, official_document
from apps.documents.selectors import version_diff
from apps.documents.services import TransitionError
from apps.ledger import services as ledger
from apps.ledger.choices import Source, Status
from apps.organization.models import Unit

from .gbt9704 import check_docx, check_pdf

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
BODY = (
    "为深入贯彻落实常委会党组工作部署，现就开展年度立法调研有关事项通知如下。\n"
    "一、调研内容\n"
    "（一）立法需求。重点了解各方面对地方性法规的立法需求。\n"
    "二、工作要求\n"
    "各单位要高度重视，按时报送调研报告。"
)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def heads(personas):
    """A head of 财经委 and of a third committee, to countersign."""
    budget = Unit.objects.create(
        name="预算工作委员会", short_name="预算委", kind="committee", sort_order=3
    )

    def head(username: str, unit: Unit):
        person = PersonFactory(name=f"{unit.short_name}主任")
        MembershipFactory(person=person, unit=unit, is_head=True, post_title="主任")
        return UserFactory(username=username, person=person, role=Role.UNIT_HEAD)

    return {"finance": head("cjw_head", personas.finance), "budget": head("ysw_head", budget)}


def draft(personas, *, units=(), **changes):
    spec = services.DraftSpec(
        title=changes.pop("title", "关于开展2027年度立法调研工作的通知"),
        doc_type=changes.pop("doc_type", DocumentType.NOTICE),
        body=changes.pop("body", BODY),
        signer=changes.pop("signer", personas.zhao.person),
        recipients="各工作委员会，办公室各处室",
        copy_to="常委会各位领导",
        countersign_units=list(units),
        **changes,
    )
    return services.outgoing_create(actor=personas.zhou, spec=spec)


def to_sign_off(personas, heads, document):
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    document = services.outgoing_approve(actor=personas.li, document=document)
    document = services.outgoing_approve(actor=personas.sun, document=document)
    for countersign in document.countersigns.all():
        head = heads["finance"] if countersign.unit == personas.finance else heads["budget"]
        services.countersign_answer(actor=head, countersign=countersign, agree=True)
    document.refresh_from_db()
    return document


def test_a_notice_goes_from_draft_to_read(personas, heads):
    document = draft(
        personas, units=[personas.finance, heads["budget"].person.memberships.get().unit]
    )
    assert document.status == OutgoingStatus.DRAFT and document.number == ""
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    assert document.status == OutgoingStatus.UNIT_REVIEW
    # the unit head changes a paragraph: a second version, shown as a diff
    revised = BODY.replace("按时报送调研报告", "于12月20日前报送调研报告")
    version = services.outgoing_revise(
        actor=personas.li, document=document, body=revised, note="明确时限"
    )
    assert version.number == 2 and version.author == personas.li
    diff = version_diff(document.versions.get(number=1), version)
    assert [line.op for line in diff if line.op != "same"] == ["removed", "added"]
    services.version_comment(
        actor=personas.sun, version=version, paragraph=1, text="标题层次请核对"
    )
    document = services.outgoing_approve(actor=personas.li, document=document)
    assert document.status == OutgoingStatus.OFFICE_REVIEW
    document = services.outgoing_approve(actor=personas.sun, document=document)
    assert document.status == OutgoingStatus.COUNTERSIGN
    # 会签: two units in parallel; the draft waits for both
    finance, budget = document.countersigns.order_by("unit__sort_order")
    services.countersign_answer(
        actor=heads["budget"], countersign=budget, agree=False, opinion="请补充预算安排"
    )
    document.refresh_from_db()
    assert document.status == OutgoingStatus.COUNTERSIGN
    services.countersign_answer(actor=heads["finance"], countersign=finance, agree=True)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGN_OFF
    assert {c.status for c in document.countersigns.all()} == {
        CountersignStatus.AGREED,
        CountersignStatus.OPINION,
    }
    document = services.outgoing_sign(actor=personas.zhao, document=document)
    assert document.number == "常办发〔2026〕1号" and document.signed_version == version
    assert services.outgoing_number(document=document) == "常办发〔2026〕1号"
    document = services.outgoing_seal(actor=personas.sun, document=document)
    document = services.outgoing_issue(
        actor=personas.sun, document=document, units=[personas.legal]
    )
    assert document.status == OutgoingStatus.ISSUED
    readers = set(document.distribution.values_list("recipient__username", flat=True))
    assert readers == {"li", "zhou"}
    services.distribution_read(actor=personas.li, document=document)
    services.distribution_read(actor=personas.li, document=document)  # a second look is no reading
    assert services.outgoing_remind(actor=personas.sun, document=document) == 1
    assert document.distribution.get(recipient=personas.zhou).reminded_at is not None
    kinds = list(document.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.DRAFTED,
        EventKind.SUBMITTED,
        EventKind.REVISED,
        EventKind.UNIT_APPROVED,
        EventKind.OFFICE_APPROVED,
        EventKind.COUNTERSIGNED,
        EventKind.COUNTERSIGNED,
        EventKind.COUNTERSIGNED,
        EventKind.SIGNED,
        EventKind.NUMBERED,
        EventKind.SEALED,
        EventKind.ISSUED,
        EventKind.READ,
        EventKind.REMINDED,
    ]
    # every step says how long the document waited for it
    assert all(e.waited is not None for e in document.events.all()[1:])


def test_the_final_document_is_rendered_from_the_signed_version(personas, heads):
    document = to_sign_off(personas, heads, draft(personas))
    document = services.outgoing_sign(actor=personas.zhao, document=document)
    printed = official_document(document)
    assert printed.number == "常办发〔2026〕1号" and printed.seal
    assert printed.date == datetime.date(2026, 12, 1)
    docx_figures = check_docx(render_docx(printed))
    assert (docx_figures.lines_per_page, docx_figures.chars_per_line) == (22, 28)
    pdf = check_pdf(render_pdf(printed))
    assert (
        pdf.title_lines == ["关于开展2027年度立法调研", "工作的通知"] or len(pdf.title_lines) <= 2
    )
    assert pdf.metadata["Author"] == "周科员"


def test_body_paragraphs_become_headings():
    blocks = body_blocks(BODY)
    assert [type(b).__name__ for b in blocks] == [
        "Paragraph",
        "Heading",
        "Heading",
        "Heading",
        "Paragraph",
    ]
    assert blocks[2].level == 2 and blocks[2].text == "立法需求。"
    assert blocks[2].run_in == "重点了解各方面对地方性法规的立法需求。"


def test_numbers_are_consecutive_by_prefix_and_year_and_kept_when_voided(personas, heads):
    numbers = []
    for n in range(3):
        document = to_sign_off(personas, heads, draft(personas, title=f"关于第{n + 1}项工作的通知"))
        numbers.append(services.outgoing_sign(actor=personas.zhao, document=document))
    assert [d.number for d in numbers] == [f"常办发〔2026〕{n}号" for n in (1, 2, 3)]
    services.outgoing_void(actor=personas.sun, document=numbers[1], reason="内容有误")
    document = to_sign_off(personas, heads, draft(personas, title="关于第4项工作的通知"))
    document = services.outgoing_sign(actor=personas.zhao, document=document)
    assert document.number == "常办发〔2026〕4号"  # 2 stays with the voided document
    voided = OutgoingDocument.objects.get(pk=numbers[1].pk)
    assert voided.status == OutgoingStatus.VOIDED and voided.number == "常办发〔2026〕2号"
    other = to_sign_off(personas, heads, draft(personas, prefix="常办函"))
    assert services.outgoing_sign(actor=personas.zhao, document=other).number == "常办函〔2026〕1号"


def test_sign_off_by_someone_else_is_refused_and_changes_nothing(personas, heads):
    document = to_sign_off(personas, heads, draft(personas))
    before = DocumentEvent.objects.count()
    with pytest.raises(PermissionDenied, match="您不是签发领导"):
        services.outgoing_sign(actor=personas.qian, document=document)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGN_OFF and document.number == ""
    assert DocumentEvent.objects.count() == before
    assert not NumberSequence.objects.exists()


def test_a_second_sign_off_is_refused(personas, heads):
    document = to_sign_off(personas, heads, draft(personas))
    services.outgoing_sign(actor=personas.zhao, document=document)
    with pytest.raises(TransitionError, match="不能重复签发"):
        services.outgoing_sign(actor=personas.zhao, document=document)
    assert NumberSequence.objects.get().last == 1


def test_a_number_asked_for_before_sign_off_is_refused(personas, heads):
    document = to_sign_off(personas, heads, draft(personas))
    with pytest.raises(TransitionError, match="尚未签发的公文不能编号"):
        services.outgoing_number(document=document)
    with pytest.raises(TransitionError):
        services.outgoing_seal(actor=personas.sun, document=document)


def test_a_countersign_after_the_step_closed_is_refused(personas, heads):
    document = draft(personas, units=[personas.finance])
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    document = services.outgoing_approve(actor=personas.li, document=document)
    document = services.outgoing_approve(actor=personas.sun, document=document)
    countersign = document.countersigns.get()
    services.outgoing_return(actor=personas.sun, document=document, reason="请先征求预算委意见")
    with pytest.raises(TransitionError, match="会签环节已结束"):
        services.countersign_answer(actor=heads["finance"], countersign=countersign, agree=True)
    countersign.refresh_from_db()
    assert countersign.status == CountersignStatus.CLOSED and countersign.answered_by is None
    # and a unit that is not asked cannot answer
    with pytest.raises(PermissionDenied):
        services.countersign_answer(actor=personas.li, countersign=countersign, agree=True)


def test_return_and_withdraw(personas, heads):
    document = services.outgoing_submit(actor=personas.zhou, document=draft(personas))
    document = services.outgoing_withdraw(actor=personas.zhou, document=document)
    assert document.status == OutgoingStatus.DRAFT
    document = services.outgoing_submit(actor=personas.zhou, document=document)
    document = services.outgoing_approve(actor=personas.li, document=document)
    with pytest.raises(TransitionError, match="核稿人已经办理"):
        services.outgoing_withdraw(actor=personas.zhou, document=document)
    with pytest.raises(ValidationError, match="退回须说明理由"):
        services.outgoing_return(actor=personas.sun, document=document, reason=" ")
    with pytest.raises(PermissionDenied):
        services.outgoing_return(actor=personas.li, document=document, reason="不是我的环节")
    document = services.outgoing_return(actor=personas.sun, document=document, reason="请精简")
    assert document.status == OutgoingStatus.DRAFT
    assert document.events.last().kind == EventKind.RETURNED


@override_settings(DOCUMENTS={**services.settings.DOCUMENTS, "MAX_DRAFT_CHARS": 100})
def test_a_draft_above_the_size_limit_is_refused(personas):
    with pytest.raises(ValidationError, match="超过100字的上限"):
        draft(personas, body="字" * 101)
    assert not OutgoingDocument.objects.exists()


def test_an_attachment_of_a_forbidden_type_is_refused(personas):
    document = draft(personas)
    with pytest.raises(ValidationError, match="不允许上传"):
        services.attachment_add(
            actor=personas.zhou,
            document=document,
            upload=SimpleUploadedFile("setup.exe", b"MZ"),
        )
    assert not document.attachments.exists()
    services.attachment_add(
        actor=personas.zhou, document=document, upload=SimpleUploadedFile("方案.docx", b"x")
    )
    assert document.attachments.count() == 1


def test_only_a_leader_can_be_the_signer(personas):
    with pytest.raises(ValidationError, match="不是常委会领导"):
        draft(personas, signer=personas.li.person)


def test_an_incoming_due_date_before_its_date_is_refused(personas):
    with pytest.raises(ValidationError, match="早于收文日期"):
        services.incoming_register(
            actor=personas.sun,
            spec=services.IncomingSpec(
                title="关于征求意见的函",
                source_organ="市人民政府办公室",
                received_on=datetime.date(2026, 12, 1),
                due_on=datetime.date(2026, 11, 30),
            ),
        )
    assert not NumberSequence.objects.exists()


def test_a_leaders_instruction_becomes_a_ledger_item_closed_through_the_ledger(personas):
    incoming = services.incoming_register(
        actor=personas.sun,
        spec=services.IncomingSpec(
            title="关于报送地方立法计划建议的函",
            source_organ="市人民政府办公室",
            source_number="市政办函〔2026〕88号",
            received_on=datetime.date(2026, 12, 1),
            due_on=datetime.date(2026, 12, 18),
        ),
    )
    assert incoming.number == "收〔2026〕1号"
    with pytest.raises(PermissionDenied):
        services.incoming_instruct(
            actor=personas.zhao, document=incoming, instruction="请办", handling_unit=personas.legal
        )
    incoming = services.incoming_propose(
        actor=personas.sun,
        document=incoming,
        proposal="拟请法工委研办",
        leader=personas.zhao.person,
    )
    incoming = services.incoming_instruct(
        actor=personas.zhao,
        document=incoming,
        instruction="请法工委认真研究，提出立法计划建议。",
        handling_unit=personas.legal,
    )
    incoming = services.incoming_to_ledger(
        actor=personas.sun, document=incoming, deadline=datetime.date(2026, 12, 18)
    )
    item = incoming.ledger_item
    assert item.source == Source.LEADER_INSTRUCTION
    assert item.leading_leader == personas.zhao.person and item.lead_unit == personas.legal
    assert item.status == Status.ASSIGNED and item.checklist.name == "2026年领导批示事项清单"
    assert item.incoming_document == incoming
    with pytest.raises(TransitionError, match="不能重复转办"):
        services.incoming_to_ledger(actor=personas.sun, document=incoming, deadline=None)
    # the ledger's normal loop closes it
    item = ledger.item_acknowledge(actor=personas.li, item=item)
    item = ledger.item_report_completion(actor=personas.li, item=item, text="已报送建议")
    item = ledger.item_verify(actor=personas.sun, item=item)
    item = ledger.item_close(actor=personas.sun, item=item, evidence="建议已报送市政府")
    incoming.refresh_from_db()
    assert incoming.ledger_item.status == Status.CLOSED
    incoming = services.incoming_handle(actor=personas.zhou, document=incoming)
    incoming = services.incoming_done(actor=personas.li, document=incoming, result="已办结")
    incoming = services.incoming_archive(actor=personas.sun, document=incoming)
    assert incoming.status == IncomingStatus.ARCHIVED


def test_secret_documents_are_seen_only_by_their_flow(client, personas, heads):
    document = draft(personas, secrecy="secret", title="关于涉密事项的通知")
    client.force_login(personas.zhao)  # the signer
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(document.pk)).count() == 1
    client.force_login(personas.li)  # heads the drafting unit: reviews it
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    other = UserFactory(username="legal2", role=Role.STAFF)
    MembershipFactory(person=other.person, unit=personas.legal)
    client.force_login(other)  # same unit, not in the flow
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    client.force_login(heads["finance"])
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_material_goes_through_review_rounds_to_the_leaders_sign_off(personas):
    from apps.documents.choices import MaterialKind, MaterialStatus
    from apps.documents.models import DraftingGroup

    group = DraftingGroup.objects.create(
        name="法制文稿组", lead_unit=personas.legal, head=personas.li.person
    )
    group.members.add(personas.zhou.person)
    with pytest.raises(PermissionDenied):
        services.material_create(
            actor=personas.wu,
            spec=services.MaterialSpec(
                group, "冒名材料", MaterialKind.SPEECH, personas.zhao.person, "正文"
            ),
        )
    material = services.material_create(
        actor=personas.zhou,
        spec=services.MaterialSpec(
            group,
            "关于地方立法工作情况的调研报告",
            MaterialKind.RESEARCH,
            personas.zhao.person,
            BODY,
        ),
    )
    material = services.material_submit(actor=personas.zhou, material=material)
    with pytest.raises(ValidationError, match="请写明修改意见"):
        services.material_review(actor=personas.li, material=material, comment="", passed=False)
    # first round: the head sends it back with comments; second round: the head edits and passes it
    material = services.material_review(
        actor=personas.li, material=material, comment="请补充典型案例。", passed=False
    )
    assert material.status == MaterialStatus.DRAFTING
    services.material_revise(
        actor=personas.zhou, material=material, body=BODY + "\n典型案例：某某条例。"
    )
    material = services.material_submit(actor=personas.zhou, material=material)
    version = services.material_revise(
        actor=personas.li,
        material=material,
        body=BODY + "\n典型案例：某某条例的制定。",
        note="润色",
    )
    assert version.number == 3 and version_diff(material.versions.get(number=2), version)
    material = services.material_review(
        actor=personas.li, material=material, comment="", passed=True
    )
    assert material.status == MaterialStatus.SIGN_OFF
    with pytest.raises(PermissionDenied):
        services.material_approve(actor=personas.qian, material=material)
    material = services.material_approve(
        actor=personas.zhao, material=material, opinion="同意，按程序印发。"
    )
    assert material.status == MaterialStatus.APPROVED and material.approved_version == version
    reviews = material.events.filter(kind__in=[EventKind.REVIEWED, EventKind.SENT_FOR_SIGN_OFF])
    assert [(e.actor, e.version.number) for e in reviews] == [(personas.li, 1), (personas.li, 3)]
