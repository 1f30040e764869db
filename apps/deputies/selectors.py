"""Reads of the deputies' area: lists in a constant number of queries, whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from apps.accounts.permissions import restrict
from apps.core import params

from .choices import ANSWERING_ROLES, SuggestionStatus
from .models import AnswerLetter, Deputy, Handling, Suggestion


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


def body_link(item: Any) -> str:
    """The answering body's page of its ledger item (a 代表建议 handling), for the ledger's reminders
    to the body's contacts; "" if the item is not a handling."""
    from django.urls import reverse

    handling_id = Handling.objects.filter(item=item).values_list("pk", flat=True).first()
    return reverse("deputies:body_detail", args=[handling_id]) if handling_id else ""
