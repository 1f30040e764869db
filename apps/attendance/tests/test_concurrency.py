"""The probe's finding 5: 20 simultaneous taps made an IN and an OUT 0.4–1.1 ms apart.

Twenty threads, each with its own database connection, tap at once for one person; exactly one
clock record must result, and every tap must answer with that record. Repeated over a few
people, because a race shows itself only some of the time.
"""

import threading

import pytest
from django.db import connection, connections

from apps.attendance import services
from apps.attendance.models import ClockRecord
from apps.core.testing.factories import PersonFactory, UserFactory

TAPS = 20
ROUNDS = 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_taps_make_exactly_one_record():
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    for round_ in range(ROUNDS):
        user = UserFactory(username=f"tapper{round_}", person=PersonFactory(), role="staff")
        barrier = threading.Barrier(TAPS)
        records: list[int] = []
        errors: list[BaseException] = []

        def tap(user=user, barrier=barrier, records=records, errors=errors):
            try:
                barrier.wait()
                records.append(services.clock_tap(user=user, ip_address=None).record.pk)
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=tap) for _ in range(TAPS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert ClockRecord.objects.filter(person=user.person).count() == 1, round_
        assert len(records) == TAPS and len(set(records)) == 1
