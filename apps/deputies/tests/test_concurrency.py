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


@pytest.mark.postgres
@pytest.mark.today("2026-04-08")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_matter_is_converted_once_when_two_try_at_once(personas, w):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    import datetime

    from apps.deputies import stations
    from apps.deputies.models import Station, StationMatter
    from apps.ledger.models import TrackedItem

    station = Station.objects.create(name="城东代表之家", kind="home")
    w.dai.station = station
    w.dai.save()
    activity = services.activity_record(
        actor=w.p.sun,
        station=station,
        date=datetime.date(2026, 4, 3),
        title="四月代表接待日",
        attendees=[w.dai],
        matters="公交站台缺少雨棚",
    )
    matter = activity.matter_rows.get()

    def convert(way: str) -> None:
        fresh = StationMatter.objects.get(pk=matter.pk)
        if way == "suggestion":
            stations.matter_to_suggestion(
                actor=w.p.sun,
                matter=fresh,
                spec=stations.MatterSuggestionSpec(
                    proposer=w.dai, checklist=w.session, title="关于雨棚的建议", content="内容"
                ),
            )
        else:
            stations.matter_to_item(
                actor=w.p.sun,
                matter=fresh,
                spec=stations.MatterItemSpec(
                    unit=w.transport,
                    deadline=datetime.date(2026, 5, 8),
                    title="增设雨棚",
                    content="",
                ),
            )

    outcomes = _race(["suggestion", "item", "suggestion", "item"], convert)
    assert sorted(outcomes) == ["ok"] + ["refused"] * 3
    matter.refresh_from_db()
    made = Suggestion.objects.filter(title="关于雨棚的建议").count() + TrackedItem.objects.count()
    assert made == 1 and matter.converted
