"""PostgreSQL only: the append-only trigger, and writers that no longer wait for each other."""

import threading
import time
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections, transaction

from apps.audit.models import AuditAction, AuditChainHead, AuditEvent
from apps.audit.services import chain_pending, record_event, verify_chain

from .tamper import TABLE

# Skipped at collection, not in a fixture: these tests restore the database from a snapshot
# (serialized_rollback) before any fixture runs, which on SQLite can collide with content types
# recreated by an earlier flush on the same xdist worker.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="需要PostgreSQL（触发器和并发写入）"
)


def refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "审计记录不可" in str(error)
    return False


@pytest.mark.django_db
def test_the_trigger_refuses_update_and_delete_but_lets_the_appender_chain(personas):
    chained = record_event(action=AuditAction.EXPORT, object_repr="已入链")
    chain_pending()
    pending = record_event(action=AuditAction.EXPORT, object_repr="待入链")
    assert refused(f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = %s", [chained.pk])
    assert refused(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE id = %s", [chained.pk])
    assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [chained.pk])
    # A pending row's content cannot change either, not even together with its chaining.
    assert refused(
        f"UPDATE {TABLE} SET seq = 999999, object_repr = 'x' WHERE id = %s", [pending.pk]
    )
    assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [pending.pk])
    assert chain_pending() == 1
    assert AuditEvent.objects.get(pk=pending.pk).seq is not None
    assert list(verify_chain()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_writer_does_not_wait_for_a_long_transaction(personas):
    """Issue 7, item 6: a large import's transaction used to hold the chain head until it ended."""
    inside = threading.Event()
    release = threading.Event()
    outcome: dict[str, float] = {}

    def long_import():
        try:
            with transaction.atomic():
                for n in range(500):
                    record_event(action=AuditAction.CREATE, object_repr=f"导入第{n}行")
                inside.set()
                release.wait(timeout=20)
            outcome["import_committed"] = time.monotonic()
        finally:
            connections.close_all()

    importer = threading.Thread(target=long_import)
    importer.start()
    assert inside.wait(timeout=30)
    started = time.monotonic()

    def second_writer():
        try:
            record_event(action=AuditAction.LOGIN, object_repr="第二个写入者")
            outcome["login"] = time.monotonic() - started
        finally:
            connections.close_all()

    writer = threading.Thread(target=second_writer)
    writer.start()
    writer.join(timeout=10)
    release.set()
    importer.join(timeout=60)
    assert "login" in outcome, "the second writer waited for the import's transaction"
    assert outcome["login"] < 2
    login = AuditEvent.objects.get(object_repr="第二个写入者")
    assert login.seq is not None  # chained at once, before the import's rows
    imported = AuditEvent.objects.filter(object_repr__startswith="导入第")
    assert imported.count() == 500
    assert not imported.filter(seq__isnull=True).exists()
    first_imported = imported.order_by("seq").values_list("seq", flat=True).first()
    assert login.seq < (first_imported or 0)
    assert list(verify_chain()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_commits_and_rollbacks_keep_exactly_the_committed_events(personas):
    barrier = threading.Barrier(6)
    failures: list[BaseException] = []

    def writer(index: int):
        try:
            barrier.wait(timeout=20)
            for round_ in range(5):
                try:
                    with transaction.atomic():
                        for n in range(20):
                            record_event(
                                action=AuditAction.EXPORT, object_repr=f"w{index}-{round_}-{n}"
                            )
                        if index % 2:
                            raise RuntimeError("roll back")
                except RuntimeError:
                    pass
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    written = AuditEvent.objects.filter(object_repr__regex=r"^w\d-")
    assert written.count() == 3 * 5 * 20  # the three committing writers' events, all of them
    assert not written.filter(object_repr__regex=r"^w[135]-").exists()
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # gap-free
    assert AuditChainHead.objects.get(id=1).last_seq == len(seqs)
    assert list(verify_chain()) == []


APP_ROLE = "audit_grants_test_app"
GRANTS = Path(__file__).resolve().parents[1] / "sql" / "app_role_grants.sql"


def _connect(role: str | None = None):
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    if role is not None:
        params["user"] = role
        params.pop("password", None)
    return psycopg.connect(**params, autocommit=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_application_role_of_the_readme_cannot_delete_truncate_or_drop_the_trail(personas):
    """The GRANT statements README gives, run as written: the role can record and chain events,
    and nothing else on the audit table."""
    event = record_event(action=AuditAction.EXPORT, object_repr="授权测试")
    statements = [
        line.replace(':"app_role"', f'"{APP_ROLE}"')
        for line in GRANTS.read_text().splitlines()
        if line.strip() and not line.startswith("--")
    ]
    with _connect() as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{APP_ROLE}"')
        admin.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN')
        for statement in statements:
            admin.execute(statement)
    try:
        try:
            app = _connect(APP_ROLE)
        except Exception as error:  # an installation that does not trust local connections
            pytest.skip(f"cannot connect as a new role: {error}")
        with app:
            assert app.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] >= 1
            app.execute(f"UPDATE {TABLE} SET seq = seq WHERE id = -1")  # the three columns: allowed
            for forbidden in (
                f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = {event.pk}",
                f"DELETE FROM {TABLE} WHERE id = {event.pk}",
                f"TRUNCATE {TABLE}",
                f"DROP TABLE {TABLE}",
                f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only",
            ):
                with pytest.raises(Exception, match=r"permission denied|must be owner"):
                    app.execute(forbidden)
            # The ordinary tables stay writable.
            app.execute("UPDATE accounts_user SET first_name = first_name WHERE id = -1")
        assert AuditEvent.objects.filter(pk=event.pk).exists()
        assert list(verify_chain()) == []
    finally:
        with _connect() as admin:
            admin.execute(f'DROP OWNED BY "{APP_ROLE}"')
            admin.execute(f'DROP ROLE IF EXISTS "{APP_ROLE}"')
