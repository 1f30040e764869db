"""Two tabs opening the same notice at once record one reading (PostgreSQL only: SQLite
serialises writers, so the race cannot happen there)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from apps.core.testing.factories import MembershipFactory, UserFactory
from apps.notices import services
from apps.notices.models import Receipt

from .factories import make_notice


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_readings_at_once_store_one_receipt(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL")
    notice = make_notice(personas, units=[personas.legal])
    services.notice_publish(actor=personas.sun, notice=notice)
    notice.refresh_from_db()
    # zhou has a receipt row (the conditional update races); the newcomer has none (get_or_create).
    newcomer = UserFactory(
        person=MembershipFactory(unit=personas.legal, start_date=datetime.date(2020, 1, 1)).person
    )
    for reader in (personas.zhou, newcomer):
        outcomes = _race(
            *[lambda r=reader: services.notice_read(reader=r, notice=notice) for _ in range(4)]
        )
        assert len(outcomes) == 4 and all(o is not None for o in outcomes)
        rows = Receipt.objects.filter(notice=notice, recipient=reader)
        assert rows.count() == 1
        assert {o.read_at for o in outcomes} == {rows.get().read_at}  # type: ignore[attr-defined]
