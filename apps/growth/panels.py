"""The study box on the home page: the user's sessions this week and reflections still owed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.core.navigation import HomePanel

from . import selectors


def study_panel(user: Any) -> HomePanel | None:
    if not getattr(user, "person_id", None) or user.is_admin_role:
        return None
    items = [
        {
            "label": f"{s.get_kind_display()}：{s.title}",
            "url": reverse("growth:session_detail", args=[s.pk]),
            "meta": f"{s.date:%m月%d日} {s.start_time:%H:%M} · {s.place}",
            "tone": "info",
        }
        for s in selectors.upcoming_sessions(user.person_id)
    ]
    for session in selectors.pending_reflections(user.person_id)[:3]:
        items.append(
            {
                "label": f"待写心得体会：{session.title}",
                "url": reverse("growth:session_detail", args=[session.pk]),
                "meta": f"{session.date:%m月%d日}",
                "tone": "warning",
            }
        )
    if not items:
        return None
    return HomePanel(title="学习教育", items=items, more_url=reverse("growth:study_list"), order=30)
