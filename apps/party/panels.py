"""The party box on the home page: secretaries waiting for the user's scores, and for the office the
requests past their 办理时限 without an answer. Publicity pieces to review wait in the approvals
inbox, as every approval does."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.core import clock
from apps.core.navigation import HomePanel

from . import rules
from .choices import ReviewStatus
from .models import HigherReport, ReviewBallot, ReviewSubject


def party_panel(user: Any) -> HomePanel | None:
    if not getattr(user, "person_id", None) or user.is_admin_role:
        return None
    items = []
    open_subjects = (
        ReviewSubject.objects.filter(review__status=ReviewStatus.OPEN, submitted_at__isnull=False)
        .exclude(secretary_id=user.person_id)
        .exclude(
            pk__in=ReviewBallot.objects.filter(reviewer_id=user.person_id).values("subject_id")
        )
        .select_related("review")
    )
    count = open_subjects.count()
    if count:
        review = open_subjects[0].review
        items.append(
            {
                "label": f"{review.title}：待评议{count}人",
                "url": reverse("party:review_detail", args=[review.pk]),
                "meta": "匿名评议",
                "tone": "warning",
            }
        )
    if rules.keeps_party_records(user):
        late = HigherReport.objects.filter(
            answered_on__isnull=True, due_date__lt=clock.today()
        ).count()
        if late:
            items.append(
                {
                    "label": f"请示逾期未获答复{late}件",
                    "url": reverse("party:meeting_list"),
                    "meta": "办理时限",
                    "tone": "danger",
                }
            )
    if not items:
        return None
    return HomePanel(
        title="党建宣传", items=items, more_url=reverse("party:meeting_list"), order=40
    )
