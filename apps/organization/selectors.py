"""Reads about the organisation: who belonged where on a date, leaders, cadres, the organ's figures.

Selectors answer for the whole organ; views narrow people down to what the user may see with
`apps.accounts.permissions.restrict` (passing the restricted queryset in as `people`).
`PeriodQuerySet.on()` in models.py is not generic, hence the cast to a typed QuerySet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import cast

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from apps.core import clock

from .choices import LeadershipTitle, PartyGroupRole, Rank, TaskGroupRole
from .models import (
    LeadershipPost,
    PartyGroupMembership,
    Person,
    TaskGroup,
    TaskGroupMember,
    Unit,
    UnitMembership,
)

SECTION_RANKS = (Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY)


def _rank_order(prefix: str = "") -> Case:
    """Rank choices are declared highest first; sort by that order, not alphabetically."""
    return Case(
        *[When(**{f"{prefix}rank": value}, then=Value(i)) for i, value in enumerate(Rank.values)],
        default=Value(len(Rank.values)),
        output_field=IntegerField(),
    )


def _on(day: datetime.date | None) -> datetime.date:
    return day or clock.today()


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------------------------------------
# Units and postings
# ---------------------------------------------------------------------------------------------


def unit_members(unit: Unit, *, on: datetime.date | None = None) -> QuerySet[UnitMembership]:
    """The postings to `unit` in force on the date: heads first, then by rank and start date."""
    postings = cast(QuerySet[UnitMembership], UnitMembership.objects.on(_on(on)))
    return (
        postings.filter(unit=unit)
        .select_related("person")
        .annotate(rank_order=_rank_order("person__"))
        .order_by("-is_head", "rank_order", "start_date", "person__name")
    )


def person_unit_on(person: Person, day: datetime.date) -> UnitMembership | None:
    """The posting the person held on `day` ("who was responsible at the time"), or None."""
    return UnitMembership.objects.on(day).filter(person=person).select_related("unit").first()


def membership_history(person: Person) -> QuerySet[UnitMembership]:
    """Every posting of the person, the latest first: the rotation timeline."""
    return (
        UnitMembership.objects.filter(person=person)
        .select_related("unit")
        .order_by("-start_date", "-id")
    )


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    member_count: int
    heads: list[Person]


def units_with_counts(*, on: datetime.date | None = None) -> list[UnitRow]:
    """Active units with how many people were posted there on the date and who headed them."""
    day = _on(on)
    in_force = Q(memberships__start_date__lte=day) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=day)
    )
    units = (
        Unit.objects.filter(is_active=True)
        .annotate(member_count=Count("memberships", filter=in_force))
        .order_by("sort_order", "id")
    )
    heads: dict[int, list[Person]] = {}
    for membership in (
        UnitMembership.objects.on(day)
        .filter(is_head=True, unit__is_active=True)
        .select_related("person")
        .order_by("start_date", "id")
    ):
        heads.setdefault(membership.unit_id, []).append(membership.person)
    return [UnitRow(u, u.member_count, heads.get(u.pk, [])) for u in units]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def person_search(
    people: QuerySet[Person],
    *,
    query: str = "",
    unit: Unit | None = None,
    rank: str = "",
    include_inactive: bool = False,
    on: datetime.date | None = None,
) -> QuerySet[Person]:
    """Search `people` (already restricted to the user) by name, current unit and rank."""
    day = _on(on)
    if not include_inactive:
        people = people.filter(is_active=True)
    if query:
        people = people.filter(name__icontains=query)
    if unit is not None:
        posted = UnitMembership.objects.on(day).filter(unit=unit).values("person_id")
        people = people.filter(pk__in=posted)
    if rank:
        people = people.filter(rank=rank)
    current = UnitMembership.objects.on(day).select_related("unit")
    return (
        people.annotate(rank_order=_rank_order())
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_postings"))
        .order_by("rank_order", "name", "id")
    )


def person_task_groups(person: Person) -> QuerySet[TaskGroupMember]:
    """The task groups the person belongs to, running ones first."""
    return (
        TaskGroupMember.objects.filter(person=person)
        .select_related("group", "group__lead_unit")
        .order_by("group__end_date", "-group__start_date")
    )


def person_posts(person: Person) -> tuple[list[LeadershipPost], list[PartyGroupMembership]]:
    """Leadership and party group posts of the person, the latest first."""
    leadership = list(LeadershipPost.objects.filter(person=person).order_by("-start_date"))
    party = list(PartyGroupMembership.objects.filter(person=person).order_by("-start_date"))
    return leadership, party


def youth_staff(
    *,
    on: datetime.date | None = None,
    max_age: int = 40,
    people: QuerySet[Person] | None = None,
) -> QuerySet[Person]:
    """Serving people posted to a unit on the date and younger than `max_age` (青年理论学习小组)."""
    day = _on(on)
    people = Person.objects.all() if people is None else people
    posted = UnitMembership.objects.on(day).values("person_id")
    current = UnitMembership.objects.on(day).select_related("unit")
    return (
        people.filter(is_active=True, pk__in=posted, birth_date__gt=years_before(day, max_age))
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_postings"))
        .order_by("-birth_date", "id")
    )


def section_level_cadres(
    *,
    on: datetime.date | None = None,
    unit: Unit | None = None,
    people: QuerySet[Person] | None = None,
) -> QuerySet[UnitMembership]:
    """Postings of section-level cadres (正科级、副科级) on the date, longest in post first:
    the pool from which rotation between the office and the committees is planned."""
    day = _on(on)
    postings = UnitMembership.objects.on(day).filter(
        person__rank__in=SECTION_RANKS, person__is_active=True
    )
    if people is not None:
        postings = postings.filter(person__in=people)
    if unit is not None:
        postings = postings.filter(unit=unit)
    return postings.select_related("person", "unit").order_by("start_date", "unit__sort_order")


@dataclass
class OrganOverview:
    on: datetime.date
    total: int
    youth_count: int
    section_level_count: int
    units: list[UnitRow]
    ranks: list[tuple[str, int]] = field(default_factory=list)


def organ_overview(*, on: datetime.date | None = None) -> OrganOverview:
    """Figures for the whole organ on a date: people per unit, rank distribution, young cadres."""
    day = _on(on)
    posted_ids = UnitMembership.objects.on(day).values("person_id")
    serving = Person.objects.filter(pk__in=posted_ids)
    by_rank = dict(
        serving.order_by().values("rank").annotate(n=Count("id")).values_list("rank", "n")
    )
    return OrganOverview(
        on=day,
        total=serving.count(),
        youth_count=youth_staff(on=day).count(),
        section_level_count=serving.filter(rank__in=SECTION_RANKS).count(),
        units=units_with_counts(on=day),
        ranks=[(label, by_rank.get(value, 0)) for value, label in Rank.choices],
    )


# ---------------------------------------------------------------------------------------------
# Leadership and the party group
# ---------------------------------------------------------------------------------------------


@dataclass
class LeadershipOn:
    on: datetime.date
    leaders: list[LeadershipPost]
    party_group: list[PartyGroupMembership]


_TITLE_ORDER = Case(
    *[When(title=value, then=Value(i)) for i, value in enumerate(LeadershipTitle.values)],
    output_field=IntegerField(),
)
_PARTY_ORDER = Case(
    *[When(role=value, then=Value(i)) for i, value in enumerate(PartyGroupRole.values)],
    output_field=IntegerField(),
)


def leadership_on(*, on: datetime.date | None = None) -> LeadershipOn:
    """主任、副主任、秘书长 and the party group as they stood on the date."""
    day = _on(on)
    leaders = (
        LeadershipPost.objects.on(day)
        .select_related("person")
        .annotate(title_order=_TITLE_ORDER)
        .order_by("title_order", "sort_order", "start_date")
    )
    party = (
        PartyGroupMembership.objects.on(day)
        .select_related("person")
        .annotate(role_order=_PARTY_ORDER)
        .order_by("role_order", "start_date", "id")
    )
    return LeadershipOn(on=day, leaders=list(leaders), party_group=list(party))


# ---------------------------------------------------------------------------------------------
# Task groups
# ---------------------------------------------------------------------------------------------


def task_group_list(
    groups: QuerySet[TaskGroup], *, running_only: bool = False, on: datetime.date | None = None
) -> QuerySet[TaskGroup]:
    """Task groups (already restricted to the user) with member counts, running ones first."""
    day = _on(on)
    member_counts = (
        TaskGroupMember.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("id"))
        .values("n")
    )
    if running_only:
        groups = groups.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    return (
        groups.select_related("lead_unit")
        # A subquery, not Count(): the scope may already have joined the members.
        .annotate(member_count=Coalesce(Subquery(member_counts), 0))
        .order_by("-start_date", "id")
    )


def task_group_members(group: TaskGroup) -> QuerySet[TaskGroupMember]:
    """The group's members, leader first, with the unit each was posted to today."""
    current = UnitMembership.objects.on(clock.today()).select_related("unit")
    role_order = Case(
        *[When(role=value, then=Value(i)) for i, value in enumerate(TaskGroupRole.values)],
        output_field=IntegerField(),
    )
    return (
        TaskGroupMember.objects.filter(group=group)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__memberships", queryset=current, to_attr="current_postings")
        )
        .annotate(role_order=role_order)
        .order_by("role_order", "person__name")
    )
