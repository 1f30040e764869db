"""`manage.py check --deploy`: the audit chain needs a real key and a place for its checkpoints."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_key_check(app_configs, **kwargs) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    key = settings.AUDIT_HMAC_KEY
    if not key:
        messages.append(
            Error(
                "未配置审计链密钥：审计记录无法写入和校验。",
                hint="设置 AUDIT_HMAC_KEY 环境变量，或用 AUDIT_HMAC_KEY_FILE 指定密钥文件"
                "（openssl rand -hex 32 生成）。",
                id="audit.E001",
            )
        )
    elif key == settings.DEVELOPMENT_AUDIT_KEY:
        messages.append(
            Error(
                "审计链使用的是源代码中公开的开发密钥，任何人都能重算审计记录的MAC。",
                hint="为生产环境生成独立的随机密钥（AUDIT_HMAC_KEY 或 AUDIT_HMAC_KEY_FILE）。",
                id="audit.E002",
            )
        )
    elif len(key) < settings.AUDIT_HMAC_KEY_MIN_BYTES:
        messages.append(
            Error(
                f"审计链密钥太短（{len(key)}字节），至少需要{settings.AUDIT_HMAC_KEY_MIN_BYTES}字节。",
                id="audit.E003",
            )
        )
    key_file = settings.AUDIT_HMAC_KEY_FILE
    if key_file and Path(key_file).exists() and os.stat(key_file).st_mode & 0o077:
        messages.append(
            Warning(
                f"审计链密钥文件 {key_file} 可被其他用户读取。",
                hint=f"chmod 400 {key_file}，属主为运行网站的系统用户。",
                id="audit.W001",
            )
        )
    directory = settings.AUDIT_CHECKPOINT_DIR
    if not directory:
        messages.append(
            Error(
                "未配置审计链锚点目录：无法发现数据库被整体回退或链尾被截断。",
                hint="设置 AUDIT_CHECKPOINT_DIR 为数据库服务器以外、运行网站的用户可写的目录。",
                id="audit.E004",
            )
        )
    elif not os.access(directory, os.W_OK):
        messages.append(
            Error(
                f"审计链锚点目录 {directory} 不存在或不可写。",
                id="audit.E005",
            )
        )
    return messages
