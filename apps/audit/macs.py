"""The cryptography of the audit chain, as pure functions (no database access).

Two schemes, marked on each row by `AuditEvent.scheme`:

- `LEGACY` (1): the rows written before the chain was keyed. `entry_hash` = SM3 of the row's
  canonical content including `prev_hash`. Anyone can recompute it, so these rows are trusted only
  because the first keyed row links to the last of them and the keyed chain head records how many
  there are (`AuditChainHead.legacy_seq`): rewriting them changes the hash that keyed row carries.
- `KEYED` (2): HMAC-SM3 (GB/T 32905-2016 through the `hmac` module and OpenSSL) with
  `settings.AUDIT_HMAC_KEY`, which is never stored in the database.
  * `row_mac` = HMAC(key, "row" ‖ canonical content), computed when the event is recorded (no
    lock): nobody without the key can write a row the appender will accept;
  * `entry_hash` = HMAC(key, "entry" ‖ seq ‖ prev_hash ‖ row_mac), computed when the row takes its
    place in the chain: binds the row to its position and to its predecessor;
  * the chain head and the checkpoints written outside the database carry their own HMAC.

Each message starts with its purpose, so that a MAC of one kind can never pass for another.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY = 1
KEYED = 2
GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905-2016) through OpenSSL, which Python's hashlib exposes."""
    return hashlib.new("sm3", data).hexdigest()


def audit_key() -> bytes:
    key = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured(
            "未配置审计链密钥（AUDIT_HMAC_KEY 或 AUDIT_HMAC_KEY_FILE），无法写入或校验审计记录。"
        )
    return key


def hmac_sm3(purpose: str, *parts: object, key: bytes | None = None) -> str:
    message = "\x1f".join([purpose, *(str(part) for part in parts)]).encode()
    return hmac.new(key if key is not None else audit_key(), message, "sm3").hexdigest()


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def content(event: Any) -> dict[str, Any]:
    """What a row says, as stored: the fields every scheme covers."""
    return {
        "created_at": event.created_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "ip_address": event.ip_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail,
        "success": event.success,
    }


def legacy_hash(event: Any) -> str:
    """The unkeyed SM3 of a row written before the chain was keyed (exactly as it was computed)."""
    payload = content(event)
    payload["created_at"] = event.created_at.isoformat()
    payload["prev_hash"] = event.prev_hash
    return sm3_hex(_json(payload))


def row_mac(event: Any) -> str:
    payload = content(event)
    payload["created_at"] = _utc(event.created_at)
    payload["uid"] = str(event.uid)
    payload["scheme"] = KEYED
    return hmac_sm3("row", _json(payload).decode())


def entry_mac(seq: int, prev_hash: str, row_mac_value: str) -> str:
    return hmac_sm3("entry", seq, prev_hash, row_mac_value)


def head_mac(last_seq: int, last_hash: str, legacy_seq: int) -> str:
    return hmac_sm3("head", last_seq, last_hash, legacy_seq)


def checkpoint_mac(at: str, seq: int, entry_hash: str) -> str:
    return hmac_sm3("checkpoint", at, seq, entry_hash)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two hex MACs (either may be missing)."""
    return a is not None and b is not None and hmac.compare_digest(a, b)
