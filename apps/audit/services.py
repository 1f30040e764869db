"""Writing the audit trail: `record_event`, and the appender that chains the rows.

Why two steps. Until issue 7 each `record_event` locked the single chain-head row inside the
caller's transaction to read the previous hash. A ledger import writes thousands of events in one
transaction, so it held the head for its whole length (~12 s for 2,000 rows) and every other
audited write of the organ — a login, a clock-in — waited behind it.

The design now:

1. `record_event` inserts the row *pending*: content, a random `uid`, and `row_mac`, the keyed
   HMAC-SM3 of the content (see macs.py), but no place in the chain (`seq`, `prev_hash`,
   `entry_hash` empty). It takes no lock, and runs in the caller's transaction, so a rolled-back
   transaction leaves no row and a committed one keeps every row: no event is ever lost or kept
   wrongly.
2. When that transaction commits (`transaction.on_commit`), the appender (`chain_pending`) gives
   the transaction's own rows their place, in id order, in short steps of `APPEND_BATCH` rows.
   Each step locks the head, checks the head's own MAC, checks each row's `row_mac` (a row that
   was not written by this code is never given a place), numbers the rows `seq` = head + 1, 2, ...
   with `prev_hash` = the previous row's `entry_hash` and `entry_hash` = HMAC(seq, prev, row_mac),
   then moves and re-signs the head and commits. A second writer therefore waits for one short
   step at most, never for someone else's business transaction; uncommitted rows are invisible to
   the appender and cannot hold it up.
3. Rows whose after-commit step did not run (a crash between commit and hook, a database error)
   stay pending, not lost: `chain_pending()` without ids sweeps every committed pending row in id
   order. The daily checkpoint job, `verify_chain` and `manage.py verify_audit_chain` run it first.

The chain stays gap-free (seq is assigned only under the head lock), and verification stays exact:
every chained row's MACs are recomputed, and a pending row is either chained on the next sweep or,
if its `row_mac` is wrong, reported as inserted.

On PostgreSQL a trigger (migration 0004) refuses DELETE and every UPDATE except the appender's
one-time assignment of `seq`, `prev_hash` and `entry_hash` to a pending row.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.ipv6 import clean_ipv6_address

from apps.core import clock

from . import macs
from .context import current_actor
from .macs import GENESIS_HASH, sm3_hex
from .models import AuditAction, AuditChainHead, AuditEvent
from .verification import ChainProblem, verify_chain

__all__ = [
    "GENESIS_HASH",
    "ChainProblem",
    "chain_pending",
    "record_event",
    "sm3_hex",
    "verify_chain",
]

logger = logging.getLogger(__name__)

# Rows chained per locked step: small enough that a second writer waits a few milliseconds.
APPEND_BATCH = 200


def _describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return meta.label_lower, str(obj.pk or ""), str(obj)[:200]


def _normalised_ip(ip_address: str | None) -> str | None:
    # Stored as the database normalises it, so that the MAC computed now matches the row read back.
    if ip_address and ":" in ip_address:
        try:
            return clean_ipv6_address(ip_address)
        except ValidationError:  # not an address at all: the field will refuse it on save
            return ip_address
    return ip_address or None


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
    """Record one event in the caller's transaction (or its own); it joins the chain on commit."""
    ctx = current_actor()
    actor = actor if actor is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    otype, oid, orepr = _describe(obj)
    event = AuditEvent(
        created_at=clock.now(),
        actor=actor,
        actor_username=actor_username or (actor.get_username() if actor else ""),
        ip_address=_normalised_ip(ip_address or ctx.ip_address),
        action=str(action),
        object_type=object_type or otype,
        object_id=oid,
        object_repr=(object_repr or orepr)[:200],
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
        success=success,
        scheme=macs.KEYED,
        uid=uuid.uuid4(),
    )
    event.row_mac = macs.row_mac(event)
    event.save(_from_service=True)
    _chain_after_commit(event.pk)
    return event


def _chain_after_commit(event_id: int) -> None:
    """Queue the row for the appender when the current transaction commits (now, outside one).

    One hook per transaction, holding the ids of its rows: the hook list of the connection is
    inspected so that a transaction of 6,000 events registers one hook, not 6,000. A hook
    registered inside a savepoint that rolls back is dropped by Django, and the next event
    registers a new one. `robust`: a failing append must not turn a committed request into an
    error page; the rows stay pending and the next sweep chains them.
    """
    if connection.in_atomic_block:
        hook = getattr(connection, "_audit_append_hook", None)
        if hook is not None and any(entry[1] is hook for entry in connection.run_on_commit):
            hook.ids.append(event_id)
            return
        hook = _AppendHook([event_id])
        connection._audit_append_hook = hook  # type: ignore[attr-defined]
    else:
        hook = _AppendHook([event_id])
    transaction.on_commit(hook, robust=True)


class _AppendHook:
    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __call__(self) -> None:
        chain_pending(ids=self.ids)


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is None:  # a database flushed by a test, or the very first event
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1,
            defaults={"last_hash": GENESIS_HASH, "head_mac": macs.head_mac(0, GENESIS_HASH, 0)},
        )
    return head


def chain_pending(*, ids: Iterable[int] | None = None, batch_size: int = APPEND_BATCH) -> int:
    """Give committed pending rows (these `ids`, or all of them) their place; returns how many.

    Each step of at most `batch_size` rows is its own short transaction holding the head lock.
    A head whose MAC is wrong is never extended (that would sign a forged state): the rows stay
    pending and the error is logged. A pending row whose `row_mac` is wrong is skipped and
    reported by verification as inserted.
    """
    pending = AuditEvent.objects.filter(seq__isnull=True).order_by("id")
    chained = 0
    if ids is not None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), batch_size):
            step = _step(pending.filter(id__in=wanted[start : start + batch_size]))
            if step is None:
                break
            chained += step[0]
        return chained
    after = 0
    while True:
        step = _step(pending.filter(id__gt=after)[:batch_size])
        if step is None:
            return chained
        count, last_id = step
        chained += count
        if last_id is None:
            return chained
        after = last_id


def _step(rows: models.QuerySet[AuditEvent]) -> tuple[int, int | None] | None:
    """One locked step: chain `rows`; (rows chained, last id looked at), or None if the head is bad."""
    with transaction.atomic():
        head = _locked_head()
        if not head.signature_valid():
            logger.critical("审计链头的MAC不正确（链头被改写），暂停入链，待入链记录保留。")
            return None
        batch = list(rows)
        return _append(head, batch), (batch[-1].pk if batch else None)


def _append(head: AuditChainHead, rows: list[AuditEvent]) -> int:
    seq, prev = head.last_seq, head.last_hash
    links: list[tuple[int, str, str, int]] = []
    for row in rows:
        if row.scheme != macs.KEYED or not macs.same(row.row_mac, macs.row_mac(row)):
            logger.error(
                "审计记录（ID %s）的内容MAC不正确，不予入链：该记录不是由本系统写入的。", row.pk
            )
            continue
        seq += 1
        entry = macs.entry_mac(seq, prev, row.row_mac)
        links.append((seq, prev, entry, row.pk))
        prev = entry
    if not links:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {AuditEvent._meta.db_table} SET seq = %s, prev_hash = %s, entry_hash = %s "
            "WHERE id = %s AND seq IS NULL",
            links,
        )
    head.last_seq, head.last_hash, head.last_event_id = seq, prev, links[-1][3]
    head.sign()
    head.save(update_fields=["last_seq", "last_hash", "last_event_id", "head_mac"])
    return len(links)
