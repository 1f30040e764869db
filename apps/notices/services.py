"""Writing notices: draft, publish to the audience, withdraw, read, acknowledge, remind.

Each transition validates first, then changes everything in one transaction, writes a
`NoticeEvent` and saves the notice with `update_fields` (the audit trail records it: `track`
in apps.py). Notifications go out after commit; each recipient's is keyed to their own reading
(`task_key`), so it resolves when they read (or acknowledge) the notice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import BUSINESS_ROLES, current_unit_ids
from apps.core import clock
from apps.documents.services import validate_attachment
from apps.notifications.services import notify_many, resolve_task, resolve_task_after_commit
from apps.organization.models import Unit, UnitMembership

from . import rules
from .choices import EventKind, NoticeCategory, NoticeStatus
from .models import TITLE_MAX_LENGTH, Notice, NoticeAttachment, NoticeEvent, Receipt

BODY_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 200
REMIND_INTERVAL = datetime.timedelta(hours=1)


def task_key(notice_id: int, user_id: int) -> str:
    """A recipient's task of reading (or acknowledging) a notice."""
    return f"notice:{notice_id}:user:{user_id}"


@dataclass
class NoticeSpec:
    """What the office fills in when it drafts a notice."""

    title: str
    body: str
    issuer: Unit | None
    category: str = NoticeCategory.NOTICE
    whole_organ: bool = True
    units: Sequence[Unit] = field(default_factory=list)
    requires_confirmation: bool = False
    pinned: bool = False
    pinned_until: datetime.date | None = None
    valid_until: datetime.date | None = None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _date_errors(
    pinned_until: datetime.date | None, valid_until: datetime.date | None
) -> dict[str, str]:
    today = clock.today()
    errors = {}
    if pinned_until is not None and pinned_until < today:
        errors["pinned_until"] = (
            f"置顶截止日期（{pinned_until:%Y-%m-%d}）已过，请选择今天或以后的日期。"
        )
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = f"有效期（{valid_until:%Y-%m-%d}）已过，请选择今天或以后的日期。"
    return errors


def validate_spec(spec: NoticeSpec) -> NoticeSpec:
    """The spec with its texts stripped, or a ValidationError naming every wrong field."""
    errors: dict[str, str] = {}
    title = spec.title.strip()
    body = "\n".join(line.rstrip() for line in spec.body.strip().splitlines())
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"标题不能超过{TITLE_MAX_LENGTH}字（现有{len(title)}字）。"
    if not body:
        errors["body"] = "请填写正文。"
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = f"正文不能超过{BODY_MAX_LENGTH}字（现有{len(body)}字）。"
    if spec.issuer is None:
        errors["issuer"] = "请选择发布单位。"
    elif spec.issuer.is_external or not spec.issuer.is_active:
        errors["issuer"] = "发布单位须为机关在用的单位。"
    if spec.category not in NoticeCategory.values:
        errors["category"] = "请选择通知类别。"
    units = list(spec.units)
    if not spec.whole_organ and not units:
        errors["units"] = "请选择发送范围：全机关，或至少一个单位。"
    if any(u.is_external or not u.is_active for u in units):
        errors["units"] = "发送单位须为机关在用的单位。"
    if spec.pinned_until is not None and not spec.pinned:
        errors["pinned_until"] = "设置置顶截止日期须同时勾选“置顶”。"
    errors = _date_errors(spec.pinned_until, spec.valid_until) | errors
    if errors:
        raise ValidationError(errors)
    spec.title, spec.body, spec.units = title, body, [] if spec.whole_organ else units
    return spec


def _validate_files(files: Sequence[UploadedFile]) -> None:
    for upload in files:
        try:
            validate_attachment(upload)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from None


def _event(notice: Notice, kind: str, actor: User, note: str = "", before: str = "") -> None:
    NoticeEvent.objects.create(
        notice=notice,
        kind=kind,
        actor=actor,
        at=clock.now(),
        from_status=before,
        to_status=notice.status,
        note=note[:500],
    )


def _attach(notice: Notice, actor: User, files: Sequence[UploadedFile]) -> None:
    now = clock.now()
    for upload in files:
        NoticeAttachment.objects.create(
            notice=notice,
            file=upload,
            name=(upload.name or "附件")[:200],
            size=upload.size or 0,
            uploaded_by=actor,
            uploaded_at=now,
        )


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


@transaction.atomic
def notice_create(
    *, actor: User, spec: NoticeSpec, attachments: Sequence[UploadedFile] = ()
) -> Notice:
    """起草: a draft that only the office sees until it is published."""
    _require(rules.can_publish(actor), "只有办公室可以起草通知公告。")
    spec = validate_spec(spec)
    _validate_files(attachments)
    assert spec.issuer is not None
    notice = Notice.objects.create(
        title=spec.title,
        body=spec.body,
        issuer=spec.issuer,
        category=spec.category,
        whole_organ=spec.whole_organ,
        requires_confirmation=spec.requires_confirmation,
        pinned=spec.pinned,
        pinned_until=spec.pinned_until,
        valid_until=spec.valid_until,
        drafted_by=actor,
        created_at=clock.now(),
    )
    notice.units.set(spec.units)
    _attach(notice, actor, attachments)
    _event(notice, EventKind.DRAFTED, actor)
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice: Notice,
    spec: NoticeSpec,
    attachments: Sequence[UploadedFile] = (),
    remove_attachments: Iterable[int] = (),
) -> Notice:
    """修改 a draft (a published notice is withdrawn and issued anew instead)."""
    _require(rules.can_publish(actor), "只有办公室可以修改通知公告。")
    locked = _locked(notice)
    if locked.status != NoticeStatus.DRAFT:
        raise ValidationError("该通知已发布，不能修改；如有错误，请撤回后重新发布。")
    spec = validate_spec(spec)
    _validate_files(attachments)
    assert spec.issuer is not None
    for name in (
        "title",
        "body",
        "issuer",
        "category",
        "whole_organ",
        "requires_confirmation",
        "pinned",
        "pinned_until",
        "valid_until",
    ):
        setattr(locked, name, getattr(spec, name))
    locked.save()
    locked.units.set(spec.units)
    removed = list(locked.attachments.filter(pk__in=list(remove_attachments)))
    for attachment in removed:
        attachment.file.delete(save=False)
        attachment.delete()
    _attach(locked, actor, attachments)
    _event(locked, EventKind.EDITED, actor)
    return locked


def audience(notice: Notice, day: datetime.date) -> dict[int, tuple[User, int | None]]:
    """Who receives the notice on `day`: user id → (account, unit id); leaders have no unit.
    Two queries, whatever the organ's size."""
    memberships = UnitMembership.objects.on(day)
    if not notice.whole_organ:
        memberships = memberships.filter(unit__in=notice.units.all())
    unit_of: dict[int, int] = {}
    for person_id, unit_id in memberships.order_by("start_date", "id").values_list(
        "person_id", "unit_id"
    ):
        unit_of[person_id] = unit_id  # the latest posting wins
    users = User.objects.filter(
        is_active=True, role__in=sorted(BUSINESS_ROLES), person__isnull=False
    ).select_related("person")
    if not notice.whole_organ:
        users = users.filter(person_id__in=list(unit_of))
    return {user.pk: (user, unit_of.get(user.person_id)) for user in users}  # type: ignore[arg-type]


def notice_url(notice: Notice) -> str:
    return reverse("notices:notice_detail", args=[notice.pk])


def _notify(notice: Notice, recipients: list[User], title: str) -> None:
    url = notice_url(notice)
    body = f"{notice.issuer.short_name} · {notice.get_category_display()}"
    pk = notice.pk
    transaction.on_commit(
        lambda: notify_many(
            recipients=recipients,
            title=title,
            body=body,
            url=url,
            category="notices",
            task_key=lambda user: task_key(pk, user.pk),
        )
    )


@transaction.atomic
def notice_publish(*, actor: User, notice: Notice) -> Notice:
    """发布: fix the audience (a receipt row each), tell every recipient."""
    _require(rules.can_publish(actor), "只有办公室可以发布通知公告。")
    locked = _locked(notice)
    if locked.status != NoticeStatus.DRAFT:
        raise ValidationError(f"该通知{locked.get_status_display()}，不能再发布。")
    if errors := _date_errors(locked.pinned_until, locked.valid_until):
        raise ValidationError(list(errors.values()))
    recipients = audience(locked, clock.today())
    if not recipients:
        raise ValidationError("所选单位目前没有在岗人员，无人可以接收该通知。")
    Receipt.objects.bulk_create(
        [
            Receipt(notice=locked, recipient_id=user_id, unit_id=unit_id)
            for user_id, (_user, unit_id) in recipients.items()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    locked.status = NoticeStatus.PUBLISHED
    locked.published_at = clock.now()
    locked.published_by = actor
    locked.save(update_fields=["status", "published_at", "published_by"])
    _event(
        locked, EventKind.PUBLISHED, actor, f"发送{len(recipients)}人", before=NoticeStatus.DRAFT
    )
    _notify(
        locked,
        [user for user, _unit in recipients.values()],
        f"{locked.get_category_display()}：{locked.title}",
    )
    return locked


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice, reason: str) -> Notice:
    """撤回 with a reason: readers see that it was withdrawn and why; nobody is asked to read it."""
    _require(rules.can_publish(actor), "只有办公室可以撤回通知公告。")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "撤回须说明原因。"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"撤回原因不能超过{REASON_MAX_LENGTH}字。"})
    locked = _locked(notice)
    if locked.status != NoticeStatus.PUBLISHED:
        raise ValidationError(f"该通知{locked.get_status_display()}，不能撤回。")
    locked.status = NoticeStatus.WITHDRAWN
    locked.withdrawn_at = clock.now()
    locked.withdraw_reason = reason
    locked.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    _event(locked, EventKind.WITHDRAWN, actor, reason, before=NoticeStatus.PUBLISHED)
    resolve_task_after_commit(f"notice:{locked.pk}:", prefix=True)
    return locked


def _unit_today(user: User) -> int | None:
    units = current_unit_ids(user)
    return min(units) if units else None


def notice_read(*, reader: User, notice: Notice) -> Receipt | None:
    """The first opening by someone in the audience is their reading; later ones change nothing.

    Race-safe without a lock: the receipt is unique per notice and reader (`get_or_create` falls
    back to the row a concurrent request created), and the first reading time is written by a
    conditional UPDATE that only one request can win. Returns None for a reader outside the
    audience (a leader or the office opening a unit's notice) or a notice not published."""
    if notice.status != NoticeStatus.PUBLISHED:
        return None
    now = clock.now()
    receipt = Receipt.objects.filter(notice=notice, recipient=reader).first()
    if receipt is None:
        if not Notice.objects.filter(pk=notice.pk).filter(rules.addressed_to(reader)).exists():
            return None
        receipt, created = Receipt.objects.get_or_create(
            notice=notice,
            recipient=reader,
            defaults={"unit_id": _unit_today(reader), "read_at": now},
        )
        if created:
            _reading_done(notice, reader)
            return receipt
    if receipt.read_at is None:
        if Receipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=now):
            receipt.read_at = now
            _reading_done(notice, reader)
        else:
            receipt.refresh_from_db(fields=["read_at"])
    return receipt


def _reading_done(notice: Notice, reader: User) -> None:
    if not notice.requires_confirmation:
        resolve_task(task_key(notice.pk, reader.pk))


def notice_confirm(*, reader: User, notice: Notice) -> Receipt:
    """确认已知悉 (需确认 notices): recorded once; the reader's notification resolves."""
    if notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(f"该通知{notice.get_status_display()}，无需确认。")
    if not notice.requires_confirmation:
        raise ValidationError("该通知不需要确认。")
    receipt = notice_read(reader=reader, notice=notice)
    if receipt is None:
        raise PermissionDenied("您不在该通知的发送范围内，无需确认。")
    now = clock.now()
    if Receipt.objects.filter(pk=receipt.pk, confirmed_at__isnull=True).update(confirmed_at=now):
        receipt.confirmed_at = now
        resolve_task(task_key(notice.pk, reader.pk))
    else:
        receipt.refresh_from_db(fields=["confirmed_at"])
    return receipt


def pending_receipts(notice: Notice) -> Any:
    """The receipts still owed: unread, or — for 需确认 notices — not yet acknowledged."""
    field = "confirmed_at" if notice.requires_confirmation else "read_at"
    return notice.receipts.filter(**{f"{field}__isnull": True})


@transaction.atomic
def notice_remind(*, actor: User, notice: Notice) -> int:
    """提醒未读: notify everyone who still owes a reading, at most once an hour per notice."""
    locked = _locked(notice)
    _require(rules.can_see_receipts(actor, locked), "只有发布人、办公室和领导可以提醒未读人员。")
    if locked.status != NoticeStatus.PUBLISHED:
        raise ValidationError(f"该通知{locked.get_status_display()}，不能提醒。")
    now = clock.now()
    if locked.reminded_at is not None and now - locked.reminded_at < REMIND_INTERVAL:
        last = timezone.localtime(locked.reminded_at)
        again = last + REMIND_INTERVAL
        raise ValidationError(
            f"{last:%H:%M}已提醒过未读人员，每条通知一小时内只能提醒一次，请于{again:%H:%M}后再提醒。"
        )
    pending = [r.recipient for r in pending_receipts(locked).select_related("recipient")]
    if not pending:
        raise ValidationError("所有接收人都已阅读，无需提醒。")
    locked.reminded_at = now
    locked.save(update_fields=["reminded_at"])
    _event(locked, EventKind.REMINDED, actor, f"提醒{len(pending)}人")
    action = "确认" if locked.requires_confirmation else "阅读"
    _notify(locked, pending, f"请及时{action}：{locked.title}")
    return len(pending)
