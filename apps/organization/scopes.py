"""Which people and units each account may see: registered with the one permission mechanism.

- Units: the organ's structure is known to everyone with organization.view.
- People: the system administrator (organization.manage) changes and sees everyone; leaders and the
  General Office's staff see everyone; a unit head sees the people posted to their unit today and
  themself; everyone else sees only themself.
- Task groups: managers, leaders and office staff see all; others see the groups their unit leads
  and the groups they belong to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    Capability,
    current_unit_ids,
    has_capability,
    register_scope,
    sees_whole_organ,
)
from apps.core import clock
from apps.organization.models import Person, TaskGroup, Unit


@register_scope(Unit)
def unit_scope(queryset: QuerySet[Unit], user: Any, action: str) -> QuerySet[Unit]:
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    if action == "view" and has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset  # the organ's structure is known to everyone in it
    return queryset.none()


@register_scope(Person)
def person_scope(queryset: QuerySet[Person], user: Any, action: str) -> QuerySet[Person]:
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    if action != "view" or not has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset.none()
    if sees_whole_organ(user):
        return queryset
    if user.role == Role.UNIT_HEAD:
        today = clock.today()
        # One filter() call, so that unit and dates apply to the same posting row.
        posted_here_today = Q(
            memberships__unit_id__in=current_unit_ids(user, today),
            memberships__start_date__lte=today,
        ) & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        return queryset.filter(Q(pk=user.person_id) | posted_here_today).distinct()
    return queryset.filter(pk=user.person_id)


@register_scope(TaskGroup)
def task_group_scope(queryset: QuerySet[TaskGroup], user: Any, action: str) -> QuerySet[TaskGroup]:
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    if action != "view" or not has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset.none()
    if sees_whole_organ(user):
        return queryset
    if not user.person_id:
        return queryset.none()  # an account not linked to a person belongs to no unit or group
    units = current_unit_ids(user)
    return queryset.filter(Q(lead_unit_id__in=units) | Q(members__pk=user.person_id)).distinct()
