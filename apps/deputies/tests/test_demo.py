"""The demo year: its mix, and the statistics on it against a hand computation from the rows."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from apps.deputies import statistics
from apps.deputies.choices import Level, SuggestionStatus
from apps.deputies.demo import generate_deputies
from apps.deputies.models import Answer, AnswerLetter, Deputy, Mandate, Station, Suggestion
from apps.ledger.choices import ItemKind, Status
from apps.ledger.models import TrackedItem


@pytest.fixture
def demo(personas):
    return generate_deputies(seed=1, today=datetime.date(2026, 12, 28), office=personas.sun)


def test_the_demo_year_has_the_mix_the_issue_asks_for(demo):
    assert 250 <= Deputy.objects.count() <= 400
    assert set(Mandate.objects.values_list("level", flat=True)) == set(Level.values)
    assert 8 <= Station.objects.count() <= 10
    suggestions = Suggestion.objects.all()
    assert 140 <= suggestions.count() <= 160
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
    # One demo year (≈45 s) serves both checks: the statistics against a hand computation.
    _the_statistics_match_a_hand_computation()


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


def round_rate(part: int, whole: int):
    from decimal import ROUND_HALF_EVEN, Decimal

    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
