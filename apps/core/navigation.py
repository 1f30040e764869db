"""The navigation and the home page are assembled from what each area registers.

An area that does not exist yet shows nothing: no dead links. Items are grouped by the three services
(三服务) plus system administration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse

from apps.accounts.permissions import is_outsider

from .gates import SIGNED_IN, allows


class ServiceGroup(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", "常委会运行"
    ORGAN = "organ", "机关运转"
    DEPUTIES = "deputies", "代表履职"
    ADMINISTRATION = "administration", "系统管理"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    group: ServiceGroup
    # The name of the permission gate (apps/core/gates.py) that the target view requires: the link
    # shows exactly when the page would open.
    gate: str = SIGNED_IN
    icon: str = "circle"
    order: int = 100

    def visible_to(self, user: Any) -> bool:
        # Outsiders pass only the gates made for them (Gate.outsiders), so they see only their links.
        return allows(user, self.gate)


@dataclass
class HomePanel:
    """A box on the home page listing the user's own open work in one area."""

    title: str
    items: list[dict[str, Any]] = field(
        default_factory=list
    )  # each: {"label", "url", "meta", "tone"}
    more_url: str = ""
    empty_text: str = "暂无待办"
    order: int = 100


_NAV: list[NavItem] = []
_PANELS: list[Callable[[Any], HomePanel | None]] = []
# Builders that also serve outsiders (外部单位联络员、人大代表); every other builder is never asked
# about an outsider, so an area's panel cannot show the organ's business to one by omission.
_OUTSIDER_PANELS: set[Callable[[Any], HomePanel | None]] = set()


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _NAV):
        _NAV.append(item)


def register_home_panel(
    builder: Callable[[Any], HomePanel | None],
) -> Callable[[Any], HomePanel | None]:
    if builder not in _PANELS:
        _PANELS.append(builder)
    return builder


def register_outsider_home_panel(
    builder: Callable[[Any], HomePanel | None],
) -> Callable[[Any], HomePanel | None]:
    """Register a panel that outsiders may see too; it must scope its rows to the outsider itself."""
    _OUTSIDER_PANELS.add(builder)
    return register_home_panel(builder)


def navigation_for(user: Any) -> list[dict[str, Any]]:
    groups = []
    for group in ServiceGroup:
        items = sorted(
            (i for i in _NAV if i.group == group and i.visible_to(user)),
            key=lambda i: (i.order, i.label),
        )
        if items:
            groups.append(
                {
                    "key": group.value,
                    "label": group.label,
                    "items": [
                        {"label": i.label, "url": reverse(i.url_name), "icon": i.icon}
                        for i in items
                    ],
                }
            )
    return groups


def home_panels_for(user: Any) -> list[HomePanel]:
    builders = [b for b in _PANELS if b in _OUTSIDER_PANELS] if is_outsider(user) else _PANELS
    panels = [panel for builder in builders if (panel := builder(user)) is not None]
    return sorted(panels, key=lambda p: p.order)
