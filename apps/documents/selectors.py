"""Reads of documents: the scoped lists, a document's page, the diff between versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.accounts.permissions import restrict
from apps.core import clock
from apps.organization.models import LeadershipPost, Person

from .choices import CountersignStatus, IncomingStatus, OutgoingStatus
from .models import DocumentVersion, IncomingDocument, OutgoingDocument
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
            status=query.get("status", "")[:16],
            doc_type=query.get("doc_type", "")[:16],
            q=query.get("q", "").strip()[:60],
            mine=query.get("mine") == "1",
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
