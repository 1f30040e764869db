"""The documents' box on the home page: what waits for the signed-in user, oldest first."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from apps.accounts.permissions import is_business, is_office
from apps.core.navigation import HomePanel

from . import rules
from .choices import CountersignStatus, IncomingStatus, OutgoingStatus
from .models import IncomingDocument, OutgoingDocument


def documents_panel(user: Any) -> HomePanel | None:
    if not is_business(user):
        return None
    waiting = Q(drafter=user, status=OutgoingStatus.DRAFT)
    if user.person_id:
        waiting |= Q(signer_id=user.person_id, status=OutgoingStatus.SIGN_OFF)
    heads = rules.head_unit_ids(user)
    if heads:
        waiting |= Q(drafting_unit_id__in=heads, status=OutgoingStatus.UNIT_REVIEW)
        waiting |= Q(
            status=OutgoingStatus.COUNTERSIGN,
            countersigns__unit_id__in=heads,
            countersigns__status=CountersignStatus.PENDING,
        )
    if is_office(user):
        waiting |= Q(
            status__in=[OutgoingStatus.OFFICE_REVIEW, OutgoingStatus.SIGNED, OutgoingStatus.SEALED]
        )
    waiting |= Q(distribution__recipient=user, distribution__read_at__isnull=True)
    outgoing = OutgoingDocument.objects.filter(
        pk__in=OutgoingDocument.objects.filter(waiting).values("pk")
    ).order_by("updated_at")[:6]
    rows = [
        {
            "label": document.title,
            "url": reverse("documents:outgoing_detail", args=[document.pk]),
            "meta": f"{document.get_status_display()}{' · ' + document.number if document.number else ''}",
            "tone": "warning" if document.status == OutgoingStatus.ISSUED else "info",
        }
        for document in outgoing
    ]
    incoming_waiting = Q(pk__in=[])
    if user.person_id:
        incoming_waiting |= Q(leader_id=user.person_id, status=IncomingStatus.PROPOSED)
    if is_office(user):
        incoming_waiting |= Q(status__in=[IncomingStatus.REGISTERED, IncomingStatus.DONE])
    for document in IncomingDocument.objects.filter(incoming_waiting).order_by("created_at")[:4]:
        rows.append(
            {
                "label": document.title,
                "url": reverse("documents:incoming_detail", args=[document.pk]),
                "meta": f"收文 · {document.get_status_display()}",
                "tone": "danger" if document.urgency else "info",
            }
        )
    return HomePanel(
        title="待办公文",
        items=rows,
        more_url=reverse("documents:outgoing_list"),
        empty_text="暂无待办公文",
        order=7,
    )
