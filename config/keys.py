"""Keys that must not live in the database, decoded from the secrets `config.env.env_secret` reads.

`sm4_key("TALK_SM4_KEY")` reads 32 hexadecimal digits (128 bits) from the environment variable of
that name, or from the file named by `TALK_SM4_KEY_FILE` (e.g. written by `openssl rand -hex 16`),
exactly as the audit chain's key is read (`AUDIT_HMAC_KEY` / `AUDIT_HMAC_KEY_FILE`).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import env_secret

SM4_KEY_BYTES = 16


def sm4_key(name: str) -> bytes | None:
    """The key from `name` or the file `{name}_FILE`; None when neither is set. A malformed key
    stops the process with a message naming the variable."""
    secret = env_secret(name, f"{name}_FILE")
    if secret is None:
        return None
    try:
        key = bytes.fromhex(secret.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != SM4_KEY_BYTES:
        raise ImproperlyConfigured(
            f"{name}（或 {name}_FILE 指定的密钥文件）须为 {SM4_KEY_BYTES * 2} 位十六进制数"
            "（128 位 SM4 密钥，可用 openssl rand -hex 16 生成）。"
        )
    return key
