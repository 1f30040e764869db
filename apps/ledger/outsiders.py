"""What an external body's contact (外部单位联络员) reads of the ledger: the plain items (督办事项)
assigned to the body, led or co-operated on (配合单位), and of each only what is meant for the body.

Items that an area shows to bodies on its own pages (会议材料、审议意见、代表建议 …) keep their
area's page (`policies.area_outsider_link`); the ledger's body pages show every other item. A
contact whose contact record is no longer valid, or whose body is no longer active, sees nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.permissions import external_unit_id
from apps.organization.models import Unit

from .choices import EventKind, Status
from .models import ItemEvent, TrackedItem

# The timeline entries meant for the body: the organ's own bookkeeping (登记、修改、导入、按节假日
# 重算) stays inside.
BODY_EVENT_KINDS = frozenset(
    {
        EventKind.TRANSITION,
        EventKind.RETURNED,
        EventKind.FEEDBACK,
        EventKind.CONTRIBUTION,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_GRANTED,
        EventKind.EXTENSION_REFUSED,
        EventKind.EXTENSION_WITHDRAWN,
        EventKind.MILESTONE_DONE,
    }
)
# Transitions whose note is the organ's internal record (核验意见): shown without it.
INTERNAL_NOTE_STATUSES = frozenset({Status.VERIFIED})


def body_of(user: Any) -> int | None:
    """The active external body an active contact speaks for; None for anyone else."""
    body = external_unit_id(user)
    if body is None or not user.is_active or not user.external_contact.is_active:
        return None
    if not Unit.everything.filter(pk=body, is_active=True).exists():
        return None
    return body


def body_items(body: int) -> QuerySet[TrackedItem]:
    """The body's items, led or co-operated on, once assigned (a draft is the office's)."""
    ids = TrackedItem.objects.filter(Q(lead_unit_id=body) | Q(co_units=body)).values("pk")
    return TrackedItem.objects.filter(pk__in=ids).exclude(status=Status.DRAFT)


def is_lead(item: TrackedItem, body: int) -> bool:
    return item.lead_unit_id == body


def body_timeline(item: TrackedItem, body: int) -> list[dict[str, Any]]:
    """The entries of the item's timeline meant for the body. A co-operating body reads the
    state changes and its own contributions, not the other bodies' contributions."""
    events = (
        item.events.filter(kind__in=BODY_EVENT_KINDS)
        .select_related("actor", "actor__external_contact__unit")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    rows = []
    for event in events:
        contact = event.actor.external_contact if event.actor is not None else None
        own = contact is not None and contact.unit_id == body
        if event.kind == EventKind.CONTRIBUTION and not own and not is_lead(item, body):
            continue
        note = "" if event.to_status in INTERNAL_NOTE_STATUSES else event.note
        rows.append(
            {
                "event": event,
                "who": contact.name if own and contact is not None else _organ_side(event),
                "note": note,
                "attachments": list(event.attachments.all()),
            }
        )
    return rows


def _organ_side(event: ItemEvent) -> str:
    """Who acted, as the body should read it: the organ, or another body (by its name only)."""
    actor = event.actor
    if actor is not None and actor.external_contact is not None:
        return actor.external_contact.unit.name
    return "市人大常委会机关"


def next_step(item: TrackedItem, body: int, pending_extension: bool) -> str:
    """What the body is expected to do next, in a few words."""
    if not is_lead(item, body):
        return "配合牵头单位办理，可反馈配合情况" if item.is_open else "已结束"
    if item.status == Status.ASSIGNED:
        return "请签收"
    if item.status in {Status.ACKNOWLEDGED, Status.IN_PROGRESS}:
        if item.feedback_due is not None:
            return f"请于{item.feedback_due:%m月%d日}前反馈进展，办结后报送办结"
        return "办理中，办结后请报送办结" + ("（延期申请审批中）" if pending_extension else "")
    if item.status == Status.REPORTED:
        return "已报送办结，等待核验"
    if item.status == Status.VERIFIED:
        return "已核验，等待销号"
    return "已结束"


def days_label(item: TrackedItem, today: datetime.date) -> str:
    if not item.is_open or item.is_standing:
        return ""
    days = (item.deadline - today).days
    if days < 0:
        return f"已逾期{-days}天"
    return "今天到期" if days == 0 else f"剩余{days}天"
