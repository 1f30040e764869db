"""What an attacker with write access to the database (but not the audit key) can do.

On PostgreSQL the append-only trigger is disabled first, as the table's owner could; the tests of
the trigger itself are in test_trigger.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test import override_settings

from apps.audit import macs
from apps.audit.models import AuditChainHead, AuditEvent

TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_auditevent_append_only"
ATTACKER_KEY = b"the attacker does not have the key and guesses one of his own"


@contextlib.contextmanager
def trigger_disabled() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def update_row(pk: int, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*columns.values(), pk])


def delete_rows(where: str, params: list[Any]) -> None:
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {where}", params)


def insert_row(**columns: Any) -> int:
    """Insert a row as raw SQL; returns its id."""
    row = {
        "created_at": "2026-12-01 08:00:00+00:00",
        "actor_username": "",
        "action": "login",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "detail": "{}",
        "success": True,
        "scheme": macs.KEYED,
        "row_mac": "",
        "prev_hash": "",
        **columns,
    }
    names = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({names}) VALUES ({marks})", list(row.values()))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT lastval()")
        else:
            cursor.execute("SELECT last_insert_rowid()")
        return int(cursor.fetchone()[0])


def chain_rows() -> list[Any]:  # Any: every row here has its seq
    return list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq"))


def recompute_without_key(from_seq: int) -> None:
    """The probe's attack: recompute every MAC from `from_seq` on with the code's own functions,
    but with a key of the attacker's own, and move the head (signed with that key too)."""
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        rows = chain_rows()
        prev = macs.GENESIS_HASH
        for row in rows:
            if row.seq >= from_seq:
                row_mac = macs.row_mac(row)
                entry = macs.entry_mac(row.seq, prev, row_mac)
                update_row(row.pk, row_mac=row_mac, prev_hash=prev, entry_hash=entry)
                prev = entry
            else:
                prev = row.entry_hash
        head = AuditChainHead.objects.get(id=1)
        head.last_hash = prev
        head.sign()
        head.save()


def downgrade_to_unkeyed(from_seq: int) -> None:
    """Mark the rows as the old unkeyed scheme and recompute their plain SM3 hashes."""
    rows = chain_rows()
    prev = macs.GENESIS_HASH
    for row in rows:
        if row.seq >= from_seq:
            row.prev_hash = prev
            entry = macs.legacy_hash(row)
            update_row(row.pk, scheme=macs.LEGACY, prev_hash=prev, entry_hash=entry)
            prev = entry
        else:
            prev = row.entry_hash
    AuditChainHead.objects.filter(id=1).update(last_hash=prev)
