"""Reads of the deputies' area: lists in a constant number of queries, whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from apps.accounts.permissions import restrict
from apps.core import clock, params
from apps.workcalendar.services import is_workday

from .choices import ANSWERING_ROLES, SuggestionStatus
from .models import AnswerLetter, Deputy, Handling, ReceptionDay, Station, Suggestion


@dataclass
class SuggestionFilters:
    status: str = ""
    checklist: int | None = None
    topic: str = ""
    unit: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> SuggestionFilters:
        def number(name: str) -> int | None:
            return params.Params(query).id(name)

        status = query.get("status", "")
        return cls(
            status=status if status in SuggestionStatus.values else "",
            checklist=number("checklist"),
            topic=params.clean_text(query.get("topic", ""), 32),
            unit=number("unit"),
            q=params.clean_text(query.get("q", ""), 50),
        )


def suggestions_for(user: Any, filters: SuggestionFilters | None = None) -> QuerySet[Suggestion]:
    """The suggestions `user` may see, with what a list row shows (constant queries)."""
    queryset = restrict(Suggestion.objects.all(), user)
    f = filters or SuggestionFilters()
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.checklist:
        queryset = queryset.filter(checklist_id=f.checklist)
    if f.topic:
        queryset = queryset.filter(topic=f.topic)
    if f.unit:
        queryset = queryset.filter(
            pk__in=Handling.objects.filter(unit_id=f.unit).values("suggestion_id")
        )
    if f.q:
        queryset = queryset.filter(Q(title__contains=f.q) | Q(proposer__name__contains=f.q))
    return (
        queryset.select_related("proposer", "checklist", "key_leader")
        .prefetch_related(
            Prefetch(
                "handlings",
                queryset=Handling.objects.filter(returned_at__isnull=True)
                .select_related("unit", "item")
                .order_by("role", "id"),
            )
        )
        .annotate(signer_count=Count("signatures", distinct=True))
        .order_by("-checklist__year", "checklist_id", "serial", "id")
    )


def pending_letters(deputy: Deputy) -> QuerySet[AnswerLetter]:
    return AnswerLetter.objects.filter(
        deputy=deputy, feedback_at__isnull=True, answer__concluded_at__isnull=True
    ).select_related("answer__suggestion", "answer__handling__unit")


def body_handlings(unit_id: int) -> QuerySet[Handling]:
    return (
        Handling.objects.filter(unit_id=unit_id, returned_at__isnull=True)
        .select_related("suggestion", "suggestion__proposer", "item")
        .order_by("-assigned_on", "-id")
    )


def duty_totals(deputy: Deputy) -> dict[str, Any]:
    rows = deputy.duties.values("kind").annotate(n=Count("id"), points=Sum("points"))
    total = sum((r["points"] for r in rows), Decimal(0))
    return {"rows": list(rows), "total": total}


def answering(handling: Handling) -> bool:
    return handling.role in ANSWERING_ROLES


def _reception_rows(queryset: QuerySet[ReceptionDay]) -> QuerySet[ReceptionDay]:
    return queryset.select_related("station", "activity").prefetch_related(
        Prefetch("on_duty", queryset=Deputy.objects.order_by("name", "id"))
    )


def reception_days(station: Station, *, upcoming: bool, limit: int = 24) -> list[ReceptionDay]:
    """A station's next reception days (from today), or its last ones (before today)."""
    today = clock.today()
    days = station.reception_days.all()
    if upcoming:
        days = days.filter(date__gte=today).order_by("date", "start", "id")
    else:
        days = days.filter(date__lt=today).order_by("-date", "-start", "-id")
    rows = list(_reception_rows(days)[:limit])
    for row in rows:
        row.workday = is_workday(row.date)  # type: ignore[attr-defined]
    return rows


def duty_days(deputy: Deputy, limit: int = 10) -> list[ReceptionDay]:
    """The deputy's reception days on duty from today on (the phone page)."""
    days = deputy.reception_duties.filter(date__gte=clock.today()).order_by("date", "start", "id")
    return list(_reception_rows(days)[:limit])
