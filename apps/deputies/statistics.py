"""Figures of suggestion handling for the report and the public bulletins, and the stations' and
delegations' duty totals. Each figure is a handful of grouped queries, whatever the number of
suggestions (the benchmark holds them constant at 20,000).

Definitions (the hand computation in tests/test_statistics.py follows them):
- counted: registered suggestions (立案), each one of a 并案 group on its own;
- on-time answer rate: first-round answers given on or before their deadline, over first-round
  answers (one per suggestion and answering body);
- class distribution: the classes of those first-round answers;
- satisfaction rate: letters answered 满意 or 基本满意 over letters with the deputy's feedback, on
  each deputy's latest letter per suggestion;
- re-handled: suggestions handled again after a 不满意;
- A truly resolved: of the suggestions checked a year after an A answer, the share found resolved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from apps.ledger.models import Checklist

from .choices import ANSWERING_ROLES, AnswerClass, Satisfaction, SuggestionStatus
from .models import Answer, AnswerLetter, DutyRecord, Handling, Mandate, Station, Suggestion

UNREGISTERED = [
    SuggestionStatus.DRAFT,
    SuggestionStatus.SUBMITTED,
    SuggestionStatus.NOT_REGISTERED,
    SuggestionStatus.TO_LETTER,
]


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"))


def suggestion_figures(checklist: Checklist | None = None) -> dict[str, Any]:
    suggestions = Suggestion.objects.exclude(status__in=UNREGISTERED)
    answers = Answer.objects.filter(round=1)
    letters = AnswerLetter.objects.all()
    handlings = Handling.objects.filter(role__in=ANSWERING_ROLES, returned_at__isnull=True)
    if checklist is not None:
        suggestions = suggestions.filter(checklist=checklist)
        answers = answers.filter(suggestion__checklist=checklist)
        letters = letters.filter(answer__suggestion__checklist=checklist)
        handlings = handlings.filter(suggestion__checklist=checklist)
    head = suggestions.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=SuggestionStatus.CLOSED)),
        rehandled=Count("id", filter=Q(rehandled=True)),
        key=Count("id", filter=Q(key_leader__isnull=False)),
        merged=Count("id", filter=Q(merged_into__isnull=False)),
        checked=Count("id", filter=Q(resolved_later__isnull=False)),
        resolved=Count("id", filter=Q(resolved_later=True)),
    )
    first = answers.aggregate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    classes = dict(answers.values_list("klass").annotate(n=Count("id")).order_by())
    # Each deputy's latest letter per suggestion (a re-handled suggestion is judged on its last).
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    for pk, suggestion_id, deputy_id, satisfaction in letters.values_list(
        "pk", "answer__suggestion_id", "deputy_id", "satisfaction"
    ):
        key = (suggestion_id, deputy_id)
        if key not in latest or latest[key][0] < pk:
            latest[key] = (pk, satisfaction)
    judged = Counter(s for _, s in latest.values() if s)
    happy = judged[Satisfaction.SATISFIED] + judged[Satisfaction.BASIC]
    return {
        **head,
        "by_session": list(
            suggestions.values("checklist__name")
            .annotate(n=Count("id"))
            .order_by("-n", "checklist__name")
        ),
        "by_topic": list(
            suggestions.values("topic").annotate(n=Count("id")).order_by("-n", "topic")
        ),
        "by_body": list(
            handlings.values("unit__name")
            .annotate(
                n=Count("id"),
                answered=Count("answers", filter=Q(answers__round=1), distinct=True),
            )
            .order_by("-n", "unit__name")
        ),
        "answers": first["n"],
        "on_time": first["on_time"],
        "on_time_rate": rate(first["on_time"], first["n"]),
        "classes": [
            {
                "klass": c.value,
                "label": c.label,
                "n": classes.get(c.value, 0),
                "rate": rate(classes.get(c.value, 0), first["n"]),
            }
            for c in AnswerClass
        ],
        "judged": sum(judged.values()),
        "satisfied": judged[Satisfaction.SATISFIED],
        "basic": judged[Satisfaction.BASIC],
        "unsatisfied": judged[Satisfaction.UNSATISFIED],
        "satisfaction_rate": rate(happy, sum(judged.values())),
        "resolved_rate": rate(head["resolved"], head["checked"]),
    }


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "classes": [{"name": c["label"], "value": c["n"]} for c in figures["classes"]],
        "bodies": [row["unit__name"] for row in figures["by_body"][:15]],
        "bodyCounts": [row["n"] for row in figures["by_body"][:15]],
        "topics": [row["topic"] or "未分类" for row in figures["by_topic"][:15]],
        "topicCounts": [row["n"] for row in figures["by_topic"][:15]],
    }


def station_rows(stations: QuerySet[Station]) -> list[Station]:
    points = dict(
        DutyRecord.objects.filter(deputy__station__isnull=False)
        .values_list("deputy__station_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    rows: list[Station] = list(
        stations.annotate(
            deputy_count=Count("deputies", distinct=True),
            activity_count=Count("activities", distinct=True),
            reception_count=Count(
                "activities", filter=Q(activities__is_reception=True), distinct=True
            ),
        ).order_by("name")
    )
    for station in rows:
        station.points = points.get(station.pk, Decimal(0))  # type: ignore[attr-defined]
    return rows


def delegation_totals() -> list[dict[str, Any]]:
    """Duty points per delegation (代表团), counting a deputy under each delegation they sit in."""
    by_deputy = dict(
        DutyRecord.objects.values_list("deputy_id").annotate(total=Sum("points")).order_by()
    )
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"deputies": 0, "points": Decimal(0)})
    for deputy_id, delegation in Mandate.objects.values_list("deputy_id", "delegation"):
        row = totals[delegation or "未填写"]
        row["deputies"] += 1
        row["points"] += by_deputy.get(deputy_id, Decimal(0))
    return [{"delegation": k, **v} for k, v in sorted(totals.items())]
