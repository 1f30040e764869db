"""Publicity: three reviews before publication, drafts belong to their authors, adoption, the
internal publication's issues."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.permissions import restrict
from apps.party import services
from apps.party.choices import ArticleStatus, Channel, IssueStatus
from apps.party.models import Article, ArticleEvent

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    return services.article_create(
        actor=personas.zhou,
        kind="article",
        title="法工委开展地方立法调研",
        body="正文",
        channel=Channel.WEBSITE,
    )


def _visible(personas, article) -> set[str]:
    return {
        name
        for name, user in personas.all().items()
        if restrict(Article.objects.filter(pk=article.pk), user).exists()
    }


def test_three_reviews_then_publication(personas, draft):
    assert draft.unit == personas.legal
    assert _visible(personas, draft) == {"zhou"}
    services.article_submit(actor=personas.zhou, article=draft)
    draft.refresh_from_db()
    assert draft.approval is not None and draft.status == ArticleStatus.SUBMITTED
    assert services.current_reviewer(draft) == personas.li
    assert _visible(personas, draft) == {"zhou", "li", "qian"}
    with pytest.raises(PermissionDenied):
        services.article_review(actor=personas.qian, article=draft, approve=True)
    services.article_review(actor=personas.li, article=draft, approve=True)
    draft.refresh_from_db()
    assert services.current_reviewer(draft) == personas.qian  # the office's head
    with pytest.raises(ValidationError, match="未完成三审"):
        services.article_publish(actor=personas.sun, article=draft, published_on=D(2026, 4, 1))
    services.article_review(actor=personas.qian, article=draft, approve=True)
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.APPROVED
    assert (draft.unit_reviewer, draft.office_reviewer) == (
        personas.li.person,
        personas.qian.person,
    )
    article = services.article_publish(
        actor=personas.sun, article=draft, published_on=D(2026, 4, 1)
    )
    assert article.status == ArticleStatus.PUBLISHED
    assert _visible(personas, article) == {"zhao", "qian", "sun", "li", "zhou", "wu"}
    assert ArticleEvent.objects.filter(article=article).count() == 4
    services.article_adopt(
        actor=personas.sun, article=article, adopted_by="省人大常委会", adopted_on=D(2026, 4, 8)
    )
    article.refresh_from_db()
    assert article.adopted_by == "省人大常委会"


def test_publication_before_review_refused(personas, draft):
    with pytest.raises(ValidationError, match="未完成三审"):
        services.article_publish(actor=personas.sun, article=draft, published_on=D(2026, 4, 1))
    services.article_submit(actor=personas.zhou, article=draft)
    for reviewer in (personas.li, None):
        if reviewer is not None:
            services.article_review(actor=reviewer, article=draft, approve=True)
        with pytest.raises(ValidationError, match="未完成三审"):
            services.article_publish(actor=personas.sun, article=draft, published_on=D(2026, 4, 1))
        draft.refresh_from_db()
        assert draft.status != ArticleStatus.PUBLISHED and draft.published_on is None


def test_returned_draft_goes_back_to_its_author(personas, draft):
    services.article_submit(actor=personas.zhou, article=draft)
    with pytest.raises(ValidationError, match="退回原因"):
        services.article_review(actor=personas.li, article=draft, approve=False, reason=" ")
    services.article_review(actor=personas.li, article=draft, approve=False, reason="数据需核实")
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT and draft.approval is None
    assert _visible(personas, draft) == {"zhou"}
    assert "数据需核实" in draft.events.last().note
    services.article_submit(actor=personas.zhou, article=draft)  # resubmitted after revision


def test_adoption_only_of_published_pieces(personas, draft):
    with pytest.raises(ValidationError, match="只有已发布"):
        services.article_adopt(
            actor=personas.sun, article=draft, adopted_by="省人大", adopted_on=D(2026, 4, 8)
        )


def test_an_issue_publishes_its_articles(personas):
    issue = services.issue_create(actor=personas.sun, year=2026, planned_on=D(2026, 5, 1))
    with pytest.raises(ValidationError, match="尚无审核通过的稿件"):
        services.issue_publish(actor=personas.sun, issue=issue, published_on=D(2026, 5, 2))
    article = services.article_create(
        actor=personas.zhou, kind="article", title="刊物稿件", body="正文", channel=Channel.INTERNAL
    )
    services.article_submit(actor=personas.zhou, article=article)
    services.article_review(actor=personas.li, article=article, approve=True)
    services.article_review(actor=personas.qian, article=article, approve=True)
    services.issue_plan(actor=personas.sun, issue=issue, article=article)
    services.issue_publish(actor=personas.sun, issue=issue, published_on=D(2026, 5, 2))
    issue.refresh_from_db()
    article.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and issue.number == 1
    assert article.status == ArticleStatus.PUBLISHED and article.issue == issue
