"""The key-work calendar as iCalendar feeds (订阅到 Outlook / 手机日历).

Calendar clients cannot sign in, so a feed address carries a secret token that stands for its
owner. The feed shows only what the owner may see (`restrict`), exactly as the pages do, and a
reset makes the old address stop working at once. Reading a feed writes nothing: clients poll
every hour and an audit row per poll would bury the real events.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from apps.accounts.permissions import (
    BUSINESS_ROLES,
    current_unit_ids,
    is_office,
    restrict,
    sees_whole_organ,
)
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import params
from apps.organization.models import Unit

from .choices import FINISHED_STATUSES, MilestoneStatus, Status, Warning
from .ical import AllDayEvent
from .models import CalendarFeedToken, Milestone, TrackedItem
from .selectors import with_warning

FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 365
UID_DOMAIN = "organ-platform"
TOKEN_MAX_LENGTH = 64


# ---------------------------------------------------------------------------------------------
# The token
# ---------------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_for(user: Any) -> CalendarFeedToken:
    """The user's feed token, created on first use."""
    existing = CalendarFeedToken.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeedToken.objects.create(user=user, token=_new_token())
    except IntegrityError:
        # Two first visits at once: the other request created it.
        return CalendarFeedToken.objects.get(user=user)


@transaction.atomic
def feed_token_reset(*, user: Any) -> CalendarFeedToken:
    """A new token for the user: every address built on the old one stops working."""
    feed = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeedToken.objects.create(user=user, token=_new_token())
    else:
        feed.token = _new_token()
        feed.save(update_fields=["token", "created_at"])
    # The token itself is a secret and is never written to the audit trail.
    record_event(
        action=AuditAction.UPDATE,
        obj=feed,
        object_repr=f"{user}的日历订阅地址",
        detail={"日历订阅地址": "已重置，原订阅地址失效"},
    )
    return feed


def user_for_token(token: str) -> Any | None:
    """The active business account a feed token stands for, or None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    feed = (
        CalendarFeedToken.objects.select_related("user", "user__person").filter(token=token).first()
    )
    if feed is None:
        return None
    user = feed.user
    if not user.is_active or user.role not in BUSINESS_ROLES:
        return None
    return user


# ---------------------------------------------------------------------------------------------
# What a feed holds
# ---------------------------------------------------------------------------------------------


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (
        today - datetime.timedelta(days=FEED_PAST_DAYS),
        today + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )


def _visible(owner: Any) -> QuerySet[TrackedItem]:
    # Drafts are not assigned yet: the unit has not been told, so they are nobody's date yet.
    return restrict(TrackedItem.objects.exclude(status=Status.DRAFT), owner, "view")


def person_feed_items(owner: Any) -> QuerySet[TrackedItem]:
    """Items the owner is responsible for, leads or tracks, within what the owner may see."""
    if not owner.person_id:
        return TrackedItem.objects.none()
    person = owner.person_id
    mine = TrackedItem.objects.filter(
        Q(responsible_person_id=person) | Q(leading_leader_id=person) | Q(trackers=person)
    ).values("pk")
    return _visible(owner).filter(pk__in=mine)


def feed_unit_choices(owner: Any) -> QuerySet[Unit]:
    """Units whose feed the owner may subscribe to: every unit for those who see the whole
    organ (leaders, the office), else the owner's own units today."""
    units = Unit.objects.filter(is_active=True)
    if is_office(owner) or sees_whole_organ(owner):
        return units
    return units.filter(pk__in=current_unit_ids(owner))


def feed_units(owner: Any, requested: str | None) -> list[Unit]:
    """The units of a unit feed: `?unit=<id>` if the owner may choose it, else the owner's own."""
    if requested:
        unit_id = params.parse_id(requested)
        if unit_id is None:
            return []
        return list(feed_unit_choices(owner).filter(pk=unit_id))
    return list(Unit.objects.filter(pk__in=current_unit_ids(owner)))


def unit_feed_items(owner: Any, units: Iterable[Unit]) -> QuerySet[TrackedItem]:
    """Items led by the units, within what the owner may see."""
    return _visible(owner).filter(lead_unit__in=[unit.pk for unit in units])


def _milestone_warning(milestone: Milestone, today: datetime.date) -> str:
    if milestone.status == MilestoneStatus.DONE or milestone.item.status in FINISHED_STATUSES:
        return Warning.NONE
    if milestone.deadline < today:
        return Warning.RED
    if milestone.warn_from <= today:
        return Warning.YELLOW
    return Warning.GREEN


def _item_lines(item: TrackedItem) -> list[str]:
    lines = [
        f"事项：{item.reference} {item.title}",
        f"清单：{item.checklist.name}",
        f"牵头单位：{item.lead_unit.name}",
    ]
    if item.responsible_person is not None:
        lines.append(f"责任人：{item.responsible_person.name}")
    if item.leading_leader is not None:
        lines.append(f"领责督办领导：{item.leading_leader.name}")
    deadline = f"办结时限：{item.deadline:%Y年%m月%d日}"
    if item.deadline_note:
        deadline += f"（{item.deadline_note}）"
    if item.deadline_provisional:
        deadline += f"（预估：{item.deadline.year}年节假日安排尚未公布，公布后可能调整）"
    lines += [deadline, f"状态：{item.get_status_display()}"]
    return lines


def _warning_line(warning: str) -> list[str]:
    return [] if warning == Warning.NONE else [f"预警：{Warning(warning).label}"]


def feed_events(
    items: QuerySet[TrackedItem],
    *,
    today: datetime.date,
    item_url: Callable[[int], str],
) -> list[AllDayEvent]:
    """The deadlines and milestones of `items` that fall in the feed window, as all-day events.

    SEQUENCE is the item's number of timeline events: it only grows, so a client replaces its
    copy whenever the item changed (a granted extension moves the date, a cancellation cancels).
    """
    start, end = feed_window(today)
    related = ("checklist", "lead_unit", "responsible_person", "leading_leader")
    events: list[AllDayEvent] = []
    in_window = with_warning(items.filter(deadline__range=(start, end), is_standing=False), today)
    for item in in_window.select_related(*related).annotate(revision=Count("events")):
        # `warning` comes from with_warning(); django-stubs cannot see that annotation.
        warning: str = item.warning  # type: ignore[attr-defined]
        events.append(
            AllDayEvent(
                uid=f"item-{item.pk}@{UID_DOMAIN}",
                day=item.deadline,
                summary=f"【截止】{item.lead_unit.short_name}：{item.title}",
                description="\n".join(_item_lines(item) + _warning_line(warning)),
                url=item_url(item.pk),
                cancelled=item.status == Status.CANCELLED,
                sequence=max(item.revision - 1, 0),
                categories=("督查督办", "办结时限"),
            )
        )
    milestones = (
        Milestone.objects.filter(item__in=items.values("pk"), deadline__range=(start, end))
        .select_related(*(f"item__{name}" for name in related))
        .annotate(revision=Count("item__events"))
    )
    for milestone in milestones:
        parent = milestone.item
        done = "已完成" if milestone.status == MilestoneStatus.DONE else "未完成"
        lines = [f"时间节点：{milestone.title}（{done}）", *_item_lines(parent)]
        events.append(
            AllDayEvent(
                uid=f"milestone-{milestone.pk}@{UID_DOMAIN}",
                day=milestone.deadline,
                summary=f"【节点】{parent.lead_unit.short_name}：{milestone.title}（{parent.title}）",
                description="\n".join(lines + _warning_line(_milestone_warning(milestone, today))),
                url=item_url(parent.pk),
                cancelled=parent.status == Status.CANCELLED,
                sequence=max(milestone.revision - 1, 0),
                categories=("督查督办", "时间节点"),
            )
        )
    return sorted(events, key=lambda event: (event.day, event.uid))
