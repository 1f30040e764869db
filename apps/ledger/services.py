"""Every write to the ledger. Each transition validates first, locks the item, changes it with
`update_fields`, and writes one ItemEvent; notifications go out after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, params
from apps.notifications.services import notify, resolve_task_after_commit
from apps.organization.models import Person, Unit

from . import deadlines, rules
from .choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    EventKind,
    ExtensionStatus,
    FeedbackRule,
    ItemKind,
    MilestoneStatus,
    Source,
    Status,
)
from .models import (
    Attachment,
    Checklist,
    ExtensionRequest,
    ItemEvent,
    Milestone,
    ProgressReport,
    TrackedItem,
)
from .policies import policy_for

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
NEVER = datetime.date(9999, 12, 30)
"""The warning dates of a standing task when neither feedback nor a milestone is due."""


class TransitionError(ValidationError):
    """A state change that is not allowed from the item's current state."""


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    deadline: datetime.date


@dataclass
class ItemSpec:
    """Everything needed to register an item; validated by `validate_item_spec`."""

    checklist: Checklist
    title: str
    lead_unit: Unit
    deadline: deadlines.DeadlineSpec
    source: str = ""
    kind: str = ItemKind.MATTER
    serial: str = ""
    content: str = ""
    category: str = ""
    parent: TrackedItem | None = None
    leading_leader: Person | None = None
    responsible_person: Person | None = None
    co_units: Sequence[Unit] = ()
    trackers: Sequence[Person] = ()
    feedback_rule: str = FeedbackRule.NONE
    feedback_workdays: int | None = None
    milestones: Sequence[MilestoneSpec] = field(default_factory=list)
    import_key: str = ""
    standing: bool = False  # 长期坚持: `deadline` is the end of the list's year, for sorting only


def _now() -> datetime.datetime:
    return clock.now()


def _today() -> datetime.date:
    return clock.today()


def deadline_fields(
    resolved: deadlines.ResolvedDeadline, *, standing: bool | None = None
) -> dict[str, Any]:
    """The stored fields of a deadline and its warning date, with their 预估 flags; `standing`
    (when given) marks a 长期坚持 task, whose date only sorts it."""
    warn, warn_provisional = deadlines.warn_from_flagged(resolved.date)
    standing_fields: dict[str, Any] = {} if standing is None else {"is_standing": standing}
    if standing:
        standing_fields["deadline_note"] = "长期坚持"
    return {
        "deadline": resolved.date,
        "deadline_note": resolved.note,
        "deadline_base": resolved.base,
        "deadline_workdays": resolved.workdays,
        "deadline_provisional": resolved.provisional,
        "warn_from": warn,
        "warn_provisional": warn_provisional,
        **standing_fields,
    }


def feedback_fields(item: TrackedItem, since: datetime.date | None) -> dict[str, Any]:
    """The next feedback due date counted from `since` (None: no feedback owed any more)."""
    due, provisional = deadlines.next_feedback_due_flagged(
        item.feedback_rule, item.feedback_workdays, since
    )
    return {
        "feedback_from": since if due is not None else None,
        "feedback_due": due,
        "feedback_provisional": provisional,
    }


NO_FEEDBACK = {"feedback_from": None, "feedback_due": None, "feedback_provisional": False}


def validate_item_spec(
    spec: ItemSpec, *, instance: TrackedItem | None = None
) -> deadlines.ResolvedDeadline:
    """Check a spec completely before anything is written; returns the resolved deadline.

    `instance` is the draft being edited: its own serial is no duplicate, its measures stay put."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not spec.title.strip():
        add("title", "请填写事项名称。")
    if len(spec.title) > 200:
        add("title", "事项名称不能超过200字。")
    if len(spec.content) > params.TEXT_MAX_LENGTH:
        add("content", f"具体内容不能超过{params.TEXT_MAX_LENGTH}字。")
    if spec.kind not in ItemKind.values:
        add("kind", "未知的事项类型。")
    if spec.source and spec.source not in Source.values:
        add("source", "未知的事项来源。")
    if spec.feedback_rule not in FeedbackRule.values:
        add("feedback_rule", "未知的反馈要求。")
    if spec.standing and spec.feedback_rule == FeedbackRule.NONE:
        add("feedback_rule", "长期坚持的事项须有反馈要求（如每月反馈），以便跟踪落实。")
    if spec.feedback_rule == FeedbackRule.WORKDAYS and not (spec.feedback_workdays or 0) > 0:
        add("feedback_workdays", "“交办后N个工作日内反馈”须填写大于0的工作日数。")
    if spec.kind == ItemKind.MEASURE and spec.parent is None:
        add("parent", "整改措施须属于某一整改问题。")
    if spec.parent is not None:
        if spec.parent.kind != ItemKind.PROBLEM:
            add("parent", "只有整改问题可以细化为整改措施。")
        if spec.parent.checklist_id != spec.checklist.pk:
            add("parent", "整改措施须与所属问题在同一清单。")
        if spec.parent.status in FINISHED_STATUSES:
            add("parent", "所属问题已销号或撤销，不能再增加措施。")
    if spec.lead_unit in spec.co_units:
        add("co_units", "牵头单位不能同时作为配合单位。")
    if spec.leading_leader is not None and not spec.leading_leader.leadership_posts.exists():
        add("leading_leader", f"{spec.leading_leader.name}不是常委会领导，不能领责督办。")
    resolved = None
    try:
        resolved = spec.deadline.resolve()
    except ValueError as error:
        add("deadline", str(error))
    if resolved is not None:
        deadline = resolved.date
        if deadline.year < spec.checklist.year - 1 or deadline.year > spec.checklist.year + 1:
            add(
                "deadline",
                f"办结时限{deadline:%Y-%m-%d}与清单年度{spec.checklist.year}年相差过大。",
            )
        for milestone in spec.milestones:
            if not milestone.title.strip():
                add("milestones", "时间节点须填写内容。")
            if milestone.deadline > deadline:
                add("milestones", f"时间节点“{milestone.title}”的时限晚于事项办结时限。")
            elif milestone.deadline.year < spec.checklist.year - 1:
                add("milestones", f"时间节点“{milestone.title}”的时限与清单年度相差过大。")
    same_serial = TrackedItem.objects.filter(checklist=spec.checklist, serial=spec.serial)
    if instance is not None:
        same_serial = same_serial.exclude(pk=instance.pk)
        if instance.children.exists():
            if spec.kind != ItemKind.PROBLEM:
                add("kind", "该问题已有整改措施，不能改为其他类型。")
            if spec.checklist.pk != instance.checklist_id:
                add("checklist", "该问题已有整改措施，不能移到其他清单。")
        if instance.parent_id is not None and spec.checklist.pk != instance.checklist_id:
            add("checklist", "整改措施须与所属问题在同一清单。")
    if spec.serial and same_serial.exists():
        add("serial", f"清单中已有编号为{spec.serial}的事项。")
    if errors:
        raise ValidationError(errors)
    assert resolved is not None
    return resolved


def _next_serial(checklist: Checklist, parent: TrackedItem | None) -> str:
    if parent is not None:
        return f"{parent.serial}-{parent.children.count() + 1}"
    return f"{checklist.items.filter(parent__isnull=True).count() + 1:03d}"


def _event(
    item: TrackedItem,
    kind: str,
    actor: User | None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    **data: Any,
) -> ItemEvent:
    return ItemEvent.record(
        item=item,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
    )


def _require(condition: bool, message: str = "您无权对该事项执行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)


@transaction.atomic
def item_create(*, actor: User, spec: ItemSpec) -> TrackedItem:
    """Register an item in draft (the office), with its milestones."""
    _require(rules.can_manage(actor), "只有办公室可以登记督办事项。")
    resolved = validate_item_spec(spec)
    item = TrackedItem.objects.create(
        checklist=spec.checklist,
        parent=spec.parent,
        kind=spec.kind,
        serial=spec.serial or _next_serial(spec.checklist, spec.parent),
        source=spec.source or spec.checklist.source,
        title=spec.title.strip(),
        content=spec.content,
        category=spec.category,
        leading_leader=spec.leading_leader,
        lead_unit=spec.lead_unit,
        responsible_person=spec.responsible_person,
        **deadline_fields(resolved, standing=spec.standing),
        feedback_rule=spec.feedback_rule,
        feedback_workdays=spec.feedback_workdays,
        import_key=spec.import_key,
        created_by=actor,
    )
    if spec.co_units:
        item.co_units.set(spec.co_units)
    if spec.trackers:
        item.trackers.set(spec.trackers)
    _write_milestones(item, spec.milestones)
    refresh_warning_dates(item)
    _event(item, EventKind.CREATED, actor, to_status=Status.DRAFT)
    return item


def _write_milestones(item: TrackedItem, milestones: Sequence[MilestoneSpec]) -> None:
    rows = []
    for n, m in enumerate(milestones):
        warn, provisional = deadlines.warn_from_flagged(m.deadline)
        rows.append(
            Milestone(
                item=item,
                title=m.title.strip(),
                deadline=m.deadline,
                warn_from=warn,
                warn_provisional=provisional,
                sort_order=n,
            )
        )
    Milestone.objects.bulk_create(rows)


def refresh_warning_dates(item: TrackedItem) -> None:
    """Store when the item turns yellow and red; every service that changes its deadline, its
    feedback due date or its milestones calls this (derived data: not audited separately)."""
    pending = list(
        item.milestones.filter(status=MilestoneStatus.PENDING).values_list("deadline", "warn_from")
    )
    # A standing task is never late for its deadline: only feedback and milestones warn.
    deadline, warn = (NEVER, NEVER) if item.is_standing else (item.deadline, item.warn_from)
    item.yellow_from, item.red_from = deadlines.warning_dates(
        deadline=deadline,
        warn_from=warn,
        feedback_due=item.feedback_due,
        pending_milestones=pending,
    )
    TrackedItem.objects.filter(pk=item.pk).update(
        yellow_from=item.yellow_from, red_from=item.red_from
    )


def _locked(item: TrackedItem) -> TrackedItem:
    """Re-read the item under a row lock so two people cannot move it at once."""
    return TrackedItem.objects.select_for_update().get(pk=item.pk)


def _transition(
    item: TrackedItem,
    *,
    actor: User,
    allowed_from: Iterable[str],
    to: str,
    action_label: str,
    note: str = "",
    kind: str = EventKind.TRANSITION,
    changes: dict[str, Any] | None = None,
) -> TrackedItem:
    locked = _locked(item)
    allowed = set(allowed_from)
    if locked.status not in allowed:
        raise TransitionError(
            f"该事项当前状态为“{locked.get_status_display()}”，不能{action_label}。"
            f"（只有处于{'、'.join(Status(s).label for s in sorted(allowed))}状态的事项可以{action_label}）"
        )
    from_status = locked.status
    locked.status = to
    fields = ["status", "updated_at"]
    for name, value in (changes or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    locked.save(update_fields=fields)
    _event(locked, kind, actor, note=note, from_status=from_status, to_status=to)
    _resolve_tasks_of_transition(locked, from_status, to)
    return locked


def task_key(item: TrackedItem | int, task: str) -> str:
    """The key of one task on an item (签收, 反馈, 核验, 延期审批 ...): its notifications resolve
    when the task is done, by anyone (apps/notifications)."""
    pk = item if isinstance(item, int) else item.pk
    return f"ledger:{pk}:{task}"


def _resolve_tasks_of_transition(item: TrackedItem, from_status: str, to: str) -> None:
    if to in FINISHED_STATUSES:
        # Closed or cancelled: nothing about the item needs anyone any more.
        resolve_task_after_commit(task_key(item, ""), prefix=True)
        return
    if from_status == Status.ASSIGNED:
        resolve_task_after_commit(task_key(item, "acknowledge"))
    if from_status == Status.REPORTED:
        resolve_task_after_commit(task_key(item, "verify"))  # verified, or returned
    if to == Status.REPORTED:
        # An external body's contacts were reminded to submit (reminders.py): done.
        resolve_task_after_commit(task_key(item, "submit"))


def _people_accounts(people: Iterable[Person | None]) -> list[User]:
    ids = {p.pk for p in people if p is not None}
    return list(User.objects.filter(person_id__in=ids, is_active=True))


def unit_heads(unit: Unit) -> list[Person]:
    from apps.organization.models import UnitMembership

    return [
        m.person
        for m in UnitMembership.objects.on(_today())
        .filter(unit=unit, is_head=True)
        .select_related("person")
    ]


def _notify_after_commit(
    recipients: Iterable[User],
    title: str,
    item: TrackedItem,
    body: str = "",
    task: str | None = None,
) -> None:
    url = reverse("ledger:item_detail", args=[item.pk])
    targets = list({u.pk: u for u in recipients}.values())
    key = task_key(item, task) if task else None

    def send() -> None:
        for user in targets:
            notify(recipient=user, title=title, body=body, url=url, category="ledger", task_key=key)

    transaction.on_commit(send)


@transaction.atomic
def item_assign(*, actor: User, item: TrackedItem, note: str = "") -> TrackedItem:
    """交办: the office sends a draft item to its lead unit; the feedback clock starts."""
    _require(rules.can_manage(actor), "只有办公室可以交办事项。")
    item = _transition(
        item,
        actor=actor,
        allowed_from={Status.DRAFT},
        to=Status.ASSIGNED,
        action_label="交办",
        note=note,
        changes={"assigned_at": _now(), **feedback_fields(item, _today())},
    )
    refresh_warning_dates(item)
    recipients = _people_accounts([item.responsible_person, *unit_heads(item.lead_unit)])
    _notify_after_commit(
        recipients,
        f"新交办事项：{item.title}",
        item,
        f"办结时限：{item.deadline:%Y年%m月%d日}",
        task="acknowledge",
    )
    return item


@transaction.atomic
def item_acknowledge(*, actor: User, item: TrackedItem, note: str = "") -> TrackedItem:
    """签收: the lead unit confirms it has received the item."""
    _require(rules.is_unit_actor(actor, item), "只有牵头单位或责任人可以签收。")
    return _transition(
        item,
        actor=actor,
        allowed_from={Status.ASSIGNED},
        to=Status.ACKNOWLEDGED,
        action_label="签收",
        note=note,
        changes={"acknowledged_at": _now()},
    )


@transaction.atomic
def item_start(*, actor: User, item: TrackedItem, note: str = "") -> TrackedItem:
    _require(rules.is_unit_actor(actor, item), "只有牵头单位或责任人可以开始办理。")
    return _transition(
        item,
        actor=actor,
        allowed_from={Status.ACKNOWLEDGED},
        to=Status.IN_PROGRESS,
        action_label="开始办理",
        note=note,
    )


def _open_children(item: TrackedItem) -> list[TrackedItem]:
    return list(item.children.exclude(status__in=FINISHED_STATUSES).order_by("serial"))


def _attach(
    item: TrackedItem, event: ItemEvent, actor: User, files: Sequence[UploadedFile]
) -> None:
    for upload in files:
        attachment = Attachment.objects.create(
            item=item,
            event=event,
            file=upload,
            name=(upload.name or "附件")[:200],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            obj=item,
            detail={"附件上传": attachment.name, "附件ID": attachment.pk, "大小": attachment.size},
        )


def _validate_files(files: Sequence[UploadedFile]) -> None:
    for upload in files:
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachments": f"附件“{upload.name}”超过20MB。"})


@transaction.atomic
def item_report_completion(
    *, actor: User, item: TrackedItem, text: str, attachments: Sequence[UploadedFile] = ()
) -> TrackedItem:
    """报办结: the unit reports the item done, with a description and material."""
    _require(rules.is_unit_actor(actor, item), "只有牵头单位或责任人可以报送办结。")
    if not text.strip():
        raise ValidationError({"text": "请填写办理结果。"})
    if len(text) > params.TEXT_MAX_LENGTH:
        raise ValidationError({"text": f"办理结果不能超过{params.TEXT_MAX_LENGTH}字。"})
    _validate_files(attachments)
    if children := _open_children(item):
        raise TransitionError(
            f"该问题还有{len(children)}项整改措施未销号（{'、'.join(c.serial for c in children[:5])}），不能报送办结。"
        )
    item = _transition(
        item,
        actor=actor,
        allowed_from={Status.ACKNOWLEDGED, Status.IN_PROGRESS},
        to=Status.REPORTED,
        action_label="报送办结",
        note=text,
        changes={"reported_at": _now(), "progress": 100},
    )
    _attach(item, item.events.latest("created_at", "id"), actor, attachments)
    office = _people_accounts(item.trackers.all())
    _notify_after_commit(office, f"事项已报办结，请核验：{item.title}", item, task="verify")
    return item


@transaction.atomic
def item_return(
    *,
    actor: User,
    item: TrackedItem,
    reason: str,
    new_deadline: deadlines.ResolvedDeadline | None = None,
) -> TrackedItem:
    """退回: the office sends a reported item back for rework, saying why; `new_deadline` gives
    the rework its own time limit (e.g. a deputy's suggestion handled again, 重新办理)."""
    _require(rules.can_manage(actor), "只有办公室可以退回事项。")
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由。"})
    changes: dict[str, Any] = {"reported_at": None, "verified_at": None, "verifier": None}
    if new_deadline is not None:
        changes.update(deadline_fields(new_deadline))
    item = _transition(
        item,
        actor=actor,
        allowed_from={Status.REPORTED, Status.VERIFIED},
        to=Status.IN_PROGRESS,
        action_label="退回",
        note=reason,
        kind=EventKind.RETURNED,
        changes=changes,
    )
    if new_deadline is not None:
        refresh_warning_dates(item)
    recipients = _people_accounts([item.responsible_person, *unit_heads(item.lead_unit)])
    _notify_after_commit(recipients, f"事项被退回重办：{item.title}", item, reason)
    return item


@transaction.atomic
def item_verify(*, actor: User, item: TrackedItem, note: str = "") -> TrackedItem:
    """核验: the office checks the reported result."""
    _require(rules.can_manage(actor), "只有办公室可以核验。")
    return _transition(
        item,
        actor=actor,
        allowed_from={Status.REPORTED},
        to=Status.VERIFIED,
        action_label="核验",
        note=note,
        changes={"verified_at": _now(), "verifier": actor},
    )


@transaction.atomic
def item_close(
    *, actor: User, item: TrackedItem, evidence: str, attachments: Sequence[UploadedFile] = ()
) -> TrackedItem:
    """销号: closing needs written evidence and a verifier; a problem needs all measures closed."""
    _require(rules.can_manage(actor), "只有办公室可以销号。")
    if not evidence.strip():
        raise ValidationError({"evidence": "销号须填写销号依据。"})
    _validate_files(attachments)
    if children := _open_children(item):
        raise TransitionError(
            f"该问题还有{len(children)}项整改措施未销号（{'、'.join(c.serial for c in children[:5])}），不能销号。"
        )
    item = _transition(
        item,
        actor=actor,
        allowed_from={Status.VERIFIED},
        to=Status.CLOSED,
        action_label="销号",
        note=evidence,
        changes={"closed_at": _now(), "closing_evidence": evidence, **NO_FEEDBACK},
    )
    _attach(item, item.events.latest("created_at", "id"), actor, attachments)
    _end_pending_extensions(item, actor)
    return item


@transaction.atomic
def item_cancel(*, actor: User, item: TrackedItem, reason: str) -> TrackedItem:
    _require(rules.can_manage(actor), "只有办公室可以撤销事项。")
    if not reason.strip():
        raise ValidationError({"reason": "撤销须说明理由。"})
    return _transition(
        item,
        actor=actor,
        allowed_from={Status.DRAFT, *OPEN_STATUSES},
        to=Status.CANCELLED,
        action_label="撤销",
        note=reason,
        changes=NO_FEEDBACK,
    )


@transaction.atomic
def feedback_submit(
    *,
    actor: User,
    item: TrackedItem,
    text: str,
    percent: int,
    attachments: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """进展反馈: the lead unit reports progress; the next feedback is then owed from today.

    Only the lead unit (or the responsible person) moves the item: its first report starts the
    work and it restarts the feedback clock. A co-operating unit's report is recorded as its
    contribution (配合单位反馈), shown to the lead unit, and changes nothing else.
    """
    lead = rules.is_unit_actor(actor, item)
    _require(
        lead or rules.is_co_unit_member(actor, item),
        "只有牵头单位、配合单位或责任人可以反馈进展。",
    )
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "请填写进展情况。"
    elif len(text) > params.TEXT_MAX_LENGTH:
        errors["text"] = f"进展情况不能超过{params.TEXT_MAX_LENGTH}字。"
    if not 0 <= percent <= 100:
        errors["percent"] = "完成进度须在0到100之间。"
    if errors:
        raise ValidationError(errors)
    _validate_files(attachments)
    locked = _locked(item)
    if locked.status not in {Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS}:
        raise TransitionError(f"该事项当前状态为“{locked.get_status_display()}”，不能再反馈进展。")
    if not lead:
        return _contribution(locked, actor, text, percent, attachments)
    today = _today()
    was_late = locked.feedback_due is not None and locked.feedback_due < today
    report = ProgressReport.objects.create(
        item=locked,
        reporter=actor,
        text=text,
        percent=percent,
        created_at=_now(),
        was_late=was_late,
    )
    from_status = locked.status
    if locked.status in {Status.ASSIGNED, Status.ACKNOWLEDGED}:
        # Reporting progress is the clearest sign that work has started.
        locked.status = Status.IN_PROGRESS
        locked.acknowledged_at = locked.acknowledged_at or _now()
    # 100% is reached by reporting completion (报办结), not by a progress note.
    locked.progress = min(max(locked.progress, percent), 99)
    next_feedback = feedback_fields(locked, today)
    for name, value in next_feedback.items():
        setattr(locked, name, value)
    locked.save(
        update_fields=["status", "acknowledged_at", "progress", *next_feedback, "updated_at"]
    )
    resolve_task_after_commit(task_key(locked, "feedback"))
    if from_status == Status.ASSIGNED:
        resolve_task_after_commit(task_key(locked, "acknowledge"))  # a report signs for it too
    refresh_warning_dates(locked)
    event = _event(
        locked,
        EventKind.FEEDBACK,
        actor,
        note=text,
        from_status=from_status,
        to_status=locked.status,
        percent=percent,
        late=was_late,
    )
    _attach(locked, event, actor, attachments)
    return report


def _contribution(
    item: TrackedItem,
    actor: User,
    text: str,
    percent: int,
    attachments: Sequence[UploadedFile],
) -> ProgressReport:
    """A co-operating unit's report: a row and an event for the lead unit to read; the item's
    status, progress, acknowledgement and feedback dates stay as they are."""
    report = ProgressReport.objects.create(
        item=item, reporter=actor, text=text, percent=percent, created_at=_now(), contribution=True
    )
    event = _event(item, EventKind.CONTRIBUTION, actor, note=text, percent=percent)
    _attach(item, event, actor, attachments)
    recipients = _people_accounts([item.responsible_person, *unit_heads(item.lead_unit)])
    _notify_after_commit(recipients, f"配合单位反馈：{item.title}", item, text[:100])
    return report


EXTENSION_FLOW = "ledger.extension"


def _end_pending_extensions(item: TrackedItem, actor: User) -> None:
    """A closed item needs no extension: its pending request is refused and its approval ended."""
    from apps.approvals.services import approval_cancel

    for request in ExtensionRequest.objects.filter(
        item=item, status=ExtensionStatus.PENDING
    ).select_related("approval"):
        request.status = ExtensionStatus.REFUSED
        request.decided_at = _now()
        request.decision_note = "事项已销号"
        request.save(update_fields=["status", "decided_at", "decision_note"])
        if request.approval is not None:
            approval_cancel(actor=actor, request=request.approval, note="事项已销号")


def _extension_chain(item: TrackedItem, applicant: User) -> list[Any]:
    """The approval chain of an extension: one step, decided by the leading leader (or the head of
    the General Office), or by any one of the deciders the item's kind names (policies.py)."""
    from apps.approvals.services import ChainStep

    from .policies import policy_for

    if (policy := policy_for(item)) is not None and policy.extension_deciders is not None:
        deciders = list(policy.extension_deciders(item))
        if not deciders:
            raise ValidationError("无法确定延期申请的审批人，请联系办公室。")
        return [ChainStep(policy.extension_step, [deciders])]  # a 或签 group: any one decides
    return [ChainStep("领责督办领导审批", [_extension_decider(item, applicant)])]


def _extension_decider(item: TrackedItem, applicant: User) -> User:
    """The leading leader's account; without a leading leader, the head of the General Office."""
    from apps.approvals.choices import ApproverKind
    from apps.approvals.models import ApprovalStep
    from apps.approvals.services import account_of, resolve_approver

    if item.leading_leader_id:
        account = account_of(item.leading_leader)
        if account is None:
            raise ValidationError(
                f"领责督办领导{item.leading_leader}没有可用的账号，无法提交延期申请，请联系办公室。"
            )
        return account
    # Without a leading leader the office head decides; a vacant post refuses with its name.
    step = ApprovalStep(name="延期申请审批", approver_kind=ApproverKind.OFFICE_HEAD)
    return resolve_approver(step, applicant)


@transaction.atomic
def extension_request(
    *, actor: User, item: TrackedItem, new_deadline: datetime.date, reason: str
) -> ExtensionRequest:
    """申请延期: the unit asks the leading leader for a later deadline, within the same year. The
    request goes through the approvals engine, which notifies the leader."""
    from apps.approvals.services import approval_submit

    _require(rules.is_unit_actor(actor, item), "只有牵头单位或责任人可以申请延期。")
    locked = _locked(item)
    errors: dict[str, str] = {}
    if locked.status not in OPEN_STATUSES - {Status.VERIFIED}:
        raise TransitionError(f"该事项当前状态为“{locked.get_status_display()}”，不能申请延期。")
    if not reason.strip():
        errors["reason"] = "请说明延期理由。"
    policy = policy_for(locked)
    if new_deadline <= locked.deadline:
        errors["new_deadline"] = f"申请的时限须晚于现时限{locked.deadline:%Y年%m月%d日}。"
    elif policy is not None and policy.extension_problem is not None:
        if problem := policy.extension_problem(locked, new_deadline):
            errors["new_deadline"] = problem
    elif new_deadline.year > locked.deadline.year:
        errors["new_deadline"] = f"延期不能跨年：最迟只能延至{locked.deadline.year}年12月31日。"
    if ExtensionRequest.objects.filter(item=locked, status=ExtensionStatus.PENDING).exists():
        errors["new_deadline"] = "该事项已有待审批的延期申请。"
    if errors:
        raise ValidationError(errors)
    chain = _extension_chain(locked, actor)
    request = ExtensionRequest.objects.create(
        item=locked,
        requested_by=actor,
        requested_at=_now(),
        old_deadline=locked.deadline,
        new_deadline=new_deadline,
        reason=reason,
    )
    request.approval = approval_submit(
        flow_code=EXTENSION_FLOW,
        flow_name="督办事项延期审批",
        applicant=actor,
        subject=request,
        title=f"延期申请：{locked.title}",
        chain=chain,
    )
    request.save(update_fields=["approval"])
    _event(
        locked,
        EventKind.EXTENSION_REQUESTED,
        actor,
        note=reason,
        new_deadline=new_deadline.isoformat(),
    )
    return request


def _ensure_approval(request: ExtensionRequest) -> Any:
    """A request made before extensions went through the engine gets its approval now."""
    from apps.approvals.services import approval_submit

    if request.approval_id is not None:
        return request.approval
    request.approval = approval_submit(
        flow_code=EXTENSION_FLOW,
        flow_name="督办事项延期审批",
        applicant=request.requested_by,
        subject=request,
        title=f"延期申请：{request.item.title}",
        chain=_extension_chain(request.item, request.requested_by),
    )
    request.save(update_fields=["approval"])
    return request.approval


@transaction.atomic
def extension_decide(
    *, actor: User, request: ExtensionRequest, grant: bool, note: str = ""
) -> ExtensionRequest:
    """The leading leader grants or refuses, as the approver of the request's approval; the
    outcome (`on_extension_decided`) moves the deadline and its warning date."""
    from apps.approvals.services import approval_decide

    locked_request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    item = _locked(locked_request.item)
    _require(rules.can_decide_extension(actor, item), "只有领责督办领导可以审批延期申请。")
    if locked_request.status != ExtensionStatus.PENDING:
        raise TransitionError("该延期申请已审批，不能重复审批。")
    if not grant and not note.strip():
        raise ValidationError({"note": "不同意延期时请填写意见。"})
    approval = _ensure_approval(locked_request)
    try:
        approval_decide(actor=actor, request=approval, approve=grant, comment=note)
    except ValidationError as error:
        raise TransitionError("；".join(error.messages)) from error
    locked_request.refresh_from_db()
    return locked_request


def on_extension_decided(approval: Any) -> None:
    """The approvals engine's outcome for an extension request, inside the deciding transaction:
    a grant moves the deadline; a refusal or the applicant's withdrawal only answers."""
    from apps.approvals.choices import RequestStatus, StageStatus

    request = ExtensionRequest.objects.select_for_update().filter(approval=approval).first()
    if request is None or request.status != ExtensionStatus.PENDING:
        return
    item = _locked(request.item)
    decided = (
        approval.stages.filter(status__in=[StageStatus.APPROVED, StageStatus.REJECTED])
        .order_by("-decided_at", "-id")
        .select_related("approver")
        .first()
    )
    if approval.status == RequestStatus.WITHDRAWN or decided is None:
        request.status = ExtensionStatus.WITHDRAWN
        request.decided_at = _now()
        request.save(update_fields=["status", "decided_at"])
        _event(item, EventKind.EXTENSION_WITHDRAWN, approval.applicant)
        return
    grant = approval.status == RequestStatus.APPROVED
    actor, note = decided.approver, decided.comment
    if grant:
        # The granted date is a typed date: it never moves with the holiday arrangement.
        granted = deadline_fields(
            deadlines.ResolvedDeadline(
                request.new_deadline,
                note=f"经批准由{request.old_deadline:%Y-%m-%d}延期",
            )
        )
        for name, value in granted.items():
            setattr(item, name, value)
        item.save(update_fields=[*granted, "updated_at"])
        refresh_warning_dates(item)
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = _now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _event(
        item,
        EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_REFUSED,
        actor,
        note=note,
        old_deadline=request.old_deadline.isoformat(),
        new_deadline=request.new_deadline.isoformat(),
    )
    _notify_after_commit(
        [request.requested_by],
        f"延期申请{'已同意' if grant else '未获同意'}：{item.title}",
        item,
        note,
    )


@transaction.atomic
def milestone_complete(*, actor: User, milestone: Milestone, note: str = "") -> Milestone:
    item = milestone.item
    _require(rules.is_unit_actor(actor, item) or rules.can_manage(actor), "您无权确认该时间节点。")
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.status == MilestoneStatus.DONE:
        raise TransitionError("该时间节点已完成。")
    if item.status not in OPEN_STATUSES:
        raise TransitionError(f"该事项当前状态为“{item.get_status_display()}”，不能确认时间节点。")
    locked.status = MilestoneStatus.DONE
    locked.done_at = _now()
    locked.save(update_fields=["status", "done_at"])
    resolve_task_after_commit(task_key(locked.item_id, f"milestone:{locked.pk}"))
    refresh_warning_dates(item)
    _event(
        item,
        EventKind.MILESTONE_DONE,
        actor,
        note=note or locked.title,
        milestone=locked.title,
        late=locked.deadline < _today(),
    )
    return locked


@transaction.atomic
def checklist_create(
    *, actor: User, name: str, year: int, source: str, description: str = ""
) -> Checklist:
    _require(rules.can_manage(actor), "只有办公室可以建立清单。")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写清单名称。"
    elif Checklist.objects.filter(name=name.strip()).exists():
        errors["name"] = "已有同名清单。"
    if source not in Source.values:
        errors["source"] = "未知的来源。"
    if not 2000 <= year <= 2100:
        errors["year"] = "年度不正确。"
    if errors:
        raise ValidationError(errors)
    return Checklist.objects.create(
        name=name.strip(), year=year, source=source, description=description, created_by=actor
    )


NOT_A_DRAFT = "已交办的事项不能修改，请通过延期申请调整时限。"

# The fields compared to tell the timeline what changed (names as the office knows them).
_EDITABLE_FIELDS = (
    "checklist",
    "kind",
    "serial",
    "source",
    "title",
    "content",
    "category",
    "leading_leader",
    "lead_unit",
    "responsible_person",
    "deadline",
    "is_standing",
    "feedback_rule",
    "feedback_workdays",
)


def _field_values(item: TrackedItem) -> dict[str, Any]:
    return {
        name: getattr(item, TrackedItem._meta.get_field(name).attname)  # type: ignore[union-attr]
        for name in _EDITABLE_FIELDS
    }


@transaction.atomic
def item_update_draft(*, actor: User, item: TrackedItem, spec: ItemSpec) -> TrackedItem:
    """Change a draft's terms, co-units, trackers and milestones; writes one EDITED event.

    Once an item is assigned (交办) its terms are fixed: a later deadline goes through an extension
    request decided by the leading leader, so that the timeline explains every change."""
    _require(rules.can_manage(actor), "只有办公室可以修改督办事项。")
    locked = _locked(item)
    if locked.status != Status.DRAFT:
        raise TransitionError(NOT_A_DRAFT)
    resolved = validate_item_spec(spec, instance=locked)
    before = _field_values(locked)
    before_co_units = set(locked.co_units.values_list("pk", flat=True))
    before_trackers = set(locked.trackers.values_list("pk", flat=True))
    before_milestones = list(locked.milestones.values_list("deadline", "title"))

    locked.checklist = spec.checklist
    locked.kind = spec.kind
    locked.serial = spec.serial.strip() or locked.serial
    locked.source = spec.source or spec.checklist.source
    locked.title = spec.title.strip()
    locked.content = spec.content
    locked.category = spec.category
    locked.leading_leader = spec.leading_leader
    locked.lead_unit = spec.lead_unit
    locked.responsible_person = spec.responsible_person
    terms = deadline_fields(resolved, standing=spec.standing)
    for name, value in terms.items():
        setattr(locked, name, value)
    locked.feedback_rule = spec.feedback_rule
    locked.feedback_workdays = spec.feedback_workdays
    locked.save(update_fields=[*_EDITABLE_FIELDS, *terms, "updated_at"])
    locked.co_units.set(spec.co_units)
    locked.trackers.set(spec.trackers)
    # A draft's milestones cannot have been completed (completion needs an open item), so
    # replacing them loses nothing.
    locked.milestones.all().delete()
    _write_milestones(locked, spec.milestones)
    refresh_warning_dates(locked)
    after = _field_values(locked)
    changed = [
        str(TrackedItem._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name in _EDITABLE_FIELDS
        if before[name] != after[name]
    ]
    if before_co_units != {u.pk for u in spec.co_units}:
        changed.append("配合单位")
    if before_trackers != {p.pk for p in spec.trackers}:
        changed.append("跟踪问效人员")
    if before_milestones != [(m.deadline, m.title.strip()) for m in spec.milestones]:
        changed.append("时间节点")
    _event(
        locked,
        EventKind.EDITED,
        actor,
        note=f"修改了{'、'.join(changed)}" if changed else "保存（内容未变）",
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        changed=changed,
    )
    return locked


@transaction.atomic
def item_reassign(
    *,
    actor: User,
    item: TrackedItem,
    lead_unit: Unit,
    co_units: Sequence[Unit] = (),
    reason: str,
    new_deadline: deadlines.ResolvedDeadline | None = None,
) -> TrackedItem:
    """改派: the office moves an assigned item to another lead unit (a unit sent it back as not
    theirs); the item is assigned again to the new unit, with `new_deadline` when its clock starts
    again (a deputy's suggestion), else its deadline unchanged."""
    _require(rules.can_manage(actor), "只有办公室可以改派事项。")
    if not reason.strip():
        raise ValidationError({"reason": "改派须说明理由。"})
    if lead_unit in co_units:
        raise ValidationError({"co_units": "牵头单位不能同时作为配合单位。"})
    before = item.lead_unit
    item = _transition(
        item,
        actor=actor,
        allowed_from={Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS},
        to=Status.ASSIGNED,
        action_label="改派",
        note=f"由{before.name}改派{lead_unit.name}：{reason}",
        kind=EventKind.EDITED,
        changes={
            "lead_unit": lead_unit,
            "acknowledged_at": None,
            **(deadline_fields(new_deadline) if new_deadline is not None else {}),
        },
    )
    item.co_units.set(co_units)
    if new_deadline is not None:
        refresh_warning_dates(item)
    return item
