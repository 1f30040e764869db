"""SM4 (GB/T 32907-2016) for talk summaries: SM4-GCM through `cryptography` (OpenSSL 3).

Stored form: one version byte, the 12-byte nonce, then the ciphertext with its 16-byte tag. GCM
authenticates too, so a summary altered in the database fails to decrypt instead of reading as
something else. The key comes from settings (`TALK_SM4_KEY`), never from the database.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
# Binds the ciphertext to its purpose: a blob copied from another encrypted column will not open.
ASSOCIATED_DATA = b"growth.talk.summary"


class UnreadableSummary(Exception):
    """The stored summary does not decrypt under the configured key (altered, or another key)."""


def _key() -> bytes:
    key = getattr(settings, "TALK_SM4_KEY", None)
    if not key:
        raise ImproperlyConfigured("未配置谈心谈话加密密钥（TALK_SM4_KEY）。")
    return key


def encrypt_summary(text: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(ASSOCIATED_DATA)
    body = encryptor.update(text.encode("utf-8")) + encryptor.finalize()
    return VERSION + nonce + body + encryptor.tag


def decrypt_summary(blob: bytes | memoryview) -> str:
    data = bytes(blob)
    if len(data) < 1 + NONCE_BYTES + TAG_BYTES or data[:1] != VERSION:
        raise UnreadableSummary("谈话摘要密文格式不正确。")
    nonce = data[1 : 1 + NONCE_BYTES]
    body, tag = data[1 + NONCE_BYTES : -TAG_BYTES], data[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(ASSOCIATED_DATA)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        raise UnreadableSummary("谈话摘要无法解密：密钥不符或密文已被改动。") from None
