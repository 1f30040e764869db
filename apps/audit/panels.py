"""Home-page panel of the audit administrator."""

from __future__ import annotations

import datetime

from django.urls import reverse

from apps.accounts.choices import Role
from apps.core import clock
from apps.core.navigation import HomePanel

from .models import AuditAction, AuditEvent


def audit_admin_panel(user) -> HomePanel | None:
    if user.role != Role.AUDIT_ADMIN:
        return None
    since = clock.now() - datetime.timedelta(days=1)
    failed = AuditEvent.objects.filter(
        created_at__gte=since, action=AuditAction.LOGIN_FAILED
    ).count()
    changes = AuditEvent.objects.filter(
        created_at__gte=since, action=AuditAction.PERMISSION_CHANGE
    ).count()
    locks = AuditEvent.objects.filter(
        created_at__gte=since, action=AuditAction.ACCOUNT_LOCK
    ).count()
    base = reverse("audit:event_list")
    return HomePanel(
        title="近24小时安全事件",
        items=[
            {
                "label": "登录失败",
                "url": f"{base}?action=login_failed",
                "meta": f"{failed}次",
                "tone": "danger" if failed else "secondary",
            },
            {
                "label": "账号锁定",
                "url": f"{base}?action=account_lock",
                "meta": f"{locks}次",
                "tone": "warning" if locks else "secondary",
            },
            {
                "label": "权限变更",
                "url": f"{base}?action=permission_change",
                "meta": f"{changes}次",
                "tone": "info" if changes else "secondary",
            },
            {
                "label": "校验审计链完整性",
                "url": reverse("audit:chain_status"),
                "meta": "",
                "tone": "secondary",
            },
        ],
        order=10,
    )
