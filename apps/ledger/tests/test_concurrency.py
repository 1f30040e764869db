import threading

import pytest
from django.db import connection, connections

from apps.ledger import services
from apps.ledger.choices import EventKind, Status
from apps.ledger.models import ItemEvent, TrackedItem
from apps.ledger.services import TransitionError


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_verifying_at_once_make_one_transition(personas, make_item):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite忽略select_for_update）")
    item = services.item_assign(actor=personas.sun, item=make_item(milestones=[]))
    item = services.item_acknowledge(actor=personas.zhou, item=item)
    item = services.item_report_completion(actor=personas.zhou, item=item, text="完成")
    barrier = threading.Barrier(2)
    outcomes = []

    def verify(user):
        try:
            barrier.wait()
            services.item_verify(actor=user, item=TrackedItem.objects.get(pk=item.pk))
            outcomes.append("ok")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=verify, args=(u,)) for u in (personas.sun, personas.qian)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refused"]
    assert TrackedItem.objects.get(pk=item.pk).status == Status.VERIFIED
    assert (
        ItemEvent.objects.filter(
            item=item, to_status=Status.VERIFIED, kind=EventKind.TRANSITION
        ).count()
        == 1
    )
