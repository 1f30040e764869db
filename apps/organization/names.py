"""Units and people by the names people write in a sheet: full names, short names, aliases, the
usual variants (工委 ↔ 工作委员会, with or without the 市人大常委会 prefix, full- or half-width
brackets), groups such as “各工委”, and leaders written as their post (“分管副主任”).

Loaded once per import (a few queries), then every look-up is a dictionary access. Errors are
LookupError with a Chinese message that echoes the user's own characters.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from .choices import LeadershipTitle, UnitKind
from .models import LeadershipPost, Person, Unit, UnitAlias, UnitMembership

_PREFIXES = ("市人大常委会", "人大常委会", "市人大", "常委会")
_GROUPS = {
    "各工委": UnitKind.COMMITTEE,  # also “各工作委员会”, which reads the same after canonical_unit_name
    "各专门委员会": UnitKind.COMMITTEE,
    "各专委会": UnitKind.COMMITTEE,
    "各委员会": UnitKind.COMMITTEE,
}
_QUALIFIED = re.compile(r"(.+?)[(](.+?)[)]")
_POST_PREFIX = re.compile(r"^(分管|联系|牵头|主管|常务)")


def canonical_unit_name(text: str) -> str:
    """The form two ways of writing a unit's name share: “市人大常委会法制工作委员会” and
    “法制工委” both become “法制工委”."""
    name = unicodedata.normalize("NFKC", text).strip()
    name = re.sub(r"\s+", "", name)
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name.removeprefix(prefix)
            break
    return name.replace("工作委员会", "工委")


class UnitNames:
    """Every unit under every name it goes by."""

    def __init__(self) -> None:
        self.units = list(Unit.objects.order_by("-is_active", "sort_order", "id"))
        by_id = {unit.pk: unit for unit in self.units}
        self.index: dict[str, dict[int, Unit]] = {}
        self.keys_of: dict[int, set[str]] = {}
        for unit in self.units:
            for name in (unit.name, unit.short_name):
                self._add(name, unit)
        for alias in UnitAlias.objects.all():
            self._add(alias.name, by_id[alias.unit_id])

    def _add(self, name: str, unit: Unit) -> None:
        if name.strip():
            key = canonical_unit_name(name)
            self.index.setdefault(key, {})[unit.pk] = unit
            self.keys_of.setdefault(unit.pk, set()).add(key)

    def group(self, text: str) -> list[Unit] | None:
        """The active units a group name such as “各工委” stands for; None if it is no group."""
        kind = _GROUPS.get(canonical_unit_name(text))
        if kind is None:
            return None
        return [unit for unit in self.units if unit.kind == kind and unit.is_active]

    def unit(self, text: str, label: str) -> Unit:
        found = list(self.index.get(canonical_unit_name(text), {}).values())
        if not found:
            raise LookupError(f"{label}“{text}”不存在（请填写单位全称、简称或别名）")
        active = [unit for unit in found if unit.is_active]
        if len(active) > 1:
            names = "、".join(unit.name for unit in active)
            raise LookupError(f"{label}“{text}”同时对应{len(active)}个单位（{names}），请填写全称")
        if not active:
            raise LookupError(f"{label}“{text}”已停用")
        return active[0]


class PeopleNames:
    """Serving people by name, told apart by unit or post; leaders also by their post."""

    def __init__(self, today: datetime.date, units: UnitNames) -> None:
        self.unit_names = units
        self.units_of: dict[int, list[Unit]] = {}
        for membership in UnitMembership.objects.on(today).select_related("unit"):
            self.units_of.setdefault(membership.person_id, []).append(membership.unit)
        self.posts: dict[int, str] = {}
        self.holders: dict[str, list[Person]] = {}
        for post in (
            LeadershipPost.objects.on(today).select_related("person").order_by("sort_order", "id")
        ):
            self.posts[post.person_id] = post.get_title_display()
            self.holders.setdefault(post.get_title_display(), []).append(post.person)
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(is_active=True).order_by("id"):
            self.people.setdefault(person.name.strip(), []).append(person)

    def where(self, person: Person) -> str:
        """How to tell two people of the same name apart: their units, or their leadership post."""
        units = self.units_of.get(person.pk, [])
        if units:
            return "、".join(unit.short_name or unit.name for unit in units)
        return self.posts.get(person.pk) or "无所属单位"

    def _qualifies(self, person: Person, qualifier: str) -> bool:
        if qualifier == self.posts.get(person.pk):
            return True
        key = canonical_unit_name(qualifier)
        return any(
            key in self.unit_names.keys_of.get(unit.pk, ())
            for unit in self.units_of.get(person.pk, [])
        )

    def leader_by_post(self, text: str, label: str) -> Person | None:
        """A leader written as a post: “主任”, “秘书长”, “分管副主任”; None if `text` is no post."""
        title = _POST_PREFIX.sub("", text)
        if title not in LeadershipTitle.labels:
            return None
        holders = self.holders.get(title, [])
        if len(holders) == 1:
            return holders[0]
        if not holders:
            raise LookupError(f"{label}“{text}”：目前没有人担任{title}")
        names = "、".join(person.name for person in holders)
        raise LookupError(f"{label}“{text}”对应{len(holders)}位{title}（{names}），请填写领导姓名")

    def person(self, text: str, label: str, *, leader: bool = False) -> Person:
        """The person `text` names: “姓名”, or “姓名（单位或职务）” when the name is shared (a
        namesake is never guessed from the row's units: the sheet must say which one it means)."""
        text = unicodedata.normalize("NFKC", text).strip()
        if leader and (by_post := self.leader_by_post(text, label)) is not None:
            return by_post
        name, qualifier = text, ""
        if match := _QUALIFIED.fullmatch(text):
            name, qualifier = match[1].strip(), match[2].strip()
        candidates = self.people.get(name, [])
        if qualifier:
            candidates = [p for p in candidates if self._qualifies(p, qualifier)]
        if leader:
            leaders = [p for p in candidates if p.pk in self.posts]
            if not leaders and candidates:
                raise LookupError(f"{label}“{text}”不是常委会领导，不能领责督办")
            candidates = leaders
        if not candidates:
            raise LookupError(f"{label}“{text}”不存在（未找到该人员）")
        if len(candidates) > 1:
            places = "、".join(self.where(p) for p in candidates)
            raise LookupError(
                f"{label}“{text}”有{len(candidates)}人重名（分别在{places}），"
                f"请写成“{name}（单位简称）”以区分"
            )
        return candidates[0]
