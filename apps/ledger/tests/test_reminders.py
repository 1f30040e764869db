import datetime
import threading

import pytest
from django.db import connection, connections

from apps.core.models import ScheduledRun
from apps.core.scheduling import enqueue_due_jobs
from apps.ledger import services
from apps.ledger.models import TrackedItem
from apps.ledger.reminders import send_reminders
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def assigned(personas, make_item, **kwargs):
    return services.item_assign(actor=personas.sun, item=make_item(**kwargs))


def keys(user):
    return set(Notification.objects.filter(recipient=user).values_list("dedup_key", flat=True))


def test_due_soon_goes_to_the_responsible_person_once(personas, make_item):
    item = assigned(personas, make_item, milestones=[])
    today = item.warn_from
    first = send_reminders(today)
    second = send_reminders(today)
    assert first.sent == 1 and second.sent == 0 and second.skipped_duplicates == 1
    assert keys(personas.zhou) == {f"ledger:{item.pk}:due_soon:{item.deadline}"}
    assert not keys(personas.li) and not keys(personas.zhao)


def test_overdue_climbs_to_the_unit_head_then_the_leading_leader(personas, make_item):
    item = assigned(personas, make_item, milestones=[])
    # 2026-12-15 deadline: the 16th is one workday late — person and unit head.
    send_reminders(datetime.date(2026, 12, 16))
    assert keys(personas.zhou) and keys(personas.li)
    assert not keys(personas.zhao)
    # Four workdays late (16, 17, 18, 21 Dec): past the 3-workday threshold, the leader is told.
    send_reminders(datetime.date(2026, 12, 21))
    assert keys(personas.zhao) == {f"ledger:{item.pk}:overdue:2026-12-21"}


def test_missing_feedback_is_itself_overdue(personas, make_item):
    item = assigned(personas, make_item, milestones=[], feedback_rule="weekly")
    TrackedItem.objects.filter(pk=item.pk).update(feedback_due=datetime.date(2026, 11, 20))
    send_reminders(datetime.date(2026, 11, 23))
    assert f"ledger:{item.pk}:feedback:2026-11-20:missing" in keys(personas.zhou)
    assert f"ledger:{item.pk}:feedback:2026-11-20:missing" in keys(personas.li)


def test_closed_items_are_not_reminded(personas, make_item):
    item = assigned(personas, make_item, milestones=[])
    services.item_cancel(actor=personas.sun, item=item, reason="党组决定不再办理")
    assert send_reminders(datetime.date(2026, 12, 20)).sent == 0


def test_the_scheduler_enqueues_the_job_once_a_workday(personas, make_item):
    assigned(personas, make_item, milestones=[])
    from django.utils import timezone

    monday_morning = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 5))
    assert "督办提醒" in enqueue_due_jobs(monday_morning)
    assert enqueue_due_jobs(monday_morning) == []
    saturday = timezone.make_aware(datetime.datetime(2026, 11, 28, 9, 0))
    assert "督办提醒" not in enqueue_due_jobs(saturday)
    assert ScheduledRun.objects.filter(job="督办提醒").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_reminder_once(personas, make_item):
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要PostgreSQL（SQLite不支持行级锁与并发写入）")
    items = [assigned(personas, make_item, title=f"事项{n}", milestones=[]) for n in range(5)]
    day = datetime.date(2026, 12, 21)  # all overdue: person, head and leader each get one per item
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(send_reminders(day))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2
    expected = len(items) * 3  # zhou, li, zhao
    assert sum(r.sent for r in results) == expected
    assert Notification.objects.filter(category="ledger_reminder").count() == expected


# --- items assigned to an external body: its contacts are reminded until it submits ------------


def body_item(personas, make_item, **kwargs):
    """An item assigned to 市人民政府 (an external body: no heads, no responsible person here)."""
    return assigned(
        personas,
        make_item,
        lead_unit=personas.government,
        responsible_person=None,
        milestones=[],
        **kwargs,
    )


def tasks(user):
    return dict(Notification.objects.filter(recipient=user).values_list("dedup_key", "task_key"))


def test_an_external_bodys_contacts_get_the_warning_and_the_overdue_escalation(personas, make_item):
    item = body_item(personas, make_item)
    send_reminders(item.warn_from)
    key = f"ledger:{item.pk}:due_soon:{item.deadline}"
    assert tasks(personas.gov) == {key: f"ledger:{item.pk}:submit"}
    send_reminders(datetime.date(2026, 12, 21))  # four workdays late: escalated
    overdue = f"ledger:{item.pk}:overdue:2026-12-21"
    assert overdue in keys(personas.gov)
    assert overdue in keys(personas.zhao)  # the leading leader, as for any item
    # The organ's people keep the ledger's own task key (it resolves when the item is closed).
    assert tasks(personas.zhao)[overdue] == f"ledger:{item.pk}:close"


def test_an_external_bodys_contacts_are_reminded_of_feedback(personas, make_item):
    item = body_item(personas, make_item, feedback_rule="weekly")
    TrackedItem.objects.filter(pk=item.pk).update(feedback_due=datetime.date(2026, 11, 20))
    send_reminders(datetime.date(2026, 11, 23))
    key = f"ledger:{item.pk}:feedback:2026-11-20:missing"
    assert tasks(personas.gov)[key] == f"ledger:{item.pk}:feedback"


def test_the_contacts_reminders_resolve_when_the_body_submits(
    personas, make_item, django_capture_on_commit_callbacks
):
    item = body_item(personas, make_item)
    send_reminders(datetime.date(2026, 12, 16))
    assert Notification.objects.filter(recipient=personas.gov, resolved_at__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_acknowledge(actor=personas.gov, item=item)
        services.item_report_completion(actor=personas.gov, item=item, text="已办理完毕。")
    assert not Notification.objects.filter(
        recipient=personas.gov, resolved_at__isnull=True, category="ledger_reminder"
    ).exists()
    # Submitted: the verification is the organ's; the body is not reminded any more.
    send_reminders(datetime.date(2026, 12, 17))
    assert f"ledger:{item.pk}:overdue:2026-12-17" not in keys(personas.gov)


def test_the_reminder_links_to_the_page_the_owning_area_registered(personas, make_item):
    from apps.ledger import policies

    item = body_item(personas, make_item)
    link = lambda tracked: f"/area/{tracked.pk}/" if tracked.pk == item.pk else ""  # noqa: E731
    policies.register_outsider_link(link)
    try:
        send_reminders(item.warn_from)
    finally:
        policies._OUTSIDER_LINKS.remove(link)
    assert Notification.objects.get(recipient=personas.gov).url == f"/area/{item.pk}/"


def test_only_the_bodys_active_contacts_and_only_for_its_items(personas, make_item):
    organ_item = assigned(personas, make_item, milestones=[])
    item = body_item(personas, make_item)
    personas.gov.external_contact.is_active = False
    personas.gov.external_contact.save()
    send_reminders(datetime.date(2026, 12, 16))
    assert not keys(personas.gov)
    personas.gov.external_contact.is_active = True
    personas.gov.external_contact.save()
    send_reminders(datetime.date(2026, 12, 17))
    assert keys(personas.gov) == {f"ledger:{item.pk}:overdue:2026-12-17"}
    assert f"ledger:{organ_item.pk}:overdue:2026-12-17" in keys(personas.zhou)
