"""Home boxes: upcoming sessions and 主任会议 for the organ and members; a reporting body's own
material deadlines and opinions for its contact."""

from __future__ import annotations

import datetime

from django.urls import reverse

from apps.core import clock
from apps.core.navigation import HomePanel

from . import scopes
from .choices import OpinionStatus
from .models import DirectorsMeeting


def upcoming_panel(user) -> HomePanel | None:
    if not scopes.can_view_sessions(user):
        return None
    today = clock.today()
    rows = [
        {
            "label": str(s),
            "url": reverse("meetings:session_detail", args=[s.pk]),
            "meta": f"{s.date:%m月%d日} · {s.get_status_display()}",
            "tone": "primary",
        }
        for s in scopes.visible_sessions(user).filter(date__gte=today).order_by("date")[:4]
    ]
    if scopes.can_run(user):
        rows += [
            {
                "label": str(m),
                "url": reverse("meetings:session_list"),
                "meta": f"{m.date:%m月%d日}",
                "tone": "secondary",
            }
            for m in DirectorsMeeting.objects.filter(date__gte=today).order_by("date")[:3]
        ]
    return HomePanel(
        title="近期常委会会议",
        items=rows,
        more_url=reverse("meetings:session_list"),
        empty_text="近期没有安排常委会会议",
        order=15,
    )


def body_panel(user) -> HomePanel | None:
    """A reporting body's contact: its open material deadlines and opinions to report on."""
    if scopes.body_of(user) is None:
        return None
    today = clock.today()
    soon = today + datetime.timedelta(days=60)
    rows = []
    items = (
        scopes.body_items(user)
        .filter(materials_due__gte=today - datetime.timedelta(days=30), materials_due__lte=soon)
        .select_related("session")
        .order_by("materials_due")[:5]
    )
    for item in items:
        rows.append(
            {
                "label": f"报送材料：{item.title}",
                "url": reverse("meetings:body_item", args=[item.pk]),
                "meta": f"{item.materials_due:%m月%d日}前",
                "tone": "danger"
                if item.materials_due and item.materials_due < today
                else "warning",
            }
        )
    opinions = (
        scopes.body_opinions(user)
        .filter(status__in=[OpinionStatus.SENT, OpinionStatus.REHANDLE])
        .select_related("item")
        .order_by("deadline")[:5]
    )
    for opinion in opinions:
        rows.append(
            {
                "label": f"审议意见：{opinion.item.title}",
                "url": reverse("meetings:body_opinion", args=[opinion.pk]),
                "meta": f"{opinion.deadline:%m月%d日}前报告",
                "tone": "danger" if opinion.deadline and opinion.deadline < today else "warning",
            }
        )
    return HomePanel(
        title="本单位常委会事项",
        items=rows,
        more_url=reverse("meetings:body_home"),
        empty_text="暂无需要报送的材料或审议意见",
        order=10,
    )
