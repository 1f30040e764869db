"""When a year's holiday arrangement is announced, the ledger's dates computed from it move.

Before the State Council publishes next year's arrangement, deadlines given in workdays, warning
dates and feedback due dates that reach into that year are computed from the statutory holidays
alone and stored with a 预估 flag (`*_provisional`). The calendar calls `recompute_dates` (registered
in `apps.py`) inside the transaction that saves the arrangement: every such date is computed again
from the same inputs, each item whose date moved gets one timeline event saying what moved and why,
and its responsible person is told after commit. A typed date (a deadline given as a date, a
milestone's date, a granted extension) is an input, never recomputed.

Candidates are the flagged items, plus, for a correction of a year already announced, the drafts
and open items whose dates fall in or next to the corrected year (their dates were official and
carry no flag).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from apps.workcalendar.registry import ArrangementChange

from . import deadlines
from .choices import FINISHED_STATUSES, EventKind, MilestoneStatus
from .models import ItemEvent, Milestone, TrackedItem
from .services import _notify_after_commit, _now, _people_accounts, refresh_warning_dates

# Dates of an open item this close to a changed year may have been computed across its boundary.
MARGIN = datetime.timedelta(days=45)

DATE_LABELS = {
    "deadline": "办结时限",
    "warn_from": "临期预警起始日",
    "feedback_due": "下次反馈截止日",
}


@dataclass
class Move:
    """What changed on one item: field values to save and sentences for its timeline."""

    fields: dict[str, Any] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)

    def set(self, item: TrackedItem, name: str, value: Any, label: str = "") -> None:
        old = getattr(item, name)
        if old == value:
            return
        self.fields[name] = value
        if label and old is not None and value is not None:
            self.sentences.append(f"{label}由{old:%Y-%m-%d}调整为{value:%Y-%m-%d}")


def _candidates(change: ArrangementChange) -> list[int]:
    flagged = (
        Q(deadline_provisional=True)
        | Q(warn_provisional=True)
        | Q(feedback_provisional=True)
        | Q(milestones__warn_provisional=True)
    )
    near = Q()
    for year in change.years:
        lo = datetime.date(year, 1, 1) - MARGIN
        hi = datetime.date(year, 12, 31) + MARGIN
        near |= Q(deadline__range=(lo, hi)) | Q(feedback_due__range=(lo, hi))
    query = flagged | (~Q(status__in=FINISHED_STATUSES) & near)
    return sorted(set(TrackedItem.objects.filter(query).values_list("pk", flat=True)))


def _item_move(item: TrackedItem) -> Move:
    move = Move()
    deadline = item.deadline
    if item.deadline_workdays is not None and item.deadline_base is not None:
        resolved = deadlines.DeadlineSpec(
            workdays=item.deadline_workdays, base=item.deadline_base
        ).resolve()
        deadline = resolved.date
        move.set(item, "deadline", deadline, DATE_LABELS["deadline"])
        move.set(item, "deadline_provisional", resolved.provisional)
    warn, warn_provisional = deadlines.warn_from_flagged(deadline)
    move.set(item, "warn_from", warn, DATE_LABELS["warn_from"])
    move.set(item, "warn_provisional", warn_provisional)
    if item.feedback_due is not None and item.feedback_from is not None:
        due, due_provisional = deadlines.next_feedback_due_flagged(
            item.feedback_rule, item.feedback_workdays, item.feedback_from
        )
        move.set(item, "feedback_due", due, DATE_LABELS["feedback_due"])
        move.set(item, "feedback_provisional", due_provisional)
    for milestone in item.milestones.all():
        if milestone.status != MilestoneStatus.PENDING and not milestone.warn_provisional:
            continue
        m_warn, m_provisional = deadlines.warn_from_flagged(milestone.deadline)
        if (m_warn, m_provisional) == (milestone.warn_from, milestone.warn_provisional):
            continue
        if m_warn != milestone.warn_from:
            move.sentences.append(
                f"时间节点“{milestone.title}”的预警起始日由{milestone.warn_from:%Y-%m-%d}"
                f"调整为{m_warn:%Y-%m-%d}"
            )
        milestone.warn_from, milestone.warn_provisional = m_warn, m_provisional
        move.milestones.append(milestone)
    return move


def recompute_dates(change: ArrangementChange) -> int:
    """Compute again every date that the changed years may have moved; returns how many items
    had a date (or a 预估 flag) change. Runs inside the calendar's transaction."""
    moved = 0
    ids = _candidates(change)
    items = (
        TrackedItem.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("responsible_person")
        .prefetch_related("milestones")
        .order_by("pk")
    )
    events = []
    for item in items:
        move = _item_move(item)
        if not (move.fields or move.milestones):
            continue
        moved += 1
        for name, value in move.fields.items():
            setattr(item, name, value)
        if move.fields:
            item.save(update_fields=[*move.fields, "updated_at"])
        for milestone in move.milestones:
            milestone.save(update_fields=["warn_from", "warn_provisional"])
        refresh_warning_dates(item)
        if not move.sentences:
            continue  # only a flag changed: the dates stand, now officially
        text = f"{change.reason}，{'；'.join(move.sentences)}。"
        events.append(
            ItemEvent(
                item=item,
                kind=EventKind.RECALCULATED,
                actor=change.actor if getattr(change.actor, "pk", None) else None,
                created_at=_now(),
                note=text,
                data={"years": list(change.years), "changed": sorted(move.fields)},
            )
        )
        if item.is_open:
            _notify_after_commit(
                _people_accounts([item.responsible_person]),
                f"时限调整：{item.title}",
                item,
                text,
            )
    ItemEvent.objects.bulk_create(events)
    return moved
