"""The demo's plain items (督办事项) assigned to 市人民政府: its contact (外部单位联络员, whose
account the meetings' demo makes later) finds them on 本单位督办事项, to sign for, feed back on
and report done. Made with the ledger's own services on their own days, as part of the ledger's
demo step (the body is made here when it does not exist yet, as the other areas make it).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core import clock
from apps.organization.choices import UnitKind
from apps.organization.models import Unit

from . import services
from .choices import FeedbackRule, Source
from .deadlines import DeadlineSpec
from .models import Checklist
from .services import ItemSpec, MilestoneSpec

D = datetime.timedelta
LIST_NAME = "{year}年市政府承办督办事项清单"

GOVERNMENT = "市人民政府"

# title, content, days since assigned, days left to the deadline
PLAN = (
    (
        "关于加快老旧小区加装电梯工作的督办",
        "常委会领导批示：请市政府牵头研究加装电梯资金补助办法，明确审批流程，年内完成试点。",
        3,
        60,
    ),
    (
        "关于城区主干道交通拥堵治理情况的督办",
        "请结合代表反映的问题，提出主干道交通拥堵治理方案，按节点推进并每月反馈进展。",
        40,
        30,
    ),
    (
        "关于农村饮水安全巩固提升工作的督办",
        "请核实代表联络站反映的农村饮水问题，制定整改计划并报送办理结果。",
        12,
        8,
    ),
)


def generate_body_items(today: datetime.date) -> int:
    """Assign the plan's items to 市人民政府; returns how many were made (0: already there, or no
    office account to assign them)."""
    office = User.objects.filter(role=Role.OFFICE_STAFF, is_active=True).order_by("id").first()
    name = LIST_NAME.format(year=today.year)
    if office is None or Checklist.objects.filter(name=name).exists():
        return 0
    body, _ = Unit.everything.get_or_create(
        name=GOVERNMENT,
        defaults={"short_name": "市政府", "kind": UnitKind.GOVERNMENT, "sort_order": 100},
    )
    start = today - D(days=max(plan[2] for plan in PLAN))
    with clock.use_today(start):
        checklist = services.checklist_create(
            actor=office, name=name, year=today.year, source=Source.LEADER_INSTRUCTION
        )
    for title, content, ago, left in PLAN:
        assigned_on = today - D(days=ago)
        with clock.use_today(assigned_on), transaction.atomic():
            item = services.item_create(
                actor=office,
                spec=ItemSpec(
                    checklist=checklist,
                    title=title,
                    content=content,
                    lead_unit=body,
                    deadline=DeadlineSpec(date=today + D(days=left)),
                    feedback_rule=FeedbackRule.MONTHLY,
                    trackers=[office.person] if office.person is not None else [],
                    milestones=[MilestoneSpec("提出工作方案", assigned_on + D(days=20))],
                ),
            )
            services.item_assign(actor=office, item=item, note="请按时签收并反馈办理进展。")
    return len(PLAN)
