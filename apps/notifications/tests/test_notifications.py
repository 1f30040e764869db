import pytest
from django.core import mail

from apps.notifications.models import Notification
from apps.notifications.services import notification_mark_read, notify, notify_many

pytestmark = pytest.mark.django_db


def test_a_keyed_reminder_is_sent_once(personas):
    first = notify(recipient=personas.zhou, title="【临期】事项", dedup_key="ledger:1:due_soon")
    again = notify(recipient=personas.zhou, title="【临期】事项", dedup_key="ledger:1:due_soon")
    other = notify(recipient=personas.li, title="【临期】事项", dedup_key="ledger:1:due_soon")
    assert first is not None and again is None and other is not None
    assert Notification.objects.count() == 2


def test_email_copy_goes_after_commit(personas, django_capture_on_commit_callbacks):
    personas.zhou.email = "zhou@organ.invalid"
    personas.zhou.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=personas.zhou, title="新交办事项", body="请签收", email=True)
    assert [m.subject for m in mail.outbox] == ["新交办事项"]


def test_each_person_sees_and_marks_only_their_own(client, personas):
    notify(recipient=personas.zhou, title="周科员的通知")
    notify(recipient=personas.wu, title="吴科员的通知")
    client.force_login(personas.zhou)
    page = client.get("/notifications/").content.decode()
    assert "周科员的通知" in page and "吴科员的通知" not in page
    others = Notification.objects.get(recipient=personas.wu)
    client.post("/notifications/read/", {"id": [others.pk]})
    others.refresh_from_db()
    assert others.read_at is None  # someone else's notification is untouched
    assert notification_mark_read(user=personas.zhou) == 1


def test_mark_read_does_not_redirect_off_site(client, personas):
    client.force_login(personas.zhou)
    response = client.post("/notifications/read/", {"next": "https://evil.example.com/"})
    assert response.headers["Location"] == "/notifications/"


def test_notify_many_keys_each_recipients_own_task_in_constant_queries(
    personas, django_assert_num_queries
):
    people = [personas.zhou, personas.wu, personas.zhou]
    with django_assert_num_queries(1):
        sent = notify_many(recipients=people, title="通知", task_key=lambda user: f"test:{user.pk}")
    assert sent == 2  # once each
    assert set(Notification.objects.values_list("task_key", flat=True)) == {
        f"test:{personas.zhou.pk}",
        f"test:{personas.wu.pk}",
    }
