"""Reading notices: a user's list (pinned on top, unread first), their unread ones, and the receipt
figures of one notice by unit. Each answers in a fixed number of queries, whatever the number of
notices or recipients."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from apps.accounts.permissions import restrict
from apps.core import clock

from .choices import NoticeStatus
from .models import Notice, Receipt

LEADERS = "常委会领导"


def pinned_now(day: datetime.date) -> Q:
    return Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gte=day))


def notices_for(
    user: Any, *, include_drafts: bool = False, unread_only: bool = False
) -> QuerySet[Notice]:
    """The notices the user may open, each with `my_read_at`, `is_recipient`, `is_unread` and
    `is_pinned`; pinned ones on top, then the unread, then the newest."""
    visible = restrict(Notice.objects.all(), user)
    if not include_drafts:
        visible = visible.exclude(status=NoticeStatus.DRAFT)
    mine = Receipt.objects.filter(notice=OuterRef("pk"), recipient_id=user.pk)
    notices = (
        visible.select_related("issuer")
        .annotate(
            my_read_at=Subquery(mine.values("read_at")[:1]),
            is_recipient=Exists(mine),
            is_pinned=Case(
                When(pinned_now(clock.today()) & Q(status=NoticeStatus.PUBLISHED), then=True),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            is_unread=Case(
                When(
                    Q(is_recipient=True, my_read_at__isnull=True, status=NoticeStatus.PUBLISHED),
                    then=True,
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_pinned", "-is_unread", "-published_at", "-id")
    )
    return notices.filter(is_unread=True) if unread_only else notices


def unread_receipts(user: Any) -> QuerySet[Receipt]:
    """The user's published notices not yet opened, pinned ones first, then the newest."""
    today = clock.today()
    return (
        Receipt.objects.filter(
            recipient_id=user.pk, read_at__isnull=True, notice__status=NoticeStatus.PUBLISHED
        )
        .select_related("notice", "notice__issuer")
        .annotate(
            is_pinned=Case(
                When(
                    Q(notice__pinned=True)
                    & (Q(notice__pinned_until__isnull=True) | Q(notice__pinned_until__gte=today)),
                    then=True,
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_pinned", "-notice__published_at", "-notice_id")
    )


@dataclass
class UnitReceipts:
    """One unit's line of the receipt page."""

    name: str
    total: int = 0
    read: int = 0
    confirmed: int = 0
    unread_names: list[str] = field(default_factory=list)
    unconfirmed_names: list[str] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


@dataclass
class ReceiptSummary:
    units: list[UnitReceipts]
    total: int
    read: int
    confirmed: int

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0

    @property
    def confirmed_percent(self) -> int:
        return round(100 * self.confirmed / self.total) if self.total else 0


def receipt_summary(notice: Notice, units: Collection[int] | None = None) -> ReceiptSummary:
    """Read and unread by unit (the leaders first, then the units in their order) and who has not
    read, by name — of the given units only, when given: two queries whatever the number of
    recipients."""
    receipts = Receipt.objects.filter(notice=notice)
    if units is not None:
        receipts = receipts.filter(unit_id__in=sorted(units))
    counts = receipts.values("unit_id", "unit__short_name", "unit__sort_order").annotate(
        total=Count("id"),
        read=Count("id", filter=Q(read_at__isnull=False)),
        confirmed=Count("id", filter=Q(confirmed_at__isnull=False)),
    )
    lines: dict[int | None, UnitReceipts] = {}
    order: dict[int | None, tuple[int, int]] = {}
    for row in counts:
        key = row["unit_id"]
        lines[key] = UnitReceipts(
            row["unit__short_name"] or LEADERS, row["total"], row["read"], row["confirmed"]
        )
        order[key] = (-1, 0) if key is None else (row["unit__sort_order"], key)
    owed = (
        receipts.filter(
            Q(read_at__isnull=True)
            | Q(confirmed_at__isnull=True) & Q(notice__requires_confirmation=True)
        )
        .select_related("recipient__person")
        .order_by("recipient__person__name", "id")
    )
    for receipt in owed:
        line = lines[receipt.unit_id]
        if receipt.read_at is None:
            line.unread_names.append(receipt.recipient.display_name)
        else:
            line.unconfirmed_names.append(receipt.recipient.display_name)
    ordered = [lines[key] for key in sorted(lines, key=lambda k: order[k])]
    return ReceiptSummary(
        units=ordered,
        total=sum(u.total for u in ordered),
        read=sum(u.read for u in ordered),
        confirmed=sum(u.confirmed for u in ordered),
    )
