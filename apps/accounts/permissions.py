"""Who may do what, in one place.

Two mechanisms, both here:
- capabilities: what a role may do at all (`user.has_perm("audit.view")` goes through `RoleBackend`);
- object scopes: which rows of a model a user may see or change (`restrict(queryset, user, action)`).
  Each area registers the scope of its models with `@register_scope(Model)`; views fetch objects with
  `get_object_for_user_or_404`, so a forbidden object reads exactly like a missing one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from apps.core import clock

from .choices import OUTSIDER_ROLES, Role

if TYPE_CHECKING:
    from .models import User


class Capability(StrEnum):
    VIEW_ORGANIZATION = "organization.view"
    MANAGE_ORGANIZATION = "organization.manage"
    MANAGE_ACCOUNTS = "accounts.manage"
    ASSIGN_ROLES = "accounts.assign_role"
    UNLOCK_ACCOUNTS = "accounts.unlock"
    VIEW_SECURITY = "accounts.view_security"
    # Ask for, confirm or reject a change to a 三员 account (two of the three decide).
    ADMIN_CHANGE = "accounts.admin_change"
    VIEW_AUDIT = "audit.view"
    VIEW_CALENDAR = "workcalendar.view"
    MANAGE_CALENDAR = "workcalendar.manage"


_BUSINESS = {Capability.VIEW_ORGANIZATION, Capability.VIEW_CALENDAR}

# 三员分立: the system administrator runs the organisation data, opens accounts and keeps the
# calendar; the security administrator grants business roles and unlocks accounts; the audit
# administrator only reads the audit trail. A change to one of the three's own accounts takes two
# of them (ADMIN_CHANGE: one asks, another confirms).
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.LEADER: frozenset(_BUSINESS),
    Role.UNIT_HEAD: frozenset(_BUSINESS),
    Role.OFFICE_STAFF: frozenset(_BUSINESS),
    Role.STAFF: frozenset(_BUSINESS),
    Role.SYSTEM_ADMIN: frozenset(
        {
            Capability.VIEW_ORGANIZATION,
            Capability.MANAGE_ORGANIZATION,
            Capability.MANAGE_ACCOUNTS,
            Capability.VIEW_CALENDAR,
            Capability.MANAGE_CALENDAR,
            Capability.ADMIN_CHANGE,
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {
            Capability.ASSIGN_ROLES,
            Capability.UNLOCK_ACCOUNTS,
            Capability.VIEW_SECURITY,
            Capability.ADMIN_CHANGE,
        }
    ),
    Role.AUDIT_ADMIN: frozenset({Capability.VIEW_AUDIT, Capability.ADMIN_CHANGE}),
}


def capabilities_of(user: Any) -> frozenset[Capability]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def has_capability(user: Any, capability: Capability | str) -> bool:
    return Capability(capability) in capabilities_of(user)


def current_unit_ids(user: User, day: datetime.date | None = None) -> frozenset[int]:
    """The units the user's person belongs to today (cached on the user object for the request)."""
    if not user.person_id:
        return frozenset()
    day = day or clock.today()
    cache_attr = "_unit_ids_cache"
    cached = getattr(user, cache_attr, None)
    if cached and cached[0] == day:
        return cached[1]
    from apps.organization.models import UnitMembership

    ids = frozenset(
        UnitMembership.objects.on(day)
        .filter(person_id=user.person_id)
        .values_list("unit_id", flat=True)
    )
    setattr(user, cache_attr, (day, ids))
    return ids


def sees_whole_organ(user: Any) -> bool:
    """Leaders and the General Office's staff see every unit's business (办公室跟踪问效)."""
    return getattr(user, "role", None) in {Role.LEADER, Role.OFFICE_STAFF}


BUSINESS_ROLES = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.OFFICE_STAFF, Role.STAFF})


def is_business(user: Any) -> bool:
    """Leaders and staff of the organ; the three administrators (三员) do no business work."""
    return (
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) in BUSINESS_ROLES
    )


def is_outsider(user: Any) -> bool:
    """外部单位联络员 and 人大代表: signed in, but not the organ's people (see OutsiderGateMiddleware)."""
    return (
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) in OUTSIDER_ROLES
    )


def external_unit_id(user: Any) -> int | None:
    """The external body a 外部单位联络员 speaks for; None for everyone else."""
    if getattr(user, "role", None) != Role.EXTERNAL or not user.external_contact_id:
        return None
    return user.external_contact.unit_id


def is_office(user: Any) -> bool:
    """The General Office's people: office staff, and the head of the office (办公室主任)."""
    role = getattr(user, "role", None)
    if role == Role.OFFICE_STAFF:
        return True
    if role != Role.UNIT_HEAD or not user.person_id:
        return False
    from apps.organization.choices import UnitKind
    from apps.organization.models import Unit

    return Unit.objects.filter(pk__in=current_unit_ids(user), kind=UnitKind.OFFICE).exists()


Scope = Callable[[models.QuerySet, "User", str], models.QuerySet]
_SCOPES: dict[type[models.Model], Scope] = {}


def register_scope(model: type[models.Model]) -> Callable[[Scope], Scope]:
    def decorator(func: Scope) -> Scope:
        _SCOPES[model] = func
        return func

    return decorator


def restrict[M: models.Model](
    queryset: models.QuerySet[M], user: Any, action: str = "view"
) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` may `action` ("view", "change", "delete", ...)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    try:
        scope = _SCOPES[queryset.model]
    except KeyError:
        raise LookupError(f"没有为 {queryset.model.__name__} 注册数据权限范围") from None
    return scope(queryset, user, action)


def get_object_for_user_or_404[M: models.Model](
    queryset: models.QuerySet[M], user: Any, action: str = "view", **lookup: Any
) -> M:
    """Fetch one object the user may act on; a forbidden object is indistinguishable from a missing one."""
    try:
        return restrict(queryset, user, action).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404("未找到该记录，或您无权访问。") from None
