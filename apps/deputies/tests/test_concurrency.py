"""Parallel steps on PostgreSQL: registrations take consecutive numbers; a part is answered once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.deputies import services
from apps.deputies.models import Answer, Handling, Suggestion

from .conftest import assigned, submitted

PARALLEL = 6


def _race(targets, act) -> list[str]:
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def run(target):
        try:
            barrier.wait()
            act(target)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.today("2026-03-10")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_steps_number_and_answer_once(personas, w):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    pending = [submitted(w, title=f"建议{n}") for n in range(PARALLEL)]
    outcomes = _race(
        [*pending, pending[0]],
        lambda s: services.suggestion_review(
            actor=w.p.sun, suggestion=Suggestion.objects.get(pk=s.pk), decision="register"
        ),
    )
    assert sorted(outcomes) == ["ok"] * PARALLEL + ["refused"]
    serials = Suggestion.objects.order_by("serial").values_list("serial", flat=True)
    assert list(serials) == list(range(1, PARALLEL + 1))
    main = assigned(w, co=False).handlings.get()
    outcomes = _race(
        [main, main],
        lambda h: services.answer_submit(
            actor=w.transport_user,
            handling=Handling.objects.get(pk=h.pk),
            klass="A",
            text="答复",
            signed_by="局长",
        ),
    )
    assert sorted(outcomes) == ["ok", "refused"]
    assert Answer.objects.filter(handling=main).count() == 1
