"""Reads of the deputies' area: lists in a constant number of queries, whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse

from apps.accounts.permissions import restrict
from apps.core import clock, params
from apps.ledger.choices import Status
from apps.workcalendar.services import is_workday

from .choices import ANSWERING_ROLES, REVIEWED_AWAY, SuggestionStatus
from .models import (
    Answer,
    AnswerLetter,
    Deputy,
    Handling,
    ReceptionDay,
    Station,
    StationActivity,
    StationMatter,
    Suggestion,
)


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


@dataclass
class MatterState:
    """What a matter raised at a station became, and how far it got."""

    became: str  # 代表建议 / 督办事项, or "" while not converted
    title: str = ""
    state: str = ""  # 办理中 / 已办结 (or 不予立案, 转为来信, 已撤销)
    detail: str = ""  # the suggestion's or the item's own status
    klass: str = ""  # the latest answer's class, for a suggestion
    url: str = ""


def matter_state(matter: StationMatter) -> MatterState:
    suggestion, item = matter.suggestion, matter.item
    if suggestion is not None:
        answers = list(suggestion.answers.all())  # prefetched, in answering order
        status = SuggestionStatus(suggestion.status)
        if status == SuggestionStatus.CLOSED:
            state = "已办结"
        elif status in REVIEWED_AWAY:
            state = status.label
        else:
            state = "办理中"
        return MatterState(
            "代表建议",
            str(suggestion),
            state,
            status.label,
            answers[-1].get_klass_display() if answers else "",
            reverse("deputies:suggestion_detail", args=[suggestion.pk]),
        )
    if item is not None:
        if item.status == Status.CLOSED:
            state = "已办结"
        elif item.status == Status.CANCELLED:
            state = "已撤销"
        else:
            state = "办理中"
        return MatterState(
            "督办事项",
            item.title,
            state,
            item.get_status_display(),
            url=reverse("ledger:item_detail", args=[item.pk]),
        )
    return MatterState("")


def station_activities(station: Station, limit: int = 20) -> list[StationActivity]:
    """A station's latest activities with who attended and each matter's state (constant
    queries)."""
    answers = Prefetch("suggestion__answers", queryset=Answer.objects.order_by("answered_at", "id"))
    matters = Prefetch(
        "matter_rows",
        queryset=StationMatter.objects.select_related("suggestion", "item")
        .prefetch_related(answers)
        .order_by("id"),
    )
    rows = list(
        station.activities.prefetch_related(
            Prefetch("attendees", queryset=Deputy.objects.order_by("name", "id")), matters
        ).order_by("-date", "-id")[:limit]
    )
    for activity in rows:
        for matter in activity.matter_rows.all():
            matter.state = matter_state(matter)  # type: ignore[attr-defined]
    return rows


def body_link(item: Any) -> str:
    """The answering body's page of its ledger item (a 代表建议 handling), for the ledger's reminders
    to the body's contacts; "" if the item is not a handling."""
    from django.urls import reverse

    handling_id = Handling.objects.filter(item=item).values_list("pk", flat=True).first()
    return reverse("deputies:body_detail", args=[handling_id]) if handling_id else ""
