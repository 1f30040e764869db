"""Who may do what to a tracked item: the row scope and the action guards, in one place.

- the General Office (办公室) sees every item and alone assigns, verifies, returns, closes, cancels;
- a leader (常委会领导) sees every item, as the dashboard counts them, and decides the extension
  requests of the items they lead;
- a unit sees the items it leads or co-operates on; its people acknowledge, report, feed back;
- the responsible person always sees their own items.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    BUSINESS_ROLES,
    current_unit_ids,
    external_unit_id,
    is_office,
    register_scope,
)

from .models import Checklist, TrackedItem


def visible_items_q(user: Any) -> Q | None:
    """The filter of items `user` may see; None means every item."""
    if is_office(user) or user.role == Role.LEADER:
        return None
    condition = Q(pk__in=[])
    if user.person_id:
        condition |= Q(responsible_person_id=user.person_id) | Q(leading_leader_id=user.person_id)
        units = current_unit_ids(user)
        if units:
            condition |= Q(lead_unit_id__in=units) | Q(co_units__in=units)
    return condition


@register_scope(TrackedItem)
def item_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    # Changing actions are further guarded per transition (can_manage, is_unit_actor, ...).
    if user.role not in BUSINESS_ROLES:
        return queryset.none()
    condition = visible_items_q(user)
    if condition is None:
        return queryset
    # A co-unit join can repeat rows: select the ids first, so the outer query stays join-free.
    return queryset.filter(pk__in=TrackedItem.objects.filter(condition).values("pk"))


@register_scope(Checklist)
def checklist_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if user.role not in BUSINESS_ROLES:
        return queryset.none()
    if action == "view":
        return queryset  # list names are not secret; their items are scoped
    return queryset if is_office(user) else queryset.none()


def can_manage(user: Any) -> bool:
    """Register, assign, verify, return, close, cancel: the office's work (办公室跟踪问效)."""
    return is_office(user)


def is_unit_actor(user: Any, item: TrackedItem) -> bool:
    """People of the lead unit, and the responsible person, act for the unit; for an item assigned
    to an external body (一府一委两院 and the government's departments), its contact (外部单位联络员)
    acts for it."""
    body = external_unit_id(user)
    if body is not None:
        return item.lead_unit_id == body
    if not user.person_id:
        return False
    if item.responsible_person_id == user.person_id:
        return True
    return item.lead_unit_id in current_unit_ids(user)


def is_co_unit_member(user: Any, item: TrackedItem) -> bool:
    """A person of a co-operating unit (配合单位), or the contact of a co-operating external body
    (协办): contributes, never acts for the item."""
    if (body := external_unit_id(user)) is not None:
        # `co_units` reads Unit.objects (the organ's units only); an external body needs everything.
        return item.co_units(manager="everything").filter(pk=body).exists()
    units = current_unit_ids(user)
    return bool(units) and item.co_units.filter(pk__in=units).exists()


def can_feed_back(user: Any, item: TrackedItem) -> bool:
    """The lead unit reports progress; a co-operating unit contributes its part."""
    return is_unit_actor(user, item) or is_co_unit_member(user, item)


def can_decide_extension(user: Any, item: TrackedItem) -> bool:
    from .policies import policy_for

    if (policy := policy_for(item)) is not None and policy.extension_deciders is not None:
        return any(account.pk == user.pk for account in policy.extension_deciders(item))
    if item.leading_leader_id:
        return user.person_id == item.leading_leader_id
    # Without a leading leader, the head of the General Office decides.
    return user.role == Role.UNIT_HEAD and is_office(user)
