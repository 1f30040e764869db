"""The demo's plain items (督办事项) for an external body: 市人民政府's contact (and whichever body
has a contact account first, if 市人民政府 has none) finds one to sign for, one in hand with its
feedback, and one reported done — made with the ledger's own services, on their own days.

Runs after the areas that create the bodies and their contacts' accounts (会议, 代表).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core import clock
from apps.core.demo.registry import DemoContext

from . import services
from .choices import FeedbackRule, Source
from .deadlines import DeadlineSpec
from .models import Checklist, TrackedItem
from .services import ItemSpec, MilestoneSpec

D = datetime.timedelta
LIST_NAME = "{year}年市政府承办督办事项清单"
GOVERNMENT = "市人民政府"

# title, content, days since assigned, days to the deadline (from today), how far it went
PLAN = (
    (
        "关于加快老旧小区加装电梯工作的督办",
        "常委会领导批示：请市政府牵头研究加装电梯资金补助办法，明确审批流程，年内完成试点。",
        3,
        60,
        "assigned",
    ),
    (
        "关于城区主干道交通拥堵治理情况的督办",
        "请结合代表反映的问题，提出主干道交通拥堵治理方案，按节点推进并每月反馈进展。",
        40,
        45,
        "feedback",
    ),
    (
        "关于农村饮水安全巩固提升工作的督办",
        "请核实代表联络站反映的农村饮水问题，制定整改计划并报送办理结果。",
        50,
        10,
        "reported",
    ),
)


def _contact(body_name: str) -> User | None:
    contacts = User.objects.filter(
        role=Role.EXTERNAL,
        is_active=True,
        external_contact__is_active=True,
        external_contact__unit__is_active=True,
    ).select_related("external_contact__unit")
    return contacts.filter(external_contact__unit__name=body_name).first() or contacts.first()


def body_demo_step(context: DemoContext) -> str:
    today = context.today
    office = User.objects.filter(role=Role.OFFICE_STAFF, is_active=True).order_by("id").first()
    contact = _contact(GOVERNMENT)
    if office is None or contact is None or contact.external_contact is None:
        return "没有办公室工作人员或外部单位联络员账号，未生成外部单位督办事项。"
    body = contact.external_contact.unit
    name = LIST_NAME.format(year=today.year)
    if Checklist.objects.filter(name=name).exists():
        return f"{name}已存在。"
    start = today - D(days=max(days for _, _, days, _, _ in PLAN) + 1)
    with clock.use_today(start):
        checklist = services.checklist_create(
            actor=office, name=name, year=today.year, source=Source.LEADER_INSTRUCTION
        )
    made: list[TrackedItem] = []
    for title, content, ago, left, reached in PLAN:
        assigned_on = today - D(days=ago)
        deadline = today + D(days=left)
        with clock.use_today(assigned_on), transaction.atomic():
            item = services.item_create(
                actor=office,
                spec=ItemSpec(
                    checklist=checklist,
                    title=title,
                    content=content,
                    lead_unit=body,
                    deadline=DeadlineSpec(date=deadline),
                    feedback_rule=FeedbackRule.MONTHLY,
                    trackers=[office.person] if office.person is not None else [],
                    milestones=[MilestoneSpec("提出工作方案", assigned_on + D(days=20))],
                ),
            )
            item = services.item_assign(actor=office, item=item, note="请按时签收并反馈。")
        if reached != "assigned":
            with clock.use_today(assigned_on + D(days=2)):
                item = services.item_acknowledge(actor=contact, item=item)
            with clock.use_today(assigned_on + D(days=20)):
                services.feedback_submit(
                    actor=contact, item=item, text="已形成工作方案，正在组织实施。", percent=40
                )
                services.milestone_complete(actor=contact, milestone=item.milestones.get())
        if reached == "reported":
            with clock.use_today(today - D(days=2)):
                item.refresh_from_db()
                item = services.item_report_completion(
                    actor=contact, item=item, text="问题已整改完毕，群众反映的情况已答复。"
                )
        made.append(item)
    return f"已为{body.name}生成{len(made)}项督办事项（待签收、办理中、已报办结各一），联络员{contact.username}可在“本单位督办事项”中办理。"
