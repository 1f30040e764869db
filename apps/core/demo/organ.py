"""A deterministic, fictitious municipal People's Congress Standing Committee organ.

`plan_organ()` is pure: from a seed it decides every unit, person, posting, leadership post, party
group seat, special task group and demo account, with no database access, so two runs with the same
seed give the same organ. `generate_organ()` writes a plan with `bulk_create` in one transaction.

`bulk_create` bypasses the audit signals on purpose (one row per demo person would drown the trail);
instead one audit event summarises the whole load. All names are composed from character lists and
belong to nobody; telephone numbers are random.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.organization.choices import (
    Gender,
    LeadershipTitle,
    PartyGroupRole,
    PoliticalStatus,
    Rank,
    TaskGroupRole,
    UnitKind,
)
from apps.organization.models import (
    LeadershipPost,
    PartyGroupMembership,
    Person,
    TaskGroup,
    TaskGroupMember,
    Unit,
    UnitMembership,
)

DEFAULT_SEED = 2026
DEMO_PASSWORD = "Renda@2026demo"
YOUTH_AGE_LIMIT = 40
BATCH_SIZE = 1000


# ---------------------------------------------------------------------------------------------
# What the organ looks like
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    name: str
    short_name: str
    kind: str
    size: int


# The General Office and the nine working committees of domain.md; 18 + 72 = 90 staff.
BASE_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("办公室", "办公室", UnitKind.OFFICE, 18),
    UnitSpec("法制工作委员会", "法工委", UnitKind.COMMITTEE, 9),
    UnitSpec("财政经济工作委员会", "财经委", UnitKind.COMMITTEE, 8),
    UnitSpec("预算工作委员会", "预算工委", UnitKind.COMMITTEE, 8),
    UnitSpec("教育科学文化卫生工作委员会", "教科文卫工委", UnitKind.COMMITTEE, 8),
    UnitSpec("农牧工作委员会", "农牧工委", UnitKind.COMMITTEE, 8),
    UnitSpec("城乡建设环境保护工作委员会", "城建环保工委", UnitKind.COMMITTEE, 8),
    UnitSpec("社会建设工作委员会", "社会建设工委", UnitKind.COMMITTEE, 7),
    UnitSpec("监察和司法工作委员会", "监察司法工委", UnitKind.COMMITTEE, 8),
    UnitSpec("人事代表选举任免联络工作委员会", "人事代表工委", UnitKind.COMMITTEE, 8),
)
OFFICE, LEGAL, FINANCE, BUDGET, EDUCATION, AGRICULTURE, CONSTRUCTION, SOCIAL, JUDICIAL, DEPUTIES = (
    range(10)
)
EXTRA_UNIT_SIZE = 8
OFFICE_SECTIONS = ("综合科", "秘书科", "信息科", "联络科", "机关事务科", "财务科")

SECTION_LEVEL = frozenset({Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY})
JUNIOR = frozenset({Rank.CLERK, Rank.PROBATION})

BIRTH_YEARS: dict[str, tuple[int, int]] = {
    Rank.BUREAU_CHIEF: (1963, 1966),
    Rank.BUREAU_DEPUTY: (1964, 1972),
    Rank.DIVISION_CHIEF: (1966, 1977),
    Rank.DIVISION_DEPUTY: (1970, 1984),
    Rank.SECTION_CHIEF: (1977, 1991),
    Rank.SECTION_DEPUTY: (1984, 1995),
    Rank.CLERK: (1989, 2001),
    Rank.PROBATION: (1999, 2003),
}

# (political status, weight) by rank: almost every cadre is a party member; some young staff are
# league members or probationary members, a few are non-party.
POLITICS: dict[str, tuple[tuple[str, int], ...]] = {
    "senior": ((PoliticalStatus.CPC_MEMBER, 19), (PoliticalStatus.DEMOCRATIC_PARTY, 1)),
    Rank.SECTION_CHIEF: (
        (PoliticalStatus.CPC_MEMBER, 17),
        (PoliticalStatus.DEMOCRATIC_PARTY, 1),
        (PoliticalStatus.MASSES, 1),
    ),
    Rank.SECTION_DEPUTY: ((PoliticalStatus.CPC_MEMBER, 9), (PoliticalStatus.MASSES, 1)),
    Rank.CLERK: (
        (PoliticalStatus.CPC_MEMBER, 14),
        (PoliticalStatus.CPC_PROBATIONARY, 2),
        (PoliticalStatus.LEAGUE_MEMBER, 2),
        (PoliticalStatus.MASSES, 2),
    ),
    Rank.PROBATION: (
        (PoliticalStatus.CPC_MEMBER, 4),
        (PoliticalStatus.CPC_PROBATIONARY, 2),
        (PoliticalStatus.LEAGUE_MEMBER, 3),
        (PoliticalStatus.MASSES, 1),
    ),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严武戴孔汤乔云温"
)
MALE_CHARS = (
    "伟刚勇毅俊峰强军平东文辉力明永健广志兴良海山波宁福龙元国胜学祥才武新利清飞彬富顺杰涛昌成"
    "康星光天达安岩中进林坚和博诚振会群豪邦乐功松厚庆磊民友哲江超浩亮政朗宏鸣鹏斌栋维启克翔旭"
    "泽晨辰建家树德盛雄钧冠腾航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧美娜静淑惠雅芝玉萍红玲芬芳燕彩春兰凤洁梅琳云莲雪荣霞香月媛艳瑞佳嘉琼珍莉桂晶妍"
    "茜秋珊锦青倩婷婉瑾颖露瑶怡丹蓉君琴蕊薇菁岚馨韵悦冰爽欣晓欢芸菲宜丽阳敏洁楠雯萱彦宇雨曼"
)
MOBILE_PREFIXES = (
    *("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151"),
    *("152", "155", "156", "158", "159", "177", "180", "186", "187", "188", "189"),
)
AREA_CODE = "0478"


# ---------------------------------------------------------------------------------------------
# The plan (pure data)
# ---------------------------------------------------------------------------------------------


@dataclass
class PlannedPerson:
    name: str
    gender: str
    birth_date: datetime.date
    rank: str
    political_status: str
    phone: str
    email: str
    unit: int | None = None  # index into OrganPlan.units of the current posting
    post_title: str = ""


@dataclass(frozen=True)
class PlannedPosting:
    person: int
    unit: int
    post_title: str
    is_head: bool
    start_date: datetime.date
    end_date: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class PlannedSeat:
    """A leadership post or a party group seat."""

    person: int
    title: str
    sort_order: int
    start_date: datetime.date


@dataclass(frozen=True)
class PlannedTaskGroup:
    name: str
    purpose: str
    lead_unit: int
    start_date: datetime.date
    end_date: datetime.date
    members: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class PlannedAccount:
    username: str
    role: str
    person: int | None
    full_name: str = ""


@dataclass
class OrganPlan:
    seed: int
    units: list[UnitSpec]
    persons: list[PlannedPerson] = field(default_factory=list)
    postings: list[PlannedPosting] = field(default_factory=list)
    leadership: list[PlannedSeat] = field(default_factory=list)
    party_group: list[PlannedSeat] = field(default_factory=list)
    task_groups: list[PlannedTaskGroup] = field(default_factory=list)
    accounts: list[PlannedAccount] = field(default_factory=list)
    leader_indexes: list[int] = field(default_factory=list)
    head_of: dict[int, int] = field(default_factory=dict)  # unit index -> person index
    rotations: int = 0

    def staff_in(self, unit: int) -> list[int]:
        return [i for i, p in enumerate(self.persons) if p.unit == unit]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_label: str
    person_name: str
    unit_name: str
    post_title: str


@dataclass(frozen=True)
class OrganSummary:
    """What `generate_organ` created; the counts are also the demo's talking points."""

    seed: int
    units: int
    leaders: int
    staff: int
    memberships: int
    rotations: int
    party_group: int
    task_groups: int
    youth: int  # staff under 40 (青年理论学习小组)
    mentors: int  # 副处级 cadres (传帮带 mentors)
    mentees: int  # section-level cadres and young cadres (传帮带 mentees)
    accounts: tuple[DemoAccount, ...]
    seconds: float


def _age(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_youth(person: PlannedPerson | Person, day: datetime.date) -> bool:
    return _age(person.birth_date, day) < YOUTH_AGE_LIMIT


def is_mentee(person: PlannedPerson | Person, day: datetime.date) -> bool:
    """Section-level cadres, and young cadres below section level (传帮带 pairs them with 副处)."""
    return person.rank in SECTION_LEVEL or (person.rank in JUNIOR and is_youth(person, day))


class _Namer:
    """Fictitious names, unique within one organ, drawn from the generator's own Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        # Common surnames come up more often, as they do in life.
        self.weights = [1.0 / (rank + 8) for rank in range(len(SURNAMES))]

    def __call__(self, gender: str) -> str:
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        while True:
            surname = self.rng.choices(SURNAMES, weights=self.weights)[0]
            given = self.rng.choice(chars)
            if self.rng.random() < 0.8:
                given += self.rng.choice(chars)
            name = surname + given
            if len(set(name)) == len(name) and name not in self.used:
                self.used.add(name)
                return name


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _phone(rng: random.Random, landline: bool) -> str:
    if landline:
        return f"{AREA_CODE}-8{rng.randint(0, 999999):06d}"
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99999999):08d}"


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _rank_plan(size: int, *, office: bool, rng: random.Random) -> list[str]:
    """1 正处 head, 1–3 副处 deputies, then section level, 科员 and a few 试用期人员."""
    if size > 20:
        deputies = max(2, size // 10)
    elif office and size >= 12:
        deputies = 3
    elif size >= 7:
        deputies = rng.randint(1, 2)
    else:
        deputies = 1
    chiefs = max(1, round(size * 0.18))
    section_deputies = max(1, round(size * 0.12))
    probation = size // 15 if size > 20 else (1 if office else rng.randint(0, 1))
    ranks = (
        [Rank.DIVISION_CHIEF]
        + [Rank.DIVISION_DEPUTY] * deputies
        + [Rank.SECTION_CHIEF] * chiefs
        + [Rank.SECTION_DEPUTY] * section_deputies
        + [Rank.PROBATION] * probation
    )
    ranks += [Rank.CLERK] * (size - len(ranks))
    return [str(rank) for rank in ranks[:size]]


def _post_title(spec: UnitSpec, rank: str, position: int) -> str:
    office = spec.kind == UnitKind.OFFICE
    section = OFFICE_SECTIONS[position % len(OFFICE_SECTIONS)] if office else ""
    return {
        Rank.DIVISION_CHIEF: "办公室主任" if office else "主任",
        Rank.DIVISION_DEPUTY: "办公室副主任" if office else "副主任",
        Rank.SECTION_CHIEF: f"{section}科长",
        Rank.SECTION_DEPUTY: f"{section}副科长",
        Rank.CLERK: "科员",
        Rank.PROBATION: "科员（试用期）",
    }[Rank(rank)]


def plan_organ(
    *, seed: int = DEFAULT_SEED, staff_per_unit: int | None = None, extra_units: int = 0
) -> OrganPlan:
    """Decide the whole organ from `seed`. Same arguments, same organ, on any machine."""
    if staff_per_unit is not None and staff_per_unit < 1:
        raise ValueError("staff_per_unit 必须为正整数")
    if extra_units < 0:
        raise ValueError("extra_units 不能为负数")
    rng = random.Random(seed)
    units = list(BASE_UNITS) + [
        UnitSpec(f"扩展工作委员会{n:03d}", f"扩展{n:03d}", UnitKind.COMMITTEE, EXTRA_UNIT_SIZE)
        for n in range(1, extra_units + 1)
    ]
    if staff_per_unit is not None:
        units = [UnitSpec(u.name, u.short_name, u.kind, staff_per_unit) for u in units]
    plan = OrganPlan(seed=seed, units=units)
    namer = _Namer(rng)

    def add_person(rank: str, politics: tuple[tuple[str, int], ...], *, landline: bool) -> int:
        # Senior posts are still mostly held by men; among younger cadres it is even.
        male_share = 0.5 if rank in JUNIOR or rank in SECTION_LEVEL else 0.7
        gender = Gender.MALE if rng.random() < male_share else Gender.FEMALE
        index = len(plan.persons)
        plan.persons.append(
            PlannedPerson(
                name=namer(gender),
                gender=str(gender),
                birth_date=_day(rng, *BIRTH_YEARS[rank]),
                rank=rank,
                political_status=_weighted(rng, politics),
                phone=_phone(rng, landline),
                email=f"rd{index + 1:05d}@organ.invalid",
            )
        )
        return index

    _plan_leadership(plan, add_person)
    first_posting: dict[int, datetime.date] = {}
    for unit_index, spec in enumerate(units):
        for position, rank in enumerate(
            _rank_plan(spec.size, office=spec.kind == UnitKind.OFFICE, rng=rng)
        ):
            politics = POLITICS.get(rank, POLITICS["senior"])
            person_index = add_person(rank, politics, landline=rank == Rank.DIVISION_CHIEF)
            person = plan.persons[person_index]
            person.unit = unit_index
            person.post_title = _post_title(spec, rank, position)
            first_posting[person_index] = _posting_start(rng, person)
            if rank == Rank.DIVISION_CHIEF and unit_index not in plan.head_of:
                plan.head_of[unit_index] = person_index
    _plan_postings(plan, rng, first_posting)
    _plan_task_groups(plan, rng)
    _plan_accounts(plan)
    return plan


def _posting_start(rng: random.Random, person: PlannedPerson) -> datetime.date:
    if person.rank == Rank.PROBATION:
        return datetime.date(2026, rng.choice((7, 8, 9)), 1)
    if person.rank == Rank.DIVISION_CHIEF:
        return _day(rng, 2018, 2023)
    earliest = max(person.birth_date.year + 23, 2010)
    return _day(rng, min(earliest, 2024), 2024)


def _plan_leadership(plan: OrganPlan, add_person: Callable[..., int]) -> None:
    """1 主任 (党组书记), 5 副主任 (one of them from a democratic party), 1 秘书长."""
    term_start = datetime.date(2022, 1, 14)
    titles = [
        (LeadershipTitle.DIRECTOR, Rank.BUREAU_CHIEF, term_start),
        (LeadershipTitle.DEPUTY_DIRECTOR, Rank.BUREAU_DEPUTY, term_start),
        (LeadershipTitle.DEPUTY_DIRECTOR, Rank.BUREAU_DEPUTY, term_start),
        (LeadershipTitle.DEPUTY_DIRECTOR, Rank.BUREAU_DEPUTY, term_start),
        (LeadershipTitle.DEPUTY_DIRECTOR, Rank.BUREAU_DEPUTY, datetime.date(2023, 6, 29)),
        (LeadershipTitle.DEPUTY_DIRECTOR, Rank.BUREAU_DEPUTY, term_start),
        (LeadershipTitle.SECRETARY_GENERAL, Rank.BUREAU_DEPUTY, datetime.date(2024, 1, 12)),
    ]
    cpc = ((PoliticalStatus.CPC_MEMBER, 1),)
    for order, (title, rank, start) in enumerate(titles):
        non_party = order == 5  # a 副主任 from a democratic party sits outside the party group
        politics = ((PoliticalStatus.DEMOCRATIC_PARTY, 1),) if non_party else cpc
        person = add_person(rank, politics, landline=True)
        plan.leader_indexes.append(person)
        plan.leadership.append(PlannedSeat(person, str(title), order, start))
    seats = [
        (0, PartyGroupRole.SECRETARY),
        (1, PartyGroupRole.DEPUTY_SECRETARY),
        (2, PartyGroupRole.MEMBER),
        (3, PartyGroupRole.MEMBER),
        (6, PartyGroupRole.MEMBER),
    ]
    for order, (leader, role) in enumerate(seats):
        seat = plan.leadership[leader]
        plan.party_group.append(PlannedSeat(seat.person, str(role), order, seat.start_date))


def _plan_postings(
    plan: OrganPlan, rng: random.Random, first_posting: dict[int, datetime.date]
) -> None:
    """Current postings, plus 交流轮岗 of section-level cadres between the office and committees."""
    rotation_days = (
        datetime.date(2025, 3, 3),
        datetime.date(2025, 9, 1),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 7, 1),
    )
    staff = [i for i, p in enumerate(plan.persons) if p.unit is not None]
    section_level = [i for i in staff if plan.persons[i].rank in SECTION_LEVEL]
    wanted = max(8, len(staff) // 60)
    in_office = [i for i in section_level if plan.persons[i].unit == OFFICE]
    elsewhere = [i for i in section_level if plan.persons[i].unit != OFFICE]
    from_committees = rng.sample(in_office, min(len(in_office), wanted // 2))
    from_office = rng.sample(elsewhere, min(len(elsewhere), wanted - len(from_committees)))
    committees = [u for u, spec in enumerate(plan.units) if spec.kind == UnitKind.COMMITTEE]
    rotated: dict[int, tuple[int, datetime.date, int]] = {}  # person -> (prior unit, day, order)
    for n, person_index in enumerate(sorted(from_committees + from_office)):
        if not committees:
            break
        person = plan.persons[person_index]
        prior = OFFICE if person.unit != OFFICE else rng.choice(committees)
        day = rotation_days[n % len(rotation_days)]
        rotated[person_index] = (prior, day, n)
        # The earlier posting must have lasted a while before the move.
        first_posting[person_index] = min(
            first_posting[person_index], day - datetime.timedelta(days=400)
        )
    plan.rotations = len(rotated)
    for person_index in staff:
        person = plan.persons[person_index]
        assert person.unit is not None
        start = first_posting[person_index]
        is_head = plan.head_of.get(person.unit) == person_index
        if person_index in rotated:
            prior, day, n = rotated[person_index]
            prior_spec, spec = plan.units[prior], plan.units[person.unit]
            plan.postings.append(
                PlannedPosting(
                    person_index,
                    prior,
                    _post_title(prior_spec, person.rank, n),
                    False,
                    start,
                    day - datetime.timedelta(days=1),
                    f"交流轮岗，调往{spec.short_name}",
                )
            )
            start, note = day, f"交流轮岗，由{prior_spec.short_name}调入"
        else:
            note = "试用期一年" if person.rank == Rank.PROBATION else ""
        plan.postings.append(
            PlannedPosting(person_index, person.unit, person.post_title, is_head, start, None, note)
        )


def _plan_task_groups(plan: OrganPlan, rng: random.Random) -> None:
    """Three special task groups (专项工作小组) of 2026, drawn across units."""
    if len(plan.units) < len(BASE_UNITS):
        return
    leaders = plan.leader_indexes
    groups = (
        (
            "防汛抗旱应急救灾调研保障组",
            "围绕全市防汛抗旱和应急救灾工作开展专题调研，做好执法检查的资料收集、行程安排和会议保障。",
            AGRICULTURE,
            (datetime.date(2026, 5, 6), datetime.date(2026, 9, 30)),
            leaders[2],
            ((AGRICULTURE, 2), (CONSTRUCTION, 1), (SOCIAL, 1), (OFFICE, 1)),
        ),
        (
            "代表建议督办专项组",
            "对本年度代表建议的交办、办理和答复情况开展跟踪督办，推动事事有回音、件件有落实。",
            DEPUTIES,
            (datetime.date(2026, 3, 10), datetime.date(2026, 12, 31)),
            leaders[6],
            ((DEPUTIES, 2), (OFFICE, 2), (FINANCE, 1), (JUDICIAL, 1)),
        ),
        (
            "文旅品牌建设调研组",
            "就全市文化旅游品牌建设开展调研，形成调研报告，提请常委会会议审议。",
            EDUCATION,
            (datetime.date(2026, 4, 1), datetime.date(2026, 10, 31)),
            leaders[3],
            ((EDUCATION, 2), (FINANCE, 1), (CONSTRUCTION, 1), (OFFICE, 1)),
        ),
    )
    for name, purpose, lead_unit, (start, end), leader, draws in groups:
        members: list[tuple[int, str]] = [(leader, TaskGroupRole.LEADER)]
        if lead_unit in plan.head_of:
            members.append((plan.head_of[lead_unit], TaskGroupRole.DEPUTY))
        for unit, count in draws:
            pool = [
                i
                for i in plan.staff_in(unit)
                if plan.persons[i].rank not in {Rank.DIVISION_CHIEF, Rank.PROBATION}
                and i not in {m for m, _ in members}
            ]
            for person in rng.sample(pool, min(count, len(pool))):
                members.append((person, TaskGroupRole.MEMBER))
        plan.task_groups.append(
            PlannedTaskGroup(
                name, purpose, lead_unit, start, end, tuple((m, str(r)) for m, r in members)
            )
        )


def _first_of(plan: OrganPlan, unit: int, *choices: set[str]) -> int | None:
    """The first non-head member of `unit` whose rank is in the first set that has one."""
    for ranks in choices:
        for i in plan.staff_in(unit):
            if plan.persons[i].rank in ranks and plan.head_of.get(unit) != i:
                return i
    return None


def _plan_accounts(plan: OrganPlan) -> None:
    """One account per role for the demo, plus one for the head of every base unit."""
    rows: list[tuple[str, str, int | None]] = []
    if plan.leader_indexes:
        rows += [("zhuren", Role.LEADER, plan.leader_indexes[0])]
        rows += [("fuzhuren", Role.LEADER, plan.leader_indexes[1])]
        # The 秘书长 decides the longer trips (出差审批's second step): without an account the
        # approvals engine refuses such a request rather than pass it to the 主任 unannounced.
        rows += [("mishuzhang", Role.LEADER, plan.leader_indexes[-1])]
    clerks: set[str] = {Rank.CLERK, Rank.SECTION_DEPUTY, Rank.SECTION_CHIEF}
    rows += [
        ("bgs_zhuren", Role.UNIT_HEAD, plan.head_of.get(OFFICE)),
        ("bgs_ganshi", Role.OFFICE_STAFF, _first_of(plan, OFFICE, {Rank.SECTION_CHIEF})),
        ("fagongwei_zhuren", Role.UNIT_HEAD, plan.head_of.get(LEGAL)),
        ("fagongwei_keyuan", Role.STAFF, _first_of(plan, LEGAL, {Rank.CLERK}, clerks)),
        ("caijingwei_keyuan", Role.STAFF, _first_of(plan, FINANCE, {Rank.CLERK}, clerks)),
    ]
    for unit in range(FINANCE, len(BASE_UNITS)):
        rows.append((f"unit{unit + 1:02d}_head", Role.UNIT_HEAD, plan.head_of.get(unit)))
    for username, role, person in rows:
        if person is not None:
            plan.accounts.append(PlannedAccount(username, str(role), person))
    for username, role in (
        ("sysadmin", Role.SYSTEM_ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("auditadmin", Role.AUDIT_ADMIN),
    ):
        plan.accounts.append(PlannedAccount(username, str(role), None, Role(role).label))


# ---------------------------------------------------------------------------------------------
# Writing the plan
# ---------------------------------------------------------------------------------------------


def generate_organ(
    *,
    seed: int = DEFAULT_SEED,
    staff_per_unit: int | None = None,
    extra_units: int = 0,
    with_accounts: bool = True,
) -> OrganSummary:
    """Create the demo organ on a database without organisation data, in one transaction.

    `staff_per_unit` and `extra_units` make a bigger organ for the benchmark (e.g. 50 units of 100
    staff); the defaults give the ten units and ~90 staff of the demo. Demo accounts all use
    DEMO_PASSWORD, which passes the password policy (checked here, before anything is written).
    """
    started = time.perf_counter()
    plan = plan_organ(seed=seed, staff_per_unit=staff_per_unit, extra_units=extra_units)
    planned_accounts = plan.accounts if with_accounts else []
    for account in planned_accounts:
        full_name = (
            plan.persons[account.person].name if account.person is not None else account.full_name
        )
        validate_password(DEMO_PASSWORD, User(username=account.username, first_name=full_name))

    with transaction.atomic():
        units = Unit.objects.bulk_create(
            Unit(name=u.name, short_name=u.short_name, kind=u.kind, sort_order=n)
            for n, u in enumerate(plan.units)
        )
        persons = Person.objects.bulk_create(
            (
                Person(
                    name=p.name,
                    gender=p.gender,
                    birth_date=p.birth_date,
                    rank=p.rank,
                    political_status=p.political_status,
                    phone=p.phone,
                    # Office numbers follow the person's place in the plan (no draw from the seed's
                    # generator, so the rest of the demo stays as it was).
                    office_phone=f"{AREA_CODE}-8612{n:04d}",
                    email=p.email,
                )
                for n, p in enumerate(plan.persons)
            ),
            batch_size=BATCH_SIZE,
        )
        UnitMembership.objects.bulk_create(
            (
                UnitMembership(
                    person=persons[m.person],
                    unit=units[m.unit],
                    post_title=m.post_title,
                    is_head=m.is_head,
                    start_date=m.start_date,
                    end_date=m.end_date,
                    note=m.note,
                )
                for m in plan.postings
            ),
            batch_size=BATCH_SIZE,
        )
        LeadershipPost.objects.bulk_create(
            LeadershipPost(
                person=persons[s.person],
                title=s.title,
                sort_order=s.sort_order,
                start_date=s.start_date,
            )
            for s in plan.leadership
        )
        PartyGroupMembership.objects.bulk_create(
            PartyGroupMembership(person=persons[s.person], role=s.title, start_date=s.start_date)
            for s in plan.party_group
        )
        groups = TaskGroup.objects.bulk_create(
            TaskGroup(
                name=g.name,
                purpose=g.purpose,
                lead_unit=units[g.lead_unit],
                start_date=g.start_date,
                end_date=g.end_date,
            )
            for g in plan.task_groups
        )
        TaskGroupMember.objects.bulk_create(
            TaskGroupMember(group=group, person=persons[member], role=role)
            for group, planned in zip(groups, plan.task_groups, strict=True)
            for member, role in planned.members
        )
        now = clock.now()
        # One hash for all demo accounts: the password is public anyway, and Argon2 costs ~0.2 s each.
        encoded = make_password(DEMO_PASSWORD)
        User.objects.bulk_create(
            User(
                username=a.username,
                first_name=a.full_name,
                role=a.role,
                person=persons[a.person] if a.person is not None else None,
                password=encoded,
                password_changed_at=now,
                must_change_password=False,
            )
            for a in planned_accounts
        )
        summary = _summarise(plan, planned_accounts, time.perf_counter() - started)
        record_event(
            action=AuditAction.CREATE,
            object_type="core.demo_organ",
            object_repr="演示机关数据（批量导入）",
            actor_username="seed_demo",
            detail={
                "种子": seed,
                "单位": summary.units,
                "常委会领导": summary.leaders,
                "工作人员": summary.staff,
                "任职记录": summary.memberships,
                "交流轮岗": summary.rotations,
                "专项工作小组": summary.task_groups,
                "演示账号": [a.username for a in summary.accounts],
                # The demo must be usable at once, so its accounts are created already granted;
                # in production the system administrator opens and the security administrator
                # grants (三员分立), and create_admins bootstraps the three.
                "演示账号授权": "已直接授予角色并启用（仅演示数据）",
            },
        )
    return summary


def _summarise(plan: OrganPlan, accounts: list[PlannedAccount], seconds: float) -> OrganSummary:
    today = clock.today()
    staff = [p for p in plan.persons if p.unit is not None]
    leader_titles = {s.person: LeadershipTitle(s.title).label for s in plan.leadership}
    demo_accounts = []
    for a in accounts:
        person = plan.persons[a.person] if a.person is not None else None
        if a.person is None or person is None:
            unit_name, post = "", ""
        elif person.unit is None:
            unit_name, post = "常委会领导", leader_titles.get(a.person, "")
        else:
            unit_name, post = plan.units[person.unit].name, person.post_title
        demo_accounts.append(
            DemoAccount(
                username=a.username,
                role=a.role,
                role_label=Role(a.role).label,
                person_name=person.name if person else "",
                unit_name=unit_name,
                post_title=post,
            )
        )
    return OrganSummary(
        seed=plan.seed,
        units=len(plan.units),
        leaders=len(plan.leadership),
        staff=len(staff),
        memberships=len(plan.postings),
        rotations=plan.rotations,
        party_group=len(plan.party_group),
        task_groups=len(plan.task_groups),
        youth=sum(is_youth(p, today) for p in staff),
        mentors=sum(p.rank == Rank.DIVISION_DEPUTY for p in staff),
        mentees=sum(is_mentee(p, today) for p in staff),
        accounts=tuple(demo_accounts),
        seconds=seconds,
    )


DEMO_USERNAMES = frozenset(
    {
        "zhuren",
        "fuzhuren",
        "mishuzhang",
        "bgs_zhuren",
        "bgs_ganshi",
        "fagongwei_zhuren",
        "fagongwei_keyuan",
    }
    | {"caijingwei_keyuan", "sysadmin", "secadmin", "auditadmin"}
    | {f"unit{number:02d}_head" for number in range(FINANCE + 1, len(BASE_UNITS) + 1)}
)
"""Every username `generate_organ` may create (the unit heads are unit03_head … unit10_head)."""


def existing_demo_accounts() -> list[DemoAccount]:
    """The demo accounts already in the database (for a second `make run`), in creation order."""
    today = clock.today()
    rows = []
    users = User.objects.filter(username__in=DEMO_USERNAMES).select_related("person").order_by("id")
    for user in users:
        unit_name = post = ""
        if user.person is not None:
            posting = (
                UnitMembership.objects.on(today)
                .filter(person=user.person)
                .select_related("unit")
                .first()
            )
            seat = LeadershipPost.objects.on(today).filter(person=user.person).first()
            if posting is not None:
                unit_name, post = posting.unit.name, posting.post_title
            elif seat is not None:
                unit_name, post = "常委会领导", seat.get_title_display()
        rows.append(
            DemoAccount(
                username=user.username,
                role=user.role,
                role_label=user.get_role_display(),
                person_name=user.person.name if user.person else "",
                unit_name=unit_name,
                post_title=post,
            )
        )
    return rows
