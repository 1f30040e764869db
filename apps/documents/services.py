"""Every write to documents. Each step validates first, locks the document, changes it with
`update_fields` and writes one `DocumentEvent`; notifications go out after commit.

The flow of an outgoing document: 拟稿 → 部门核稿 → 办公室核稿 → 会签 (the units in parallel) →
签发 (the 文号 is taken here) → 用印 → 印发 and 分发 → 传阅 (each reading recorded), with 退回 to the
drafter from any review step and 撤回 by the drafter before the next step acts. 核稿, 会签 and 签发
are the steps of an approvals-engine request (`OUTGOING_FLOW`): the engine decides who holds each
step (转办 and 加签 included) and records every action; `on_outgoing_step` moves the document.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.approvals import services as approvals
from apps.approvals.choices import EventKind as ApprovalEventKind
from apps.approvals.choices import RequestStatus, StageStatus
from apps.approvals.models import ApprovalEvent, ApprovalRequest
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.notifications.services import notify
from apps.organization.models import LeadershipPost, Person, Unit, UnitMembership

from . import rules
from .choices import (
    REVIEW_STATUSES,
    CountersignStatus,
    DocumentType,
    EventKind,
    IncomingStatus,
    MaterialKind,
    MaterialStatus,
    OutgoingStatus,
    Secrecy,
    Urgency,
)
from .models import (
    Countersign,
    Distribution,
    DocumentAttachment,
    DocumentEvent,
    DocumentVersion,
    DraftingGroup,
    IncomingDocument,
    IncomingReading,
    Material,
    NumberSequence,
    OutgoingDocument,
    VersionComment,
)

INCOMING_PREFIX = "收"


def max_draft_chars() -> int:
    return int(settings.DOCUMENTS["MAX_DRAFT_CHARS"])


def max_attachment_bytes() -> int:
    return int(settings.DOCUMENTS["MAX_ATTACHMENT_BYTES"])


def allowed_extensions() -> frozenset[str]:
    return frozenset(settings.DOCUMENTS["ATTACHMENT_EXTENSIONS"])


class TransitionError(ValidationError):
    """A step that is not allowed from the document's current state."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _event(
    kind: str,
    actor: User | None,
    *,
    outgoing: OutgoingDocument | None = None,
    incoming: IncomingDocument | None = None,
    material: Material | None = None,
    version: DocumentVersion | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> DocumentEvent:
    """Write one step; `waited` is the time since the document's previous step."""
    now = clock.now()
    previous = DocumentEvent.objects.filter(
        outgoing=outgoing, incoming=incoming, material=material
    ).order_by("-created_at", "-id")
    last = previous.values_list("created_at", flat=True).first()
    return DocumentEvent.record(
        outgoing=outgoing,
        incoming=incoming,
        material=material,
        version=version,
        kind=kind,
        actor=actor,
        created_at=now,
        from_status=from_status,
        to_status=to_status,
        waited=(now - last) if last is not None else None,
        note=note,
    )


def _notify_after_commit(recipients: Iterable[User], title: str, url: str, body: str = "") -> None:
    targets = list({user.pk: user for user in recipients}.values())

    def send() -> None:
        for user in targets:
            notify(recipient=user, title=title, body=body, url=url, category="documents")

    transaction.on_commit(send)


def _accounts(people: Iterable[Person | None]) -> list[User]:
    ids = {person.pk for person in people if person is not None}
    return list(User.objects.filter(person_id__in=ids, is_active=True))


def _unit_heads(unit_id: int) -> list[Person]:
    return [
        membership.person
        for membership in UnitMembership.objects.on(clock.today())
        .filter(unit_id=unit_id, is_head=True)
        .select_related("person")
    ]


def _office_accounts() -> list[User]:
    from apps.accounts.choices import Role
    from apps.organization.choices import UnitKind

    office = UnitMembership.objects.on(clock.today()).filter(unit__kind=UnitKind.OFFICE)
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.OFFICE_STAFF, Role.UNIT_HEAD],
            person_id__in=office.values("person_id"),
        )
    )


def is_leader(person: Person | None) -> bool:
    return (
        person is not None
        and LeadershipPost.objects.on(clock.today()).filter(person=person).exists()
    )


def _outgoing_url(document: OutgoingDocument) -> str:
    return reverse("documents:outgoing_detail", args=[document.pk])


def _incoming_url(document: IncomingDocument) -> str:
    return reverse("documents:incoming_detail", args=[document.pk])


# --- numbers ---------------------------------------------------------------------------------


def take_number(prefix: str, year: int) -> int:
    """The next number under `prefix` in `year`, consecutive across concurrent callers.

    The sequence row is locked (`select_for_update`) for the rest of the caller's transaction, so
    a second sign-off waits for the first to commit and then reads its number: no gap, no
    duplicate. A first sign-off of the year creates the row; two doing so at once meet the unique
    constraint, and the loser re-reads the winner's row under the lock."""
    for _attempt in range(3):
        sequence = (
            NumberSequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
        )
        if sequence is None:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(prefix=prefix, year=year, last=0)
            except IntegrityError:
                pass
            continue
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last
    raise RuntimeError("文号序列无法取得，请重试。")


def format_number(prefix: str, year: int, serial: int) -> str:
    """常办发〔2026〕12号: 代字, the year in 六角括号, the serial without leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


# --- outgoing documents ----------------------------------------------------------------------


@dataclass
class DraftSpec:
    """What a drafter fills in (拟稿单)."""

    title: str
    doc_type: str
    body: str
    signer: Person | None
    prefix: str = ""
    recipients: str = ""
    copy_to: str = ""
    secrecy: str = Secrecy.NONE
    urgency: str = Urgency.NONE
    public: bool = False
    attachments_note: str = ""
    countersign_units: Sequence[Unit] = field(default_factory=list)


def _validate_body(body: str, errors: dict[str, list[str]]) -> None:
    if not body.strip():
        errors.setdefault("body", []).append("请填写正文。")
    limit = max_draft_chars()
    if len(body) > limit:
        errors.setdefault("body", []).append(
            f"正文共{len(body)}字，超过{limit}字的上限；较长的材料请作为附件上传。"
        )


def validate_draft(spec: DraftSpec, unit: Unit) -> None:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not spec.title.strip():
        add("title", "请填写标题。")
    elif len(spec.title) > 200:
        add("title", "标题不能超过200字。")
    if spec.doc_type not in DocumentType.values:
        add("doc_type", "请选择文种。")
    if spec.secrecy not in Secrecy.values:
        add("secrecy", "未知的密级。")
    if spec.urgency not in Urgency.values:
        add("urgency", "未知的紧急程度。")
    if len(spec.prefix) > 20:
        add("prefix", "请填写不超过20字的发文代字。")
    if spec.signer is None:
        add("signer", "请选择签发领导。")
    elif not is_leader(spec.signer):
        add("signer", f"{spec.signer.name}不是常委会领导，不能签发公文。")
    if unit in spec.countersign_units:
        add("countersign_units", "拟稿单位不必会签本单位的稿件。")
    _validate_body(spec.body, errors)
    if errors:
        raise ValidationError(errors)


def default_prefix() -> str:
    return str(settings.DOCUMENTS["DEFAULT_PREFIX"])


@transaction.atomic
def outgoing_create(*, actor: User, spec: DraftSpec, unit: Unit | None = None) -> OutgoingDocument:
    """拟稿: the drafter's unit is the one they belong to (the first, if several)."""
    _require(rules.can_draft(actor), "只有机关各单位的工作人员可以拟稿。")
    units = rules.current_unit_ids(actor)
    unit = unit or Unit.objects.filter(pk__in=units).order_by("sort_order").first()
    _require(unit is not None and unit.pk in units, "只能以本人所在单位的名义拟稿。")
    assert unit is not None
    validate_draft(spec, unit)
    assert spec.signer is not None
    document = OutgoingDocument.objects.create(
        title=spec.title.strip(),
        doc_type=spec.doc_type,
        prefix=(spec.prefix or default_prefix()).strip(),
        drafting_unit=unit,
        drafter=actor,
        signer=spec.signer,
        recipients=spec.recipients.strip(),
        copy_to=spec.copy_to.strip(),
        secrecy=spec.secrecy,
        urgency=spec.urgency,
        public=spec.public,
        created_at=clock.now(),
    )
    DocumentVersion.objects.create(
        document=document,
        number=1,
        body=spec.body,
        attachments_note=spec.attachments_note,
        author=actor,
        step=OutgoingStatus.DRAFT,
        note="初稿",
        created_at=clock.now(),
    )
    Countersign.objects.bulk_create(
        Countersign(document=document, unit=u) for u in dict.fromkeys(spec.countersign_units)
    )
    _event(EventKind.DRAFTED, actor, outgoing=document, to_status=OutgoingStatus.DRAFT)
    return document


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().get(pk=document.pk)


Subject = OutgoingDocument | IncomingDocument | Material
_NOUNS = {OutgoingDocument: "公文", IncomingDocument: "收文", Material: "材料"}


def _refuse_unless(subject: Subject, allowed: Iterable[str], action: str) -> None:
    """A step from a state it does not start from is refused, naming the states it needs."""
    allowed = set(allowed)
    if subject.status not in allowed:
        labels = dict(type(subject)._meta.get_field("status").choices or [])
        noun = _NOUNS[type(subject)]
        raise TransitionError(
            f"该{noun}当前状态为“{labels.get(subject.status, subject.status)}”，不能{action}。"
            f"（只有处于{'、'.join(str(labels[s]) for s in sorted(allowed))}状态的{noun}可以{action}）"
        )


def _step[S: Subject](
    subject: S,
    *,
    actor: User,
    allowed: Iterable[str],
    to: str,
    kind: str,
    action: str,
    note: str = "",
    version: DocumentVersion | None = None,
    changes: dict[str, object] | None = None,
) -> S:
    """`_refuse_unless` then `_move`: a step that checks its starting state itself."""
    _refuse_unless(subject, allowed, action)
    return _move(
        subject, actor=actor, to=to, kind=kind, note=note, version=version, changes=changes
    )


def _move[S: Subject](
    subject: S,
    *,
    actor: User,
    to: str,
    kind: str,
    note: str = "",
    version: DocumentVersion | None = None,
    changes: dict[str, object] | None = None,
) -> S:
    """Change the state, save only what changed, and write the step's event."""
    from_status = subject.status
    subject.status = to
    fields = ["status"]
    if isinstance(subject, OutgoingDocument):
        fields.append("updated_at")
    for name, value in (changes or {}).items():
        setattr(subject, name, value)
        fields.append(name)
    subject.save(update_fields=fields)
    _event(
        kind,
        actor,
        outgoing=subject if isinstance(subject, OutgoingDocument) else None,
        incoming=subject if isinstance(subject, IncomingDocument) else None,
        material=subject if isinstance(subject, Material) else None,
        version=version,
        from_status=from_status,
        to_status=to,
        note=note,
    )
    return subject


def latest_version(draft: OutgoingDocument | Material) -> DocumentVersion:
    return draft.versions.order_by("-number").first()  # type: ignore[return-value]


def _new_version(
    draft: OutgoingDocument | Material,
    *,
    actor: User,
    body: str,
    attachments_note: str,
    step: str,
    note: str,
) -> DocumentVersion:
    """The next version of a draft; refused when nothing changed."""
    errors: dict[str, list[str]] = {}
    _validate_body(body, errors)
    if errors:
        raise ValidationError(errors)
    latest = latest_version(draft)
    if latest.body == body and latest.attachments_note == attachments_note:
        raise ValidationError({"body": "稿件内容没有变化。"})
    owner = {"document": draft} if isinstance(draft, OutgoingDocument) else {"material": draft}
    return DocumentVersion.objects.create(
        **owner,
        number=latest.number + 1,
        body=body,
        attachments_note=attachments_note,
        author=actor,
        step=step,
        note=note.strip()[:200],
        created_at=clock.now(),
    )


@transaction.atomic
def outgoing_revise(
    *,
    actor: User,
    document: OutgoingDocument,
    body: str,
    attachments_note: str = "",
    note: str = "",
) -> DocumentVersion:
    """A new version by the drafter (拟稿) or by the reviewer holding the text (核稿)."""
    locked = _locked(document)
    _require(rules.can_revise(actor, locked), "只有拟稿人或当前核稿人可以修改稿件。")
    version = _new_version(
        locked,
        actor=actor,
        body=body,
        attachments_note=attachments_note,
        step=locked.status,
        note=note,
    )
    _event(
        EventKind.REVISED,
        actor,
        outgoing=locked,
        from_status=locked.status,
        to_status=locked.status,
        note=f"第{version.number}稿" + (f"：{version.note}" if version.note else ""),
    )
    return version


OUTGOING_FLOW = "documents.outgoing"
# The engine's step names and the document states they are.
STEP_STATUS = {
    "部门核稿": OutgoingStatus.UNIT_REVIEW,
    "办公室核稿": OutgoingStatus.OFFICE_REVIEW,
    "会签": OutgoingStatus.COUNTERSIGN,
    "签发": OutgoingStatus.SIGN_OFF,
}
_STEP_ORDER: list[str] = list(STEP_STATUS.values())
_APPROVED_KIND = {
    "部门核稿": EventKind.UNIT_APPROVED,
    "办公室核稿": EventKind.OFFICE_APPROVED,
    "会签": EventKind.COUNTERSIGNED,
    "签发": EventKind.SIGNED,
}


def _outgoing_chain(document: OutgoingDocument, first: str) -> list[approvals.ChainStep]:
    """The steps from `first` on: the drafting unit's heads (any one), the office (any one), each
    countersigning unit's heads (any one per unit, all units), the signer."""
    steps = _STEP_ORDER[_STEP_ORDER.index(first) :]
    chain = []
    if OutgoingStatus.UNIT_REVIEW in steps:
        heads = _accounts(_unit_heads(document.drafting_unit_id))
        if not heads:
            raise ValidationError("拟稿单位没有负责人账号，无法部门核稿，请联系办公室。")
        chain.append(approvals.ChainStep("部门核稿", [heads]))
    if OutgoingStatus.OFFICE_REVIEW in steps:
        office = _office_accounts()
        if not office:
            raise ValidationError("办公室没有可用的账号，无法核稿，请联系系统管理员。")
        chain.append(approvals.ChainStep("办公室核稿", [office]))
    countersigns = document.countersigns.select_related("unit").order_by("unit__sort_order", "id")
    if first == OutgoingStatus.COUNTERSIGN:
        countersigns = countersigns.filter(status=CountersignStatus.PENDING)
    if OutgoingStatus.COUNTERSIGN in steps and countersigns:
        groups: list[list[User]] = []
        taken: set[int] = set()
        for countersign in countersigns:
            heads = [u for u in _accounts(_unit_heads(countersign.unit_id)) if u.pk not in taken]
            if not heads:
                raise ValidationError(
                    f"会签单位“{countersign.unit.name}”没有负责人账号，无法会签，请联系办公室。"
                )
            taken.update(u.pk for u in heads)
            groups.append(heads)
        chain.append(approvals.ChainStep("会签", groups))
    signer = _accounts([document.signer])
    if not signer:
        raise ValidationError(f"签发领导{document.signer.name}没有可用的账号，请联系办公室。")
    chain.append(approvals.ChainStep("签发", signer))
    return chain


def _start_approval(document: OutgoingDocument, first: str) -> ApprovalRequest:
    """Send the document through the engine from step `first` (a new request each 送审)."""
    previous = document.approval
    if previous is not None and previous.status in {RequestStatus.PENDING, RequestStatus.RETURNED}:
        approvals.approval_cancel(actor=document.drafter, request=previous, note="重新送审")
    chain = _outgoing_chain(document, first)
    return approvals.approval_submit(
        flow_code=OUTGOING_FLOW,
        flow_name="发文审批",
        applicant=document.drafter,
        subject=document,
        title=f"发文：{document.title}",
        chain=chain,
    )


def _approval(document: OutgoingDocument) -> ApprovalRequest:
    """The document's engine request; one sent before the engine carried 发文 gets it now, from
    its present step on."""
    approval = document.approval
    if approval is not None and approval.status == RequestStatus.PENDING:
        return approval
    _start_approval(document, document.status)
    document.refresh_from_db(fields=["approval"])
    assert document.approval is not None
    return document.approval


def _engine(action: Any, **kwargs: Any) -> Any:
    """Run an engine action; its refusals read as refusals of the document's step."""
    try:
        return action(**kwargs)
    except TransitionError:
        raise
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise TransitionError(error.messages) from error


def _holders(approval: ApprovalRequest) -> list[User]:
    return [stage.approver for stage in approvals.pending_stages(approval)]


def on_outgoing_step(approval: ApprovalRequest, event: ApprovalEvent | None) -> None:
    """The engine's listener: after every action on a document's request, move the document to
    the state of the request's current step and write the step's `DocumentEvent`."""
    if event is None:
        return
    document = OutgoingDocument.objects.select_for_update().get(pk=approval.subject_id)
    if event.kind == ApprovalEventKind.SUBMITTED:
        document.approval = approval
        document.save(update_fields=["approval"])
    elif document.approval_id != approval.pk:
        return  # an earlier 送审's request
    before = document.status
    pending = approvals.pending_stages(approval)
    if approval.status == RequestStatus.PENDING and pending:
        to = STEP_STATUS.get(pending[0].name, before)
    elif approval.status == RequestStatus.APPROVED:
        _signed(document, event.actor, event.note)
        return
    else:
        to = OutgoingStatus.DRAFT
    kinds: dict[str, str | None] = {
        ApprovalEventKind.SUBMITTED: EventKind.SUBMITTED,
        ApprovalEventKind.RESUBMITTED: EventKind.SUBMITTED,
        ApprovalEventKind.APPROVED: _APPROVED_KIND.get(event.step_name),
        ApprovalEventKind.RETURNED: EventKind.RETURNED,
        ApprovalEventKind.REJECTED: EventKind.RETURNED,
        ApprovalEventKind.RECALLED: EventKind.WITHDRAWN,
    }
    kind = kinds.get(event.kind)
    if to == before:
        # A step still open (another 会签 unit, a reviewer added by 加签): the 会签 answer wrote its
        # own row; 转办 and 加签 live in the engine's record only.
        if kind in {EventKind.UNIT_APPROVED, EventKind.OFFICE_APPROVED}:
            _event(kind, event.actor, outgoing=document, from_status=before, to_status=to)
        return
    if before == OutgoingStatus.COUNTERSIGN:
        document.countersigns.filter(status=CountersignStatus.PENDING).update(
            status=CountersignStatus.CLOSED
        )
    if to == OutgoingStatus.COUNTERSIGN:
        document.countersigns.update(
            status=CountersignStatus.PENDING, answered_by=None, answered_at=None, opinion=""
        )
    if kind is None:
        return
    note = (
        "会签完毕" if before == OutgoingStatus.COUNTERSIGN and to == OutgoingStatus.SIGN_OFF else ""
    )
    if event.kind == ApprovalEventKind.RETURNED:
        note = event.stage.comment if event.stage and event.stage.comment else event.note
        note = note.split("：", 1)[1] if note.startswith("退回至") and "：" in note else note
    elif event.kind == ApprovalEventKind.APPROVED and not note:
        note = event.note
    _move(document, actor=event.actor, to=to, kind=kind, note=note)
    url = _outgoing_url(document)
    if to == OutgoingStatus.DRAFT and kind == EventKind.RETURNED:
        _notify_after_commit([document.drafter], f"稿件被退回：{document.title}", url, note)
    elif to in {OutgoingStatus.UNIT_REVIEW, OutgoingStatus.OFFICE_REVIEW}:
        _notify_after_commit(_holders(approval), f"待核稿：{document.title}", url)
    elif to == OutgoingStatus.COUNTERSIGN:
        _notify_after_commit(_holders(approval), f"待会签：{document.title}", url)
    elif to == OutgoingStatus.SIGN_OFF:
        _notify_after_commit(_holders(approval), f"待签发：{document.title}", url)


@transaction.atomic
def outgoing_submit(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """送审: to the drafting unit's head, or straight to the office when the drafter heads it. The
    steps are those of an approvals-engine request (`OUTGOING_FLOW`); its listener moves the state."""
    locked = _locked(document)
    _require(locked.drafter_id == actor.pk, "只有拟稿人可以送审。")
    _refuse_unless(locked, {OutgoingStatus.DRAFT}, "送审")
    own_head = rules.can_review_for_unit(actor, locked)
    first = OutgoingStatus.OFFICE_REVIEW if own_head else OutgoingStatus.UNIT_REVIEW
    _start_approval(locked, first)
    return OutgoingDocument.objects.get(pk=locked.pk)


@transaction.atomic
def outgoing_withdraw(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """撤回: the drafter takes the draft back while nobody has acted on it since it was sent."""
    locked = _locked(document)
    _require(locked.drafter_id == actor.pk, "只有拟稿人可以撤回。")
    _refuse_unless(locked, {OutgoingStatus.UNIT_REVIEW, OutgoingStatus.OFFICE_REVIEW}, "撤回")
    last = locked.events.order_by("-created_at", "-id").first()
    if last is None or last.kind != EventKind.SUBMITTED:
        raise TransitionError("核稿人已经办理，不能撤回；如需修改，请联系核稿人退回。")
    _engine(approvals.approval_recall, actor=actor, request=_approval(locked))
    return OutgoingDocument.objects.get(pk=locked.pk)


def holds_step(actor: User, document: OutgoingDocument) -> bool:
    """Whether `actor` holds the current review step (and so may pass it on or return it): a
    pending stage of the engine's request (so a colleague it was passed to by 转办, or one added by
    加签, holds it too); during 会签 the office runs the step."""
    if document.status not in REVIEW_STATUSES:
        return False
    if document.status == OutgoingStatus.COUNTERSIGN:
        return rules.can_manage(actor)
    approval = document.approval
    if approval is not None and approval.status == RequestStatus.PENDING:
        return approval.stages.filter(approver=actor, status=StageStatus.PENDING).exists()
    # A document sent before its steps went through the engine: the rules name the holder.
    if document.status == OutgoingStatus.UNIT_REVIEW:
        return rules.can_review_for_unit(actor, document)
    if document.status == OutgoingStatus.OFFICE_REVIEW:
        return rules.can_manage(actor)
    return rules.can_sign(actor, document)


@transaction.atomic
def outgoing_approve(
    *, actor: User, document: OutgoingDocument, note: str = ""
) -> OutgoingDocument:
    """核稿通过: the unit head passes the draft to the office; the office to 会签 or 签发."""
    locked = _locked(document)
    _refuse_unless(locked, {OutgoingStatus.UNIT_REVIEW, OutgoingStatus.OFFICE_REVIEW}, "核稿")
    _require(holds_step(actor, locked), "您不是该文当前环节的核稿人。")
    _engine(
        approvals.approval_decide,
        actor=actor,
        request=_approval(locked),
        approve=True,
        comment=note,
    )
    return OutgoingDocument.objects.get(pk=locked.pk)


@transaction.atomic
def outgoing_return(*, actor: User, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """退回: whoever holds a review step sends the draft back to the drafter, saying why."""
    locked = _locked(document)
    _refuse_unless(locked, REVIEW_STATUSES, "退回")
    _require(holds_step(actor, locked), "您不是该文当前环节的办理人，不能退回。")
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由。"})
    _engine(
        approvals.approval_return,
        actor=actor,
        request=_approval(locked),
        to_order=-1,
        reason=reason.strip(),
        authorised=locked.status == OutgoingStatus.COUNTERSIGN,
    )
    return OutgoingDocument.objects.get(pk=locked.pk)


@transaction.atomic
def countersign_answer(
    *, actor: User, countersign: Countersign, agree: bool, opinion: str = ""
) -> Countersign:
    """会签: a unit's head agrees or gives an opinion; the last answer sends the draft to 签发."""
    document = _locked(countersign.document)
    locked = Countersign.objects.select_for_update().get(pk=countersign.pk)
    _require(locked.unit_id in rules.head_unit_ids(actor), "只有会签单位的负责人可以签署会签意见。")
    if document.status != OutgoingStatus.COUNTERSIGN or locked.status != CountersignStatus.PENDING:
        raise TransitionError("会签环节已结束（或本单位已会签），不能再签署会签意见。")
    if not agree and not opinion.strip():
        raise ValidationError({"opinion": "有不同意见时请写明意见。"})
    approval = _approval(document)
    unit_heads = _accounts(_unit_heads(locked.unit_id))
    stage = approval.stages.filter(
        status=StageStatus.PENDING, approver=actor, approver__in=unit_heads
    ).first()
    if stage is None:
        raise TransitionError("会签环节已结束（或本单位已会签），不能再签署会签意见。")
    locked.status = CountersignStatus.AGREED if agree else CountersignStatus.OPINION
    locked.answered_by = actor
    locked.answered_at = clock.now()
    locked.opinion = opinion.strip()
    locked.save(update_fields=["status", "answered_by", "answered_at", "opinion"])
    _event(
        EventKind.COUNTERSIGNED,
        actor,
        outgoing=document,
        from_status=document.status,
        to_status=document.status,
        note=f"{locked.unit.name}：{locked.get_status_display()}"
        + (f"，{locked.opinion}" if locked.opinion else ""),
    )
    _engine(
        approvals.approval_decide,
        actor=actor,
        request=approval,
        approve=True,
        comment=f"{locked.unit.name}：{locked.get_status_display()}"
        + (f"，{locked.opinion}" if locked.opinion else ""),
        stage_id=stage.pk,
    )
    return locked


SIGNED_STATUSES = frozenset({OutgoingStatus.SIGNED, OutgoingStatus.SEALED, OutgoingStatus.ISSUED})


@transaction.atomic
def outgoing_sign(*, actor: User, document: OutgoingDocument, note: str = "") -> OutgoingDocument:
    """签发: the competent leader signs the latest version; the 文号 is taken in the same
    transaction (by the engine's listener, `_signed`), so a document has a number exactly when it
    has been signed."""
    locked = _locked(document)
    if locked.status in SIGNED_STATUSES or locked.status == OutgoingStatus.VOIDED:
        raise TransitionError(f"该文已签发（{locked.number}），不能重复签发。")
    _refuse_unless(locked, {OutgoingStatus.SIGN_OFF}, "签发")
    _require(
        holds_step(actor, locked) or rules.can_sign(actor, locked),
        f"该文应由{locked.signer.name}签发，您不是签发领导。",
    )
    _engine(
        approvals.approval_decide,
        actor=actor,
        request=_approval(locked),
        approve=True,
        comment=note,
    )
    return OutgoingDocument.objects.get(pk=locked.pk)


def _signed(document: OutgoingDocument, actor: User, note: str) -> None:
    """The 签发 step closed: take the 文号 and record 签发 and 编号."""
    year = clock.today().year
    serial = take_number(document.prefix, year)
    number = format_number(document.prefix, year, serial)
    document = _move(
        document,
        actor=actor,
        to=OutgoingStatus.SIGNED,
        kind=EventKind.SIGNED,
        note=note,
        changes={
            "signed_at": clock.now(),
            "signed_version": latest_version(document),
            "year": year,
            "serial": serial,
            "number": number,
        },
    )
    _event(
        EventKind.NUMBERED,
        actor,
        outgoing=document,
        from_status=document.status,
        to_status=document.status,
        note=number,
    )
    recipients = [document.drafter, *_office_accounts()]
    _notify_after_commit(
        recipients, f"已签发：{document.title}（{number}）", _outgoing_url(document)
    )


def outgoing_number(*, document: OutgoingDocument) -> str:
    """The document's 文号; asking before 签发 is refused (numbers are given only at 签发)."""
    if document.status not in SIGNED_STATUSES and document.status != OutgoingStatus.VOIDED:
        raise TransitionError("尚未签发的公文不能编号：文号在领导签发时自动编定。")
    return document.number


@transaction.atomic
def outgoing_seal(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """用印."""
    _require(rules.can_manage(actor), "只有办公室可以用印。")
    locked = _locked(document)
    _refuse_unless(locked, {OutgoingStatus.SIGNED}, "用印")
    return _move(locked, actor=actor, to=OutgoingStatus.SEALED, kind=EventKind.SEALED)


@transaction.atomic
def outgoing_issue(
    *,
    actor: User,
    document: OutgoingDocument,
    units: Sequence[Unit] = (),
    people: Sequence[User] = (),
) -> OutgoingDocument:
    """印发 and 分发: everyone now in `units`, and `people`, receive it and are told."""
    _require(rules.can_manage(actor), "只有办公室可以印发。")
    locked = _locked(document)
    _refuse_unless(locked, {OutgoingStatus.SEALED}, "印发")
    today = clock.today()
    members = (
        UnitMembership.objects.on(today)
        .filter(unit__in=units)
        .values_list("person_id", "unit_id")
        .order_by("unit__sort_order", "id")
    )
    unit_of = dict(reversed(list(members)))
    accounts = {
        user.pk: user for user in User.objects.filter(is_active=True, person_id__in=unit_of.keys())
    }
    for user in people:
        accounts.setdefault(user.pk, user)
    if not accounts:
        raise ValidationError({"units": "请选择分发的单位或人员。"})
    now = clock.now()
    Distribution.objects.bulk_create(
        [
            Distribution(
                document=locked,
                recipient=user,
                unit_id=unit_of.get(user.person_id) if user.person_id else None,
                delivered_at=now,
            )
            for user in accounts.values()
        ],
        ignore_conflicts=True,
    )
    locked = _move(
        locked,
        actor=actor,
        to=OutgoingStatus.ISSUED,
        kind=EventKind.ISSUED,
        note=f"分发{len(accounts)}人",
        changes={"issued_at": now},
    )
    _notify_after_commit(
        accounts.values(), f"请阅：{locked.number} {locked.title}", _outgoing_url(locked)
    )
    return locked


@transaction.atomic
def distribution_read(*, actor: User, document: OutgoingDocument) -> Distribution | None:
    """传阅: the first opening by a recipient is their reading; later ones change nothing."""
    row = (
        Distribution.objects.select_for_update().filter(document=document, recipient=actor).first()
    )
    if row is None or row.read_at is not None:
        return row
    row.read_at = clock.now()
    row.save(update_fields=["read_at"])
    _event(EventKind.READ, actor, outgoing=document, note=actor.display_name)
    return row


@transaction.atomic
def outgoing_remind(*, actor: User, document: OutgoingDocument) -> int:
    """催办: remind everyone who has not read the issued document; returns how many."""
    locked = _locked(document)
    _require(
        rules.can_manage(actor) or locked.drafter_id == actor.pk, "只有办公室或拟稿人可以催办。"
    )
    _refuse_unless(locked, {OutgoingStatus.ISSUED}, "催办")
    unread = list(locked.distribution.filter(read_at__isnull=True).select_related("recipient"))
    if not unread:
        raise ValidationError("所有接收人都已阅读，无需催办。")
    now = clock.now()
    Distribution.objects.filter(pk__in=[d.pk for d in unread]).update(reminded_at=now)
    _event(EventKind.REMINDED, actor, outgoing=locked, note=f"催办{len(unread)}人")
    _notify_after_commit(
        [d.recipient for d in unread],
        f"催阅：{locked.number} {locked.title}",
        _outgoing_url(locked),
    )
    return len(unread)


@transaction.atomic
def outgoing_void(*, actor: User, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """作废: a signed document is withdrawn; it keeps its number, marked void (never reused)."""
    _require(rules.can_manage(actor), "只有办公室可以作废公文。")
    if not reason.strip():
        raise ValidationError({"reason": "作废须说明原因。"})
    locked = _locked(document)
    _refuse_unless(locked, SIGNED_STATUSES, "作废")
    return _move(
        locked,
        actor=actor,
        to=OutgoingStatus.VOIDED,
        kind=EventKind.VOIDED,
        note=reason.strip(),
        changes={"void_reason": reason.strip()[:200]},
    )


@transaction.atomic
def version_comment(
    *, actor: User, version: DocumentVersion, paragraph: int, text: str
) -> VersionComment:
    """A comment on one paragraph of a version, while the document is still being drafted."""
    document, material = version.document, version.material
    if document is not None and (
        document.status in SIGNED_STATUSES or document.status == OutgoingStatus.VOIDED
    ):
        raise TransitionError("该文已签发，不能再提修改意见。")
    if material is not None and material.status == MaterialStatus.APPROVED:
        raise TransitionError("该材料已签批，不能再提修改意见。")
    paragraphs = [p for p in version.body.split("\n") if p.strip()]
    errors: dict[str, str] = {}
    if not 0 <= paragraph < len(paragraphs):
        errors["paragraph"] = "请选择要提意见的段落。"
    if not text.strip():
        errors["text"] = "请填写意见。"
    if errors:
        raise ValidationError(errors)
    return VersionComment.objects.create(
        version=version,
        paragraph=paragraph,
        author=actor,
        text=text.strip(),
        created_at=clock.now(),
    )


def validate_attachment(upload: UploadedFile) -> None:
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in allowed_extensions():
        raise ValidationError(
            {
                "file": f"附件“{name}”的类型（.{extension or '无扩展名'}）不允许上传；"
                f"允许的类型：{'、'.join(sorted(allowed_extensions()))}。"
            }
        )
    limit = max_attachment_bytes()
    if (upload.size or 0) > limit:
        raise ValidationError({"file": f"附件“{name}”超过{limit // (1024 * 1024)}MB。"})


@transaction.atomic
def attachment_add(
    *, actor: User, document: OutgoingDocument, upload: UploadedFile
) -> DocumentAttachment:
    locked = _locked(document)
    _require(rules.can_revise(actor, locked), "只有拟稿人或当前核稿人可以添加附件。")
    validate_attachment(upload)
    attachment = DocumentAttachment.objects.create(
        document=locked,
        file=upload,
        name=(upload.name or "附件")[:200],
        size=upload.size or 0,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=locked,
        detail={"附件上传": attachment.name, "附件ID": attachment.pk, "大小": attachment.size},
    )
    return attachment


# --- incoming documents ----------------------------------------------------------------------


@dataclass
class IncomingSpec:
    """What the office registers when it signs for a document (签收登记)."""

    title: str
    source_organ: str
    received_on: datetime.date
    source_number: str = ""
    secrecy: str = Secrecy.NONE
    urgency: str = Urgency.NONE
    due_on: datetime.date | None = None


@transaction.atomic
def incoming_register(*, actor: User, spec: IncomingSpec) -> IncomingDocument:
    """签收登记: the office gives the document its 收文号 (收〔2026〕N号)."""
    _require(rules.can_manage(actor), "只有办公室可以签收登记来文。")
    errors: dict[str, str] = {}
    if not spec.title.strip():
        errors["title"] = "请填写来文标题。"
    if not spec.source_organ.strip():
        errors["source_organ"] = "请填写来文机关。"
    if spec.secrecy not in Secrecy.values:
        errors["secrecy"] = "未知的密级。"
    if spec.urgency not in Urgency.values:
        errors["urgency"] = "未知的紧急程度。"
    if spec.due_on is not None and spec.due_on < spec.received_on:
        errors["due_on"] = (
            f"办理时限{spec.due_on:%Y-%m-%d}早于收文日期{spec.received_on:%Y-%m-%d}，请核对。"
        )
    if errors:
        raise ValidationError(errors)
    year = spec.received_on.year
    serial = take_number(INCOMING_PREFIX, year)
    document = IncomingDocument.objects.create(
        serial=serial,
        year=year,
        number=format_number(INCOMING_PREFIX, year, serial),
        title=spec.title.strip(),
        source_organ=spec.source_organ.strip(),
        source_number=spec.source_number.strip(),
        secrecy=spec.secrecy,
        urgency=spec.urgency,
        received_on=spec.received_on,
        due_on=spec.due_on,
        registered_by=actor,
        created_at=clock.now(),
    )
    _event(EventKind.REGISTERED, actor, incoming=document, to_status=IncomingStatus.REGISTERED)
    return document


def _locked_incoming(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def incoming_propose(
    *, actor: User, document: IncomingDocument, proposal: str, leader: Person | None
) -> IncomingDocument:
    """拟办: the office proposes how to handle it and names the leader who will decide."""
    _require(rules.can_manage(actor), "只有办公室可以拟办。")
    errors: dict[str, str] = {}
    if not proposal.strip():
        errors["proposal"] = "请填写拟办意见。"
    if not is_leader(leader):
        errors["leader"] = "请选择批办的常委会领导。"
    if errors:
        raise ValidationError(errors)
    locked = _step(
        _locked_incoming(document),
        actor=actor,
        allowed={IncomingStatus.REGISTERED},
        to=IncomingStatus.PROPOSED,
        kind=EventKind.PROPOSED,
        action="拟办",
        note=proposal.strip(),
        changes={"proposal": proposal.strip(), "leader": leader},
    )
    _notify_after_commit(_accounts([leader]), f"待批办：{locked.title}", _incoming_url(locked))
    return locked


@transaction.atomic
def incoming_instruct(
    *, actor: User, document: IncomingDocument, instruction: str, handling_unit: Unit | None
) -> IncomingDocument:
    """批办/批示: the leader writes the instruction and names the unit that handles it."""
    locked = _locked_incoming(document)
    _require(rules.can_instruct(actor, locked), "只有拟办时指定的领导可以批办。")
    errors: dict[str, str] = {}
    if not instruction.strip():
        errors["instruction"] = "请填写批示。"
    if handling_unit is None:
        errors["handling_unit"] = "请指定承办单位。"
    if errors:
        raise ValidationError(errors)
    locked = _step(
        locked,
        actor=actor,
        allowed={IncomingStatus.PROPOSED},
        to=IncomingStatus.INSTRUCTED,
        kind=EventKind.INSTRUCTED,
        action="批办",
        note=instruction.strip(),
        changes={
            "instruction": instruction.strip(),
            "handling_unit": handling_unit,
            "instructed_at": clock.now(),
        },
    )
    assert handling_unit is not None
    recipients = _accounts(_unit_heads(handling_unit.pk)) + _office_accounts()
    _notify_after_commit(recipients, f"领导批示待办理：{locked.title}", _incoming_url(locked))
    return locked


@transaction.atomic
def incoming_to_ledger(
    *, actor: User, document: IncomingDocument, deadline: datetime.date | None
) -> IncomingDocument:
    """转督办: the leader's instruction becomes a ledger item (source 领导批示, the leader as
    领责督办领导, the handling unit as 牵头单位), registered and assigned by the ledger's own
    services, so it is tracked to closing through the ledger's normal loop."""
    from apps.ledger import services as ledger
    from apps.ledger.choices import Source
    from apps.ledger.deadlines import DeadlineSpec
    from apps.ledger.models import Checklist

    _require(rules.can_manage(actor), "只有办公室可以把领导批示转为督办事项。")
    locked = _locked_incoming(document)
    if locked.ledger_item_id is not None:
        raise TransitionError("该批示已转为督办事项，不能重复转办。")
    if locked.status not in {IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING}:
        raise TransitionError("只有领导已批办、尚未办结的收文可以转为督办事项。")
    if deadline is None:
        raise ValidationError({"deadline": "请填写办结时限。"})
    assert locked.handling_unit is not None
    year = deadline.year
    name = f"{year}年领导批示事项清单"
    checklist = Checklist.objects.filter(name=name).first() or ledger.checklist_create(
        actor=actor, name=name, year=year, source=Source.LEADER_INSTRUCTION
    )
    heads = _unit_heads(locked.handling_unit.pk)
    spec = ledger.ItemSpec(
        checklist=checklist,
        title=f"落实领导批示：{locked.title}"[:200],
        content=f"{locked.number}（{locked.source_organ}{locked.source_number}）\n批示：{locked.instruction}",
        lead_unit=locked.handling_unit,
        deadline=DeadlineSpec(date=deadline),
        source=Source.LEADER_INSTRUCTION,
        leading_leader=locked.leader,
        responsible_person=heads[0] if heads else None,
        trackers=[actor.person] if actor.person else [],
    )
    item = ledger.item_create(actor=actor, spec=spec)
    item = ledger.item_assign(actor=actor, item=item, note=f"由收文{locked.number}的领导批示转办")
    locked.ledger_item = item
    locked.save(update_fields=["ledger_item"])
    _event(
        EventKind.TO_LEDGER,
        actor,
        incoming=locked,
        from_status=locked.status,
        to_status=locked.status,
        note=f"督办事项{item.serial}",
    )
    return locked


def handles_incoming(actor: User, document: IncomingDocument) -> bool:
    unit = document.handling_unit_id
    return unit is not None and (unit in rules.current_unit_ids(actor))


@transaction.atomic
def incoming_handle(*, actor: User, document: IncomingDocument, note: str = "") -> IncomingDocument:
    """承办: the handling unit takes it up."""
    locked = _locked_incoming(document)
    _require(handles_incoming(actor, locked), "只有承办单位可以承办。")
    return _step(
        locked,
        actor=actor,
        allowed={IncomingStatus.INSTRUCTED},
        to=IncomingStatus.HANDLING,
        kind=EventKind.HANDLED,
        action="承办",
        note=note,
    )


@transaction.atomic
def incoming_done(*, actor: User, document: IncomingDocument, result: str) -> IncomingDocument:
    """办结: the handling unit reports the result."""
    locked = _locked_incoming(document)
    _require(handles_incoming(actor, locked), "只有承办单位可以办结。")
    if not result.strip():
        raise ValidationError({"result": "请填写办理结果。"})
    return _step(
        locked,
        actor=actor,
        allowed={IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING},
        to=IncomingStatus.DONE,
        kind=EventKind.DONE,
        action="办结",
        note=result.strip(),
        changes={"result": result.strip()},
    )


@transaction.atomic
def incoming_circulate(
    *, actor: User, document: IncomingDocument, leaders: Sequence[Person]
) -> list[IncomingReading]:
    """传阅: the office sends the document to leaders to read; each reading is then recorded."""
    _require(rules.can_manage(actor), "只有办公室可以送领导传阅。")
    locked = _locked_incoming(document)
    if locked.status == IncomingStatus.ARCHIVED:
        raise TransitionError("已归档的收文不能再送传阅。")
    if not leaders:
        raise ValidationError({"leaders": "请选择传阅的领导。"})
    not_leaders = [p.name for p in leaders if not is_leader(p)]
    if not_leaders:
        raise ValidationError({"leaders": f"{'、'.join(not_leaders)}不是常委会领导。"})
    accounts = {u.person_id: u for u in _accounts(leaders)}
    missing = [p.name for p in leaders if p.pk not in accounts]
    if missing:
        raise ValidationError({"leaders": f"{'、'.join(missing)}没有可用的账号。"})
    already = set(locked.readings.values_list("reader_id", flat=True))
    new = [u for u in accounts.values() if u.pk not in already]
    if not new:
        raise ValidationError({"leaders": "所选领导都已在传阅名单中。"})
    now = clock.now()
    rows = IncomingReading.objects.bulk_create(
        IncomingReading(document=locked, reader=u, sent_by=actor, sent_at=now) for u in new
    )
    _event(
        EventKind.CIRCULATED,
        actor,
        incoming=locked,
        from_status=locked.status,
        to_status=locked.status,
        note="送" + "、".join(u.display_name for u in new) + "传阅",
    )
    _notify_after_commit(new, f"传阅：{locked.title}", _incoming_url(locked))
    return rows


def incoming_read(*, actor: User, document: IncomingDocument) -> IncomingReading | None:
    """A leader's first opening of a document circulated to them is their reading."""
    with transaction.atomic():
        row = (
            IncomingReading.objects.select_for_update()
            .filter(document=document, reader=actor)
            .first()
        )
        if row is None or row.read_at is not None:
            return row
        row.read_at = clock.now()
        row.save(update_fields=["read_at"])
        _event(
            EventKind.READ,
            actor,
            incoming=document,
            from_status=document.status,
            to_status=document.status,
            note=actor.display_name,
        )
        return row


@transaction.atomic
def incoming_remind(*, actor: User, document: IncomingDocument) -> int:
    """催阅: remind the leaders who have not read the circulated document; returns how many."""
    _require(rules.can_manage(actor), "只有办公室可以催阅。")
    locked = _locked_incoming(document)
    unread = list(locked.readings.filter(read_at__isnull=True).select_related("reader__person"))
    if not unread:
        raise ValidationError("传阅的领导都已阅读，无需催阅。")
    now = clock.now()
    IncomingReading.objects.filter(pk__in=[r.pk for r in unread]).update(reminded_at=now)
    _event(
        EventKind.REMINDED,
        actor,
        incoming=locked,
        from_status=locked.status,
        to_status=locked.status,
        note="催阅" + "、".join(r.reader.display_name for r in unread),
    )
    _notify_after_commit(
        [r.reader for r in unread], f"催阅：{locked.number} {locked.title}", _incoming_url(locked)
    )
    return len(unread)


@transaction.atomic
def incoming_archive(*, actor: User, document: IncomingDocument) -> IncomingDocument:
    """归档 by the office."""
    _require(rules.can_manage(actor), "只有办公室可以归档。")
    return _step(
        _locked_incoming(document),
        actor=actor,
        allowed={IncomingStatus.DONE},
        to=IncomingStatus.ARCHIVED,
        kind=EventKind.ARCHIVED,
        action="归档",
    )


# --- drafting groups' materials ----------------------------------------------------------------


@dataclass
class MaterialSpec:
    group: DraftingGroup
    title: str
    kind: str
    leader: Person | None
    body: str


@transaction.atomic
def material_create(*, actor: User, spec: MaterialSpec) -> Material:
    """起草: a member of the group starts a material, its first version."""
    _require(rules.in_group(actor, spec.group), "只有本小组成员可以起草本小组的材料。")
    errors: dict[str, list[str]] = {}
    if not spec.title.strip():
        errors.setdefault("title", []).append("请填写标题。")
    if spec.kind not in MaterialKind.values:
        errors.setdefault("kind", []).append("请选择材料类别。")
    if not is_leader(spec.leader):
        errors.setdefault("leader", []).append("请选择签批的常委会领导。")
    _validate_body(spec.body, errors)
    if errors:
        raise ValidationError(errors)
    assert spec.leader is not None
    material = Material.objects.create(
        group=spec.group,
        title=spec.title.strip()[:200],
        kind=spec.kind,
        drafter=actor,
        leader=spec.leader,
        created_at=clock.now(),
    )
    DocumentVersion.objects.create(
        material=material,
        number=1,
        body=spec.body,
        author=actor,
        step=MaterialStatus.DRAFTING,
        note="初稿",
        created_at=clock.now(),
    )
    _event(EventKind.DRAFTED, actor, material=material, to_status=MaterialStatus.DRAFTING)
    return material


def _locked_material(material: Material) -> Material:
    return Material.objects.select_for_update().get(pk=material.pk)


@transaction.atomic
def material_revise(
    *, actor: User, material: Material, body: str, note: str = ""
) -> DocumentVersion:
    """A new version by the drafter (起草中) or by the group's head reviewing it (审核中)."""
    locked = _locked_material(material)
    allowed = (locked.status == MaterialStatus.DRAFTING and locked.drafter_id == actor.pk) or (
        locked.status == MaterialStatus.REVIEW and rules.heads_group(actor, locked.group)
    )
    _require(allowed, "只有执笔人或审核中的组长可以修改材料。")
    version = _new_version(
        locked, actor=actor, body=body, attachments_note="", step=locked.status, note=note
    )
    _event(
        EventKind.REVISED,
        actor,
        material=locked,
        version=version,
        from_status=locked.status,
        to_status=locked.status,
        note=f"第{version.number}稿" + (f"：{version.note}" if version.note else ""),
    )
    return version


@dataclass(frozen=True)
class GroupSpec:
    name: str
    duty: str
    lead_unit: Unit
    head: Person
    members: Sequence[Person] = ()
    sort_order: int = 0


@transaction.atomic
def group_save(*, actor: User, group: DraftingGroup | None, spec: GroupSpec) -> DraftingGroup:
    """设立或调整文稿起草小组 (the office): its head, lead unit and members; a member taken out
    keeps the materials they drafted. Member changes are written to the audit trail."""
    from apps.audit.models import AuditAction
    from apps.audit.services import record_event

    _require(rules.can_manage(actor), "只有办公室可以设立和调整文稿起草小组。")
    name = spec.name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写小组名称。"
    elif (
        DraftingGroup.objects.filter(name=name).exclude(pk__in=[group.pk] if group else []).exists()
    ):
        errors["name"] = f"已有名为“{name}”的起草小组。"
    if not spec.head.is_active:
        errors["head"] = f"{spec.head.name}已不在职，不能任组长。"
    inactive = [p.name for p in spec.members if not p.is_active]
    if inactive:
        errors["members"] = f"{'、'.join(inactive)}已不在职。"
    if errors:
        raise ValidationError(errors)
    created = group is None
    if group is not None:
        group = DraftingGroup.objects.select_for_update().get(pk=group.pk)
    group = group or DraftingGroup()
    before = {
        "name": group.name,
        "duty": group.duty,
        "lead_unit": str(group.lead_unit) if group.lead_unit_id else "",
        "head": group.head.name if group.head_id else "",
        "sort_order": group.sort_order,
    }
    group.name = name
    group.duty = spec.duty.strip()
    group.lead_unit = spec.lead_unit
    group.head = spec.head
    group.sort_order = spec.sort_order
    group.save()
    wanted = {p.pk: p for p in spec.members if p.pk != spec.head.pk}
    current = {p.pk: p for p in group.members.all()}
    added = [p for pk, p in wanted.items() if pk not in current]
    removed = [p for pk, p in current.items() if pk not in wanted]
    group.members.remove(*removed)
    group.members.add(*added)
    after = {
        "name": group.name,
        "duty": group.duty,
        "lead_unit": str(group.lead_unit),
        "head": group.head.name,
        "sort_order": group.sort_order,
    }
    # The group is not tracked row by row (the demo loads the four groups in bulk): the office's
    # changes are written to the audit trail here, members included.
    detail: dict[str, object] = {
        key: (value if created else [before[key], value])
        for key, value in after.items()
        if created or before[key] != value
    }
    if added:
        detail["members_added"] = [p.name for p in added]
    if removed:
        detail["members_removed"] = [p.name for p in removed]
    if detail:
        record_event(
            action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=group, detail=detail
        )
    return group


MATERIAL_FLOW = "documents.material"
MATERIAL_STEPS = {MaterialStatus.REVIEW: "组长审核", MaterialStatus.SIGN_OFF: "领导签批"}


def _material_chain(material: Material, first: str) -> list[approvals.ChainStep]:
    chain = []
    if first == MaterialStatus.REVIEW:
        head = _accounts([material.group.head])
        if not head:
            raise ValidationError(f"{material.group.name}的组长没有可用的账号，请联系办公室。")
        chain.append(approvals.ChainStep("组长审核", head))
    leader = _accounts([material.leader])
    if not leader:
        raise ValidationError(f"签批领导{material.leader.name}没有可用的账号，请联系办公室。")
    chain.append(approvals.ChainStep("领导签批", leader))
    return chain


def _material_request(material: Material, first: str = MaterialStatus.REVIEW) -> ApprovalRequest:
    """The material's engine request: a new one on the first 送审 (or for a material sent before
    the engine carried 签批, from its present step), a new round of it after 退回."""
    request = material.approval_request
    if request is not None and request.status == RequestStatus.PENDING:
        return request
    if request is not None and request.status == RequestStatus.RETURNED:
        request = approvals.approval_resubmit(actor=request.applicant, request=request)
    else:
        request = approvals.approval_submit(
            flow_code=MATERIAL_FLOW,
            flow_name="文稿材料审核签批",
            applicant=material.drafter,
            subject=material,
            title=f"材料：{material.title}",
            chain=_material_chain(material, first),
        )
    material.approval_request = request
    material.save(update_fields=["approval_request"])
    return request


def _holds_material(actor: User, material: Material) -> bool:
    """Whether `actor` holds the material's step in the engine (a 转办 colleague included)."""
    request = material.approval_request
    return (
        request is not None
        and request.status == RequestStatus.PENDING
        and request.stages.filter(approver=actor, status=StageStatus.PENDING).exists()
    )


@transaction.atomic
def material_submit(*, actor: User, material: Material) -> Material:
    """送审: the drafter sends the material to the group's head for a review round."""
    locked = _locked_material(material)
    _require(locked.drafter_id == actor.pk, "只有执笔人可以送审。")
    _refuse_unless(locked, {MaterialStatus.DRAFTING}, "送审")
    _material_request(locked)
    locked = _move(
        locked,
        actor=actor,
        to=MaterialStatus.REVIEW,
        kind=EventKind.SUBMITTED,
        version=latest_version(locked),
    )
    _notify_after_commit(
        _accounts([locked.group.head]), f"待审核：{locked.title}", _material_url(locked)
    )
    return locked


@transaction.atomic
def material_review(*, actor: User, material: Material, comment: str, passed: bool) -> Material:
    """审核: the group's head reviews the latest version; it passes to the leader's 签批, or goes
    back to the drafter for another round. Each round is an event naming the version reviewed."""
    locked = _locked_material(material)
    _require(
        rules.heads_group(actor, locked.group) or _holds_material(actor, locked),
        "只有小组组长可以审核。",
    )
    if not passed and not comment.strip():
        raise ValidationError({"comment": "请写明修改意见。"})
    _refuse_unless(locked, {MaterialStatus.REVIEW}, "呈送签批" if passed else "审核")
    version = latest_version(locked)
    request = _material_request(locked, MaterialStatus.REVIEW)
    if passed:
        note = comment.strip() or f"审核通过第{version.number}稿"
        _engine(approvals.approval_decide, actor=actor, request=request, approve=True, comment=note)
        locked = _move(
            locked,
            actor=actor,
            to=MaterialStatus.SIGN_OFF,
            kind=EventKind.SENT_FOR_SIGN_OFF,
            note=note,
            version=version,
        )
        _notify_after_commit(
            _accounts([locked.leader]), f"待签批：{locked.title}", _material_url(locked)
        )
        return locked
    _engine(
        approvals.approval_return,
        actor=actor,
        request=request,
        to_order=-1,
        reason=f"第{version.number}稿审核意见：{comment.strip()}",
    )
    locked = _move(
        locked,
        actor=actor,
        to=MaterialStatus.DRAFTING,
        kind=EventKind.REVIEWED,
        note=comment.strip(),
        version=version,
    )
    _notify_after_commit(
        [locked.drafter], f"审核意见：{locked.title}", _material_url(locked), comment
    )
    return locked


def _signs_material(actor: User, material: Material) -> bool:
    return (bool(actor.person_id) and actor.person_id == material.leader_id) or _holds_material(
        actor, material
    )


@transaction.atomic
def material_approve(*, actor: User, material: Material, opinion: str = "") -> Material:
    """签批: the leader signs off the version before them, with their opinion."""
    locked = _locked_material(material)
    _require(_signs_material(actor, locked), "只有指定的领导可以签批。")
    _refuse_unless(locked, {MaterialStatus.SIGN_OFF}, "签批")
    version = latest_version(locked)
    text = opinion.strip() or "同意"
    _engine(
        approvals.approval_decide,
        actor=actor,
        request=_material_request(locked, MaterialStatus.SIGN_OFF),
        approve=True,
        comment=text,
    )
    return _move(
        locked,
        actor=actor,
        to=MaterialStatus.APPROVED,
        kind=EventKind.APPROVED,
        note=text,
        version=version,
        changes={"approval": text, "approved_at": clock.now(), "approved_version": version},
    )


@transaction.atomic
def material_return(*, actor: User, material: Material, reason: str) -> Material:
    """The leader sends the material back for rework."""
    locked = _locked_material(material)
    _require(_signs_material(actor, locked), "只有指定的领导可以退回。")
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由。"})
    _refuse_unless(locked, {MaterialStatus.SIGN_OFF}, "退回")
    _engine(
        approvals.approval_return,
        actor=actor,
        request=_material_request(locked, MaterialStatus.SIGN_OFF),
        to_order=-1,
        reason=reason.strip(),
    )
    locked = _move(
        locked,
        actor=actor,
        to=MaterialStatus.DRAFTING,
        kind=EventKind.RETURNED,
        note=reason.strip(),
        version=latest_version(locked),
    )
    _notify_after_commit(
        [locked.drafter], f"材料被退回：{locked.title}", _material_url(locked), reason
    )
    return locked


def _material_url(material: Material) -> str:
    return reverse("documents:material_detail", args=[material.pk])
