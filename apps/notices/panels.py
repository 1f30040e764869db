"""Home box: the user's unread notices, newest (pinned first) on top, with their count."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from apps.core.gates import allows
from apps.core.navigation import HomePanel

from . import selectors

PANEL_ROWS = 5


def unread_panel(user) -> HomePanel | None:
    if not allows(user, "notices.readers"):
        return None
    unread = selectors.unread_receipts(user)
    rows = list(unread[:PANEL_ROWS])
    count = len(rows) if len(rows) < PANEL_ROWS else unread.count()
    items = [
        {
            "label": ("【置顶】" if getattr(r, "is_pinned", False) else "") + r.notice.title,
            "url": reverse("notices:notice_detail", args=[r.notice.pk]),
            "meta": f"{r.notice.issuer.short_name} · {timezone.localtime(r.notice.published_at):%m月%d日}",
            "tone": "danger" if r.notice.requires_confirmation else "primary",
        }
        for r in rows
    ]
    return HomePanel(
        title=f"通知公告（{count}条未读）" if count else "通知公告",
        items=items,
        more_url=reverse("notices:notice_list"),
        empty_text="没有未读的通知公告",
        order=5,
    )
