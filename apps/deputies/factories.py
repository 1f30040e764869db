"""Test and demo helpers of the deputies' area: bodies with a contact account, deputies, a session."""

from __future__ import annotations

import itertools

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.testing.factories import UserFactory
from apps.ledger.choices import Source
from apps.ledger.models import Checklist
from apps.organization.choices import UnitKind
from apps.organization.models import ExternalContact, Unit

from .choices import Level
from .models import Deputy, Mandate, Station

_numbers = itertools.count(1)


def make_body(
    name: str, username: str = "", *, kind: str = UnitKind.DEPARTMENT, parent: Unit | None = None
) -> tuple[Unit, User | None]:
    """An external handling body and, when `username` is given, its contact's account."""
    unit = Unit.everything.create(
        name=name, short_name=name[:10], kind=kind, parent=parent, sort_order=100 + next(_numbers)
    )
    if not username:
        return unit, None
    contact = ExternalContact.objects.create(unit=unit, name=f"{name}联络员", title="科长")
    user: User = UserFactory(  # type: ignore[assignment]
        username=username, person=None, role=Role.EXTERNAL, external_contact=contact
    )
    return unit, user


def make_deputy(
    name: str,
    *,
    account: User | None = None,
    username: str = "",
    levels: tuple[str, ...] = (Level.CITY,),
    station: Station | None = None,
) -> Deputy:
    if account is None and username:
        account = UserFactory(username=username, person=None, role=Role.DEPUTY, first_name=name)  # type: ignore[assignment]
    deputy = Deputy.objects.create(name=name, account=account, station=station, phone="13800000000")
    for level in levels:
        Mandate.objects.create(deputy=deputy, level=level, delegation="城区代表团", term="第十七届")
    return deputy


def make_session(user: User, year: int = 2026, name: str = "") -> Checklist:
    return Checklist.objects.create(
        name=name or f"市十七届人大{year - 2021}次会议代表建议",
        year=year,
        source=Source.DEPUTY_SUGGESTION,
        created_by=user,
    )
