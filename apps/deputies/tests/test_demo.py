"""The demo year: its mix, and the statistics on it against a hand computation from the rows."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from apps.deputies import statistics
from apps.deputies.choices import Level, SuggestionStatus
from apps.deputies.demo import PREVIOUS_COUNT, generate_deputies, session_years
from apps.deputies.models import (
    Answer,
    AnswerLetter,
    Deputy,
    Mandate,
    ReceptionDay,
    Station,
    StationMatter,
    Suggestion,
    SuggestionEvent,
)
from apps.ledger.choices import ItemKind, Status
from apps.ledger.models import Checklist, TrackedItem


@pytest.fixture
def demo(personas):
    return generate_deputies(seed=1, today=datetime.date(2026, 12, 28), office=personas.sun)


def test_the_demo_year_has_the_mix_the_issue_asks_for(demo):
    assert 250 <= Deputy.objects.count() <= 400
    assert set(Mandate.objects.values_list("level", flat=True)) == set(Level.values)
    assert 8 <= Station.objects.count() <= 10
    suggestions = Suggestion.objects.all()
    # This year's session (January 2026, for 2026-12-28) and the previous year's.
    assert 140 <= suggestions.filter(checklist__year=2026).count() <= 160
    assert suggestions.filter(checklist__year=2025).count() == demo.previous == PREVIOUS_COUNT
    statuses = Counter(suggestions.values_list("status", flat=True))
    assert statuses[SuggestionStatus.NOT_REGISTERED] and statuses[SuggestionStatus.TO_LETTER]
    assert statuses[SuggestionStatus.CLOSED] > 50
    assert statuses[SuggestionStatus.FOLLOW_UP] > 0
    answers = Answer.objects.filter(round=1)
    assert set(answers.values_list("klass", flat=True)) == {"A", "B", "C", "D"}
    assert answers.filter(on_time=False).exists() and answers.filter(on_time=True).exists()
    assert suggestions.filter(rehandled=True).count() >= 3
    assert suggestions.filter(merged_into__isnull=False).count() >= 3
    assert suggestions.filter(key_leader__isnull=False).exists()
    assert sum(1 for s in suggestions if s.signatures.count() > 1) >= 5
    assert TrackedItem.objects.filter(kind=ItemKind.SUGGESTION, status=Status.CLOSED).exists()
    # Reception days by each station's rule, held ones with the matters raised, a few converted.
    assert all(s.reception_rule.startswith("每月第") for s in Station.objects.all())
    assert ReceptionDay.objects.filter(date__gt=datetime.date(2026, 12, 28)).exists()
    assert ReceptionDay.objects.filter(activity__isnull=False).exists()
    matters = StationMatter.objects.all()
    assert matters.filter(suggestion__isnull=False).count() == 3
    assert matters.filter(item__isnull=False).count() == 3
    # One demo (≈60 s) serves all checks: the statistics against a hand computation.
    _the_statistics_match_a_hand_computation()
    _a_truly_resolved_a_year_later_matches_a_hand_computation(demo)


def _the_statistics_match_a_hand_computation():
    figures = statistics.suggestion_figures()
    registered = [
        s
        for s in Suggestion.objects.all()
        if s.status
        not in {"draft", "submitted", SuggestionStatus.NOT_REGISTERED, SuggestionStatus.TO_LETTER}
    ]
    assert figures["total"] == len(registered)
    assert figures["closed"] == sum(s.status == SuggestionStatus.CLOSED for s in registered)
    assert figures["rehandled"] == sum(s.rehandled for s in registered)
    first = [a for a in Answer.objects.all() if a.round == 1]
    assert figures["answers"] == len(first)
    on_time = sum(a.on_time for a in first)
    assert figures["on_time_rate"] == round_rate(on_time, len(first))
    by_class = Counter(a.klass for a in first)
    assert [c["n"] for c in figures["classes"]] == [by_class[k] for k in "ABCD"]
    latest: dict[tuple[int, int], AnswerLetter] = {}
    for letter in AnswerLetter.objects.select_related("answer").order_by("id"):
        latest[(letter.answer.suggestion_id, letter.deputy_id)] = letter
    judged = [letter for letter in latest.values() if letter.satisfaction]
    happy = sum(letter.satisfaction in {"satisfied", "basic"} for letter in judged)
    assert figures["judged"] == len(judged)
    assert figures["satisfaction_rate"] == round_rate(happy, len(judged))
    assert figures["unsatisfied"] == sum(letter.satisfaction == "unsatisfied" for letter in judged)
    topics = Counter(s.topic for s in registered)
    assert {r["topic"]: r["n"] for r in figures["by_topic"]} == dict(topics)


def _a_truly_resolved_a_year_later_matches_a_hand_computation(demo):
    """The share of A answers found truly resolved when checked a year later, from the rows:
    each suggestion's checks are its “一年后核实” events, the last one counting."""
    verdicts: dict[int, bool] = {}
    for event in SuggestionEvent.objects.filter(action__startswith="一年后核实").order_by(
        "created_at", "id"
    ):
        verdicts[event.suggestion_id] = event.action.endswith("已解决")
    checked, resolved = len(verdicts), sum(verdicts.values())
    assert (checked, resolved) == (demo.checked, demo.resolved)
    assert 0 < resolved < checked  # non-zero, and not every check finds it resolved
    figures = statistics.suggestion_figures()
    assert (figures["checked"], figures["resolved"]) == (checked, resolved)
    assert figures["resolved_rate"] == round_rate(resolved, checked)
    # Each check came a year (or more) after an A answer: B answers followed up and answered A
    # again among them, all in the previous year's session.
    followed_up = 0
    for pk in verdicts:
        suggestion = Suggestion.objects.get(pk=pk)
        assert suggestion.checklist.year == 2025 and suggestion.status == SuggestionStatus.CLOSED
        answers = list(suggestion.answers.order_by("answered_at", "id"))
        assert answers[-1].klass == "A"
        check = suggestion.events.filter(action__startswith="一年后核实").last()
        assert check.created_at - answers[0].answered_at >= datetime.timedelta(days=365)
        followed_up += answers[0].klass == "B"
    assert followed_up > 0
    previous = Checklist.objects.get(year=2025, source="deputy_suggestion")
    assert statistics.suggestion_figures(previous)["resolved_rate"] == round_rate(resolved, checked)
    assert (
        statistics.suggestion_figures(Checklist.objects.get(year=2026, source="deputy_suggestion"))[
            "resolved_rate"
        ]
        is None
    )  # this year's answers are younger than a year


@pytest.mark.parametrize(
    "today",
    ["2027-01-02", "2027-06-30", "2027-07-01", "2029-12-28", "2028-03-01"],
)
def test_the_previous_session_is_old_enough_for_checks_on_any_date(today):
    """The demo dates everything from its `today`: the previous session's first answers (30–40
    days to assign, 25–85 to answer) are checked a year on, before `today` whatever the date."""
    day = datetime.date.fromisoformat(today)
    year, previous = session_years(day)
    assert previous == year - 1 and datetime.date(year, 1, 20) <= day
    latest_on_time_answer = datetime.date(previous, 1, 20) + datetime.timedelta(days=39 + 85)
    assert latest_on_time_answer + datetime.timedelta(days=365) <= day


def round_rate(part: int, whole: int):
    from decimal import ROUND_HALF_EVEN, Decimal

    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
