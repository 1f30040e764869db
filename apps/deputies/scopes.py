"""Who sees what of the deputies' area, registered with the platform's `restrict()`.

- The General Office (which serves the deputies here, 选联工作) runs the roster, reviews and assigns
  suggestions, consents to extensions and concludes; the leaders read everything; other staff see
  the roster without contact details and no suggestions.
- A deputy (role 人大代表) sees their own record and the suggestions they signed; a draft only its
  proposer.
- A body's contact person (外部单位联络员) sees the suggestions their body was assigned and not
  sent back.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import external_unit_id, is_business, is_office, register_scope

from .choices import SuggestionStatus
from .models import (
    Deputy,
    DutyRecord,
    Handling,
    ReceptionDay,
    Station,
    StationActivity,
    StationMatter,
    Suggestion,
)


def deputy_of(user: Any) -> Deputy | None:
    """The deputy record of a deputy's account (cached on the user object)."""
    if getattr(user, "role", None) != Role.DEPUTY:
        return None
    if not hasattr(user, "_deputy_cache"):
        user._deputy_cache = Deputy.objects.filter(account=user).first()
    return user._deputy_cache


def runs_suggestions(user: Any) -> bool:
    return is_office(user)


def reads_everything(user: Any) -> bool:
    return is_office(user) or getattr(user, "role", None) == Role.LEADER


def sees_contacts(user: Any) -> bool:
    return is_office(user)


def extension_deciders(item: Any) -> list[Any]:
    """A suggestion's extension needs the office's consent (not the leading leader's): any one of
    the General Office's accounts decides."""
    from apps.accounts.models import User

    candidates = User.objects.filter(
        is_active=True, role__in=[Role.OFFICE_STAFF, Role.UNIT_HEAD], person__isnull=False
    ).order_by("id")
    return [account for account in candidates if is_office(account)]


@register_scope(Suggestion)
def suggestion_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if reads_everything(user):
        return queryset.exclude(status=SuggestionStatus.DRAFT)
    if (deputy := deputy_of(user)) is not None:
        return queryset.filter(
            Q(proposer=deputy)
            | Q(
                pk__in=Suggestion.objects.filter(signatures__deputy=deputy)
                .exclude(status=SuggestionStatus.DRAFT)
                .values("pk")
            )
        )
    if (body := external_unit_id(user)) is not None:
        active = Handling.objects.filter(unit_id=body, returned_at__isnull=True)
        # A merged suggestion is handled, and seen, through the one it was merged into.
        return queryset.filter(
            Q(pk__in=active.values("suggestion_id"))
            | Q(merged_into__in=active.values("suggestion_id"))
        )
    return queryset.none()


@register_scope(Handling)
def handling_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if reads_everything(user):
        return queryset
    if (body := external_unit_id(user)) is not None:
        return queryset.filter(unit_id=body, returned_at__isnull=True)
    return queryset.none()


@register_scope(Deputy)
def deputy_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if (deputy := deputy_of(user)) is not None:
        return queryset.filter(pk=deputy.pk)
    if is_business(user):
        return queryset if action == "view" or is_office(user) else queryset.none()
    return queryset.none()


@register_scope(DutyRecord)
def duty_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if (deputy := deputy_of(user)) is not None:
        return queryset.filter(deputy=deputy) if action == "view" else queryset.none()
    if is_business(user):
        return queryset if action == "view" or is_office(user) else queryset.none()
    return queryset.none()


@register_scope(Station)
def station_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if is_business(user):
        return queryset if action == "view" or is_office(user) else queryset.none()
    return queryset.none()


@register_scope(StationActivity)
def activity_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return station_scope(queryset, user, action)


@register_scope(StationMatter)
def matter_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return station_scope(queryset, user, action)


@register_scope(ReceptionDay)
def reception_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if (deputy := deputy_of(user)) is not None:
        return queryset.filter(on_duty=deputy) if action == "view" else queryset.none()
    return station_scope(queryset, user, action)
