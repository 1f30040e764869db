"""Migration 0004 keys the chain without touching the rows written before it: they still verify."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.audit import macs
from apps.audit.models import AuditAction, AuditChainHead, AuditEvent
from apps.audit.services import record_event, verify_chain

from .tamper import update_row

# On PostgreSQL only (as in production): the test restores the database from a snapshot
# (serialized_rollback) before any fixture runs, which on SQLite collides with content types that
# an earlier flush on the same xdist worker recreated under other ids.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="在PostgreSQL上运行（迁移回放需要干净的快照）"
)

BEFORE = [("audit", "0003_view_action")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "audit"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_of_the_unkeyed_chain_are_numbered_and_still_verify():
    migrate(BEFORE)
    old_events = [
        ("2026-11-20T08:00:00+00:00", "login", "zhou"),
        ("2026-11-20T08:01:00+00:00", "export", "月报"),
        ("2026-11-20T08:02:00+00:00", "logout", "zhou"),
    ]
    prev = macs.GENESIS_HASH
    with connection.cursor() as cursor:
        for created_at, action, text in old_events:
            # Exactly what the old record_event stored: SM3 over the content and prev_hash.
            row = AuditEvent(action=action, object_repr=text, prev_hash=prev)
            row.created_at = datetime.datetime.fromisoformat(created_at)
            entry = macs.legacy_hash(row)
            cursor.execute(
                "INSERT INTO audit_auditevent (created_at, actor_username, action, object_type,"
                " object_id, object_repr, detail, success, prev_hash, entry_hash)"
                " VALUES (%s, '', %s, '', '', %s, '{}', %s, %s, %s)",
                [row.created_at, action, text, True, prev, entry],
            )
            prev = entry
        cursor.execute("DELETE FROM audit_auditchainhead")
        cursor.execute(
            "INSERT INTO audit_auditchainhead (id, last_hash, last_event_id) VALUES (1, %s, 0)",
            [prev],
        )
    migrate(latest())

    rows = list(AuditEvent.objects.order_by("id"))
    assert [(r.seq, r.scheme) for r in rows] == [(1, 1), (2, 1), (3, 1)]
    head = AuditChainHead.objects.get(id=1)
    assert (head.last_seq, head.legacy_seq, head.last_hash) == (3, 3, prev)
    assert head.signature_valid()
    assert list(verify_chain()) == []

    record_event(action=AuditAction.EXPORT, object_repr="升级后的第一条")
    first_keyed = AuditEvent.objects.get(seq=4)
    assert first_keyed.scheme == macs.KEYED and first_keyed.prev_hash == prev
    assert list(verify_chain()) == []
    # An old row rewritten afterwards, its plain SM3 recomputed: the keyed row still points to
    # the original hash, so the rewrite shows.
    update_row(rows[2].pk, object_repr="改写")
    row = AuditEvent.objects.get(pk=rows[2].pk)
    update_row(rows[2].pk, entry_hash=macs.legacy_hash(row))
    assert [p.seq for p in verify_chain()] == [3]
