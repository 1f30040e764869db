"""Home-page panels of the accounts area."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.core import clock
from apps.core.navigation import HomePanel

from . import selectors
from .choices import ADMIN_ROLES, Role
from .models import User


def password_expiry_panel(user) -> HomePanel | None:
    """Remind anyone whose password expires within 14 days."""
    expires = user.password_changed_at + datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    days_left = (expires - clock.now()).days
    if days_left > 14:
        return None
    return HomePanel(
        title="密码即将到期",
        items=[
            {
                "label": f"您的密码将于{timezone.localtime(expires):%Y年%m月%d日}到期，请及时修改",
                "url": reverse("accounts:password_change"),
                "meta": f"剩余{max(days_left, 0)}天",
                "tone": "warning",
            }
        ],
        order=5,
    )


def locked_accounts_panel(user) -> HomePanel | None:
    if user.role != Role.SECURITY_ADMIN:
        return None
    locked = list(User.objects.filter(locked_until__gt=clock.now()).order_by("locked_until")[:10])
    return HomePanel(
        title="被锁定的账号",
        items=[
            {
                "label": account.username,
                "url": reverse("accounts:account_detail", args=[account.pk]),
                "meta": f"锁定至 {timezone.localtime(account.locked_until):%H:%M}",
                "tone": "danger",
            }
            for account in locked
        ],
        more_url=reverse("accounts:account_list") + "?locked=1",
        empty_text="当前没有被锁定的账号",
        order=10,
    )


def pending_accounts_panel(user) -> HomePanel | None:
    """Accounts opened by the system administrator and waiting for a role (both see them)."""
    if user.role not in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}:
        return None
    pending = list(selectors.pending_accounts()[:10])
    waiting_for_me = user.role == Role.SECURITY_ADMIN
    return HomePanel(
        title="待授权的账号" if waiting_for_me else "等待安全管理员授权的账号",
        items=[
            {
                "label": f"{account.username}（{account.person or '未关联人员'}）",
                "url": reverse("accounts:account_detail", args=[account.pk]),
                "meta": f"开设于 {timezone.localtime(account.date_joined):%m-%d %H:%M}",
                "tone": "warning" if waiting_for_me else "secondary",
            }
            for account in pending
        ],
        more_url=reverse("accounts:account_list") + "?pending=1",
        empty_text="没有待授权的账号",
        order=11,
    )


def admin_changes_panel(user) -> HomePanel | None:
    """三员账号变更 waiting for a second administrator: the other two see what to confirm."""
    if user.role not in ADMIN_ROLES:
        return None
    items = []
    for change in selectors.pending_admin_changes()[:10]:
        mine = change.requested_by_id == user.pk
        about_me = change.target_id == user.pk
        items.append(
            {
                "label": f"{change.target.username}：{change.describe()}",
                "url": reverse("accounts:admin_changes"),
                "meta": "等待他人确认"
                if mine or about_me
                else f"{change.requested_by.username}申请，待您确认",
                "tone": "secondary" if mine or about_me else "warning",
            }
        )
    return HomePanel(
        title="三员账号变更申请",
        items=items,
        more_url=reverse("accounts:admin_changes"),
        empty_text="没有待确认的申请",
        order=12,
    )
