"""The ledger's box on the home page: the signed-in user's own open items, reddest first."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from apps.accounts.choices import Role
from apps.accounts.permissions import is_office
from apps.core import clock
from apps.core.navigation import HomePanel
from apps.organization.models import UnitMembership

from .choices import OPEN_STATUSES, Status, Warning
from .models import ExtensionRequest, TrackedItem
from .selectors import with_warning

TONES = {Warning.RED: "danger", Warning.YELLOW: "warning", Warning.GREEN: "success"}


def my_items_panel(user) -> HomePanel | None:
    if user.role not in {Role.LEADER, Role.UNIT_HEAD, Role.OFFICE_STAFF, Role.STAFF}:
        return None
    today = clock.today()
    mine = Q(responsible_person_id=user.person_id) | Q(leading_leader_id=user.person_id)
    if is_office(user):
        mine |= Q(trackers=user.person_id)
    headed = list(
        UnitMembership.objects.on(today)
        .filter(person_id=user.person_id, is_head=True)
        .values_list("unit_id", flat=True)
    )
    if headed:
        # A unit head answers for every open item of the unit, led or co-operated on (as 我的事项).
        mine |= Q(lead_unit_id__in=headed) | Q(co_units__in=headed)
    ids = TrackedItem.objects.filter(mine, status__in=OPEN_STATUSES).values("pk")
    items = (
        with_warning(TrackedItem.objects.filter(pk__in=ids), today)
        .select_related("lead_unit")
        .order_by("warning_rank", "deadline")[:8]
    )
    rows = [
        {
            "label": item.title,
            "url": reverse("ledger:item_detail", args=[item.pk]),
            "meta": f"{item.lead_unit.short_name} · {item.deadline:%m月%d日}",
            "tone": TONES.get(item.warning, "secondary"),
        }
        for item in items
    ]
    pending = ExtensionRequest.objects.filter(
        status="pending", item__leading_leader_id=user.person_id
    )
    for request in pending.select_related("item")[:5]:
        rows.insert(
            0,
            {
                "label": f"延期申请待审批：{request.item.title}",
                "url": reverse("ledger:item_detail", args=[request.item_id]),
                "meta": f"申请延至{request.new_deadline:%m月%d日}",
                "tone": "warning",
            },
        )
    return HomePanel(
        title="本单位督办事项（红色在前）" if headed else "我的督办事项",
        items=rows,
        more_url=reverse("ledger:my_items"),
        empty_text="本单位暂无在办的督办事项" if headed else "暂无需要您办理的督办事项",
        order=20,
    )


# How many deadlines and milestones a day of the week lists on the leaders' dashboard; the rest
# are one "还有N项" line leading to the ledger filtered to that day.
KEY_WORK_PER_DAY = 3
WEEKDAYS = "一二三四五六日"


def key_work_panel(user) -> HomePanel | None:
    """本周重点工作 on the leaders' dashboard: this ISO week's entries of the key-work calendar —
    the ledger's deadlines and milestones (the first few of each day, most urgent first) and every
    other area's events (sessions, 主任会议, deputies, party...) from the calendar-source registry.
    A constant number of queries whatever the number of items."""
    if getattr(user, "role", None) != Role.LEADER:
        return None
    from .calendar_days import calendar_day_entries
    from .calendar_sources import calendar_events

    today = clock.today()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    entries = calendar_day_entries(user, monday, sunday, per_day=KEY_WORK_PER_DAY, today=today)
    events = calendar_events(user, monday, sunday)
    rows: list[dict] = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        when = f"{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]}"
        for event in events.get(day, []):
            rows.append(
                {"label": event.label, "url": event.path, "meta": f"{when} · {event.category}"}
            )
        shown = entries.shown.get(day, [])
        for entry in shown:
            kind = "办结时限" if entry.kind == "deadline" else "时间节点"
            rows.append(
                {
                    "label": entry.title,
                    "url": reverse("ledger:item_detail", args=[entry.item_id]),
                    "meta": f"{when} · {kind}",
                    "tone": TONES.get(Warning(entry.warning), "secondary"),
                }
            )
        rest = entries.totals.get(day, 0) - len(shown)
        if rest > 0:
            rows.append(
                {
                    "label": f"{when}还有{rest}项到期事项",
                    "url": f"{reverse('ledger:item_list')}?{urlencode({'due': day.isoformat()})}",
                    "meta": "查看全部",
                }
            )
    week = reverse("ledger:calendar")
    return HomePanel(
        title=f"本周重点工作（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）",
        items=rows,
        more_url=f"{week}?{urlencode({'view': 'week', 'date': today.isoformat()})}",
        empty_text="本周暂无重点工作安排",
        order=1,
    )


def body_items_panel(user) -> HomePanel | None:
    """An external body's contact: the body's open plain items (督办事项), reddest first, with
    counts; items an area shows on its own pages are in that area's panel."""
    from .outsiders import body_items, body_of
    from .policies import area_outsider_link

    body = body_of(user)
    if body is None:
        return None
    today = clock.today()
    open_items = with_warning(body_items(body).filter(status__in=OPEN_STATUSES), today)
    counts = open_items.aggregate(
        total=Count("pk"),
        red=Count("pk", filter=Q(warning=Warning.RED)),
        to_sign=Count("pk", filter=Q(status=Status.ASSIGNED, lead_unit_id=body)),
    )
    rows = []
    for item in open_items.order_by("warning_rank", "deadline", "id")[:12]:
        if area_outsider_link(item):
            continue
        rows.append(
            {
                "label": item.title,
                "url": reverse("ledger:body_item", args=[item.pk]),
                "meta": f"{item.deadline:%m月%d日}前 · {item.get_status_display()}",
                "tone": TONES.get(item.warning, "secondary"),
            }
        )
    return HomePanel(
        title=f"本单位督办事项（在办{counts['total']}项 · 待签收{counts['to_sign']}项 · "
        f"逾期{counts['red']}项）",
        items=rows[:6],
        more_url=reverse("ledger:body_list"),
        empty_text="暂无交办本单位的督办事项",
        order=18,
    )
