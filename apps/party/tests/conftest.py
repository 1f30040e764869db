"""The party group of the tests: zhao (secretary), chen (deputy secretary), qian, li and wang —
five members, so that half is 3 and two thirds is 4. sun (office) records the meetings."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from apps.core.testing.factories import PersonFactory
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership
from apps.party import services
from apps.party.choices import AgendaKind, MajorCategory, Presence, Vote

D = datetime.date
START = D(2020, 1, 1)


@pytest.fixture
def group(personas) -> SimpleNamespace:
    chen = PersonFactory(name="陈副书记")
    wang = PersonFactory(name="王成员")
    rows = [
        (personas.zhao.person, PartyGroupRole.SECRETARY),
        (chen, PartyGroupRole.DEPUTY_SECRETARY),
        (personas.qian.person, PartyGroupRole.MEMBER),
        (personas.li.person, PartyGroupRole.MEMBER),
        (wang, PartyGroupRole.MEMBER),
    ]
    for person, role in rows:
        PartyGroupMembership.objects.create(person=person, role=role, start_date=START)
    p = personas
    return SimpleNamespace(
        zhao=p.zhao.person,
        chen=chen,
        qian=p.qian.person,
        li=p.li.person,
        wang=wang,
        members=[p.zhao.person, chen, p.qian.person, p.li.person, wang],
    )


@pytest.fixture
def make_meeting(personas, group):
    """make_meeting(day, absent={person: reason}): recorded by sun, zhao presiding."""

    def make(day: datetime.date | None = None, absent: dict | None = None, **fields):
        absent = absent or {}
        attendees = [
            services.AttendeeSpec(p, Presence.ABSENT, absent[p])
            if p in absent
            else services.AttendeeSpec(p, Presence.PRESENT)
            for p in group.members
        ]
        attendees.append(services.AttendeeSpec(personas.sun.person, Presence.NON_VOTING))
        return services.meeting_create(
            actor=fields.pop("actor", personas.sun),
            date=day or D(2026, 3, 10),
            place="党组会议室",
            presider=fields.pop("presider", group.zhao),
            recorder=personas.sun.person,
            attendees=attendees,
        )

    return make


@pytest.fixture
def major_item(personas, make_meeting):
    """A meeting with its 第一议题 and a 三重一大 item; make_major(absent=...) for other rolls."""

    def make(**kwargs):
        meeting = make_meeting(**kwargs)
        services.agenda_add(
            actor=personas.sun,
            meeting=meeting,
            kind=AgendaKind.FIRST_TOPIC,
            title="学习习近平总书记关于坚持和完善人民代表大会制度的重要思想",
        )
        return services.agenda_add(
            actor=personas.sun, meeting=meeting, kind=AgendaKind.MAJOR, title="机关办公楼维修项目"
        )

    return make


def decision_spec(group, **changes) -> services.DecisionSpec:
    """A complete decision: consulted, with materials, the secretary last, everyone agreeing."""
    order = [group.chen, group.qian, group.li, group.wang, group.zhao]
    fields = dict(
        category=MajorCategory.PROJECT,
        matter="机关办公楼维修改造",
        consulted_with="党组书记、分管领导、办公室",
        consulted_on=D(2026, 3, 5),
        materials="维修方案、预算评审报告",
        opinions=[services.OpinionSpec(p, Vote.AGREE, "同意") for p in order],
        recusals=[],
        amount=None,
    )
    fields.update(changes)
    return services.DecisionSpec(**fields)
