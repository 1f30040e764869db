"""Who may see and do what with a document: the row scopes and the step guards, in one place.

- The General Office (办公室) runs both flows: it reviews (核稿), seals, issues, registers
  incoming documents, proposes (拟办) and turns leaders' instructions into ledger items.
- A drafter and their unit see their drafts; the unit's head reviews them (部门核稿).
- A countersigning unit's head answers its 会签; the competent leader signs (签发).
- Leaders see every document that is not 秘密; a 秘密 document is visible only to the people in
  its flow and its distribution list (and every view of one is audited by the views).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import BUSINESS_ROLES, current_unit_ids, is_office, register_scope
from apps.organization.models import UnitMembership

from .choices import OutgoingStatus, Secrecy
from .models import DraftingGroup, IncomingDocument, IncomingReading, Material, OutgoingDocument


def head_unit_ids(user: Any) -> frozenset[int]:
    """The units `user` heads today."""
    if not user.person_id:
        return frozenset()
    from apps.core import clock

    return frozenset(
        UnitMembership.objects.on(clock.today())
        .filter(person_id=user.person_id, is_head=True)
        .values_list("unit_id", flat=True)
    )


def _in_flow_q(user: Any) -> Q:
    """The documents `user` drafts, signs, reviews as unit head, countersigns or received."""
    condition = Q(drafter=user) | Q(distribution__recipient=user)
    if user.person_id:
        condition |= Q(signer_id=user.person_id)
    heads = head_unit_ids(user)
    if heads:
        condition |= Q(drafting_unit_id__in=heads) | Q(countersigns__unit_id__in=heads)
    return condition


@register_scope(OutgoingDocument)
def outgoing_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    # Each step is further guarded by the functions below.
    if user.role not in BUSINESS_ROLES:
        return queryset.none()
    if is_office(user):
        return queryset
    condition = _in_flow_q(user)
    if user.role == Role.LEADER:
        condition |= ~Q(secrecy=Secrecy.SECRET)
    units = current_unit_ids(user)
    if units:
        unit_condition = Q(drafting_unit_id__in=units) | Q(countersigns__unit_id__in=units)
        condition |= unit_condition & ~Q(secrecy=Secrecy.SECRET)
    # Joins through countersigns and distribution repeat rows: pick ids first.
    return queryset.filter(pk__in=OutgoingDocument.objects.filter(condition).values("pk"))


@register_scope(IncomingDocument)
def incoming_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if user.role not in BUSINESS_ROLES:
        return queryset.none()
    if is_office(user):
        return queryset
    # A leader it was circulated to (传阅) reads it, 秘密 or not.
    condition = Q(pk__in=IncomingReading.objects.filter(reader=user).values("document_id"))
    if user.person_id:
        condition |= Q(leader_id=user.person_id)
    if user.role == Role.LEADER:
        condition |= ~Q(secrecy=Secrecy.SECRET)
    heads = head_unit_ids(user)
    if heads:
        condition |= Q(handling_unit_id__in=heads)
    units = current_unit_ids(user)
    if units:
        condition |= Q(handling_unit_id__in=units) & ~Q(secrecy=Secrecy.SECRET)
    return queryset.filter(condition)


def can_draft(user: Any) -> bool:
    return user.role in BUSINESS_ROLES and bool(user.person_id) and bool(current_unit_ids(user))


def can_manage(user: Any) -> bool:
    """核稿 by the office, 用印, 印发, 作废, 催办, 收文登记, 拟办, 转督办."""
    return is_office(user)


def can_review_for_unit(user: Any, document: OutgoingDocument) -> bool:
    return document.drafting_unit_id in head_unit_ids(user)


def can_sign(user: Any, document: OutgoingDocument) -> bool:
    return bool(user.person_id) and user.person_id == document.signer_id


def can_revise(user: Any, document: OutgoingDocument) -> bool:
    """The drafter edits the draft; a reviewer edits the text before them (shown as a diff)."""
    status = document.status
    if status == OutgoingStatus.DRAFT:
        return document.drafter_id == user.pk
    if status == OutgoingStatus.UNIT_REVIEW:
        return can_review_for_unit(user, document)
    if status == OutgoingStatus.OFFICE_REVIEW:
        return can_manage(user)
    return False


def can_instruct(user: Any, document: IncomingDocument) -> bool:
    return bool(user.person_id) and user.person_id == document.leader_id


def in_group(user: Any, group: DraftingGroup) -> bool:
    """The group's head and members draft its materials."""
    if not user.person_id:
        return False
    return group.head_id == user.person_id or group.members.filter(pk=user.person_id).exists()


def heads_group(user: Any, group: DraftingGroup) -> bool:
    return bool(user.person_id) and group.head_id == user.person_id


@register_scope(Material)
def material_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    """Leaders and the office see every material; a group's people see the group's."""
    if user.role not in BUSINESS_ROLES:
        return queryset.none()
    if is_office(user) or user.role == Role.LEADER:
        return queryset
    if not user.person_id:
        return queryset.none()
    return queryset.filter(
        Q(group__head_id=user.person_id) | Q(group__members=user.person_id) | Q(drafter=user)
    ).distinct()
