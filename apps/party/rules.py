"""Who may do what in party building and publicity: the one place every view and service asks.

- The party group's records (meetings, minutes, 三重一大, requests and reports): the party group's
  members today, and the recorder of a meeting; the General Office keeps them (登记, 交办).
- Responsibility lists: the holder, the party group and the office.
- The review: the office organises it; every business person with a person may score except the
  secretary reviewed; nobody reads a ballot, only aggregates (after publication, or the office).
- Branch activities: the office, and the head of the branch's unit for their own branch.
- Publicity: a draft is its author's; a submitted piece its unit head's; after the unit review the
  office's; a published piece everyone's.
"""

from __future__ import annotations

import datetime
from typing import Any

from apps.accounts.choices import Role
from apps.accounts.permissions import current_unit_ids, is_business, is_office
from apps.core import clock
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership, Person

__all__ = [
    "current_unit_ids",
    "is_business",
    "is_office",
    "is_party_group_member",
    "party_group_on",
    "secretary_on",
]


def party_group_on(day: datetime.date) -> list[Person]:
    """The party group's members on `day`, the secretary first."""
    rank = {role: n for n, role in enumerate(PartyGroupRole.values)}
    rows = sorted(
        PartyGroupMembership.objects.on(day).select_related("person"),
        key=lambda row: (rank.get(row.role, len(rank)), row.person_id),
    )
    seen: dict[int, Person] = {}
    for row in rows:
        seen.setdefault(row.person_id, row.person)
    return list(seen.values())


def secretary_on(day: datetime.date) -> Person | None:
    row = (
        PartyGroupMembership.objects.on(day)
        .filter(role=PartyGroupRole.SECRETARY)
        .select_related("person")
        .first()
    )
    return row.person if row else None


def is_party_group_member(user: Any, day: datetime.date | None = None) -> bool:
    if not is_business(user) or not user.person_id:
        return False
    day = day or clock.today()
    cache = "_party_group_cache"
    cached = getattr(user, cache, None)
    if cached is None or cached[0] != day:
        held = PartyGroupMembership.objects.on(day).filter(person_id=user.person_id).exists()
        cached = (day, held)
        setattr(user, cache, cached)
    return cached[1]


def keeps_party_records(user: Any) -> bool:
    """Registers meetings, requests and lists: the General Office."""
    return is_business(user) and is_office(user)


def sees_party_records(user: Any) -> bool:
    return keeps_party_records(user) or is_party_group_member(user)


def heads_unit(user: Any, unit_id: int) -> bool:
    return is_business(user) and user.role == Role.UNIT_HEAD and unit_id in current_unit_ids(user)
