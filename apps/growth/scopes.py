"""Which rows of growing people each account may see, registered with the platform's `restrict()`.

- Study sessions, plans and the 第一议题 register: every business account (the organ studies
  together); the three administrators see no business data. "change" (the roll, the QR code, the
  topics): the General Office, the session's host, and for a branch session its unit's head.
- A person's roll rows, reflections, training records, mentoring and growth file: the person, the
  head of the unit they are posted to today, the leaders and the General Office (which keeps the
  organ's personnel files) — the attendance area's rule, used here rather than written again.
  A mentoring pair is also seen by its mentor.
- Talks (谈心谈话): "view" (content) only by the two parties and the party group secretary;
  "exist" adds the audit administrator, who sees that a record exists and nothing else; "count"
  (numbers per leader) the General Office and the party group secretary.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import current_unit_ids, is_business, is_office, register_scope
from apps.attendance.scopes import NOBODY, attendance_people, visible_people
from apps.core import clock
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership

from .choices import StudyKind
from .models import (
    CadreFile,
    MentorPair,
    StudyAttendance,
    StudyPlan,
    StudyReflection,
    StudySession,
    Talk,
    TalkDuty,
    TrainingRecord,
    TrainingRequirement,
)


def is_party_secretary(user: Any) -> bool:
    """The party group secretary (党组书记) today: reads every talk record."""
    if not is_business(user) or not user.person_id:
        return False
    cache = "_party_secretary_cache"
    today = clock.today()
    cached = getattr(user, cache, None)
    if cached is None or cached[0] != today:
        held = (
            PartyGroupMembership.objects.on(today)
            .filter(person_id=user.person_id, role=PartyGroupRole.SECRETARY)
            .exists()
        )
        cached = (today, held)
        setattr(user, cache, cached)
    return cached[1]


def _people_rows(queryset: QuerySet, user: Any, prefix: str = "") -> QuerySet:
    condition = visible_people(user, prefix)
    if condition is None:
        return queryset
    if condition is NOBODY:
        return queryset.none()
    return queryset.filter(condition).distinct()


def organises(user: Any, session: StudySession) -> bool:
    """May keep the session's roll and show its QR code (the row-level form of "change")."""
    if not is_business(user):
        return False
    if is_office(user) or (session.host_id and session.host_id == user.person_id):
        return True
    return (
        session.kind == StudyKind.BRANCH
        and user.role == Role.UNIT_HEAD
        and session.unit_id in current_unit_ids(user)
    )


@register_scope(StudySession)
def session_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not is_business(user):
        return queryset.none()
    if action == "view" or is_office(user):
        return queryset
    own = Q(host_id=user.person_id) if user.person_id else NOBODY
    if user.role == Role.UNIT_HEAD:
        own |= Q(kind=StudyKind.BRANCH, unit_id__in=current_unit_ids(user))
    return queryset.filter(own)


@register_scope(StudyPlan)
def plan_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not is_business(user):
        return queryset.none()
    return queryset if action == "view" or is_office(user) else queryset.none()


@register_scope(StudyAttendance)
def roll_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _people_rows(queryset, user)


@register_scope(StudyReflection)
def reflection_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if action != "view":
        return queryset.filter(person_id=user.person_id) if is_business(user) else queryset.none()
    return _people_rows(queryset, user)


@register_scope(TrainingRecord)
def training_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if action != "view":
        return queryset if is_business(user) and is_office(user) else queryset.none()
    return _people_rows(queryset, user)


@register_scope(TrainingRequirement)
def requirement_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not is_business(user):
        return queryset.none()
    return queryset if action == "view" or is_office(user) else queryset.none()


@register_scope(MentorPair)
def pair_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not is_business(user):
        return queryset.none()
    if action != "view":
        return queryset if is_office(user) else queryset.none()
    mentor = Q(mentor_id=user.person_id) if user.person_id else NOBODY
    return queryset.filter(Q(mentee_id__in=attendance_people(user).values("pk")) | mentor)


@register_scope(Talk)
def talk_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if action == "exist" and getattr(user, "role", None) == Role.AUDIT_ADMIN:
        return queryset
    if action == "count" and is_business(user) and (is_office(user) or is_party_secretary(user)):
        return queryset
    if action not in {"view", "exist"} or not is_business(user) or not user.person_id:
        return queryset.none()
    if is_party_secretary(user):
        return queryset
    return queryset.filter(Q(talker_id=user.person_id) | Q(talkee_id=user.person_id))


@register_scope(TalkDuty)
def duty_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    """The duties behind the coverage: the office keeps them; a leader sees their own."""
    if not is_business(user):
        return queryset.none()
    if is_office(user) or is_party_secretary(user):
        return queryset
    if action != "view" or not user.person_id:
        return queryset.none()
    return queryset.filter(leader_id=user.person_id)


@register_scope(CadreFile)
def cadre_file_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if action != "view":
        return queryset.none()
    return queryset.filter(pk__in=attendance_people(user).values("pk"))
