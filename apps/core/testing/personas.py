"""The named people every test can use (like healthchecks' alice/bob/charlie).

- zhao (赵主任): Standing Committee director — role leader.
- qian (钱主任): head of the General Office — role unit_head.
- sun (孙干事): General Office staff — role office_staff.
- li (李主任): head of 法制工作委员会 — role unit_head.
- zhou (周科员): staff of 法制工作委员会 — role staff.
- wu (吴科员): staff of 财政经济工作委员会 — role staff ("another unit").
- sysadmin / secadmin / auditadmin: the three administrators, with no person.
- gov (郑联络员): contact of 市人民政府, an external body — role external (an outsider).
- dai (戴代表): a deputy's account — role deputy (an outsider); the deputies area links it to its
  deputy record.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.organization.choices import LeadershipTitle, Rank, UnitKind
from apps.organization.models import ExternalContact, LeadershipPost, Unit

from .factories import MembershipFactory, PersonFactory, UnitFactory, UserFactory


@dataclass
class Personas:
    office: Unit
    legal: Unit
    finance: Unit
    zhao: User
    qian: User
    sun: User
    li: User
    zhou: User
    wu: User
    sysadmin: User
    secadmin: User
    auditadmin: User
    government: Unit
    gov: User
    dai: User

    def all(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in PERSONA_NAMES}


PERSONA_NAMES = [
    "zhao",
    "qian",
    "sun",
    "li",
    "zhou",
    "wu",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "gov",
    "dai",
]


def _member(
    username: str,
    name: str,
    unit: Unit | None,
    role: str,
    rank: str,
    title: str,
    head: bool = False,
) -> User:
    person = PersonFactory(name=name, rank=rank)
    if unit is not None:
        MembershipFactory(person=person, unit=unit, post_title=title, is_head=head)
    return UserFactory(username=username, person=person, role=role)


def make_personas() -> Personas:
    office = UnitFactory(name="办公室", short_name="办公室", kind=UnitKind.OFFICE, sort_order=0)
    legal = UnitFactory(name="法制工作委员会", short_name="法工委", sort_order=1)
    finance = UnitFactory(name="财政经济工作委员会", short_name="财经委", sort_order=2)
    government = Unit.everything.create(
        name="市人民政府", short_name="市政府", kind=UnitKind.GOVERNMENT, sort_order=100
    )
    zhao = _member("zhao", "赵主任", None, Role.LEADER, Rank.BUREAU_CHIEF, "主任")
    LeadershipPost.objects.create(
        person=zhao.person, title=LeadershipTitle.DIRECTOR, start_date="2022-01-01"
    )
    return Personas(
        office=office,
        legal=legal,
        finance=finance,
        zhao=zhao,
        qian=_member(
            "qian", "钱主任", office, Role.UNIT_HEAD, Rank.DIVISION_CHIEF, "办公室主任", head=True
        ),
        sun=_member("sun", "孙干事", office, Role.OFFICE_STAFF, Rank.SECTION_CHIEF, "综合科科长"),
        li=_member("li", "李主任", legal, Role.UNIT_HEAD, Rank.DIVISION_CHIEF, "主任", head=True),
        zhou=_member("zhou", "周科员", legal, Role.STAFF, Rank.CLERK, "科员"),
        wu=_member("wu", "吴科员", finance, Role.STAFF, Rank.CLERK, "科员"),
        sysadmin=UserFactory(username="sysadmin", person=None, role=Role.SYSTEM_ADMIN),
        secadmin=UserFactory(username="secadmin", person=None, role=Role.SECURITY_ADMIN),
        auditadmin=UserFactory(username="auditadmin", person=None, role=Role.AUDIT_ADMIN),
        government=government,
        gov=UserFactory(
            username="gov",
            person=None,
            role=Role.EXTERNAL,
            external_contact=ExternalContact.objects.create(
                unit=government, name="郑联络员", title="市政府办公室秘书科科长"
            ),
        ),
        dai=UserFactory(username="dai", person=None, role=Role.DEPUTY, first_name="戴代表"),
    )
