"""The workday-morning reminders of the ledger, with escalation.

What is sent, to whom:
- due soon (yellow): the responsible person (or the unit heads when nobody is named), once per deadline;
- overdue (red): the responsible person and the lead unit's heads, once a day; after
  LEDGER["ESCALATE_TO_LEADER_WORKDAYS"] workdays overdue, the leading leader too;
- feedback owed today: the responsible person; feedback missing (past due): the unit heads too;
- milestones: as items, per milestone.
- an item assigned to an external body (一府一委两院 and the government's departments): the body's
  contacts (外部单位联络员, active accounts) get what the responsible person gets — due soon,
  overdue with its escalation, feedback, milestones — until the body submits its report
  (报办结): their deadline reminders carry the task key "submit", resolved then; the link is the
  outsider page the owning area registered (`policies.register_outsider_link`), or, for a plain
  item no area shows, the ledger's own body page (`ledger:body_item`).
Every reminder carries a dedup key, unique per recipient in the database, so two workers running the
job at the same moment send each reminder once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.notifications.services import notify
from apps.organization.models import UnitMembership
from apps.workcalendar.services import workdays_between

from .choices import OPEN_STATUSES, MilestoneStatus, Status
from .models import Milestone, TrackedItem
from .policies import outsider_link
from .services import task_key

# Once the body has submitted its report, the rest (核验, 销号) is the organ's.
SUBMITTED = frozenset({Status.REPORTED, Status.VERIFIED})


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    skipped_duplicates: int


def _heads_by_unit(today: datetime.date) -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    for unit_id, person_id in (
        UnitMembership.objects.on(today).filter(is_head=True).values_list("unit_id", "person_id")
    ):
        heads.setdefault(unit_id, []).append(person_id)
    return heads


def _contacts_by_unit() -> dict[int, list[User]]:
    """The active accounts of external bodies' contacts (外部单位联络员), by body."""
    contacts: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True, role=Role.EXTERNAL, external_contact__is_active=True
    ).select_related("external_contact"):
        assert user.external_contact is not None
        contacts.setdefault(user.external_contact.unit_id, []).append(user)
    return contacts


def send_reminders(today: datetime.date) -> ReminderResult:
    accounts = {u.person_id: u for u in User.objects.filter(is_active=True, person__isnull=False)}
    contacts = _contacts_by_unit()
    links: dict[int, str] = {}  # item → its outsider page, asked once per run
    heads = _heads_by_unit(today)
    escalate_after = int(settings.LEDGER["ESCALATE_TO_LEADER_WORKDAYS"])
    sent = skipped = 0

    def send(
        people: Iterable[int | None],
        key: str,
        title: str,
        body: str,
        item: TrackedItem,
        task: str = "close",
    ) -> None:
        nonlocal sent, skipped
        url = reverse("ledger:item_detail", args=[item.pk])
        recipients = [
            (account, url, task)
            for account in (accounts.get(p) for p in {p for p in people if p is not None})
            if account is not None
        ]
        if item.lead_unit.is_external and item.status not in SUBMITTED:
            body_task = "submit" if task == "close" else task
            if contacts.get(item.lead_unit_id) and item.pk not in links:
                links[item.pk] = outsider_link(item)
            link = links.get(item.pk, "")
            recipients += [(c, link, body_task) for c in contacts.get(item.lead_unit_id, [])]
        for account, link, account_task in recipients:
            created = notify(
                recipient=account,
                title=title,
                body=body,
                url=link,
                category="ledger_reminder",
                dedup_key=key,
                task_key=task_key(item, account_task),
                email=True,
            )
            if created is None:
                skipped += 1
            else:
                sent += 1

    items = (
        TrackedItem.objects.filter(status__in=OPEN_STATUSES)
        .select_related("lead_unit")
        .prefetch_related(
            Prefetch(
                "milestones", queryset=Milestone.objects.filter(status=MilestoneStatus.PENDING)
            )
        )
    )
    for item in items.iterator(chunk_size=500):
        unit_heads = heads.get(item.lead_unit_id, [])
        owner = [item.responsible_person_id] if item.responsible_person_id else unit_heads
        if item.is_standing:
            pass  # 长期坚持: no deadline to miss; only its feedback (below) is reminded
        elif item.deadline < today:
            late = workdays_between(item.deadline, today)
            people: list[int | None] = [*owner, *unit_heads]
            # Stated in calendar days (天), as the ledger states them; escalation counts workdays.
            late_days = (today - item.deadline).days
            if late > escalate_after:
                people.append(item.leading_leader_id)
            send(
                people,
                f"ledger:{item.pk}:overdue:{today}",
                f"【逾期】{item.title}",
                f"办结时限{item.deadline:%Y年%m月%d日}，已逾期{late_days}天，请尽快办理并反馈。",
                item,
            )
        elif item.warn_from <= today:
            send(
                owner,
                f"ledger:{item.pk}:due_soon:{item.deadline}",
                f"【临期】{item.title}",
                f"办结时限{item.deadline:%Y年%m月%d日}，剩余{(item.deadline - today).days}天。",
                item,
            )
        if item.feedback_due is not None and item.feedback_due <= today:
            missing = item.feedback_due < today
            send(
                [*owner, *(unit_heads if missing else [])],
                f"ledger:{item.pk}:feedback:{item.feedback_due}:{'missing' if missing else 'due'}",
                f"【{'反馈逾期' if missing else '今日反馈'}】{item.title}",
                f"按要求应于{item.feedback_due:%Y年%m月%d日}前反馈办理进展。",
                item,
                task="feedback",
            )
        for milestone in item.milestones.all():
            if milestone.deadline < today:
                send(
                    [*owner, *unit_heads],
                    f"ledger:milestone:{milestone.pk}:overdue:{today}",
                    f"【节点逾期】{item.title}：{milestone.title}",
                    f"节点时限{milestone.deadline:%Y年%m月%d日}。",
                    item,
                    task=f"milestone:{milestone.pk}",
                )
            elif milestone.warn_from <= today:
                send(
                    owner,
                    f"ledger:milestone:{milestone.pk}:due_soon",
                    f"【节点临期】{item.title}：{milestone.title}",
                    f"节点时限{milestone.deadline:%Y年%m月%d日}。",
                    item,
                    task=f"milestone:{milestone.pk}",
                )
    return ReminderResult(sent=sent, skipped_duplicates=skipped)
