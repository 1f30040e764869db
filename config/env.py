"""Configuration read from the environment, in one place (12-factor)."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]


def env_secret(name: str, file_name: str) -> bytes | None:
    """A secret from the environment variable `name`, or else from the file named by `file_name`.

    The file is read as bytes with surrounding whitespace removed, so a key written by
    `openssl rand -hex 32 > audit.key` and one pasted into the environment give the same bytes.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value.encode()
    path = os.environ.get(file_name, "").strip()
    if path:
        try:
            return Path(path).read_bytes().strip() or None
        except OSError as error:
            raise ImproperlyConfigured(
                f"无法读取 {file_name} 指定的密钥文件 {path}：{error}"
            ) from None
    return None
