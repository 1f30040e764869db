"""Notifications about a task resolve when the task is done, by anyone (issue 10, point 4)."""

from __future__ import annotations

import datetime

import pytest

from apps.approvals import services as approvals
from apps.approvals.choices import ApproverKind
from apps.core import clock
from apps.ledger import services as ledger
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.services import ItemSpec
from apps.notifications.models import Notification
from apps.notifications.selectors import unread_count
from apps.notifications.services import notify, resolve_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates the content types under new ids while Django's
    per-process cache keeps the old ones: an approval's subject would point at a missing row."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def flow(db):
    return approvals.flow_ensure(
        code="test.leave",
        name="请假审批",
        steps=[
            ("单位负责人审批", ApproverKind.UNIT_HEAD, 0),
            ("主任审批", ApproverKind.DIRECTOR, 3),
        ],
    )


def test_deciding_an_approval_clears_the_approvers_notification(personas, flow):
    request = approvals.approval_submit(
        flow_code="test.leave",
        applicant=personas.zhou,
        subject=personas.legal,
        title="事假5天",
        amount=5,
    )
    assert unread_count(personas.li) == 1
    approvals.approval_decide(actor=personas.li, request=request, approve=True)
    assert unread_count(personas.li) == 0
    first = Notification.objects.get(recipient=personas.li)
    assert first.resolved_at is not None and first.read_at is None
    # The next approver's notification is a task of its own, still open.
    assert unread_count(personas.zhao) == 1
    approvals.approval_withdraw(actor=personas.zhou, request=request)
    assert unread_count(personas.zhao) == 0


def test_signing_for_an_item_clears_every_signers_notification(personas):
    checklist = ledger.checklist_create(
        actor=personas.sun, name="清单", year=clock.today().year, source=Source.PARTY_GROUP
    )
    item = ledger.item_create(
        actor=personas.sun,
        spec=ItemSpec(
            checklist=checklist,
            title="推进立法联系点建设",
            lead_unit=personas.legal,
            deadline=DeadlineSpec(date=clock.today() + datetime.timedelta(days=60)),
            leading_leader=personas.zhao.person,
            responsible_person=personas.zhou.person,
            trackers=[personas.sun.person],
            milestones=[],
        ),
    )
    ledger.item_assign(actor=personas.sun, item=item)
    assert unread_count(personas.zhou) == 1 and unread_count(personas.li) == 1
    # The unit head signs: the responsible person's notice is done too.
    ledger.item_acknowledge(actor=personas.li, item=item)
    assert unread_count(personas.zhou) == 0 and unread_count(personas.li) == 0
    page = client_page(personas.zhou)
    assert "已办结，无需处理" in page


def client_page(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/notifications/").content.decode()


def test_plain_messages_stay_until_read(personas):
    notify(recipient=personas.zhou, title="会议通知")
    assert resolve_task("nothing") == 0
    assert unread_count(personas.zhou) == 1
