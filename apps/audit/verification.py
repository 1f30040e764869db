"""Verifying the audit chain: which row was edited, deleted, inserted, and whether the database
was rolled back behind the checkpoints kept outside it.

The walk goes through the chained rows in `seq` order and keeps the last *authentic* row: one
whose `entry_hash` is the keyed MAC of (its seq, its prev_hash, its row_mac). Without the key
nobody can make a row authentic, so each authentic row vouches for its own position and for its
predecessor's hash. The rows between two authentic rows (the suspects) are then explained by
what the later authentic row expects before it:

- it links straight to the earlier authentic row: every suspect in between was *inserted*
  (a renumbered authentic row is recognised by trying the position the chain predicts);
- its predecessor's position is empty: that row was *deleted*, named by its number;
- a suspect holds that position: that row was *rewritten* (content and/or MACs changed).

After the last authentic row the signed chain head plays the same part, and each checkpoint
(checkpoints.py) must name a row that exists with the same hash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from . import macs
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    """One finding of the verification, named by the row's place in the chain where there is one."""

    reason: str
    seq: int | None = None
    event_id: int | None = None  # the row's database id, when the row exists
    seq_end: int | None = None  # a range of deleted rows: seq … seq_end

    @property
    def label(self) -> str:
        if self.seq is not None and self.seq_end is not None and self.seq_end != self.seq:
            return f"第 {self.seq}–{self.seq_end} 号记录（共 {self.seq_end - self.seq + 1} 条）"
        if self.seq is not None:
            return f"第 {self.seq} 号记录"
        if self.event_id is not None:
            return f"待入链记录（ID {self.event_id}）"
        return "审计链"


@dataclass(frozen=True)
class _Suspect:
    seq: int
    event_id: int
    content_ok: bool


def _content_ok(row: AuditEvent) -> bool:
    if row.scheme == macs.LEGACY:
        return True  # its content is covered by entry_hash, checked with the link
    return macs.same(row.row_mac, macs.row_mac(row))


def _position(row: AuditEvent, predicted: int, legacy_seq: int) -> int | None:
    """The position at which `row` is authentic (its own seq, or the one the chain predicts)."""
    if row.scheme == macs.LEGACY:
        if row.seq is None or row.seq > legacy_seq:
            return None  # the unkeyed scheme is accepted only for rows from before the key
        return row.seq if macs.same(row.entry_hash, macs.legacy_hash(row)) else None
    for seq in dict.fromkeys((row.seq, predicted)):
        if seq is not None and macs.same(
            row.entry_hash, macs.entry_mac(seq, row.prev_hash, row.row_mac)
        ):
            return seq
    return None


def _rewritten(suspect: _Suspect) -> ChainProblem:
    if suspect.content_ok:
        reason = "内容未变，但链上哈希被改写（不是用审计密钥计算的）"
    else:
        reason = "记录被改写：内容与其MAC不符，且哈希不是用审计密钥计算的（篡改后重算了哈希）"
    return ChainProblem(reason, seq=suspect.seq, event_id=suspect.event_id)


def _explain(suspects: list[_Suspect], first: int, last: int, cause: str) -> Iterator[ChainProblem]:
    """Positions first..last should hold original rows; `suspects` are the unauthentic rows seen."""
    at = {s.seq: s for s in suspects}
    missing_from: int | None = None
    for seq in range(first, last + 1):
        if seq in at:
            if missing_from is not None:
                yield ChainProblem(cause, seq=missing_from, seq_end=seq - 1)
                missing_from = None
            yield _rewritten(at.pop(seq))
        elif missing_from is None:
            missing_from = seq
    if missing_from is not None:
        yield ChainProblem(cause, seq=missing_from, seq_end=last)
    for suspect in at.values():
        yield _inserted(suspect)


def _inserted(suspect: _Suspect) -> ChainProblem:
    return ChainProblem(
        "插入的记录：不是本系统写入的（MAC不符），链中它前后的记录直接相连",
        seq=suspect.seq,
        event_id=suspect.event_id,
    )


DELETED = "记录被删除（其后一条记录仍指向它的哈希）"
TRUNCATED = "记录被删除（链头记录的链尾在此之后：链尾被截断）"


def verify_chain(
    batch_size: int = 2000, *, append_pending: bool = True, checkpoints: bool = True
) -> Iterator[ChainProblem]:
    """Walk the chain in order; yield every problem found. Empty: the trail is intact.

    First chains every committed pending row (`append_pending`), so that verification covers
    every committed event, then compares the chain with the checkpoints outside the database.
    """
    if append_pending:
        from .services import chain_pending

        chain_pending()
    head = AuditChainHead.objects.filter(id=1).first()
    head_ok = head is not None and head.signature_valid()
    legacy_seq = head.legacy_seq if head is not None else 0
    anchors: dict[int, tuple[str, str]] = {}
    if checkpoints:
        from .checkpoints import read_checkpoints

        found, bad_lines = read_checkpoints()
        for line in bad_lines:
            yield ChainProblem(f"锚点文件第{line}行的MAC不正确（被篡改或伪造），已忽略")
        anchors = {c.seq: (c.entry_hash, c.at) for c in found if c.seq}

    if head is None:
        if AuditEvent.objects.exists():
            yield ChainProblem("链头缺失：有审计记录，却没有签名的链头（链头被删除）")
    elif not head_ok:
        yield ChainProblem("链头的MAC不正确：链头被改写（不是用审计密钥签名的）")

    last_seq, last_hash, last_id = 0, macs.GENESIS_HASH, None
    authentic_hashes: dict[int, str] = {}
    suspects: list[_Suspect] = []
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    for row in rows.iterator(chunk_size=batch_size):
        position = _position(row, last_seq + 1, legacy_seq)
        if position is None:
            suspects.append(_Suspect(row.seq or 0, row.pk, _content_ok(row)))
            continue
        if row.prev_hash == last_hash and position == last_seq + 1:
            yield from (_inserted(s) for s in suspects)
        elif position > last_seq + 1:
            yield from _explain(suspects, last_seq + 1, position - 1, DELETED)
        else:
            # The row before links as authentic only by the unkeyed scheme (anyone can recompute
            # it), but this keyed row remembers a different hash for it: it was rewritten.
            yield from (_inserted(s) for s in suspects)
            yield ChainProblem(
                "记录被改写：其后一条记录所记的哈希与它不符（哈希被重算过）",
                seq=last_seq,
                event_id=last_id,
            )
        suspects = []
        if position != row.seq:
            yield ChainProblem(
                f"序号被改为 {row.seq}（原为第 {position} 号：其前插入了记录）",
                seq=position,
                event_id=row.pk,
            )
        if not _content_ok(row):
            yield ChainProblem("记录内容被篡改：与其内容MAC不符", seq=position, event_id=row.pk)
        if position in anchors:
            authentic_hashes[position] = row.entry_hash or ""
        last_seq, last_hash, last_id = position, row.entry_hash or "", row.pk

    if head is not None and head_ok:
        if (last_seq, last_hash) == (head.last_seq, head.last_hash):
            yield from (_inserted(s) for s in suspects)
        elif last_seq < head.last_seq:
            yield from _explain(suspects, last_seq + 1, head.last_seq, TRUNCATED)
        elif last_seq == head.last_seq:
            yield from (_inserted(s) for s in suspects)
            yield ChainProblem(
                "与链头记录的哈希不符：链尾的记录被删除或替换，或链头被替换", seq=last_seq
            )
        else:
            yield from (_inserted(s) for s in suspects)
            yield ChainProblem(
                f"链头停在第 {head.last_seq} 号，链却到第 {last_seq} 号：链头被回退",
                seq=head.last_seq,
            )
    else:
        yield from (_rewritten(s) for s in suspects)

    for seq, (entry_hash, at) in sorted(anchors.items()):
        if seq > last_seq:
            yield ChainProblem(
                f"{at}的锚点记录链已到第 {seq} 号，数据库中可信的链只到第 {last_seq} 号："
                "链尾被截断，或数据库被回退到更早的状态",
                seq=seq,
            )
        elif seq in authentic_hashes and not macs.same(authentic_hashes[seq], entry_hash):
            yield ChainProblem(f"与{at}的锚点不一致：数据库被回退或改写", seq=seq)

    for row in AuditEvent.objects.filter(seq__isnull=True).order_by("id").iterator(batch_size):
        if row.scheme != macs.KEYED or not _content_ok(row):
            yield ChainProblem(
                "待入链的记录MAC不正确：不是本系统写入的，是被插入的记录", event_id=row.pk
            )
