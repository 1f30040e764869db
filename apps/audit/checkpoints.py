"""Signed checkpoints of the chain head, kept outside the database.

Someone who can write to the database but does not hold the key cannot forge a row, but could
still put back an older, consistent copy of the whole table and its head (a restored backup), or
cut off the newest rows together with a saved older head. A checkpoint — the head's number and
hash, with the time, signed with HMAC-SM3 — appended every day to a file in
`settings.AUDIT_CHECKPOINT_DIR` and written to the log, catches both: `verify_chain` requires every
checkpointed row to exist with the checkpointed hash.

HMAC rather than an SM2 signature: verifying happens on the same server, which holds the key
anyway; an SM2 key pair would let an outside party verify without the key, which nobody here
needs, at the price of one more dependency (gmssl) and a second secret to manage.

The file is opened for appending only and flushed to disk for each line. Making it append-only
at the file-system level (`chattr +a`) and shipping the log to a separate log server are
deployment steps (README, 安全基线).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from apps.core import clock

from . import macs
from .models import AuditAction, AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

FILE_NAME = "audit-chain-checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    at: str  # ISO 8601, as signed
    seq: int
    entry_hash: str

    @property
    def moment(self) -> datetime.datetime | None:
        try:
            return datetime.datetime.fromisoformat(self.at)
        except ValueError:
            return None


class CheckpointRefused(Exception):
    """The chain is not in a state that may be anchored; the message says why (Chinese)."""


def checkpoint_path() -> Path | None:
    directory = settings.AUDIT_CHECKPOINT_DIR
    return Path(directory) / FILE_NAME if directory else None


def read_checkpoints() -> tuple[list[Checkpoint], list[int]]:
    """The valid checkpoints of the file, and the numbers of its lines that are not valid."""
    path = checkpoint_path()
    if path is None or not path.exists():
        return [], []
    found: list[Checkpoint] = []
    bad: list[int] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                checkpoint = Checkpoint(str(data["at"]), int(data["seq"]), str(data["hash"]))
                mac = str(data["mac"])
            except (ValueError, KeyError, TypeError):
                bad.append(number)
                continue
            expected = macs.checkpoint_mac(checkpoint.at, checkpoint.seq, checkpoint.entry_hash)
            if macs.same(mac, expected):
                found.append(checkpoint)
            else:
                bad.append(number)
    return found, bad


def _authentic_head() -> AuditChainHead:
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        if AuditEvent.objects.filter(seq__isnull=False).exists():
            raise CheckpointRefused("链头缺失：有审计记录，却没有签名的链头。")
        head = AuditChainHead(last_hash=macs.GENESIS_HASH)
        head.sign()
    if not head.signature_valid():
        raise CheckpointRefused("链头的MAC不正确：链头被改写。")
    if head.last_seq:
        last = AuditEvent.objects.filter(seq=head.last_seq).first()
        if last is None or not macs.same(last.entry_hash, head.last_hash):
            raise CheckpointRefused(f"链头指向的第 {head.last_seq} 号记录缺失或与链头不符。")
    return head


def _check_against_previous(head: AuditChainHead) -> None:
    found, _ = read_checkpoints()
    if not found:
        return
    previous = max(found, key=lambda c: c.seq)
    if previous.seq > head.last_seq:
        raise CheckpointRefused(
            f"{previous.at}的锚点已到第 {previous.seq} 号，链头却只到第 {head.last_seq} 号："
            "数据库可能被回退。"
        )
    if previous.seq:
        row = AuditEvent.objects.filter(seq=previous.seq).first()
        if row is None or not macs.same(row.entry_hash, previous.entry_hash):
            raise CheckpointRefused(
                f"第 {previous.seq} 号记录与{previous.at}的锚点不一致：数据库被回退或改写。"
            )


def write_checkpoint() -> Checkpoint:
    """Chain what is pending, check the head, then append its signed checkpoint to file and log."""
    from .services import chain_pending, record_event

    path = checkpoint_path()
    if path is None:
        raise CheckpointRefused("未配置锚点目录（AUDIT_CHECKPOINT_DIR），无法写入审计链锚点。")
    chain_pending()
    try:
        head = _authentic_head()
        _check_against_previous(head)
    except CheckpointRefused as refused:
        logger.critical("审计链锚点未写入：%s", refused)
        record_event(
            action=AuditAction.CHAIN_CHECKPOINT,
            object_repr="审计链锚点",
            actor_username="system",
            detail={"拒绝原因": str(refused)},
            success=False,
        )
        raise
    checkpoint = Checkpoint(clock.now().isoformat(), head.last_seq, head.last_hash)
    line = json.dumps(
        {
            "at": checkpoint.at,
            "seq": checkpoint.seq,
            "hash": checkpoint.entry_hash,
            "mac": macs.checkpoint_mac(checkpoint.at, checkpoint.seq, checkpoint.entry_hash),
        },
        ensure_ascii=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("审计链锚点 %s", line)
    record_event(
        action=AuditAction.CHAIN_CHECKPOINT,
        object_repr=f"审计链锚点：第 {checkpoint.seq} 号",
        actor_username="system",
        detail={"序号": checkpoint.seq, "哈希": checkpoint.entry_hash, "文件": str(path)},
    )
    return checkpoint
