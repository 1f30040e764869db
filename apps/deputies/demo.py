"""The deputies' part of the demo: external bodies with contact accounts, a few hundred deputies at
five levels with their stations and duty records, and one session's ~150 suggestions handled
through the real services on the days they happened (`clock.use_today`), so that every answer,
late answer, 不满意 and re-handling, 并案, joint and key suggestion is a real ledger history."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.registry import summarised_load
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.organ import DEMO_PASSWORD, _Namer
from apps.core.demo.registry import DemoContext
from apps.ledger.choices import Source
from apps.ledger.models import Checklist
from apps.organization.choices import Gender, UnitKind
from apps.organization.models import ExternalContact, Person, Unit

from . import services
from .choices import DutyKind, Level, StationKind
from .models import AnswerLetter, Deputy, DutyRecord, Handling, Mandate, Station, Suggestion

D = datetime.timedelta

BODIES = (
    ("市发展和改革委员会", "发改委", "fgw"),
    ("市教育局", "教育局", "jyj"),
    ("市交通运输局", "交通局", "jtj"),
    ("市住房和城乡建设局", "住建局", "zjj"),
    ("市卫生健康委员会", "卫健委", "wjw"),
    ("市生态环境局", "生态环境局", "sthj"),
    ("市农业农村局", "农业农村局", "nyj"),
    ("市民政局", "民政局", "mzj"),
    ("市人力资源和社会保障局", "人社局", "rsj"),
    ("市市场监督管理局", "市场监管局", "scj"),
    ("市自然资源局", "自然资源局", "zrj"),
    ("市水利局", "水利局", "slj"),
)
OTHER_BODIES = (
    ("市监察委员会", "市监委", UnitKind.SUPERVISION),
    ("市中级人民法院", "市中院", UnitKind.COURT),
    ("市人民检察院", "市检察院", UnitKind.PROCURATORATE),
)
STATIONS = (
    ("城东代表之家", StationKind.HOME),
    ("城西代表之家", StationKind.HOME),
    ("开发区代表联络站", StationKind.STATION),
    ("新城街道代表联络站", StationKind.STATION),
    ("北关街道代表联络站", StationKind.STATION),
    ("南湖镇代表联络站", StationKind.STATION),
    ("青山镇代表联络站", StationKind.STATION),
    ("河口乡代表联络站", StationKind.STATION),
    ("工业园区代表联络站", StationKind.STATION),
)
LEVEL_COUNTS = (
    (Level.NATIONAL, 8),
    (Level.REGION, 22),
    (Level.CITY, 120),
    (Level.COUNTY, 90),
    (Level.TOWNSHIP, 60),
)
DELEGATIONS = ("城区代表团", "开发区代表团", "北山县代表团", "南湖县代表团", "解放军代表团")
SECTORS = ("工人", "农民", "专业技术人员", "党政干部", "企业负责人", "解放军", "其他")
TOPICS = (
    ("交通", "关于优化{}公交线路的建议", 2),
    ("教育", "关于增加{}学位供给的建议", 1),
    ("城建", "关于加快{}老旧小区改造的建议", 3),
    ("卫生", "关于提升{}基层医疗服务能力的建议", 4),
    ("环保", "关于加强{}河道水环境治理的建议", 5),
    ("农业", "关于扶持{}特色农业发展的建议", 6),
    ("民生", "关于完善{}养老服务设施的建议", 7),
    ("就业", "关于加强{}高校毕业生就业服务的建议", 8),
    ("市场", "关于规范{}农贸市场管理的建议", 9),
    ("发展", "关于支持{}产业园区建设的建议", 0),
)
PLACES = ("城东区", "城西区", "开发区", "北山县", "南湖县", "新城街道", "青山镇", "河口乡")


@dataclass
class DeputiesSummary:
    bodies: int
    deputies: int
    stations: int
    suggestions: int
    rehandled: int
    merged: int
    joint: int
    key: int
    previous: int = 0  # the previous year's session's suggestions
    checked: int = 0  # A answers checked a year later
    resolved: int = 0  # of which truly resolved


PREVIOUS_COUNT = 60


def session_years(today: datetime.date) -> tuple[int, int]:
    """The demo's session year and the previous one: this January's session once today is past
    June (its answers are in), else last January's. The previous year's session is old enough
    for its A answers — B answers followed up and answered again included — to be checked a year
    after they were given."""
    year = today.year if today.month >= 7 else today.year - 1
    return year, year - 1


def session_name(year: int) -> str:
    return f"市十七届人大{year - 2022}次会议代表建议"


def _bodies(password: str) -> list[Unit]:
    government, _ = Unit.everything.get_or_create(
        name="市人民政府",
        defaults={"short_name": "市政府", "kind": UnitKind.GOVERNMENT, "sort_order": 100},
    )
    units = []
    for n, (name, short, username) in enumerate(BODIES):
        unit, created = Unit.everything.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": UnitKind.DEPARTMENT,
                "parent": government,
                "sort_order": 110 + n,
            },
        )
        units.append(unit)
        if created and not User.objects.filter(username=username).exists():
            contact = ExternalContact.objects.create(unit=unit, name=f"{short}联络员", title="科长")
            User.objects.create(
                username=username,
                first_name=f"{short}联络员",
                role=Role.EXTERNAL,
                external_contact=contact,
                password=password,
                must_change_password=False,
            )
    for n, (name, short, kind) in enumerate(OTHER_BODIES):
        unit, _ = Unit.everything.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "sort_order": 130 + n}
        )
        units.append(unit)
    return units


def _deputies(rng: random.Random, stations: list[Station], password: str) -> list[Deputy]:
    namer = _Namer(rng)
    deputies: list[Deputy] = []
    mandates: list[Mandate] = []
    for level, count in LEVEL_COUNTS:
        for _ in range(count):
            gender = Gender.MALE if rng.random() < 0.65 else Gender.FEMALE
            deputies.append(
                Deputy(
                    name=namer(gender),
                    gender="男" if gender == Gender.MALE else "女",
                    sector=rng.choice(SECTORS),
                    phone=f"139{rng.randint(0, 99999999):08d}",
                    station=rng.choice(stations),
                    import_key=level,
                )
            )
    Deputy.objects.bulk_create(deputies)
    deputies = list(Deputy.objects.filter(import_key__in=Level.values).order_by("id"))
    for deputy in deputies:
        mandates.append(
            Mandate(
                deputy=deputy,
                level=deputy.import_key,
                delegation=rng.choice(DELEGATIONS),
                term="第十七届",
            )
        )
        # Some sit at two levels (a city deputy who is also a county deputy, ...).
        if deputy.import_key == Level.CITY and rng.random() < 0.15:
            mandates.append(Mandate(deputy=deputy, level=Level.COUNTY, term="第十届"))
    Mandate.objects.bulk_create(mandates)
    Deputy.objects.filter(pk__in=[d.pk for d in deputies]).update(import_key="")
    if not User.objects.filter(username="daibiao").exists():
        account = User.objects.create(
            username="daibiao",
            first_name=deputies[30].name,
            role=Role.DEPUTY,
            password=password,
            must_change_password=False,
        )
        Deputy.objects.filter(pk=deputies[30].pk).update(account=account)
        deputies[30].account = account
    return deputies


def _duties(rng: random.Random, deputies: list[Deputy], year_start: datetime.date) -> None:
    rows = []
    kinds = (DutyKind.SESSION, DutyKind.INSPECTION, DutyKind.TRAINING, DutyKind.ACTIVITY)
    points = {k: services.DEFAULT_POINTS[k] for k in kinds}
    titles = {
        DutyKind.SESSION: "出席人民代表大会会议",
        DutyKind.INSPECTION: "参加专题视察调研",
        DutyKind.TRAINING: "参加代表履职学习培训",
        DutyKind.ACTIVITY: "参加代表小组活动",
    }
    for deputy in deputies:
        for n in range(rng.randint(2, 6)):
            kind = rng.choice(kinds)
            rows.append(
                DutyRecord(
                    deputy=deputy,
                    kind=kind,
                    date=year_start + D(days=rng.randint(0, 300)),
                    title=titles[kind],
                    points=points[kind],
                    source_key=f"demo:{deputy.pk}:{n}",
                )
            )
    DutyRecord.objects.bulk_create(rows)


def generate_deputies(
    *, seed: int, today: datetime.date, office: User | None = None
) -> DeputiesSummary:
    rng = random.Random(seed * 13 + 7)
    office = (
        office or User.objects.filter(role=Role.OFFICE_STAFF, is_active=True).order_by("id").first()
    )
    if office is None:
        raise RuntimeError("演示数据缺少办公室工作人员账号")
    password = make_password(DEMO_PASSWORD)
    year, previous_year = session_years(today)
    session_day = datetime.date(year, 1, 20)
    with transaction.atomic():
        bodies = _bodies(password)
        stations = [
            Station.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in STATIONS
        ]
        deputies = _deputies(rng, stations, password)
        _duties(rng, deputies, datetime.date(year, 1, 1))
        for station in stations:
            members = [d for d in deputies if d.station_id == station.pk]
            for month in (3, 6, 9):
                day = datetime.date(year, month, 12)
                if day > today:
                    break
                services.activity_record(
                    actor=office,
                    station=station,
                    date=day,
                    title=f"{month}月代表接待日",
                    attendees=rng.sample(members, min(4, len(members))),
                    matters="群众反映停车难、老旧小区加装电梯等问题。",
                )
        checklist, previous = (
            Checklist.objects.get_or_create(
                name=session_name(y),
                defaults={"year": y, "source": Source.DEPUTY_SUGGESTION, "created_by": office},
            )[0]
            for y in (year, previous_year)
        )
        _receptions(rng, stations, office, today, checklist, bodies)
    leaders = list(Person.objects.filter(leadership_posts__isnull=False).distinct()[:3])
    before = _suggestions(
        rng,
        previous,
        deputies,
        bodies,
        leaders,
        office,
        datetime.date(previous_year, 1, 20),
        today,
        count=PREVIOUS_COUNT,
    )
    counts = _suggestions(rng, checklist, deputies, bodies, leaders, office, session_day, today)
    return DeputiesSummary(
        bodies=len(bodies),
        deputies=len(deputies),
        stations=len(stations),
        suggestions=counts["total"],
        rehandled=counts["rehandled"],
        merged=counts["merged"],
        joint=counts["joint"],
        key=counts["key"],
        previous=before["total"],
        checked=before["checked"] + counts["checked"],
        resolved=before["resolved"] + counts["resolved"],
    )


MATTERS = (
    "小区周边停车难，夜间占道停车影响消防通道",
    "老旧小区加装电梯协调难、补贴申请慢",
    "农贸市场周边占道经营，早高峰通行不畅",
    "村道路灯损坏多处，夜间出行不便",
)


def _receptions(
    rng: random.Random,
    stations: list[Station],
    office: User,
    today: datetime.date,
    checklist: Checklist,
    bodies: list[Unit],
) -> None:
    """Each station's rule (每月第N个星期X) with its reception days from three months ago to
    three months ahead; the days past are held, with the matters raised; a few matters are
    turned into a suggestion or a ledger item for the relevant body."""
    from . import stations as station_services

    first = (today.replace(day=1) - D(days=75)).replace(day=1)
    held: list[Any] = []
    for index, station in enumerate(stations):
        spec = station_services.RuleSpec(
            nth=1 + index % 3,
            weekday=(3 + index) % 5,
            start=datetime.time(9, 0),
            end=datetime.time(11, 30),
            first_month=first,
            months=6,
        )
        with clock.use_today(first):
            station_services.reception_rule_generate(actor=office, station=station, spec=spec)
        for reception in station.reception_days.filter(date__lte=today).order_by("date"):
            on_duty = list(reception.on_duty.all())
            if not on_duty:
                continue
            with clock.use_today(reception.date):
                held.append(
                    services.activity_record(
                        actor=office,
                        station=station,
                        date=reception.date,
                        title=f"{reception.date.month}月代表接待日",
                        attendees=on_duty,
                        matters="\n".join(rng.sample(MATTERS, 2)),
                        reception=reception,
                    )
                )
    ready = [a for a in held if a.date + D(days=3) <= today]
    for n, activity in enumerate(ready[-6:]):
        matter = activity.matter_rows.order_by("id").first()
        with clock.use_today(activity.date + D(days=3)):
            if n % 2 == 0:
                station_services.matter_to_suggestion(
                    actor=office,
                    matter=matter,
                    spec=station_services.MatterSuggestionSpec(
                        proposer=activity.attendees.order_by("name", "id").first(),
                        checklist=checklist,
                        title=f"关于解决{matter.text.split('，')[0]}问题的建议"[:200],
                        content=f"{activity.station.name}接待日群众反映：{matter.text}。",
                        topic="民生",
                    ),
                )
            else:
                station_services.matter_to_item(
                    actor=office,
                    matter=matter,
                    spec=station_services.MatterItemSpec(
                        unit=bodies[3],
                        deadline=activity.date + D(days=33),
                        title=matter.text[:200],
                        content="请核实情况，提出解决办法并答复群众。",
                    ),
                )


def _suggestions(
    rng: random.Random,
    checklist: Checklist,
    deputies: list[Deputy],
    bodies: list[Unit],
    leaders: list[Person],
    office: User,
    session_day: datetime.date,
    today: datetime.date,
    count: int = 150,
) -> dict[str, int]:
    counts = dict.fromkeys(
        ("total", "rehandled", "merged", "joint", "key", "checked", "resolved"), 0
    )
    city_ids = set(Mandate.objects.filter(level=Level.CITY).values_list("deputy_id", flat=True))
    city = [d for d in deputies if d.pk in city_ids] or deputies
    contacts = {
        u.external_contact.unit_id: u
        for u in User.objects.filter(
            role=Role.EXTERNAL, external_contact__isnull=False
        ).select_related("external_contact")
        if u.external_contact is not None
    }
    registered: list[Suggestion] = []
    for n in range(count):
        topic, pattern, _ = rng.choice(TOPICS)
        proposer = rng.choice(city)
        cosigners = (
            rng.sample([d for d in city if d.pk != proposer.pk], rng.randint(1, 3))
            if n % 7 == 3
            else []
        )
        with clock.use_today(session_day), transaction.atomic():
            suggestion = services.suggestion_create(
                actor=office,
                spec=services.SuggestionSpec(
                    checklist=checklist,
                    title=pattern.format(rng.choice(PLACES)),
                    content="在人民代表大会会议期间，经调研提出如下建议：……",
                    topic=topic,
                    cosigners=cosigners,
                    proposer=proposer,
                ),
            )
        counts["total"] += 1
        counts["joint"] += bool(cosigners)
        review_day = session_day + D(days=10)
        with clock.use_today(review_day), transaction.atomic():
            if n % 30 == 5:
                services.suggestion_review(
                    actor=office,
                    suggestion=suggestion,
                    decision="reject",
                    note="属于个人具体诉求，不作为代表建议立案",
                )
                continue
            if n % 30 == 17:
                services.suggestion_review(
                    actor=office, suggestion=suggestion, decision="letter", note="转人民来信办理"
                )
                continue
            same = [s for s in registered if s.topic == topic and s.merged_into_id is None]
            if n % 19 == 9 and same:
                services.suggestion_review(
                    actor=office, suggestion=suggestion, decision="register", merge_into=same[0]
                )
                counts["merged"] += 1
                continue
            services.suggestion_review(actor=office, suggestion=suggestion, decision="register")
        registered.append(suggestion)
    for n, suggestion in enumerate(registered):
        _handle(rng, n, suggestion, bodies, leaders, office, contacts, session_day, today, counts)
    return counts


def _handle(
    rng: random.Random,
    n: int,
    suggestion: Suggestion,
    bodies: list[Unit],
    leaders: list[Person],
    office: User,
    contacts: dict[int, User],
    session_day: datetime.date,
    today: datetime.date,
    counts: dict[str, int],
) -> None:
    topic_index = next(i for t, _, i in TOPICS if t == suggestion.topic)
    main = bodies[topic_index]
    assign_day = session_day + D(days=30 + n % 10)
    if assign_day > today:
        return
    key = leaders[n % len(leaders)] if leaders and n % 25 == 0 else None
    counts["key"] += key is not None
    with clock.use_today(assign_day), transaction.atomic():
        if n % 12 == 6:
            services.suggestion_assign(
                actor=office,
                suggestion=suggestion,
                mode="separate",
                separate=[main, bodies[(topic_index + 3) % 12]],
                key_leader=key,
            )
        else:
            co = [bodies[(topic_index + 1) % 12]] if n % 3 == 0 else []
            services.suggestion_assign(
                actor=office, suggestion=suggestion, mode="joint", main=main, co=co, key_leader=key
            )
    for handling in Handling.objects.filter(suggestion=suggestion).select_related("item", "unit"):
        user = contacts.get(handling.unit_id) or _contact_for(handling.unit)
        contacts[handling.unit_id] = user
        if handling.item is None:
            day = assign_day + D(days=rng.randint(10, 40))
            if day <= today:
                with clock.use_today(day), transaction.atomic():
                    services.co_opinion(
                        actor=user, handling=handling, text="同意主办单位意见，将积极配合。"
                    )
            continue
        _answer_cycle(rng, n, handling, user, office, assign_day, today, counts)


def _contact_for(unit: Unit) -> User:
    contact = ExternalContact.objects.create(
        unit=unit, name=f"{unit.short_name}联络员", title="处长"
    )
    return User.objects.create(
        username=f"body{unit.pk}",
        first_name=contact.name,
        role=Role.EXTERNAL,
        external_contact=contact,
        password=make_password(DEMO_PASSWORD),
        must_change_password=False,
    )


def _try(day: datetime.date, today: datetime.date, action) -> bool:  # type: ignore[no-untyped-def]
    if day > today:
        return False
    with clock.use_today(day):
        try:
            with transaction.atomic():
                action()
        except (ValidationError, PermissionDenied):
            return False
    return True


def _answer_cycle(
    rng: random.Random,
    n: int,
    handling: Handling,
    user: User,
    office: User,
    assign_day: datetime.date,
    today: datetime.date,
    counts: dict[str, int],
) -> None:
    suggestion = handling.suggestion
    late = n % 11 == 4
    answer_day = assign_day + D(days=rng.randint(100, 130) if late else rng.randint(25, 85))
    klass = rng.choices("ABCD", weights=(45, 35, 12, 8))[0]
    planned = answer_day + D(days=150)
    if not _try(
        answer_day,
        today,
        lambda: services.answer_submit(
            actor=user,
            handling=handling,
            klass=klass,
            text=f"经研究，{suggestion.title[2:]}答复如下：……",
            signed_by="局长",
            planned_resolution=planned if klass == "B" else None,
        ),
    ):
        return
    unhappy = n % 23 == 11
    feedback_day = answer_day + D(days=12)
    for letter in AnswerLetter.objects.filter(answer__handling=handling, feedback_at__isnull=True):
        if letter.deputy.account_id is None:
            _give(
                office,
                letter,
                feedback_day,
                today,
                "unsatisfied" if unhappy else rng.choice(["satisfied", "satisfied", "basic"]),
            )
    if unhappy:
        if not _try(
            feedback_day + D(days=3),
            today,
            lambda: services.handling_rehandle(actor=office, handling=handling),
        ):
            return
        counts["rehandled"] += 1
        handling.refresh_from_db()
        again = feedback_day + D(days=25)
        if not _try(
            again,
            today,
            lambda: services.answer_submit(
                actor=user,
                handling=handling,
                klass="A",
                text="重新办理后，已落实代表建议。",
                signed_by="局长",
            ),
        ):
            return
        for letter in AnswerLetter.objects.filter(
            answer__handling=handling, feedback_at__isnull=True
        ):
            if letter.deputy.account_id is None:
                _give(office, letter, again + D(days=7), today, "satisfied")
        _try(
            again + D(days=10),
            today,
            lambda: services.handling_conclude(actor=office, handling=handling),
        )
        return
    conclude_day = feedback_day + D(days=5)
    if not _try(
        conclude_day, today, lambda: services.handling_conclude(actor=office, handling=handling)
    ):
        return
    if klass == "B" and n % 2 == 0:
        handling.refresh_from_db()
        resolved_day = planned - D(days=10)
        if _try(
            resolved_day,
            today,
            lambda: services.answer_submit(
                actor=user,
                handling=handling,
                klass="A",
                text="列入计划的事项已落实。",
                signed_by="局长",
            ),
        ):
            for letter in AnswerLetter.objects.filter(
                answer__handling=handling, feedback_at__isnull=True
            ):
                if letter.deputy.account_id is None:
                    _give(office, letter, resolved_day + D(days=7), today, "satisfied")
            if _try(
                resolved_day + D(days=12),
                today,
                lambda: services.handling_conclude(actor=office, handling=handling),
            ):
                # Followed up, answered A, and checked a year after the first (B) answer.
                _check_later(office, suggestion, answer_day, today, n % 5 != 2, counts)
    elif klass == "A" and n % 4 == 0:
        _check_later(office, suggestion, answer_day, today, n % 5 != 2, counts)


def _check_later(
    office: User,
    suggestion: Suggestion,
    answered: datetime.date,
    today: datetime.date,
    resolved: bool,
    counts: dict[str, int],
) -> None:
    """A year after the answer the office checks whether the problem was truly resolved
    (件件有落实); a suggestion still open in another body's part is not checked yet."""
    if _try(
        answered + D(days=365),
        today,
        lambda: services.resolution_check(
            actor=office,
            suggestion=suggestion,
            resolved=resolved,
            note="经回访代表和实地查看核实。" if resolved else "问题出现反复，已督促承办单位整改。",
        ),
    ):
        counts["checked"] += 1
        counts["resolved"] += resolved


def _give(
    office: User, letter: AnswerLetter, day: datetime.date, today: datetime.date, satisfaction: str
) -> None:
    """Deputies without an account return the paper feedback form; the office enters it."""
    note = "答复未解决实际问题" if satisfaction == "unsatisfied" else ""
    _try(
        day,
        today,
        lambda: services.feedback_give(
            actor=office, letter=letter, satisfaction=satisfaction, note=note
        ),
    )


def demo_step(context: DemoContext) -> str:
    """The deputies' part of `seed_demo` (registered in `apps.py`): through the services, its
    row events muted (`summarised_load`) and summarised in one audit event, as every area's demo is."""
    with summarised_load():
        s = generate_deputies(seed=context.seed, today=context.today)
    record_event(
        action=AuditAction.CREATE,
        object_type="deputies.demo",
        object_repr="演示服务代表数据（批量生成）",
        actor_username="seed_demo",
        detail={
            "承办单位": s.bodies,
            "代表": s.deputies,
            "代表之家（联络站）": s.stations,
            "代表建议": s.suggestions,
            "重新办理": s.rehandled,
            "上年度建议": s.previous,
            "一年后核实": s.checked,
        },
    )
    return (
        f"已生成服务代表数据：承办单位 {s.bodies} 个、代表 {s.deputies} 名（五级）、代表之家（联络站）"
        f"{s.stations} 个、代表建议 {s.suggestions} 件（联名 {s.joint} 件、并案 {s.merged} 件、"
        f"重点督办 {s.key} 件、重新办理 {s.rehandled} 件），另有上年度建议 {s.previous} 件"
        f"（一年后核实 {s.checked} 件，其中确已解决 {s.resolved} 件）。"
    )
