"""The notices' source for the global search (apps/core/search.py): published notices by title."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from apps.core.search import Hit, SearchSource, register_search_source

from . import selectors


def search_notices(user: Any, query: str, limit: int) -> list[Hit]:
    notices = selectors.notices_for(user).filter(title__icontains=query)[:limit]
    return [
        Hit(
            notice.title,
            reverse("notices:notice_detail", args=[notice.pk]),
            f"{notice.issuer.short_name} · {notice.get_category_display()} · "
            f"{timezone.localtime(notice.published_at):%Y-%m-%d}"
            + (" · 已撤回" if notice.status == "withdrawn" else ""),
        )
        for notice in notices
    ]


def register() -> None:
    register_search_source(
        SearchSource(
            "notices",
            "通知公告",
            search_notices,
            more_url=lambda q: f"{reverse('notices:notice_list')}?{urlencode({'q': q})}",
            gate="notices.readers",
            order=30,
        )
    )
