"""Whose attendance each account may see, registered with the platform's `restrict()`.

- Staff see their own records.
- A unit head sees the records of the people posted to their unit today, and their own.
- The General Office (`is_office`) and the Standing Committee leaders see everyone's.
- The three administrators see no business data (they configure schedules and rules instead).
Only "view" is scoped this way; every change goes through a service that checks its own rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import ADMIN_ROLES, Role
from apps.accounts.permissions import current_unit_ids, is_office, register_scope
from apps.core import clock

from .models import AttendanceRequest, ClockRecord, DailyResult, PointEntry, YearPoints

NOBODY = Q(pk__in=[])


def sees_all_attendance(user: Any) -> bool:
    """Leaders and the General Office see every unit's attendance (办公室定期通报)."""
    if not getattr(user, "is_authenticated", False) or user.role in ADMIN_ROLES:
        return False
    return user.role == Role.LEADER or is_office(user)


def visible_people(user: Any, prefix: str = "") -> Q | None:
    """A filter on the person (through `prefix`, e.g. "year_points__") the user may see;
    None means everyone."""
    if not getattr(user, "is_authenticated", False) or user.role in ADMIN_ROLES:
        return NOBODY
    if sees_all_attendance(user):
        return None
    if not user.person_id:
        return NOBODY
    own = Q(**{f"{prefix}person_id": user.person_id})
    if user.role != Role.UNIT_HEAD:
        return own
    today = clock.today()
    # One Q on the same membership row, so that unit and dates apply to the same posting.
    posted_here = Q(
        **{
            f"{prefix}person__memberships__unit_id__in": current_unit_ids(user, today),
            f"{prefix}person__memberships__start_date__lte": today,
        }
    ) & (
        Q(**{f"{prefix}person__memberships__end_date__isnull": True})
        | Q(**{f"{prefix}person__memberships__end_date__gte": today})
    )
    return own | posted_here


def _scope(queryset: QuerySet, user: Any, action: str, prefix: str = "") -> QuerySet:
    if action != "view":
        # Changes are decided by the services (the applicant withdraws, approvers decide);
        # a scope for them would be a second, diverging rule.
        if not getattr(user, "person_id", None) or user.role in ADMIN_ROLES:
            return queryset.none()
        return queryset.filter(**{f"{prefix}person_id": user.person_id})
    condition = visible_people(user, prefix)
    if condition is None:
        return queryset
    if condition is NOBODY:
        return queryset.none()
    return queryset.filter(condition).distinct()


@register_scope(ClockRecord)
def clock_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _scope(queryset, user, action)


@register_scope(DailyResult)
def result_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _scope(queryset, user, action)


@register_scope(AttendanceRequest)
def request_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _scope(queryset, user, action)


@register_scope(YearPoints)
def points_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _scope(queryset, user, action)


@register_scope(PointEntry)
def point_entry_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _scope(queryset, user, action, prefix="year_points__")


def attendance_people(user: Any) -> QuerySet:
    """The people whose attendance pages `user` may open (a Person queryset)."""
    from apps.organization.models import Person

    people = Person.objects.all()
    if not getattr(user, "is_authenticated", False) or user.role in ADMIN_ROLES:
        return people.none()
    if sees_all_attendance(user):
        return people
    if not user.person_id:
        return people.none()
    if user.role != Role.UNIT_HEAD:
        return people.filter(pk=user.person_id)
    today = clock.today()
    posted_here = Q(
        memberships__unit_id__in=current_unit_ids(user, today),
        memberships__start_date__lte=today,
    ) & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
    return people.filter(Q(pk=user.person_id) | posted_here).distinct()


def notice_unit_ids(user: Any) -> frozenset[int] | None:
    """Units whose notices `user` may read: None = all (and the organ-wide notice); a unit head
    their own unit(s); nobody else (an empty set)."""
    if not getattr(user, "is_authenticated", False) or user.role in ADMIN_ROLES:
        return frozenset()
    if sees_all_attendance(user):
        return None
    if user.role == Role.UNIT_HEAD:
        return current_unit_ids(user)
    return frozenset()
