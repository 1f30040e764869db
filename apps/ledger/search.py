"""The ledger's source for the global search (apps/core/search.py): items by title or number."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from apps.accounts.permissions import restrict
from apps.core.search import Hit, SearchSource, register_search_source

from .models import TrackedItem
from .selectors import text_q


def search_items(user: Any, query: str, limit: int) -> list[Hit]:
    items = (
        restrict(TrackedItem.objects.exclude(status="draft"), user, "view")
        .filter(text_q(query))
        .select_related("checklist", "lead_unit")
        .order_by("-checklist__year", "checklist_id", "serial")[:limit]
    )
    return [
        Hit(
            f"{item.reference} {item.title}（{item.checklist.name}）",
            reverse("ledger:item_detail", args=[item.pk]),
            f"{item.lead_unit.short_name} · {item.get_status_display()}",
        )
        for item in items
    ]


def register() -> None:
    register_search_source(
        SearchSource(
            "ledger.items",
            "督办事项",
            search_items,
            more_url=lambda q: f"{reverse('ledger:item_list')}?{urlencode({'q': q})}",
            order=10,
        )
    )
