"""Reads of growing people: who must attend, the register, the 第一议题 list, mentoring progress,
the youth group, talk coverage, training hours, the growth file and the statistics.

Selectors answer for the whole organ; views narrow rows with `restrict()` first and pass them in.
Other areas are read through their own selectors (organization, ledger, attendance).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from apps.attendance import selectors as attendance_selectors
from apps.core import clock
from apps.ledger import selectors as ledger_selectors
from apps.organization import selectors as organization_selectors
from apps.organization.choices import PoliticalStatus
from apps.organization.models import PartyGroupMembership, Person, Unit, UnitMembership

from .choices import (
    EvaluationStage,
    EvaluatorRole,
    Presence,
    SessionStatus,
    StudyKind,
)
from .models import (
    MentorPair,
    StudyAttendance,
    StudyReflection,
    StudySession,
    StudyTopic,
    Talk,
    TalkDuty,
    TrainingRecord,
    TrainingRequirement,
    YouthMembership,
)
from .registry import FirstTopicEntry, first_topic_sources

PARTY_MEMBERS = (PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY)

# ---------------------------------------------------------------------------------------------
# Who must attend
# ---------------------------------------------------------------------------------------------


def _posted_on(day: datetime.date) -> QuerySet[UnitMembership]:
    return cast(QuerySet[UnitMembership], UnitMembership.objects.on(day))


def youth_members_on(day: datetime.date) -> QuerySet[YouthMembership]:
    return YouthMembership.objects.filter(joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def required_people(session: StudySession) -> QuerySet[Person]:
    """The people a session's kind requires on its day:
    - 机关集中学习: everyone posted to a unit of the organ;
    - 党组理论学习中心组: the party group's members;
    - 青年理论学习小组: the youth group's members;
    - 党支部学习: the party members posted to the branch's unit."""
    day = session.date
    ids: Any  # a values("person_id") subquery of one of three models
    if session.kind == StudyKind.ORGAN:
        ids = _posted_on(day).values("person_id")
    elif session.kind == StudyKind.CENTER_GROUP:
        ids = PartyGroupMembership.objects.on(day).values("person_id")
    elif session.kind == StudyKind.YOUTH:
        ids = youth_members_on(day).values("person_id")
    else:
        ids = _posted_on(day).filter(unit=session.unit).values("person_id")
    people = Person.objects.filter(pk__in=ids, is_active=True)
    if session.kind == StudyKind.BRANCH:
        people = people.filter(political_status__in=PARTY_MEMBERS)
    return people


def session_window(session: StudySession) -> tuple[datetime.datetime, datetime.datetime]:
    """When signing in is accepted: from a little before the start to the end (plus any grace)."""
    options = settings.GROWTH
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(session.date, session.start_time, tzinfo=zone)
    end = datetime.datetime.combine(session.date, session.end_time, tzinfo=zone)
    return (
        start - datetime.timedelta(minutes=options["SIGN_IN_EARLY_MINUTES"]),
        end + datetime.timedelta(minutes=options["SIGN_IN_LATE_MINUTES"]),
    )


def session_ended(session: StudySession, now: datetime.datetime | None = None) -> bool:
    return (now or clock.now()) > session_window(session)[1]


# ---------------------------------------------------------------------------------------------
# The register and one session's roll
# ---------------------------------------------------------------------------------------------


def register(
    sessions: QuerySet[StudySession], *, year: int | None = None, kind: str = ""
) -> QuerySet[StudySession]:
    """The study register (学习台账): sessions with their stored roll figures, host and first
    topic; a constant number of queries per page (topics are prefetched)."""
    if year:
        sessions = sessions.filter(date__year=year)
    if kind:
        sessions = sessions.filter(kind=kind)
    return (
        sessions.select_related("host", "unit")
        .prefetch_related(Prefetch("topics", queryset=StudyTopic.objects.order_by("order", "id")))
        .order_by("-date", "-start_time", "-id")
    )


def session_roll(session: StudySession) -> list[StudyAttendance]:
    """The session's roll rows with each person and the unit they were posted to that day."""
    return list(
        session.attendances.select_related("person", "unit").order_by(
            "unit__sort_order", "person__name", "person_id"
        )
    )


def upcoming_sessions(person_id: int, *, days: int = 7) -> list[StudySession]:
    """The user's sessions in the coming days (for the home page), from the roll when computed."""
    today = clock.today()
    return list(
        StudySession.objects.filter(
            status=SessionStatus.SCHEDULED,
            date__range=(today, today + datetime.timedelta(days=days)),
            attendances__person_id=person_id,
        ).order_by("date", "start_time")[:5]
    )


def pending_reflections(person_id: int) -> QuerySet[StudySession]:
    """Sessions the person attended that ask for a reflection they have not written."""
    return (
        StudySession.objects.filter(
            requires_reflection=True,
            attendances__person_id=person_id,
            attendances__presence=Presence.PRESENT,
        )
        .exclude(reflections__person_id=person_id)
        .order_by("-date")
    )


# ---------------------------------------------------------------------------------------------
# 第一议题 register
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstTopicStudy:
    date: datetime.date
    label: str  # a study session's kind, or another area's label (党组会议（第3次）)
    url: str  # empty where the reader may not open the record


@dataclass
class FirstTopicRow:
    title: str
    studied: list[FirstTopicStudy] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)

    @property
    def first(self) -> FirstTopicStudy:
        return self.studied[0]

    @property
    def first_studied(self) -> datetime.date:
        return self.first.date


def first_topic_register(year: int | None = None, user: Any = None) -> list[FirstTopicRow]:
    """Each 第一议题 with the date it was first studied, every later study of it and where it was
    followed up (贯彻落实): the study sessions' and those of the areas registered in
    `registry.py` (the party group's meetings). One query, plus a constant number per source."""
    topics = StudyTopic.objects.filter(is_first_topic=True).exclude(
        session__status=SessionStatus.CANCELLED
    )
    if year:
        topics = topics.filter(session__date__year=year)
    entries = [
        FirstTopicEntry(
            title,
            day,
            StudyKind(kind).label,
            reverse("growth:session_detail", args=[session_id]),
            follow_up,
        )
        for title, day, kind, session_id, follow_up in topics.order_by(
            "session__date", "session_id", "order"
        ).values_list("title", "session__date", "session__kind", "session_id", "follow_up")
    ]
    for source in first_topic_sources().values():
        entries.extend(source(user, year))
    rows: dict[str, FirstTopicRow] = {}
    for entry in sorted(entries, key=lambda e: e.date):  # stable: sessions first on a shared day
        row = rows.setdefault(entry.title, FirstTopicRow(entry.title))
        row.studied.append(FirstTopicStudy(entry.date, entry.label, entry.url))
        if entry.follow_up:
            row.follow_ups.append(entry.follow_up)
    return sorted(rows.values(), key=lambda r: (r.first_studied, r.title), reverse=True)


# ---------------------------------------------------------------------------------------------
# Mentoring
# ---------------------------------------------------------------------------------------------


def mentee_candidates(*, on: datetime.date | None = None) -> list[Person]:
    """Who may be paired as a mentee: section-level cadres, and young cadres below section level
    (the organisation area's two selectors, combined)."""
    day = on or clock.today()
    section = [m.person for m in organization_selectors.section_level_cadres(on=day)]
    young = [
        p for p in organization_selectors.youth_staff(on=day) if p.rank in {"clerk", "probation"}
    ]
    seen: set[int] = set()
    people = []
    for person in section + young:
        if person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
    return sorted(people, key=lambda p: p.name)


def pairs_with_progress(pairs: QuerySet[MentorPair]) -> QuerySet[MentorPair]:
    """Pairs with the counts the progress column needs, in one query (plus prefetches)."""
    return (
        pairs.select_related("mentor", "mentee")
        .annotate(
            guidance_count=Count("guidance", distinct=True),
            evaluation_count=Count("evaluations", distinct=True),
            midterm_count=Count(
                "evaluations", filter=Q(evaluations__stage=EvaluationStage.MIDTERM), distinct=True
            ),
            final_count=Count(
                "evaluations", filter=Q(evaluations__stage=EvaluationStage.FINAL), distinct=True
            ),
            has_summary=Count("summary", distinct=True),
        )
        .order_by("-start_date", "mentee__name", "id")
    )


def pair_progress_label(pair: Any) -> tuple[str, str]:
    """A pair's stage (label, tone) from the counts of `pairs_with_progress`."""
    expected = len(EvaluatorRole.values)
    if pair.final_count >= expected and pair.has_summary:
        return "已完成期满评价", "success"
    if pair.midterm_count >= expected:
        return "已完成中期评价", "info"
    if pair.guidance_count:
        return "帮带中", "azure"
    return "尚无帮带记录", "warning"


# ---------------------------------------------------------------------------------------------
# The youth group
# ---------------------------------------------------------------------------------------------


def youth_reference_date(year: int) -> datetime.date:
    month, day = (int(part) for part in settings.GROWTH["YOUTH_REFERENCE_DAY"].split("-"))
    return datetime.date(year, month, day)


def youth_roster(year: int) -> list[dict[str, Any]]:
    """Members during the year with the youth sessions of the year each attended (年度计数)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = (
        YouthMembership.objects.filter(joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    )
    counts = dict(
        StudyAttendance.objects.filter(
            session__kind=StudyKind.YOUTH,
            session__date__year=year,
            presence=Presence.PRESENT,
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    held = StudySession.objects.filter(
        kind=StudyKind.YOUTH, date__year=year, status=SessionStatus.SCHEDULED
    ).count()
    return [
        {"membership": m, "attended": counts.get(m.person_id, 0), "held": held} for m in members
    ]


# ---------------------------------------------------------------------------------------------
# Talks: coverage
# ---------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    duty: TalkDuty
    required: int
    covered: int
    talks_held: int
    missing: list[Person]

    @property
    def rate(self) -> float | None:
        return round(100 * self.covered / self.required, 1) if self.required else None


def coverage_day(year: int) -> datetime.date:
    """Whom a year's duty covers: the people posted on the last day of the year, or today."""
    return min(clock.today(), datetime.date(year, 12, 31))


def talk_coverage(duties: QuerySet[TalkDuty], year: int) -> list[CoverageRow]:
    """For each duty of the year: the members of the units in the leader's charge, how many the
    leader talked with in the year (in either direction) and who is missing. Four queries."""
    duty_list = list(duties.filter(year=year).select_related("leader").prefetch_related("units"))
    unit_ids = {unit.pk for duty in duty_list for unit in duty.units.all()}
    members: dict[int, list[Person]] = defaultdict(list)
    for posting in (
        _posted_on(coverage_day(year))
        .filter(unit_id__in=unit_ids, person__is_active=True)
        .select_related("person")
        .order_by("person__name")
    ):
        members[posting.unit_id].append(posting.person)
    leaders = [duty.leader_id for duty in duty_list]
    partners: dict[int, set[int]] = defaultdict(set)
    held: dict[int, int] = defaultdict(int)
    for talker, talkee in (
        Talk.objects.filter(date__year=year)
        .filter(Q(talker_id__in=leaders) | Q(talkee_id__in=leaders))
        .values_list("talker_id", "talkee_id")
    ):
        partners[talker].add(talkee)
        partners[talkee].add(talker)
        held[talker] += 1
    rows = []
    for duty in duty_list:
        people = {
            p.pk: p
            for unit in duty.units.all()
            for p in members.get(unit.pk, [])
            if p.pk != duty.leader_id
        }
        talked = partners.get(duty.leader_id, set())
        missing = sorted(
            (p for pid, p in people.items() if pid not in talked), key=lambda p: p.name
        )
        rows.append(
            CoverageRow(
                duty=duty,
                required=len(people),
                covered=len(people) - len(missing),
                talks_held=held.get(duty.leader_id, 0),
                missing=missing,
            )
        )
    return rows


def talk_counts_per_leader(talks: QuerySet[Talk], year: int) -> list[dict[str, Any]]:
    """The office's view: how many talks each talker held in the year, and nothing else."""
    return [
        dict(row)
        for row in talks.filter(date__year=year)
        .values("talker_id", "talker__name")
        .annotate(count=Count("id"))
        .order_by("-count", "talker__name")
    ]


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def training_requirement(year: int) -> Decimal:
    row = TrainingRequirement.objects.filter(year=year).first()
    return row.hours if row else Decimal(settings.GROWTH["ANNUAL_TRAINING_HOURS"])


def training_hours(people: QuerySet[Person], year: int) -> QuerySet[Any]:
    """`people` (active, posted on the year's coverage day) with their training hours of the year,
    fewest first: who is short is at the top. One grouped query."""
    day = coverage_day(year)
    posted = _posted_on(day).values("person_id")
    return cast(
        "QuerySet[Any]",
        people.filter(is_active=True, pk__in=posted)
        .annotate(
            hours=Sum(
                "training_records__hours",
                filter=Q(training_records__start_date__year=year),
                default=Decimal("0"),
            )
        )
        .order_by("hours", "name", "id"),
    )


# ---------------------------------------------------------------------------------------------
# The growth file (干部成长档案)
# ---------------------------------------------------------------------------------------------


@dataclass
class StudyYear:
    year: int
    required: int = 0
    present: int = 0
    on_leave: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def rate(self) -> float | None:
        expected = self.required - self.on_leave
        return round(100 * self.present / expected, 1) if expected > 0 else None


@dataclass
class TrainingYear:
    year: int
    hours: Decimal
    required: Decimal

    @property
    def short(self) -> Decimal:
        return max(self.required - self.hours, Decimal("0"))


@dataclass
class GrowthFile:
    person: Person
    today: datetime.date
    current: UnitMembership | None
    postings: list[UnitMembership]
    leadership: list[Any]
    party: list[Any]
    task_groups: list[Any]
    study_years: list[StudyYear]
    study_rows: list[StudyAttendance]
    reflections: list[StudyReflection]
    youth: list[YouthMembership]
    mentee_pairs: list[MentorPair]
    mentor_pairs: list[MentorPair]
    training: list[TrainingRecord]
    training_years: list[TrainingYear]
    ledger_items: list[Any]
    ledger_summary: dict[str, int]
    points: list[Any]

    @property
    def rotations(self) -> int:
        return max(len({p.unit_id for p in self.postings}) - 1, 0)


STUDY_ROWS_SHOWN = 60


def growth_file(person: Person, *, today: datetime.date | None = None) -> GrowthFile:
    """Everything the growth file shows about one person, read from each area's selectors; a fixed
    number of queries whatever the size of the organ or the person's history."""
    today = today or clock.today()
    postings = list(organization_selectors.membership_history(person))
    current = next(
        (
            p
            for p in postings
            if p.start_date <= today and (p.end_date is None or p.end_date >= today)
        ),
        None,
    )
    leadership, party = organization_selectors.person_posts(person)
    task_groups = list(organization_selectors.person_task_groups(person))

    rows = StudyAttendance.objects.filter(person=person).exclude(presence=Presence.PENDING)
    per_year: dict[int, StudyYear] = {}
    for year, presence, n in (
        rows.values_list("session__date__year", "presence").annotate(n=Count("id")).order_by()
    ):
        entry = per_year.setdefault(year, StudyYear(year))
        entry.required += n
        setattr(entry, presence, getattr(entry, presence) + n)
    study_rows = list(
        rows.select_related("session").order_by("-session__date", "-session_id")[:STUDY_ROWS_SHOWN]
    )
    reflections = list(
        StudyReflection.objects.filter(person=person)
        .select_related("session")
        .order_by("-session__date")
    )
    pair_prefetch = ("evaluations__evaluator", "guidance")
    mentee_pairs = list(
        MentorPair.objects.filter(mentee=person)
        .select_related("mentor", "summary")
        .prefetch_related(*pair_prefetch)
        .order_by("-start_date")
    )
    mentor_pairs = list(
        MentorPair.objects.filter(mentor=person).select_related("mentee").order_by("-start_date")
    )
    training = list(TrainingRecord.objects.filter(person=person).order_by("-start_date", "-id"))
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for record in training:
        hours[record.start_date.year] += record.hours
    years = sorted(set(hours) | {today.year}, reverse=True)
    requirements = dict(
        TrainingRequirement.objects.filter(year__in=years).values_list("year", "hours")
    )
    default = Decimal(settings.GROWTH["ANNUAL_TRAINING_HOURS"])
    training_years = [
        TrainingYear(year, hours.get(year, Decimal("0")), requirements.get(year, default))
        for year in years
    ]
    items = list(ledger_selectors.person_items(person, today))
    summary: dict[str, int] = defaultdict(int)
    for item in items:
        summary[item.timeliness] += 1
    summary["total"] = len(items)
    return GrowthFile(
        person=person,
        today=today,
        current=current,
        postings=postings,
        leadership=leadership,
        party=party,
        task_groups=task_groups,
        study_years=sorted(per_year.values(), key=lambda y: y.year, reverse=True),
        study_rows=study_rows,
        reflections=reflections,
        youth=list(YouthMembership.objects.filter(person=person).order_by("-joined_on")),
        mentee_pairs=mentee_pairs,
        mentor_pairs=mentor_pairs,
        training=training,
        training_years=training_years,
        ledger_items=items,
        ledger_summary=dict(summary),
        points=attendance_selectors.person_points(person),
    )


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


def _rate(present: int, expected: int) -> float | None:
    return round(100 * present / expected, 1) if expected > 0 else None


def attendance_by_kind(year: int) -> list[dict[str, Any]]:
    """Per session kind: sessions held and the summed roll figures, with the attendance rate."""
    rows: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row)
        for row in StudySession.objects.filter(date__year=year, status=SessionStatus.SCHEDULED)
        .values("kind")
        .annotate(
            sessions=Count("id"),
            required=Sum("roll_required"),
            present=Sum("roll_present"),
            on_leave=Sum("roll_on_leave"),
            excused=Sum("roll_excused"),
            absent=Sum("roll_absent"),
        )
        .order_by()
    }
    result = []
    for kind in StudyKind:
        row = rows.get(kind.value)
        if row is None:
            continue
        row["label"] = kind.label
        row["rate"] = _rate(row["present"], row["required"] - row["on_leave"])
        result.append(row)
    return result


def attendance_by_unit(year: int, kind: str = "") -> list[dict[str, Any]]:
    """Per unit (where each person was posted on the session's day): the same figures."""
    rows = StudyAttendance.objects.filter(
        session__date__year=year, session__status=SessionStatus.SCHEDULED
    ).exclude(presence=Presence.PENDING)
    if kind:
        rows = rows.filter(session__kind=kind)
    counted: dict[int, dict[str, Any]] = {
        row["unit_id"]: dict(row)
        for row in rows.values("unit_id")
        .annotate(
            required=Count("id"),
            present=Count("id", filter=Q(presence=Presence.PRESENT)),
            on_leave=Count("id", filter=Q(presence=Presence.ON_LEAVE)),
            excused=Count("id", filter=Q(presence=Presence.EXCUSED)),
            absent=Count("id", filter=Q(presence=Presence.ABSENT)),
        )
        .order_by()
    }
    result = []
    for unit in Unit.objects.filter(pk__in=[k for k in counted if k]).order_by("sort_order", "id"):
        row = counted[unit.pk]
        row["name"], row["short_name"] = unit.name, unit.short_name
        row["rate"] = _rate(row["present"], row["required"] - row["on_leave"])
        result.append(row)
    return result


def mentoring_progress(pairs: QuerySet[MentorPair]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for pair in pairs_with_progress(pairs):
        counts[pair_progress_label(pair)[0]] += 1
    return dict(counts)


def training_by_unit(year: int) -> list[dict[str, Any]]:
    """Per unit: people, total hours and how many are short of the year's requirement."""
    required = training_requirement(year)
    people = training_hours(Person.objects.all(), year).values("pk", "hours")
    hours = {row["pk"]: row["hours"] for row in people}
    units: dict[int, dict[str, Any]] = {}
    for posting in (
        _posted_on(coverage_day(year))
        .filter(person_id__in=list(hours))
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id")
    ):
        row = units.setdefault(
            posting.unit_id,
            {
                "name": posting.unit.name,
                "short_name": posting.unit.short_name,
                "people": 0,
                "hours": Decimal("0"),
                "short": 0,
            },
        )
        person_hours = hours.get(posting.person_id, Decimal("0"))
        row["people"] += 1
        row["hours"] += person_hours
        row["short"] += int(person_hours < required)
    for row in units.values():
        row["average"] = round(float(row["hours"]) / row["people"], 1) if row["people"] else 0
    return list(units.values())


def first_topic_count(year: int) -> int:
    return (
        StudyTopic.objects.filter(is_first_topic=True, session__date__year=year)
        .values("title")
        .distinct()
        .count()
    )


def reflections_for(reflections: QuerySet[StudyReflection], session: StudySession) -> list[Any]:
    return list(
        reflections.filter(session=session).select_related("person").order_by("person__name")
    )


def sessions_total(year: int) -> dict[str, int]:
    return StudySession.objects.filter(date__year=year).aggregate(
        held=Count("id", filter=Q(status=SessionStatus.SCHEDULED)),
        skipped=Count("id", filter=Q(status=SessionStatus.SKIPPED)),
        required=Sum("roll_required", default=0),
        present=Sum("roll_present", default=0),
    )
