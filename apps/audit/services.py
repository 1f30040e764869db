"""Writing and verifying the audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from apps.core import clock

from .context import current_actor
from .models import AuditAction, AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905-2016) through OpenSSL, which Python's hashlib exposes."""
    return hashlib.new("sm3", data).hexdigest()


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "ip_address": event.ip_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail,
        "success": event.success,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    return sm3_hex(_canonical(event))


def _describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return meta.label_lower, str(obj.pk or ""), str(obj)[:200]


def record_event(
    *,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    success: bool = True,
    actor: Any = None,
    actor_username: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs in the caller's transaction (or its own)."""
    ctx = current_actor()
    actor = actor if actor is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip_address = ip_address or ctx.ip_address
    otype, oid, orepr = _describe(obj)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            created_at=clock.now(),
            actor=actor,
            actor_username=actor_username or (actor.get_username() if actor else ""),
            ip_address=ip_address,
            action=str(action),
            object_type=object_type or otype,
            object_id=oid,
            object_repr=(object_repr or orepr)[:200],
            detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
            success=success,
            prev_hash=head.last_hash,
        )
        event.entry_hash = compute_hash(event)
        event.save(_from_service=True)
        AuditChainHead.objects.filter(id=1).update(
            last_hash=event.entry_hash, last_event_id=event.pk
        )
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk the chain in order; yield every row whose content or link does not match."""
    expected_prev: str | None = None
    last_id = 0
    queryset = AuditEvent.objects.order_by("id")
    for event in queryset.iterator(chunk_size=batch_size):
        if expected_prev is not None and event.prev_hash != expected_prev:
            yield ChainProblem(
                event.pk, "与前一条记录的哈希链接不一致（前一条记录被修改、删除或插入）"
            )
        if compute_hash(event) != event.entry_hash:
            yield ChainProblem(event.pk, "记录内容与其哈希不一致（该记录被篡改）")
        expected_prev = event.entry_hash
        last_id = event.pk
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and last_id and head.last_event_id != last_id:
        yield ChainProblem(head.last_event_id, "链头指向的最后一条记录缺失（末尾记录被删除）")
