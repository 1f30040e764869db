"""Which people and units each account may see: registered with the one permission mechanism."""

from django.db.models import Q

from apps.accounts.choices import Role
from apps.accounts.permissions import Capability, current_unit_ids, has_capability, register_scope, sees_whole_organ
from apps.organization.models import Person, TaskGroup, Unit


@register_scope(Unit)
def unit_scope(queryset, user, action):
    if action == "view" and has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset  # the organ's structure is known to everyone in it
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    return queryset.none()


@register_scope(Person)
def person_scope(queryset, user, action):
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    if action != "view" or not has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset.none()
    if sees_whole_organ(user):
        return queryset
    if user.role == Role.UNIT_HEAD:
        units = current_unit_ids(user)
        return queryset.filter(Q(pk=user.person_id) | Q(memberships__unit_id__in=units, memberships__end_date__isnull=True)).distinct()
    return queryset.filter(pk=user.person_id)


@register_scope(TaskGroup)
def task_group_scope(queryset, user, action):
    if has_capability(user, Capability.MANAGE_ORGANIZATION):
        return queryset
    if action != "view" or not has_capability(user, Capability.VIEW_ORGANIZATION):
        return queryset.none()
    if sees_whole_organ(user):
        return queryset
    units = current_unit_ids(user)
    return queryset.filter(Q(lead_unit_id__in=units) | Q(members__pk=user.person_id)).distinct()
