import datetime
import itertools
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from apps.audit import macs
from apps.audit.models import AuditAction, AuditChainHead, AuditEvent
from apps.audit.services import chain_pending, record_event, sm3_hex, verify_chain
from apps.organization.models import Unit

from .tamper import (
    ATTACKER_KEY,
    delete_rows,
    downgrade_to_unkeyed,
    insert_row,
    recompute_without_key,
    update_row,
)

pytestmark = pytest.mark.django_db


def exports(count: int) -> list[Any]:  # Any: seq is set once chained
    events = [
        record_event(action=AuditAction.EXPORT, object_repr=f"第{n}次导出") for n in range(count)
    ]
    chain_pending()
    return [AuditEvent.objects.get(pk=event.pk) for event in events]


def labels(problems) -> list[str]:
    return [problem.label for problem in problems]


def test_sm3_matches_the_standard_vector():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_the_mac_is_hmac_sm3_with_the_configured_key():
    import hashlib
    import hmac

    expected = hmac.new(b"k" * 32, b"entry\x1f1\x1fprev\x1frow", hashlib.new("sm3").name)
    with override_settings(AUDIT_HMAC_KEY=b"k" * 32):
        assert macs.entry_mac(1, "prev", "row") == expected.hexdigest()
    assert macs.entry_mac(1, "prev", "row") != expected.hexdigest()  # another key, another MAC


def test_every_change_is_recorded_with_old_and_new_values(personas):
    unit = Unit.objects.create(name="临时单位", short_name="临时", kind="committee")
    unit_id = str(unit.pk)
    unit.name = "更名单位"
    unit.save()
    unit.delete()
    actions = list(
        AuditEvent.objects.filter(object_type="organization.unit", object_id=unit_id)
        .order_by("id")
        .values_list("action", "detail")
    )
    assert [a for a, _ in actions] == ["create", "update", "delete"]
    assert actions[1][1]["name"] == ["临时单位", "更名单位"]


def test_rows_cannot_be_changed_or_deleted_through_the_application(personas):
    event = record_event(action=AuditAction.EXPORT, object_repr="导出")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(success=False)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent(action="login", prev_hash="0", entry_hash="1").save()


def test_rows_join_the_chain_gap_free_with_a_signed_head(personas):
    events = exports(5)
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 5))
    assert all(e.prev_hash == p.entry_hash for p, e in itertools.pairwise(events))
    head = AuditChainHead.objects.get(id=1)
    assert (head.last_seq, head.last_hash) == (events[-1].seq, events[-1].entry_hash)
    assert head.signature_valid()
    assert list(verify_chain()) == []


def test_a_rolled_back_transaction_leaves_no_event_and_a_committed_one_keeps_all(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action=AuditAction.EXPORT, object_repr="回滚")
        raise RuntimeError
    assert AuditEvent.objects.count() == before
    with transaction.atomic():
        kept = [record_event(action=AuditAction.EXPORT, object_repr=str(n)) for n in range(3)]
    chain_pending()
    assert all(AuditEvent.objects.get(pk=e.pk).seq for e in kept)
    assert list(verify_chain()) == []


def test_a_transactions_events_join_the_chain_when_it_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        events = [record_event(action=AuditAction.EXPORT, object_repr=str(n)) for n in range(300)]
        assert not AuditEvent.objects.filter(pk=events[0].pk, seq__isnull=False).exists()
    assert len(hooks) == 1  # one hook for the transaction, not one per event
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in events], seq__isnull=True).exists()


def test_an_edited_row_is_named_by_the_verification_command(personas):
    events = exports(5)
    call_command("verify_audit_chain", stdout=StringIO())  # intact chain passes
    tampered = events[2]
    update_row(tampered.pk, object_repr="篡改后的内容")
    problems = list(verify_chain())
    assert [(p.seq, p.event_id) for p in problems] == [(tampered.seq, tampered.pk)]
    assert "内容被篡改" in problems[0].reason
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=out)
    assert f"第 {tampered.seq} 号记录：记录内容被篡改" in out.getvalue()


def test_a_rewritten_row_with_every_hash_recomputed_without_the_key_is_named(personas):
    """The acceptance test of issue 8: edit a row, recompute every hash with the code's own
    functions (but the attacker's key), move and re-sign the head; verification names the row."""
    events = exports(6)
    target = events[2]
    update_row(target.pk, object_repr="改写后的导出记录", success=False)
    recompute_without_key(from_seq=target.seq)
    problems = list(verify_chain())
    assert problems[0].reason.startswith("链头的MAC不正确")
    assert problems[1].seq == target.seq and problems[1].event_id == target.pk
    assert "改写" in problems[1].reason
    # Rows before the edit are not accused; every later row is, since its hash was rewritten.
    assert {p.seq for p in problems[1:]} == {e.seq for e in events[2:]}


def test_downgrading_rows_to_the_unkeyed_scheme_is_caught(personas):
    events = exports(4)
    update_row(events[1].pk, object_repr="改写")
    downgrade_to_unkeyed(from_seq=events[1].seq)
    problems = list(verify_chain())
    assert events[1].seq in {p.seq for p in problems}
    assert problems


def test_a_deleted_row_is_named_itself(personas):
    events = exports(4)
    delete_rows("id = %s", [events[1].pk])
    problems = list(verify_chain())
    assert labels(problems) == [f"第 {events[1].seq} 号记录"]
    assert "被删除" in problems[0].reason


def test_several_deleted_rows_are_named_as_a_range(personas):
    events = exports(6)
    delete_rows("id IN (%s, %s, %s)", [events[1].pk, events[2].pk, events[3].pk])
    problems = list(verify_chain())
    assert [(p.seq, p.seq_end) for p in problems] == [(events[1].seq, events[3].seq)]


def test_a_truncated_tail_is_named_by_the_signed_head(personas):
    events = exports(5)
    delete_rows("seq >= %s", [events[3].seq])
    problems = list(verify_chain(append_pending=False))
    assert [(p.seq, p.seq_end) for p in problems] == [(events[3].seq, events[4].seq)]
    assert "链尾被截断" in problems[0].reason


def test_a_row_inserted_after_the_head_is_called_inserted(personas):
    events = exports(3)
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        fake = insert_row(
            seq=events[-1].seq + 1,
            prev_hash=events[-1].entry_hash,
            entry_hash=macs.entry_mac(events[-1].seq + 1, events[-1].entry_hash, "x" * 64),
            row_mac="x" * 64,
        )
    problems = list(verify_chain())
    assert [(p.seq, p.event_id) for p in problems] == [(events[-1].seq + 1, fake)]
    assert problems[0].reason.startswith("插入的记录")


def test_a_row_inserted_in_the_middle_is_called_inserted_not_missing(personas):
    events = exports(4)
    # Make room by moving the later rows up one number, then insert the forged row.
    for event in reversed(events[2:]):
        update_row(event.pk, seq=event.seq + 1)
    fake = insert_row(seq=events[2].seq, prev_hash=events[1].entry_hash, entry_hash="f" * 64)
    problems = list(verify_chain())
    inserted = [p for p in problems if p.event_id == fake]
    assert len(inserted) == 1 and inserted[0].reason.startswith("插入的记录")
    assert not any("缺失" in p.reason or "删除" in p.reason for p in problems)


def test_a_forged_pending_row_is_never_chained_and_is_called_inserted(personas):
    exports(2)
    fake = insert_row(uid="00000000-0000-0000-0000-000000000001", row_mac="e" * 64)
    assert chain_pending() == 0
    assert AuditEvent.objects.get(pk=fake).seq is None
    problems = list(verify_chain())
    assert [(p.seq, p.event_id) for p in problems] == [(None, fake)]
    assert "被插入" in problems[0].reason


def test_a_head_signed_with_another_key_stops_the_appender(personas):
    exports(2)
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        head = AuditChainHead.objects.get(id=1)
        head.sign()
        head.save()
    pending = record_event(action=AuditAction.EXPORT, object_repr="之后的记录")
    assert chain_pending() == 0  # nothing is signed on top of a forged head
    assert AuditEvent.objects.get(pk=pending.pk).seq is None
    assert "链头的MAC不正确" in next(iter(verify_chain())).reason


def test_rows_from_before_the_key_still_verify_and_anchor_the_keyed_rows(db):
    """Rows written by the old code (unkeyed SM3, numbered by migration 0003) stay exact, and the
    first keyed row links to them, so they cannot be rewritten afterwards either."""
    assert not AuditEvent.objects.exists()
    written = "2026-11-20 08:00:00+00:00"
    prev, ids = macs.GENESIS_HASH, []
    for n in range(3):
        row = AuditEvent(
            created_at=datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC),
            action="export",
            object_repr=f"旧记录{n}",
            prev_hash=prev,
        )
        entry = macs.legacy_hash(row)
        ids.append(
            insert_row(
                seq=n + 1,
                scheme=macs.LEGACY,
                created_at=written,
                action="export",
                object_repr=row.object_repr,
                prev_hash=prev,
                entry_hash=entry,
            )
        )
        prev = entry
    head = AuditChainHead.objects.get(id=1)  # as migration 0003 leaves it
    head.last_hash, head.last_seq, head.legacy_seq, head.last_event_id = prev, 3, 3, ids[-1]
    head.sign()
    head.save()
    keyed = exports(2)
    assert (keyed[0].seq, keyed[0].prev_hash) == (4, prev)
    assert list(verify_chain()) == []
    update_row(ids[1], object_repr="改写旧记录")
    assert [p.seq for p in verify_chain()] == [2]


def test_only_the_audit_admin_reads_the_trail(client, personas):
    record_event(action=AuditAction.EXPORT, object_repr="月报")
    for name in ["zhao", "qian", "sun", "li", "zhou", "sysadmin", "secadmin"]:
        client.force_login(getattr(personas, name))
        assert client.get("/audit/").status_code == 403, name
    client.force_login(personas.auditadmin)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert "月报" in response.content.decode()
    assert client.get("/audit/chain/").status_code == 200


def test_the_chain_page_names_a_deleted_row(client, personas):
    events = exports(3)
    delete_rows("id = %s", [events[1].pk])
    client.force_login(personas.auditadmin)
    page = client.get("/audit/chain/").content.decode()
    assert "审计链校验未通过" in page
    assert f"第 {events[1].seq} 号记录" in page


def test_a_failing_append_after_commit_loses_nothing(db, django_capture_on_commit_callbacks):
    from unittest import mock

    from apps.audit import services

    with (
        mock.patch.object(services, "chain_pending", side_effect=RuntimeError("数据库断开")),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        event = record_event(action=AuditAction.EXPORT, object_repr="提交后入链失败")
    assert AuditEvent.objects.get(pk=event.pk).seq is None  # kept, pending, no error raised
    assert list(verify_chain()) == []  # the sweep chains it
    assert AuditEvent.objects.get(pk=event.pk).seq is not None
