"""Reads of documents: the scoped lists, a document's page, the diff between versions."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from statistics import mean as statistics_mean
from statistics import median as statistics_median
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.accounts.permissions import restrict
from apps.core import clock, params
from apps.organization.models import LeadershipPost, Person

from .choices import CountersignStatus, DocumentType, EventKind, IncomingStatus, OutgoingStatus
from .models import DocumentEvent, DocumentVersion, IncomingDocument, Material, OutgoingDocument
from .printing import paragraphs


def leaders() -> QuerySet[Person]:
    """The Standing Committee's leaders today: who may sign off and instruct."""
    return Person.objects.filter(
        pk__in=LeadershipPost.objects.on(clock.today()).values("person_id")
    ).order_by("id")


@dataclass(frozen=True)
class DocumentFilters:
    status: str = ""
    doc_type: str = ""
    q: str = ""
    mine: bool = False

    @classmethod
    def from_query(cls, query: Any) -> DocumentFilters:
        return cls(
            status=params.clean_text(query.get("status", ""), 16),
            doc_type=params.clean_text(query.get("doc_type", ""), 16),
            q=params.clean_text(query.get("q", ""), 60),
            mine=params.parse_flag(query.get("mine")),
        )


def outgoing_list(user: Any, filters: DocumentFilters) -> QuerySet[OutgoingDocument]:
    """The documents `user` may see, newest first, with what a list row shows (one query)."""
    documents = restrict(OutgoingDocument.objects.all(), user)
    if filters.status in OutgoingStatus.values:
        documents = documents.filter(status=filters.status)
    if filters.doc_type:
        documents = documents.filter(doc_type=filters.doc_type)
    if filters.q:
        documents = documents.filter(Q(title__contains=filters.q) | Q(number__contains=filters.q))
    if filters.mine:
        documents = documents.filter(drafter=user)
    return documents.select_related("drafting_unit", "drafter", "signer").order_by(
        "-created_at", "-id"
    )


def incoming_list(user: Any, filters: DocumentFilters) -> QuerySet[IncomingDocument]:
    documents = restrict(IncomingDocument.objects.all(), user)
    if filters.status in IncomingStatus.values:
        documents = documents.filter(status=filters.status)
    if filters.q:
        documents = documents.filter(
            Q(title__contains=filters.q)
            | Q(number__contains=filters.q)
            | Q(source_organ__contains=filters.q)
        )
    return documents.select_related("leader", "handling_unit", "ledger_item").order_by(
        "-created_at", "-id"
    )


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


def version_diff(older: DocumentVersion, newer: DocumentVersion) -> list[DiffLine]:
    """What changed between two versions, paragraph by paragraph."""
    before, after = paragraphs(older.body), paragraphs(newer.body)
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in before[i1:i2]]
            continue
        lines += [DiffLine("removed", text) for text in before[i1:i2]]
        lines += [DiffLine("added", text) for text in after[j1:j2]]
    return lines


def outgoing_page(document: OutgoingDocument) -> dict[str, Any]:
    """Everything the document page shows, read in a fixed number of queries."""
    versions = list(document.versions.select_related("author__person").order_by("number"))
    latest = versions[-1]
    comments: dict[int, list[Any]] = {}
    for comment in latest.comments.select_related("author__person"):
        comments.setdefault(comment.paragraph, []).append(comment)
    distribution = list(
        document.distribution.select_related("recipient__person", "unit").order_by(
            "read_at", "unit__sort_order", "id"
        )
    )
    reading = document.distribution.aggregate(
        total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False))
    )
    return {
        "versions": versions,
        "latest": latest,
        "paragraphs": [
            {"index": n, "text": text, "comments": comments.get(n, [])}
            for n, text in enumerate(paragraphs(latest.body))
        ],
        "diff": version_diff(versions[-2], latest) if len(versions) > 1 else [],
        "countersigns": list(document.countersigns.select_related("unit", "answered_by__person")),
        "pending_countersigns": document.countersigns.filter(
            status=CountersignStatus.PENDING
        ).count(),
        "distribution": distribution,
        "reading": reading,
        "events": list(document.events.select_related("actor__person")),
        "attachments": list(document.attachments.all()),
    }


# --- the measures the work report cites --------------------------------------------------------

# Which step a document waited for, named by the event that ended the wait.
STEP_OF_EVENT: dict[str, str] = {
    EventKind.SUBMITTED: "拟稿",
    EventKind.UNIT_APPROVED: "部门核稿",
    EventKind.OFFICE_APPROVED: "办公室核稿",
    EventKind.COUNTERSIGNED: "会签",
    EventKind.SIGNED: "签发",
    EventKind.SEALED: "用印",
    EventKind.ISSUED: "印发",
}


class _Workdays:
    """Working days between two dates, from the working-day calendar (a year not announced yet
    counts with its provisional holidays): prefix sums over the days of the years in question, so
    100,000 documents count in O(1) each."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        from apps.workcalendar.services import is_workday

        self.start = first
        self.sums = [0]
        day = first
        while day <= last:
            self.sums.append(self.sums[-1] + is_workday(day))
            day += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Workdays in (start, end], as `workcalendar.services.workdays_between`."""
        index = (end - self.start).days + 1
        return self.sums[index] - self.sums[(start - self.start).days + 1]


def _cycle(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "mean": None, "median": None}
    return {
        "count": len(values),
        "mean": round(statistics_mean(values), 1),
        "median": statistics_median(values),
    }


def _change(now: float, before: float) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


def document_statistics(user: Any, year: int) -> dict[str, Any]:
    """Per year, document type and drafting unit: working days from 拟稿 to 印发 (average and
    median), the time spent at each step (the bottleneck is the longest), the number of documents
    and their length in characters with the change on the year before, and the slowest ones."""
    from django.db.models import Avg, Sum
    from django.db.models.functions import Length
    from django.utils import timezone

    visible = restrict(OutgoingDocument.objects.all(), user)
    issued = visible.filter(issued_at__isnull=False).exclude(status=OutgoingStatus.VOIDED)

    def of_year(y: int) -> QuerySet[OutgoingDocument]:
        start = timezone.make_aware(datetime.datetime(y, 1, 1))
        return issued.filter(issued_at__gte=start, issued_at__lt=start.replace(year=y + 1))

    this_year, last_year = of_year(year), of_year(year - 1)
    rows = list(
        this_year.values_list(
            "pk", "title", "number", "doc_type", "drafting_unit__name", "created_at", "issued_at"
        )
    )
    days = _Workdays(datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31))
    cycles = []
    for pk, title, number, doc_type, unit, created, issued_at in rows:
        spent = days.between(timezone.localdate(created), timezone.localdate(issued_at))
        cycles.append((spent, pk, title, number, doc_type, unit))
    types = dict(DocumentType.choices)
    by_type: dict[str, list[int]] = {}
    by_unit: dict[str, list[int]] = {}
    for spent, _pk, _title, _number, doc_type, unit in cycles:
        by_type.setdefault(types.get(doc_type, doc_type), []).append(spent)
        by_unit.setdefault(unit, []).append(spent)
    steps = (
        DocumentEvent.objects.filter(
            outgoing__in=this_year, kind__in=list(STEP_OF_EVENT), waited__isnull=False
        )
        .values("kind")
        .annotate(mean=Avg("waited"), count=Count("id"))
    )
    step_rows = [
        {
            "step": STEP_OF_EVENT[row["kind"]],
            "hours": round(row["mean"].total_seconds() / 3600, 1),
            "count": row["count"],
        }
        for row in steps
    ]
    order = list(STEP_OF_EVENT.values())
    step_rows.sort(key=lambda row: order.index(row["step"]))
    bottleneck = max(step_rows, key=lambda row: row["hours"], default=None)

    materials = restrict(Material.objects.filter(approved_at__isnull=False), user)

    def volume(y: int, documents: QuerySet[OutgoingDocument]) -> dict[str, int]:
        """Documents issued and materials signed off in year `y`, and their length in characters
        (文稿材料: the measure behind “written materials down 16%”)."""
        figures = documents.aggregate(
            documents=Count("id"), characters=Sum(Length("signed_version__body"))
        )
        start = timezone.make_aware(datetime.datetime(y, 1, 1))
        signed_off = materials.filter(
            approved_at__gte=start, approved_at__lt=start.replace(year=y + 1)
        ).aggregate(materials=Count("id"), characters=Sum(Length("approved_version__body")))
        return {
            "documents": figures["documents"],
            "materials": signed_off["materials"],
            "characters": (figures["characters"] or 0) + (signed_off["characters"] or 0),
        }

    now, before = volume(year, this_year), volume(year - 1, last_year)
    cycles.sort(reverse=True)
    return {
        "year": year,
        "cycle": _cycle([c[0] for c in cycles]),
        "by_type": sorted(
            ({"name": name, **_cycle(values)} for name, values in by_type.items()),
            key=lambda row: -row["count"],
        ),
        "by_unit": sorted(
            ({"name": name, **_cycle(values)} for name, values in by_unit.items()),
            key=lambda row: -(row["mean"] or 0),
        ),
        "steps": step_rows,
        "bottleneck": bottleneck,
        "volume": now,
        "previous": before,
        "documents_change": _change(
            now["documents"] + now["materials"], before["documents"] + before["materials"]
        ),
        "characters_change": _change(now["characters"], before["characters"]),
        "slowest": [
            {"days": spent, "pk": pk, "title": title, "number": number, "unit": unit}
            for spent, pk, title, number, _type, unit in cycles[:10]
        ],
    }
