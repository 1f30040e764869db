"""Per-kind policies: an area whose matters run on the ledger under their own kind (代表建议 …)
registers here what differs from the ledger's defaults, so that the ledger need not know the area.

- `extension_problem(item, new_deadline)`: the refusal of a requested deadline, or "" to accept it;
  it replaces the ledger's own rule (延期不能跨年).
- `extension_deciders(item)`: the accounts any one of whom grants or refuses an extension request
  (a 或签 step of the approvals engine named `extension_step`), instead of the leading leader.

And, for any kind: `register_outsider_link(link)`, where an area that assigns ledger items to an
external body (一府一委两院 …) says which of its outsider pages shows an item to the body's contacts
(外部单位联络员 cannot open the ledger's own pages); the reminders link there. An item no area
claims is shown on the ledger's own body pages (`outsiders.py`, `views/body.py`): the areas' links
are asked first, the ledger's page is the fallback.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import TrackedItem


@dataclass(frozen=True)
class ItemPolicy:
    kind: str
    extension_problem: Callable[[TrackedItem, datetime.date], str] | None = None
    extension_deciders: Callable[[TrackedItem], Sequence[Any]] | None = None
    extension_step: str = "办公室审批"


_POLICIES: dict[str, ItemPolicy] = {}


def register_item_policy(policy: ItemPolicy) -> None:
    _POLICIES[policy.kind] = policy


def policy_for(item: TrackedItem) -> ItemPolicy | None:
    return _POLICIES.get(item.kind)


_OUTSIDER_LINKS: list[Callable[[TrackedItem], str]] = []


def register_outsider_link(link: Callable[[TrackedItem], str]) -> None:
    """`link(item)`: the path of the area's outsider page for the item, or "" if not its item."""
    if link not in _OUTSIDER_LINKS:
        _OUTSIDER_LINKS.append(link)


def area_outsider_link(item: TrackedItem) -> str:
    """The page of the area that shows `item` to its body on its own terms; "" when none does."""
    for link in _OUTSIDER_LINKS:
        if url := link(item):
            return url
    return ""


def outsider_link(item: TrackedItem) -> str:
    """Where an external body's contact reads `item`: the owning area's page when an area shows
    it, else the ledger's own body page (a plain 督办事项 assigned to the body); "" when the item
    is not assigned to an external body."""
    if url := area_outsider_link(item):
        return url
    if item.lead_unit.is_external:
        from django.urls import reverse

        return reverse("ledger:body_item", args=[item.pk])
    return ""
