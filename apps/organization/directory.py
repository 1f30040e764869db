"""The address book (通讯录): every member of staff and the Standing Committee's leaders, by unit.

Name, unit, post and office phone are for everyone in the organ; the personal (mobile) number only
for the leaders and the General Office (`sees_mobiles`). Searching matches a substring of the name,
post, unit or office phone: Chinese needs no word splitting for that, and it reads the same on
PostgreSQL and SQLite (see apps/core/search.py for the choice).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from apps.accounts.choices import Role
from apps.accounts.permissions import is_office

from .models import LeadershipPost, Unit, UnitMembership

LEADERS_GROUP = "常委会领导"


def sees_mobiles(user: Any) -> bool:
    return getattr(user, "role", None) == Role.LEADER or is_office(user)


@dataclass(frozen=True)
class Entry:
    person_id: int
    name: str
    group: str  # the unit's name, or 常委会领导
    post: str
    office_phone: str
    mobile: str  # "" when the viewer may not see it


def _mask(phone: str, visible: bool) -> str:
    return phone if visible else ""


def entries(
    user: Any, today: datetime.date, *, unit_id: int | None = None, query: str = ""
) -> list[Entry]:
    """The address book's rows: the leaders first (unless a unit is chosen), then each unit's
    people, the head first. Two queries, whatever the size of the organ."""
    visible = sees_mobiles(user)
    query = query.strip()[:50]
    rows: list[Entry] = []
    if unit_id is None:
        posts = LeadershipPost.objects.on(today).select_related("person").order_by("sort_order")
        if query:
            posts = posts.filter(
                Q(person__name__icontains=query) | Q(person__office_phone__icontains=query)
            )
        for post in posts:
            rows.append(
                Entry(
                    post.person_id,
                    post.person.name,
                    LEADERS_GROUP,
                    post.get_title_display(),
                    post.person.office_phone,
                    _mask(post.person.phone, visible),
                )
            )
    postings = (
        UnitMembership.objects.on(today)
        .filter(person__is_active=True, unit__is_active=True)
        .select_related("person", "unit")
        .order_by("unit__sort_order", "unit_id", "-is_head", "person__name", "person_id")
    )
    if unit_id is not None:
        postings = postings.filter(unit_id=unit_id)
    if query:
        postings = postings.filter(
            Q(person__name__icontains=query)
            | Q(post_title__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(unit__short_name__icontains=query)
            | Q(person__office_phone__icontains=query)
        )
    for posting in postings:
        rows.append(
            Entry(
                posting.person_id,
                posting.person.name,
                posting.unit.name,
                posting.post_title,
                posting.person.office_phone,
                _mask(posting.person.phone, visible),
            )
        )
    return rows


def units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("sort_order", "id"))


def search_people(user: Any, query: str, limit: int) -> list[Any]:
    """The global search's people: by name, post or unit, linked to the address book."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from apps.core import clock
    from apps.core.search import Hit

    url = reverse("organization:directory")
    found = entries(user, clock.today(), query=query)[:limit]
    return [
        Hit(
            entry.name,
            f"{url}?{urlencode({'q': entry.name})}",
            f"{entry.group} · {entry.post}" if entry.post else entry.group,
        )
        for entry in found
    ]


def register_search() -> None:
    from urllib.parse import urlencode

    from django.urls import reverse

    from apps.core.search import SearchSource, register_search_source

    register_search_source(
        SearchSource(
            "organization.people",
            "人员",
            search_people,
            more_url=lambda q: f"{reverse('organization:directory')}?{urlencode({'q': q})}",
            gate="cap:organization.view",
            order=20,
        )
    )


def people_choices_by_unit(today: datetime.date, empty_label: str = "") -> list[Any]:
    """Choices for a person picker, grouped by the unit each person is posted to today (the heads
    first), people with no posting last: a flat list of ninety names is hard to pick from. One
    query; the field's queryset still decides what is valid."""
    groups: dict[str, list[tuple[int, str]]] = {}
    seen: set[int] = set()
    postings = (
        UnitMembership.objects.on(today)
        .filter(person__is_active=True, unit__is_active=True)
        .select_related("person", "unit")
        .order_by("unit__sort_order", "unit_id", "-is_head", "person__name", "person_id")
    )
    for posting in postings:
        label = (
            f"{posting.person.name}（{posting.post_title}）"
            if posting.post_title
            else posting.person.name
        )
        groups.setdefault(posting.unit.name, []).append((posting.person_id, label))
        seen.add(posting.person_id)
    from .models import Person

    others = [
        (pk, name)
        for pk, name in Person.objects.filter(is_active=True)
        .exclude(pk__in=seen)
        .order_by("name", "pk")
        .values_list("pk", "name")
    ]
    choices: list[Any] = [("", empty_label)] if empty_label else []
    choices += [(unit, people) for unit, people in groups.items()]
    if others:
        choices.append(("常委会领导及其他", others))
    return choices
