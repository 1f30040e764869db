"""A system check that the talk summaries' SM4 key is configured (production refuses to start
without one already; this also catches a settings module that forgot it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from config.keys import SM4_KEY_BYTES


@register(Tags.security, deploy=True)
def talk_key_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    key = getattr(settings, "TALK_SM4_KEY", None)
    if not key or len(key) != SM4_KEY_BYTES:
        return [
            Error(
                "未配置谈心谈话加密密钥。",
                hint="设置 TALK_SM4_KEY 环境变量或 TALK_SM4_KEY_FILE（32位十六进制数）。",
                id="growth.E001",
            )
        ]
    if not settings.DEBUG and key == settings.DEVELOPMENT_TALK_KEY and _is_production():
        return [Error("生产环境使用了开发用的谈心谈话密钥。", id="growth.E002")]
    return []


def _is_production() -> bool:
    return settings.SETTINGS_MODULE.endswith(".production")
