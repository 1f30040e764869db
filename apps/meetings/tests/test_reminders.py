"""The ledger's daily reminders reach the reporting body's contacts for what this area assigned to
it, linking to the body's own pages."""

import datetime

import pytest

from apps.ledger.reminders import send_reminders
from apps.meetings import services
from apps.notifications.models import Notification

from .factories import decide, make_session

pytestmark = pytest.mark.django_db


def test_an_overdue_material_reminds_the_bodys_contact_until_it_is_submitted(
    personas, members, django_capture_on_commit_callbacks
):
    session = decide(personas, make_session(personas, items=1))
    item = session.items.get()
    tracked = item.materials_item
    late = tracked.deadline + datetime.timedelta(days=1)
    send_reminders(late)
    reminder = Notification.objects.get(recipient=personas.gov, category="ledger_reminder")
    assert reminder.url == f"/meetings/body/items/{item.pk}/"
    assert reminder.task_key == f"ledger:{tracked.pk}:submit"
    assert reminder.title.startswith("【逾期】")
    with django_capture_on_commit_callbacks(execute=True):
        services.material_upload(
            actor=personas.gov, item=item, title="工作报告", pages=3, characters=2000
        )
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None
    send_reminders(late + datetime.timedelta(days=1))
    assert (
        Notification.objects.filter(recipient=personas.gov, category="ledger_reminder").count() == 1
    )
