"""Home panels: a deputy's answers awaiting their opinion; a body's open suggestions; the office's
suggestions to review or conclude."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.accounts.permissions import external_unit_id
from apps.core.navigation import HomePanel
from apps.ledger.choices import Status

from . import scopes, selectors
from .choices import SuggestionStatus
from .models import Handling, Suggestion


def outsider_panel(user: Any) -> HomePanel | None:
    if (deputy := scopes.deputy_of(user)) is not None:
        letters = list(selectors.pending_letters(deputy)[:10])
        return HomePanel(
            title="待我评价的建议答复",
            items=[
                {
                    "label": letter.answer.suggestion.title,
                    "url": reverse("deputies:my_suggestion", args=[letter.answer.suggestion_id]),
                    "meta": f"{letter.answer.handling.unit.name} · {letter.answer.klass}类",
                    "tone": "warning",
                }
                for letter in letters
            ],
            more_url=reverse("deputies:my_home"),
            empty_text="暂无待评价的答复",
            order=5,
        )
    if (body := external_unit_id(user)) is not None:
        open_parts = [
            h
            for h in selectors.body_handlings(body)[:50]
            if (h.item is not None and h.item.status not in {Status.REPORTED, Status.CLOSED})
            or (h.item is None and h.opinion_at is None)
        ][:10]
        return HomePanel(
            title="待办理的代表建议",
            items=[
                {
                    "label": f"第{h.suggestion.serial}号 {h.suggestion.title}",
                    "url": reverse("deputies:body_detail", args=[h.pk]),
                    "meta": f"{h.get_role_display()} · 期限"
                    + (f"{h.item.deadline:%Y-%m-%d}" if h.item else f"{h.opinion_due:%Y-%m-%d}"),
                    "tone": "",
                }
                for h in open_parts
            ],
            more_url=reverse("deputies:body_list"),
            empty_text="暂无待办理的代表建议",
            order=5,
        )
    if scopes.runs_suggestions(user):
        waiting = Suggestion.objects.filter(status=SuggestionStatus.SUBMITTED).count()
        answered = Handling.objects.filter(
            item__status=Status.REPORTED, item__kind="suggestion"
        ).count()
        if not waiting and not answered:
            return None
        items = []
        if waiting:
            items.append(
                {
                    "label": f"{waiting}件代表建议待审查",
                    "url": reverse("deputies:suggestion_list") + "?status=submitted",
                    "meta": "",
                    "tone": "warning",
                }
            )
        if answered:
            items.append(
                {
                    "label": f"{answered}件答复待确认办结",
                    "url": reverse("deputies:suggestion_list") + "?status=answered",
                    "meta": "",
                    "tone": "",
                }
            )
        return HomePanel(title="代表建议", items=items, order=30)
    return None
