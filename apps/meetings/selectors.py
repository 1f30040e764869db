"""Reads of the sessions area: the session page's rows and the measures the work report cites.

The measures read each year's agenda items in one query and add the minutes up in Python, so the
page costs the same few queries however many years of sessions are stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from apps.core import clock

from .choices import AttendanceStatus, ItemType, OpinionStatus
from .models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    Material,
    MemberVote,
    Opinion,
    Session,
    Vote,
)


def session_items(session: Session) -> list[AgendaItem]:
    """The agenda with its latest material, votes and opinion, in a fixed number of queries."""
    latest = Material.objects.filter(item=OuterRef("pk")).order_by("-version")
    return list(
        session.items.select_related(
            "reporting_body", "committee", "materials_item", "opinion", "opinion__tracked_item"
        )
        .annotate(
            material_version=Subquery(latest.values("version")[:1]),
            material_pages=Subquery(latest.values("pages")[:1]),
            material_characters=Subquery(latest.values("characters")[:1]),
            material_id=Subquery(latest.values("pk")[:1]),
        )
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.order_by("id")))
        .order_by("order")
    )


@dataclass
class RollRow:
    member: CommitteeMember
    attendance: Attendance | None

    @property
    def present(self) -> bool:
        return self.attendance is not None and self.attendance.status == AttendanceStatus.PRESENT


def roll(session: Session) -> list[RollRow]:
    """Every member of the session's day, with their attendance row if any (two queries)."""
    rows = {
        a.member_id: a
        for a in Attendance.objects.filter(session=session).select_related("recorded_by")
    }
    return [
        RollRow(member, rows.get(member.pk))
        for member in CommitteeMember.objects.on(session.date).order_by("sort_order", "id")
    ]


def item_votes(item: AgendaItem) -> list[Vote]:
    """An item's votes, each per-member vote with its rows in member order (two queries)."""
    rows = MemberVote.objects.select_related("member").order_by("member__sort_order", "member_id")
    return list(item.votes.prefetch_related(Prefetch("member_votes", queryset=rows)).order_by("id"))


def body_link(tracked: Any) -> str:
    """The reporting body's page of a ledger item this area assigned to it (its material, or its
    deliberation opinions), for the ledger's reminders to the body's contacts; "" if not ours."""
    item_id = AgendaItem.objects.filter(materials_item=tracked).values_list("pk", flat=True).first()
    if item_id is not None:
        return reverse("meetings:body_item", args=[item_id])
    opinion_id = Opinion.objects.filter(tracked_item=tracked).values_list("pk", flat=True).first()
    if opinion_id is not None:
        return reverse("meetings:body_opinion", args=[opinion_id])
    return ""


def upcoming_sessions(today: datetime.date, limit: int = 5) -> QuerySet[Session]:
    return Session.objects.filter(date__gte=today).order_by("date")[:limit]


# ---------------------------------------------------------------------------------------------
# Measures


def _minutes(start: datetime.datetime | None, end: datetime.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60)


@dataclass
class SessionMeasure:
    session_id: int
    number: int
    date: datetime.date
    items: int = 0
    timed_items: int = 0
    planned: int = 0  # minutes, items with actual times only, so the two compare
    actual: int = 0
    pages: int = 0
    characters: int = 0


@dataclass
class TypeMeasure:
    item_type: str
    label: str
    items: int = 0
    actual: int = 0

    @property
    def average(self) -> float | None:
        return round(self.actual / self.items, 1) if self.items else None


@dataclass
class YearMeasures:
    year: int
    sessions: list[SessionMeasure] = field(default_factory=list)
    by_type: list[TypeMeasure] = field(default_factory=list)
    opinions_sent: int = 0
    opinions_on_time: int = 0
    opinions_late: int = 0  # reported after the deadline, or overdue and still not reported
    rated: int = 0
    satisfied_first_round: int = 0

    @property
    def timed_sessions(self) -> list[SessionMeasure]:
        return [s for s in self.sessions if s.timed_items]

    @property
    def average_per_session(self) -> float | None:
        timed = self.timed_sessions
        return round(sum(s.actual for s in timed) / len(timed), 1) if timed else None

    @property
    def average_planned_per_session(self) -> float | None:
        timed = self.timed_sessions
        return round(sum(s.planned for s in timed) / len(timed), 1) if timed else None

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.sessions)

    @property
    def characters(self) -> int:
        return sum(s.characters for s in self.sessions)


def _year_measures(year: int, today: datetime.date) -> YearMeasures:
    measures = YearMeasures(year)
    by_session: dict[int, SessionMeasure] = {}
    for s in Session.objects.filter(date__year=year).order_by("date", "number"):
        by_session[s.pk] = SessionMeasure(s.pk, s.number, s.date)
    types = {t: TypeMeasure(t, ItemType(t).label) for t in ItemType.values}
    latest = Material.objects.filter(item=OuterRef("pk")).order_by("-version")
    rows = (
        AgendaItem.objects.filter(session__date__year=year)
        .annotate(
            pages=Subquery(latest.values("pages")[:1]),
            characters=Subquery(latest.values("characters")[:1]),
        )
        .values(
            "session_id",
            "item_type",
            "planned_minutes",
            "actual_start",
            "actual_end",
            "pages",
            "characters",
        )
    )
    for row in rows:
        entry = by_session[row["session_id"]]
        entry.items += 1
        entry.pages += row["pages"] or 0
        entry.characters += row["characters"] or 0
        actual = _minutes(row["actual_start"], row["actual_end"])
        if actual is None:
            continue
        entry.timed_items += 1
        entry.planned += row["planned_minutes"]
        entry.actual += actual
        types[row["item_type"]].items += 1
        types[row["item_type"]].actual += actual
    measures.sessions = list(by_session.values())
    measures.by_type = [t for t in types.values() if t.items]
    opinions = Opinion.objects.filter(item__session__date__year=year, sent_at__isnull=False).values(
        "deadline", "reported_at", "status", "rating_round", "needs_rating"
    )
    for o in opinions:
        measures.opinions_sent += 1
        reported = o["reported_at"]
        deadline = o["deadline"] or today
        if reported is not None and timezone.localdate(reported) <= deadline:
            measures.opinions_on_time += 1
        elif reported is not None or deadline < today:
            measures.opinions_late += 1
        if o["needs_rating"] and o["status"] in {OpinionStatus.ACCEPTED, OpinionStatus.REHANDLE}:
            measures.rated += 1
            if o["status"] == OpinionStatus.ACCEPTED and o["rating_round"] == 1:
                measures.satisfied_first_round += 1
    return measures


def change_percent(now: float | None, before: float | None) -> float | None:
    """Year-on-year change in percent (negative: less time)."""
    if now is None or not before:
        return None
    return round((now - before) * 100 / before, 1)


@dataclass
class Measures:
    year: int
    current: YearMeasures
    previous: YearMeasures

    @property
    def change(self) -> float | None:
        return change_percent(self.current.average_per_session, self.previous.average_per_session)

    @property
    def change_size(self) -> float | None:
        return abs(self.change) if self.change is not None else None


def measures(year: int) -> Measures:
    today = clock.today()
    return Measures(year, _year_measures(year, today), _year_measures(year - 1, today))


def drill_items(
    year: int, *, session_id: int | None = None, item_type: str = ""
) -> QuerySet[AgendaItem]:
    """The items behind a figure: a year's, a session's or an item type's."""
    items = AgendaItem.objects.filter(session__date__year=year).select_related(
        "session", "reporting_body", "committee"
    )
    if session_id:
        items = items.filter(session_id=session_id)
    if item_type in ItemType.values:
        items = items.filter(item_type=item_type)
    latest = Material.objects.filter(item=OuterRef("pk")).order_by("-version")
    return items.annotate(
        pages=Subquery(latest.values("pages")[:1]),
        characters=Subquery(latest.values("characters")[:1]),
    ).order_by("session__date", "order")


def year_range() -> tuple[int, int]:
    today = clock.today()
    first = Session.objects.order_by("date").values_list("date", flat=True).first()
    return (first.year if first else today.year), today.year


def present_count(session: Session) -> int:
    return Attendance.objects.filter(session=session, status=AttendanceStatus.PRESENT).count()


def latest_number() -> int:
    return Session.objects.aggregate(n=Max("number"))["n"] or 0


def ratings_by_member(opinion: Opinion) -> dict[int, str]:
    return dict(
        opinion.ratings.filter(round=opinion.rating_round).values_list("member_id", "rating")
    )
