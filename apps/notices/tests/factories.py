"""A notice as the office drafts it, and a unit full of staff (to count queries at any size)."""

from __future__ import annotations

from typing import Any

from apps.accounts.choices import Role
from apps.core.testing.factories import MembershipFactory, UnitFactory, UserFactory
from apps.notices import services
from apps.notices.choices import NoticeCategory


def spec(personas, **changes: Any) -> services.NoticeSpec:
    fields: dict[str, Any] = dict(
        title="关于2027年元旦放假安排的通知",
        body="根据国务院办公厅通知精神，现将元旦放假安排通知如下。\n\n1月1日放假，共1天。",
        issuer=personas.office,
        category=NoticeCategory.NOTICE,
        whole_organ=True,
    )
    if "units" in changes:
        fields["whole_organ"] = False
    fields.update(changes)
    return services.NoticeSpec(**fields)


def make_notice(personas, actor=None, attachments=(), **changes: Any):
    return services.notice_create(
        actor=actor or personas.sun, spec=spec(personas, **changes), attachments=attachments
    )


def staffed_unit(size: int, name: str = "测试委"):
    """A committee with `size` staff accounts."""
    unit = UnitFactory(name=name, short_name=name[-8:])
    users = []
    for _ in range(size):
        membership = MembershipFactory(unit=unit)
        users.append(UserFactory(person=membership.person, role=Role.STAFF))
    return unit, users
