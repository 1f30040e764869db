"""Home-page panels of the accounts area."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.core import clock
from apps.core.navigation import HomePanel

from .choices import Role
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
