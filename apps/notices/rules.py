"""Who may do what with notices (通知公告), in one place: the gates, the views and the services ask here.

- The General Office (办公室: its staff and its head) drafts, publishes and withdraws notices — the
  organ's notices go out under the office's hand even when another unit is named as 发布单位. The
  three administrators (三员) do no business work and never publish; leaders sign off on paper
  and read the receipts here, but do not operate the release.
- Every business account reads the published notices addressed to it (the whole organ, or one of
  the chosen units); outsiders (外部单位联络员、人大代表) never see a notice.
- The receipts (who has read) are for the office, the leaders and whoever published the notice;
  a unit head sees their own unit's line (to chase their people), but does not send reminders.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import current_unit_ids, is_business, is_office, register_scope

from .choices import NoticeStatus
from .models import Notice


def can_publish(user: Any) -> bool:
    """Draft, publish, withdraw (the gate "notices.publish")."""
    return is_business(user) and is_office(user)


def can_see_receipts(user: Any, notice: Notice) -> bool:
    if not is_business(user) or notice.status == NoticeStatus.DRAFT:
        return False
    return (
        user.role == Role.LEADER
        or notice.published_by_id == user.pk
        or notice.drafted_by_id == user.pk
        or is_office(user)
    )


def own_receipt_units(user: Any, notice: Notice) -> frozenset[int]:
    """The units whose receipts a unit head may follow on `notice`: their own (empty for others)."""
    if getattr(user, "role", None) != Role.UNIT_HEAD or notice.status == NoticeStatus.DRAFT:
        return frozenset()
    units = current_unit_ids(user)
    return frozenset(
        notice.receipts.filter(unit_id__in=sorted(units)).values_list("unit_id", flat=True)
    )


def addressed_to(user: Any) -> Q:
    """The notices whose audience holds `user`: a recipient when published, the whole organ, or
    one of the user's units today (someone who joined a unit after publication reads it too)."""
    from .models import Receipt

    mine = Q(pk__in=Receipt.objects.filter(recipient_id=user.pk).values("notice_id"))
    return mine | Q(whole_organ=True) | Q(units__in=sorted(current_unit_ids(user)))


@register_scope(Notice)
def notice_scope(queryset: QuerySet[Notice], user: Any, action: str) -> QuerySet[Notice]:
    if not is_business(user):
        return queryset.none()
    if action == "change":
        return queryset.filter(status=NoticeStatus.DRAFT) if can_publish(user) else queryset.none()
    if can_publish(user):
        return queryset
    released = queryset.exclude(status=NoticeStatus.DRAFT)
    if user.role == Role.LEADER:
        return released
    mine = Q(published_by_id=user.pk) | Q(drafted_by_id=user.pk)
    return released.filter(pk__in=Notice.objects.filter(addressed_to(user) | mine).values("pk"))
