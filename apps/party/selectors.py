"""Reads of party building and publicity: registers, review results and the year's statistics.

Every statistic is a fixed number of grouped queries whatever the size of the year.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Value
from django.urls import reverse

from apps.accounts.permissions import restrict
from apps.core import clock
from apps.growth.registry import FirstTopicEntry
from apps.organization.models import Unit

from .choices import (
    ActivityKind,
    AgendaKind,
    ArticleStatus,
    Channel,
    CheckResult,
    DecisionResult,
    MajorCategory,
    Rating,
    ReviewerKind,
)
from .models import (
    AgendaItem,
    Article,
    BranchActivity,
    HigherReport,
    MajorDecision,
    PartyMeeting,
    ResponsibilityItem,
    Review,
    ReviewBallot,
    ReviewScore,
    ReviewSubject,
)
from .services import MIN_BALLOTS_SHOWN, activity_requirements, report_warning_days


def meetings(queryset: QuerySet[PartyMeeting], year: int) -> QuerySet[PartyMeeting]:
    return (
        queryset.filter(year=year)
        .select_related("presider", "recorder")
        .annotate(
            items_count=Count("items", distinct=True),
            majors=Count("items", filter=Q(items__kind=AgendaKind.MAJOR), distinct=True),
            present=Count(
                "attendances",
                filter=Q(attendances__is_member=True, attendances__presence="present"),
                distinct=True,
            ),
        )
        .order_by("number")
    )


def first_topic_entries(user: Any, year: int | None) -> list[FirstTopicEntry]:
    """The party group's 第一议题 for the growth area's 第一议题 register (registered in apps.py):
    every meeting held, with its number; the link and the 议定事项 only for a reader who may open
    the meeting. One query."""
    items = AgendaItem.objects.filter(kind=AgendaKind.FIRST_TOPIC, meeting__date__lte=clock.today())
    if year:
        items = items.filter(meeting__year=year)
    if user is not None and getattr(user, "is_authenticated", False):
        visible = restrict(PartyMeeting.objects.filter(pk=OuterRef("meeting_id")), user)
        items = items.annotate(visible=Exists(visible))
    else:
        items = items.annotate(visible=Value(False))
    rows = items.order_by("meeting__date", "meeting__number").values_list(
        "title", "meeting__date", "meeting__number", "meeting_id", "conclusion", "visible"
    )
    return [
        FirstTopicEntry(
            title=title,
            date=day,
            label=f"党组会议（第{number}次）",
            url=reverse("party:meeting_detail", args=[meeting_id]) if visible else "",
            follow_up=conclusion if visible else "",
        )
        for title, day, number, meeting_id, conclusion, visible in rows
    ]


def first_topic_of(meeting: PartyMeeting) -> AgendaItem | None:
    return meeting.items.filter(kind=AgendaKind.FIRST_TOPIC).first()


def decision_register(queryset: QuerySet[MajorDecision], year: int) -> QuerySet[MajorDecision]:
    """三重一大 annual register (年度台账)."""
    return (
        queryset.filter(item__meeting__year=year)
        .select_related("item__meeting", "item__ledger_item")
        .prefetch_related("recusals__member")
        .order_by("item__meeting__number", "item__order")
    )


# ---------------------------------------------------------------------------------------------
# Requests and reports: the register with the documents' numbers and the 办理时限
# ---------------------------------------------------------------------------------------------

DEADLINE_LABELS = {
    "in_time": ("按时答复", "green"),
    "late": ("逾期答复", "orange"),
    "overdue": ("已逾期未答复", "red"),
    "due_soon": ("即将到期", "yellow"),
    "waiting": ("待答复", "secondary"),
    "none": ("—", "secondary"),
}


@dataclass
class ReportRow:
    report: HigherReport
    deadline: str  # a key of DEADLINE_LABELS

    @property
    def deadline_label(self) -> str:
        return DEADLINE_LABELS[self.deadline][0]

    @property
    def deadline_color(self) -> str:
        return DEADLINE_LABELS[self.deadline][1]

    @property
    def flagged(self) -> bool:
        return self.deadline in {"overdue", "late"}


def deadline_state(report: HigherReport, today: datetime.date) -> str:
    """Whether the answer came within the 办理时限, or how the time stands while waiting."""
    if report.due_date is None:
        return "none" if report.answered_on else "waiting"
    if report.answered_on is not None:
        return "in_time" if report.answered_on <= report.due_date else "late"
    if report.due_date < today:
        return "overdue"
    if (report.due_date - today).days <= report_warning_days():
        return "due_soon"
    return "waiting"


def report_register(queryset: QuerySet[HigherReport], year: int) -> list[ReportRow]:
    """The year's requests and reports, each with its 发文 and 答复收文 (one query)."""
    today = clock.today()
    rows = queryset.filter(year=year).select_related(
        "outgoing", "answer_document", "responsible__person"
    )
    return [ReportRow(report, deadline_state(report, today)) for report in rows]


# ---------------------------------------------------------------------------------------------
# Review results: aggregates only
# ---------------------------------------------------------------------------------------------


@dataclass
class SubjectResult:
    subject: ReviewSubject
    ballots: int
    average: Decimal | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    by_criterion: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.ballots >= MIN_BALLOTS_SHOWN

    @property
    def overall(self) -> str:
        """The rating most reviewers gave (ties go to the better one)."""
        if not self.ratings:
            return "—"
        order = list(Rating.values)
        best = max(self.ratings.items(), key=lambda kv: (kv[1], -order.index(kv[0])))
        return Rating(best[0]).label


def review_results(review: Review) -> list[SubjectResult]:
    """Each secretary's aggregate: ballots, average, distribution of ratings, average by kind of
    reviewer and by criterion. Four queries whatever the number of ballots."""
    subjects = list(review.subjects.select_related("secretary", "branch"))
    ballots = ReviewBallot.objects.filter(subject__review=review)
    totals = {
        row["subject_id"]: row
        for row in ballots.values("subject_id").annotate(n=Count("id"), avg=Avg("total"))
    }
    ratings: dict[int, dict[str, int]] = defaultdict(dict)
    by_kind: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in ballots.values("subject_id", "rating").annotate(n=Count("id")):
        ratings[row["subject_id"]][row["rating"]] = row["n"]
    # A kind of reviewer with fewer ballots than the threshold is left out: one party group member
    # among the reviewers would otherwise have their own score shown as "the party group's".
    for kind_row in ballots.values("subject_id", "reviewer_kind").annotate(
        avg=Avg("total"), n=Count("id")
    ):
        if kind_row["n"] < MIN_BALLOTS_SHOWN:
            continue
        label = ReviewerKind(kind_row["reviewer_kind"]).label
        by_kind[kind_row["subject_id"]][label] = _round(kind_row["avg"])
    criteria: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for score_row in (
        ReviewScore.objects.filter(ballot__subject__review=review)
        .values("ballot__subject_id", "criterion__name", "criterion__order")
        .annotate(avg=Avg("points"))
        .order_by("ballot__subject_id", "criterion__order")
    ):
        criteria[score_row["ballot__subject_id"]].append(
            (score_row["criterion__name"], _round(score_row["avg"]))
        )
    results = []
    for s in subjects:
        total = totals.get(s.pk)
        results.append(
            SubjectResult(
                subject=s,
                ballots=total["n"] if total else 0,
                average=_round(total["avg"]) if total else None,
                ratings={r: ratings[s.pk].get(r, 0) for r in Rating.values},
                by_kind=by_kind[s.pk],
                by_criterion=criteria[s.pk],
            )
        )
    return results


def _round(value: Any) -> Decimal:
    """四舍五入 to two places (Avg is a float on SQLite, a Decimal on PostgreSQL)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reviewed_by(review: Review, person_id: int | None) -> set[int]:
    """The subjects this person has already scored (to show "已评议", never the scores)."""
    if not person_id:
        return set()
    return set(
        ReviewBallot.objects.filter(subject__review=review, reviewer_id=person_id).values_list(
            "subject_id", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------
# Branch activities against the rules
# ---------------------------------------------------------------------------------------------


@dataclass
class BranchCount:
    unit: Unit
    counts: dict[str, int]
    shortfalls: list[str]


def activity_counts(year: int) -> list[BranchCount]:
    required = activity_requirements()
    grid: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        BranchActivity.objects.filter(date__year=year)
        .values("branch_id", "kind")
        .annotate(n=Count("id"))
    ):
        grid[row["branch_id"]][row["kind"]] = row["n"]
    result = []
    for unit in Unit.objects.filter(is_active=True).order_by("sort_order", "id"):
        counts = {k: grid[unit.pk][k] for k in ActivityKind.values}
        short = [
            f"{ActivityKind(k).label}{counts.get(k, 0)}/{n}"
            for k, n in required.items()
            if counts.get(k, 0) < n
        ]
        result.append(BranchCount(unit=unit, counts=counts, shortfalls=short))
    return result


# ---------------------------------------------------------------------------------------------
# The year's statistics
# ---------------------------------------------------------------------------------------------


@dataclass
class YearStats:
    year: int
    meetings: int
    meetings_planned: int
    first_topic_meetings: int
    decisions_by_category: dict[str, int]
    decisions_passed: int
    recusals: int
    list_items: int
    list_items_done: int
    list_items_to_ledger: int
    activities: int
    activities_by_kind: dict[str, int]
    articles_published: int
    articles_adopted: int
    by_channel: dict[str, tuple[int, int]]  # label → (published, adopted)
    by_unit: list[tuple[str, int, int]]  # short name, published, adopted

    @property
    def decisions(self) -> int:
        return sum(self.decisions_by_category.values())


def year_stats(year: int) -> YearStats:
    from django.conf import settings

    meetings_qs = PartyMeeting.objects.filter(year=year)
    decisions = MajorDecision.objects.filter(item__meeting__year=year)
    by_category = {
        MajorCategory(row["category"]).label: row["n"]
        for row in decisions.values("category").annotate(n=Count("id")).order_by("category")
    }
    list_items = ResponsibilityItem.objects.filter(responsibility_list__year=year)
    list_figures = list_items.aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(year_end=CheckResult.DONE)),
        ledger=Count("id", filter=Q(ledger_item__isnull=False)),
    )
    activities = BranchActivity.objects.filter(date__year=year)
    by_kind = {
        ActivityKind(row["kind"]).label: row["n"]
        for row in activities.values("kind").annotate(n=Count("id")).order_by("kind")
    }
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED, published_on__year=year)
    adopted = Q(adopted_on__isnull=False)
    by_channel = {
        Channel(row["channel"]).label: (row["n"], row["adopted"])
        for row in published.values("channel")
        .annotate(n=Count("id"), adopted=Count("id", filter=adopted))
        .order_by("channel")
    }
    by_unit = [
        (row["unit__short_name"], row["n"], row["adopted"])
        for row in published.values("unit__short_name", "unit__sort_order")
        .annotate(n=Count("id"), adopted=Count("id", filter=adopted))
        .order_by("unit__sort_order")
    ]
    return YearStats(
        year=year,
        meetings=meetings_qs.count(),
        meetings_planned=int(getattr(settings, "PARTY_MEETINGS_PLANNED", 12)),
        first_topic_meetings=meetings_qs.filter(items__kind=AgendaKind.FIRST_TOPIC)
        .distinct()
        .count(),
        decisions_by_category=by_category,
        decisions_passed=decisions.filter(result=DecisionResult.PASSED).count(),
        recusals=decisions.filter(recusals__isnull=False).distinct().count(),
        list_items=list_figures["n"],
        list_items_done=list_figures["done"],
        list_items_to_ledger=list_figures["ledger"],
        activities=activities.count(),
        activities_by_kind=by_kind,
        articles_published=published.count(),
        articles_adopted=published.filter(adopted).count(),
        by_channel=by_channel,
        by_unit=by_unit,
    )
