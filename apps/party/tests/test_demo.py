"""The demo year: its counts match a hand computation over the rows, and the pages show them."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.core.demo import generate_organ
from apps.ledger.models import TrackedItem
from apps.party import selectors
from apps.party.choices import AgendaKind, ArticleStatus, ReviewStatus
from apps.party.demo import generate_party, meeting_dates
from apps.party.models import (
    AgendaItem,
    Article,
    BranchActivity,
    HigherReport,
    MajorDecision,
    PartyMeeting,
    ResponsibilityList,
    Review,
    ReviewBallot,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def demo(db):
    from apps.accounts.models import User
    from apps.ledger.models import Checklist

    generate_organ(seed=2026)
    # The ledger's own demo is not needed here, only its presence (see demo._with_ledger).
    office = User.objects.filter(role="office_staff").order_by("id").first()
    Checklist.objects.create(name="演示清单", year=2025, source="other", created_by=office)
    return generate_party(seed=2026, today=TODAY)


def test_without_the_ledger_nothing_is_followed_up_there(db):
    generate_organ(seed=2026)
    summary = generate_party(seed=2026, today=TODAY)
    assert summary.decisions == 12 + 11  # this year: the meetings up to 11月20日 bar 第1、8次
    assert not TrackedItem.objects.exists()


def test_last_year_is_complete_and_its_counts_match_the_rows(demo):
    stats = selectors.year_stats(2025)
    # Hand computation: walk the rows one by one.
    meetings = list(PartyMeeting.objects.filter(year=2025))
    assert len(meetings) == stats.meetings == 15
    firsts = [m for m in meetings if m.items.order_by("order").first().kind == "first_topic"]
    assert len(firsts) == stats.first_topic_meetings == 15
    decisions = list(MajorDecision.objects.filter(item__meeting__year=2025))
    assert len(decisions) == stats.decisions == 12
    assert sum(1 for d in decisions if d.recusals.exists()) == stats.recusals == 1
    categories = Counter(d.get_category_display() for d in decisions)
    assert dict(categories) == stats.decisions_by_category
    for d in decisions:  # the secretary spoke last, and nobody recused voted
        opinions = list(d.opinions.order_by("order"))
        assert opinions[-1].member == d.item.meeting.presider
        assert not {o.member_id for o in opinions} & {r.member_id for r in d.recusals.all()}
        assert d.item.ledger_item is not None
    assert TrackedItem.objects.filter(checklist__name="2025年党组会议议定事项清单").count() == 12
    items = [i for lst in ResponsibilityList.objects.filter(year=2025) for i in lst.items.all()]
    assert len(items) == stats.list_items
    assert sum(1 for i in items if i.year_end == "done") == stats.list_items_done
    published = [
        a
        for a in Article.objects.all()
        if a.status == ArticleStatus.PUBLISHED and a.published_on.year == 2025
    ]
    assert len(published) == stats.articles_published == 150
    assert sum(1 for a in published if a.adopted_on) == stats.articles_adopted
    by_unit = Counter(a.unit.short_name for a in published)
    assert {name: n for name, n, _ in stats.by_unit} == dict(by_unit)
    activities = [a for a in BranchActivity.objects.all() if a.date.year == 2025]
    assert len(activities) == stats.activities
    shortfalls = {b.unit.short_name: b.shortfalls for b in selectors.activity_counts(2025)}
    assert sum(1 for s in shortfalls.values() if s) == 2


def test_this_year_runs_up_to_today(demo):
    assert not PartyMeeting.objects.filter(date__gt=TODAY).exists()
    assert not BranchActivity.objects.filter(date__gt=TODAY).exists()
    held = [d for d in meeting_dates(2026) if d <= TODAY]
    assert len(held) == 13  # all but those of 11月25日 and 12月10日
    assert PartyMeeting.objects.filter(year=2026).count() == 13
    assert AgendaItem.objects.filter(kind=AgendaKind.FIRST_TOPIC, meeting__year=2026).count() == 13
    # Every answer is a 收文 of the documents area, linked back to its request.
    answered = HigherReport.objects.filter(answered_on__isnull=False).select_related(
        "answer_document"
    )
    assert answered.count() == 6  # three requests a year, each answered 12 days on
    assert all(r.answer_document.number.startswith("收〔") for r in answered)
    assert all(r.answer_document.received_on == r.answered_on for r in answered)


def test_the_published_review_aggregates_its_ballots(demo):
    review = Review.objects.get(year=2025)
    assert review.status == ReviewStatus.PUBLISHED
    results = selectors.review_results(review)
    assert len(results) == 3
    for r in results:
        totals = [b.total for b in ReviewBallot.objects.filter(subject=r.subject)]
        assert r.ballots == len(totals) >= 20
        mean = (sum(totals) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert r.average == mean
        assert sum(r.ratings.values()) == len(totals)


@pytest.mark.today("2026-11-20")
def test_the_statistics_page_shows_the_demo_year(client, demo):
    from apps.accounts.models import User

    office = User.objects.filter(role="office_staff", person__isnull=False).order_by("id").first()
    client.force_login(office)
    page = client.get("/party/statistics/?year=2025").content.decode()
    stats = selectors.year_stats(2025)
    assert f'data-testid="meetings">{stats.meetings}<' in page
    assert f'data-testid="articles">{stats.articles_published} / {stats.articles_adopted}<' in page


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.today("2026-11-20")
def test_pages_take_a_fixed_number_of_queries(client, demo):
    """Measured on the demo: last year (complete) and this year (to November) cost the same."""
    from apps.accounts.models import User

    office = User.objects.filter(role="office_staff", person__isnull=False).order_by("id").first()
    secretary = PartyMeeting.objects.filter(year=2025).first().presider
    leader = User.objects.filter(person=secretary).first()
    client.force_login(office)
    for path in ("/party/statistics/", "/party/activities/", "/party/articles/"):
        full, part = _queries(client, f"{path}?year=2025"), _queries(client, f"{path}?year=2026")
        assert full == part, (path, full, part)
    client.force_login(leader)
    full, part = (
        _queries(client, "/party/meetings/?year=2025"),
        _queries(client, "/party/meetings/?year=2026"),
    )
    assert full == part
    review = Review.objects.get(year=2025)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        selectors.review_results(review)
    assert len(captured) == 5  # subjects, totals, ratings, kinds, criteria
