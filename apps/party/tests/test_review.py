"""The branch secretaries' review: aggregates are right, each reviewer scores once, never
themselves, and no individual score can be read by anyone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.permissions import restrict
from apps.core.testing.factories import MembershipFactory, UserFactory
from apps.party import selectors, services
from apps.party.choices import ReviewMode, ReviewStatus
from apps.party.models import ReviewBallot, ReviewScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(personas, group):
    """li (法工委) and qian (办公室) report as branch secretaries; scored in points."""
    review = services.review_create(
        actor=personas.sun,
        year=2026,
        title="2026年度支部书记抓党建述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("履行第一责任人职责", 40), ("党建与业务融合", 60)],
        subjects=[(personas.li.person, personas.legal), (personas.qian.person, personas.office)],
    )
    for secretary in (personas.li, personas.qian):
        subject = review.subjects.get(secretary=secretary.person)
        services.report_submit(actor=secretary, subject=subject, report="一年来抓党建工作情况……")
    return review


def _score(user, subject, a, b):
    c1, c2 = subject.review.criteria.order_by("order")
    return services.ballot_submit(actor=user, subject=subject, scores={c1.pk: a, c2.pk: b})


def test_scores_aggregate(personas, review):
    li = review.subjects.get(secretary=personas.li.person)
    _score(personas.zhao, li, "38", "55")  # 93 (party group)
    _score(personas.sun, li, "30", "50")  # 80
    _score(personas.zhou, li, "20", "40")  # 60
    _score(personas.wu, li, "35", "54.5")  # 89.5
    result = {r.subject.pk: r for r in selectors.review_results(review)}[li.pk]
    assert result.ballots == 4
    assert result.average == Decimal("80.63")  # (93 + 80 + 60 + 89.5) / 4 = 80.625
    assert result.ratings == {"good": 1, "fairly_good": 2, "average": 1, "poor": 0}
    assert result.by_criterion == [
        ("履行第一责任人职责", Decimal("30.75")),
        ("党建与业务融合", Decimal("49.88")),
    ]
    # One party group member and three others: only the kind with enough ballots is shown.
    assert result.by_kind == {"党员代表": Decimal("76.50")}
    assert result.shown
    qian = {r.subject.pk: r for r in selectors.review_results(review)}[
        review.subjects.get(secretary=personas.qian.person).pk
    ]
    assert qian.ballots == 0 and not qian.shown


def test_rating_mode_turns_ratings_into_points(personas, group):
    review = services.review_create(
        actor=personas.sun,
        year=2027,
        title="2027年度述职评议",
        mode=ReviewMode.RATING,
        criteria=[("抓党建成效", 50), ("作风建设", 50)],
        subjects=[(personas.li.person, personas.legal)],
    )
    subject = review.subjects.get()
    services.report_submit(actor=personas.li, subject=subject, report="述职")
    ballot = _score(personas.zhou, subject, "good", "average")
    assert ballot.total == Decimal("80.00") and ballot.rating == "fairly_good"
    with pytest.raises(ValidationError, match="请为“抓党建成效”选择"):
        _score(personas.wu, subject, "excellent", "good")


def test_a_reviewer_scoring_twice_refused(personas, review):
    li = review.subjects.get(secretary=personas.li.person)
    _score(personas.zhou, li, "30", "50")
    with pytest.raises(ValidationError, match="不能重复评议"):
        _score(personas.zhou, li, "40", "60")
    assert ReviewBallot.objects.count() == 1
    assert ReviewScore.objects.count() == 2
    assert ReviewBallot.objects.get().total == Decimal("80")


def test_a_secretary_scoring_themselves_refused(personas, review):
    li = review.subjects.get(secretary=personas.li.person)
    with pytest.raises(ValidationError, match="不能评议自己"):
        _score(personas.li, li, "40", "60")
    assert ReviewBallot.objects.count() == 0


def test_scores_out_of_range_refused(personas, review):
    li = review.subjects.get(secretary=personas.li.person)
    for a, b in (("41", "50"), ("abc", "50"), ("-1", "50"), ("NaN", "1"), ("", "50")):
        with pytest.raises(ValidationError):
            _score(personas.zhou, li, a, b)
    assert ReviewBallot.objects.count() == 0


def test_no_scoring_before_the_report_or_after_publication(personas, group):
    review = services.review_create(
        actor=personas.sun,
        year=2028,
        title="述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("总体", 100)],
        subjects=[(personas.li.person, personas.legal)],
    )
    subject = review.subjects.get()
    c = review.criteria.get()
    with pytest.raises(ValidationError, match="尚未提交述职报告"):
        services.ballot_submit(actor=personas.zhou, subject=subject, scores={c.pk: "90"})
    services.report_submit(actor=personas.li, subject=subject, report="述职")
    services.ballot_submit(actor=personas.zhou, subject=subject, scores={c.pk: "90"})
    services.review_publish(actor=personas.sun, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    with pytest.raises(ValidationError, match="评议已结束"):
        services.ballot_submit(actor=personas.wu, subject=subject, scores={c.pk: "90"})


def test_no_account_reads_a_ballot(personas, review):
    li = review.subjects.get(secretary=personas.li.person)
    _score(personas.zhou, li, "30", "50")
    for user in personas.all().values():
        assert not restrict(ReviewBallot.objects.all(), user).exists()


def test_a_new_reviewer_is_classified(personas, review):
    person_user = UserFactory(username="newbie")
    MembershipFactory(person=person_user.person, unit=personas.finance)
    li = review.subjects.get(secretary=personas.li.person)
    ballot = _score(person_user, li, "30", "50")
    assert ballot.get_reviewer_kind_display() == "党员代表"
