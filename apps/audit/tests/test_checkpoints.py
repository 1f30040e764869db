"""Checkpoints outside the database catch what a consistent database cannot show: a rollback."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.audit import macs
from apps.audit.checkpoints import CheckpointRefused, checkpoint_path, write_checkpoint
from apps.audit.models import AuditAction, AuditChainHead, AuditEvent
from apps.audit.services import chain_pending, record_event, verify_chain
from apps.core.scheduling import daily_jobs

from .tamper import delete_rows, update_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit")
    return tmp_path / "audit"


def exports(count: int) -> list[Any]:  # Any: seq is set once chained
    events = [record_event(action=AuditAction.EXPORT, object_repr=str(n)) for n in range(count)]
    chain_pending()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def test_a_checkpoint_is_a_signed_line_in_the_file_and_the_log(personas, anchored, caplog):
    events = exports(3)
    with caplog.at_level("INFO", logger="apps.audit.checkpoints"):
        checkpoint = write_checkpoint()
    assert (checkpoint.seq, checkpoint.entry_hash) == (events[-1].seq, events[-1].entry_hash)
    line = json.loads(checkpoint_path().read_text().splitlines()[-1])
    assert line["seq"] == checkpoint.seq
    assert line["mac"] == macs.checkpoint_mac(line["at"], line["seq"], line["hash"])
    assert any(checkpoint.entry_hash in record.getMessage() for record in caplog.records)
    # Writing one is itself audited.
    assert AuditEvent.objects.filter(action=AuditAction.CHAIN_CHECKPOINT, success=True).exists()
    write_checkpoint()
    assert len(checkpoint_path().read_text().splitlines()) == 2  # appended, never rewritten
    assert list(verify_chain()) == []


def test_rolling_the_database_back_to_an_older_consistent_state_is_caught(personas, anchored):
    exports(2)
    saved = AuditChainHead.objects.get(id=1)  # the attacker keeps a copy of the older head
    newer = exports(3)
    write_checkpoint()
    # Put the older state back: remove the newer rows, restore the older (validly signed) head.
    delete_rows("seq >= %s", [newer[0].seq])
    saved.save()
    assert list(verify_chain(checkpoints=False)) == []  # the database alone looks fine
    problems = list(verify_chain())
    assert len(problems) == 1
    assert problems[0].seq == newer[-1].seq  # the checkpointed row is gone
    assert "回退" in problems[0].reason
    with pytest.raises(CheckpointRefused, match="回退"):
        write_checkpoint()


def test_a_rewritten_checkpointed_row_disagrees_with_the_checkpoint(personas, anchored):
    events = exports(3)
    write_checkpoint()
    update_row(events[-1].pk, entry_hash="a" * 64)
    reasons = " ".join(p.reason for p in verify_chain())
    assert "锚点不一致" in reasons or "改写" in reasons


def test_a_forged_checkpoint_line_is_reported(personas, anchored):
    exports(1)
    write_checkpoint()
    with checkpoint_path().open("a") as file:
        file.write(json.dumps({"at": "2026-12-01T00:00:00", "seq": 999, "hash": "0", "mac": "0"}))
    problems = list(verify_chain())
    assert [p.reason for p in problems] == ["锚点文件第2行的MAC不正确（被篡改或伪造），已忽略"]


def test_no_checkpoint_is_written_over_a_forged_head(personas, anchored):
    exports(2)
    AuditChainHead.objects.filter(id=1).update(last_seq=1)
    with pytest.raises(CheckpointRefused, match="链头的MAC不正确"):
        write_checkpoint()
    assert not checkpoint_path().exists()
    assert AuditEvent.objects.filter(action=AuditAction.CHAIN_CHECKPOINT, success=False).exists()


def test_the_commands_write_and_compare_checkpoints(personas, anchored):
    exports(2)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "已写入审计链锚点" in out.getvalue()
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "已与 1 个锚点比对" in out.getvalue()


def test_without_a_directory_the_checkpoint_command_says_so(personas, settings):
    settings.AUDIT_CHECKPOINT_DIR = ""
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_DIR"):
        call_command("audit_checkpoint")


def test_checkpoints_are_a_daily_job_every_day():
    job = next(job for job in daily_jobs() if job.name == "审计链锚定")
    assert job.workdays_only is False
