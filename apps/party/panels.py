"""The party box on the home page: reviews waiting for the user's scores, drafts to review."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.core.navigation import HomePanel

from .choices import ArticleStatus, ReviewStatus
from .models import Article, ReviewBallot, ReviewSubject
from .rules import keeps_party_records
from .services import reviews_for_unit


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
    waiting = Article.objects.none()
    if keeps_party_records(user):
        waiting = Article.objects.filter(status=ArticleStatus.UNIT_APPROVED)
    elif user.role == "unit_head":
        waiting = Article.objects.filter(status=ArticleStatus.SUBMITTED)
        waiting = waiting.filter(
            pk__in=[a.pk for a in waiting.select_related("unit") if reviews_for_unit(user, a)]
        )
    n = waiting.count()
    if n:
        items.append(
            {
                "label": f"待审核宣传稿件{n}篇",
                "url": reverse("party:article_list") + "?status=review",
                "meta": "三审",
                "tone": "info",
            }
        )
    if not items:
        return None
    return HomePanel(
        title="党建宣传", items=items, more_url=reverse("party:meeting_list"), order=40
    )
