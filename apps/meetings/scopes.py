"""Who may see and do what in the sessions area, in one place.

- The secretariat (the General Office) runs the sessions: drafts them, decides the agenda with the
  主任会议, sends the notice, signs members in, times the items, records votes, sends opinions.
- The committee responsible for an item (承办工作委员会) compiles its opinions with the office.
- Every business account of the organ reads the sessions; a member of the Standing Committee who
  signs in with a deputy's account (an outsider) reads the sessions of their term and signs in.
- A reporting body's contact (外部单位联络员) sees only their own body's items, material deadlines
  and opinions — never the sessions' pages; "not found" for every other body's rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.accounts.choices import Role
from apps.accounts.permissions import current_unit_ids, external_unit_id, is_business, is_office
from apps.core import clock

from .models import AgendaItem, CommitteeMember, Opinion, Session


def can_run(user: Any) -> bool:
    """The secretariat: drafts, notifies, signs in, times, records votes, sends opinions."""
    return is_office(user)


def member_of(user: Any) -> CommitteeMember | None:
    """The member of the Standing Committee this account belongs to today, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = "_committee_member_cache"
    if hasattr(user, cache):
        return getattr(user, cache)
    member = CommitteeMember.objects.on(clock.today()).filter(user=user).first()
    setattr(user, cache, member)
    return member


def can_view_sessions(user: Any) -> bool:
    if is_business(user):
        return True
    return getattr(user, "role", None) == Role.DEPUTY and member_of(user) is not None


def visible_sessions(user: Any) -> QuerySet[Session]:
    if is_business(user):
        return Session.objects.all()
    member = member_of(user) if getattr(user, "role", None) == Role.DEPUTY else None
    if member is None:
        return Session.objects.none()
    # A member reads the sessions of their own term.
    sessions = Session.objects.filter(date__gte=member.term_start)
    if member.term_end:
        sessions = sessions.filter(date__lte=member.term_end)
    return sessions


def can_compile_opinion(user: Any, item: AgendaItem) -> bool:
    if can_run(user):
        return True
    return is_business(user) and item.committee_id in current_unit_ids(user)


def body_of(user: Any) -> int | None:
    """The external body a contact speaks for (None for everyone else)."""
    return external_unit_id(user)


def body_items(user: Any) -> QuerySet[AgendaItem]:
    """The agenda items a reporting body's contact may reach: their own body's, once decided."""
    body = body_of(user)
    if body is None:
        return AgendaItem.objects.none()
    return AgendaItem.objects.filter(reporting_body_id=body).exclude(session__status="draft")


def body_opinions(user: Any) -> QuerySet[Opinion]:
    body = body_of(user)
    if body is None:
        return Opinion.objects.none()
    return Opinion.objects.filter(item__reporting_body_id=body, sent_at__isnull=False)
