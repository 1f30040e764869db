"""Which rows of party building and publicity each account may see, registered with `restrict()`.
The rules themselves are in `rules.py`; this module only applies them to querysets.

- Meetings, their agenda and 三重一大 records: the party group's members today and the meeting's
  recorder (and the office account that registered it). "change": the recorder and that account.
- Requests and reports: the party group and the office.
- Responsibility lists: the holder, the party group and the office.
- Reviews and the secretaries reviewed: every business account (scores only in aggregate);
  ballots: nobody, ever — they are read only by the aggregating selectors.
- Branch activities: every business account; "change" the office and the branch's unit head.
- Articles: published ones everyone in the organ; a draft its author; a piece under review also
  its reviewers in the approvals engine; an approved one also the office.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.permissions import register_scope
from apps.approvals.models import ApprovalStage

from . import rules
from .choices import ArticleStatus
from .models import (
    AgendaItem,
    Article,
    BranchActivity,
    HigherReport,
    MajorDecision,
    PartyMeeting,
    PublicationIssue,
    ResponsibilityList,
    Review,
    ReviewBallot,
    ReviewSubject,
)


def _meeting_condition(user: Any, action: str, prefix: str = "") -> Q | None:
    """None: every meeting; otherwise the condition on the meeting (through `prefix`)."""
    own = Q(**{f"{prefix}created_by_id": user.pk})
    if user.person_id:
        own |= Q(**{f"{prefix}recorder_id": user.person_id})
    if action == "view" and rules.is_party_group_member(user):
        return None
    return own


def _meeting_rows(queryset: QuerySet, user: Any, action: str, prefix: str = "") -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    condition = _meeting_condition(user, action, prefix)
    return queryset if condition is None else queryset.filter(condition)


@register_scope(PartyMeeting)
def meeting_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _meeting_rows(queryset, user, action)


@register_scope(AgendaItem)
def agenda_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _meeting_rows(queryset, user, action, "meeting__")


@register_scope(MajorDecision)
def decision_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    return _meeting_rows(queryset, user, action, "item__meeting__")


@register_scope(HigherReport)
def report_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if action == "view" and rules.sees_party_records(user):
        return queryset
    return queryset if rules.keeps_party_records(user) else queryset.none()


@register_scope(ResponsibilityList)
def list_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    if rules.keeps_party_records(user) or (action == "view" and rules.is_party_group_member(user)):
        return queryset
    if action == "view" and user.person_id:
        return queryset.filter(person_id=user.person_id)
    return queryset.none()


@register_scope(Review)
def review_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    return queryset if action == "view" or rules.keeps_party_records(user) else queryset.none()


@register_scope(ReviewSubject)
def subject_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    if action == "view" or rules.keeps_party_records(user):
        return queryset
    return queryset.filter(secretary_id=user.person_id) if user.person_id else queryset.none()


@register_scope(ReviewBallot)
def ballot_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    """Individual scores are confidential: no account reads a ballot."""
    return queryset.none()


@register_scope(BranchActivity)
def activity_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    if action == "view" or rules.keeps_party_records(user):
        return queryset
    if user.role == "unit_head":
        return queryset.filter(branch_id__in=rules.current_unit_ids(user))
    return queryset.none()


@register_scope(Article)
def article_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    """A draft is its author's; under review also its reviewers' (the approvals engine's stages);
    approved, also the office's; published, everyone's in the organ."""
    if not rules.is_business(user):
        return queryset.none()
    seen = Q(status=ArticleStatus.PUBLISHED) if action == "view" else Q(pk__in=[])
    if user.person_id:
        seen |= Q(author_id=user.person_id)
    seen |= Q(
        status=ArticleStatus.SUBMITTED,
        approval_id__in=ApprovalStage.objects.filter(approver_id=user.pk).values("request_id"),
    )
    if rules.keeps_party_records(user):
        seen |= Q(status__in=[ArticleStatus.APPROVED, ArticleStatus.PUBLISHED])
    return queryset.filter(seen)


@register_scope(PublicationIssue)
def issue_scope(queryset: QuerySet, user: Any, action: str) -> QuerySet:
    if not rules.is_business(user):
        return queryset.none()
    return queryset if action == "view" or rules.keeps_party_records(user) else queryset.none()
