"""Bulk rows for the query-count tests: `n` answered suggestions with their ledger items, bodies,
answers and letters, written with bulk_create (the services would take hours at 20,000)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from apps.deputies.factories import make_body, make_deputy
from apps.deputies.models import Answer, AnswerLetter, Handling, Signature, Suggestion
from apps.ledger.choices import ItemKind, Source, Status
from apps.ledger.models import Checklist, TrackedItem

_batches = itertools.count(1)


def bulk_suggestions(user, checklist: Checklist, n: int) -> None:
    batch = next(_batches)
    bodies = [make_body(f"批量承办单位{batch}-{k}")[0] for k in range(5)]
    deputies = [make_deputy(f"批量代表{batch}-{k}") for k in range(20)]
    day = datetime.date(2026, 3, 1)
    at = timezone.make_aware(datetime.datetime(2026, 5, 1, 10))
    items = TrackedItem.objects.bulk_create(
        TrackedItem(
            checklist=checklist,
            kind=ItemKind.SUGGESTION,
            source=Source.DEPUTY_SUGGESTION,
            serial=f"B{batch}-{k}",
            title=f"批量建议{k}",
            lead_unit=bodies[k % 5],
            deadline=datetime.date(2026, 6, 1),
            warn_from=datetime.date(2026, 5, 25),
            status=Status.REPORTED,
            created_by=user,
        )
        for k in range(n)
    )
    start = (Suggestion.objects.filter(checklist=checklist).count() or 0) + 1
    suggestions = Suggestion.objects.bulk_create(
        Suggestion(
            checklist=checklist,
            serial=start + k,
            title=f"批量建议{k}",
            content="内容",
            topic=("交通", "教育", "城建")[k % 3],
            proposer=deputies[k % 20],
            status="answered",
            rehandled=k % 10 == 0,
        )
        for k in range(n)
    )
    Signature.objects.bulk_create(
        Signature(suggestion=s, deputy=deputies[k % 20]) for k, s in enumerate(suggestions)
    )
    handlings = Handling.objects.bulk_create(
        Handling(
            suggestion=s,
            unit=bodies[k % 5],
            role="main",
            item=items[k],
            assigned_on=day,
            return_until=day,
            max_deadline=day,
        )
        for k, s in enumerate(suggestions)
    )
    answers = Answer.objects.bulk_create(
        Answer(
            suggestion=s,
            handling=handlings[k],
            round=1,
            klass="ABCD"[k % 4],
            text="答复",
            signed_by="局长",
            answered_at=at,
            due=datetime.date(2026, 6, 1),
            on_time=k % 7 != 0,
            answered_by=user,
        )
        for k, s in enumerate(suggestions)
    )
    AnswerLetter.objects.bulk_create(
        AnswerLetter(
            answer=a,
            deputy=deputies[k % 20],
            satisfaction=("satisfied", "basic", "unsatisfied", "")[k % 4],
            feedback_at=at if k % 4 != 3 else None,
        )
        for k, a in enumerate(answers)
    )
