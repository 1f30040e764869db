"""The probe's finding 8: a co-operating unit (配合单位) could skip the lead unit's 签收.

Only the lead unit (or the responsible person) acknowledges, starts, reports and moves the item;
a co-operating unit's feedback is recorded as its contribution, which the lead unit sees.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.ledger import services
from apps.ledger.choices import EventKind, FeedbackRule, Status
from apps.ledger.models import ItemEvent, ProgressReport, TrackedItem
from apps.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-16")]


@pytest.fixture
def assigned(personas, make_item):
    """Led by 法工委 (zhou responsible), with 财经委 (wu) co-operating; weekly feedback."""
    item = make_item(co_units=[personas.finance], feedback_rule=FeedbackRule.WEEKLY)
    return services.item_assign(actor=personas.sun, item=item)


def test_the_co_units_feedback_post_moves_nothing(client, personas, assigned):
    before = TrackedItem.objects.values(
        "status", "acknowledged_at", "progress", "feedback_due", "feedback_from"
    ).get(pk=assigned.pk)
    client.force_login(personas.wu)
    response = client.post(
        reverse("ledger:item_feedback", args=[assigned.pk]),
        {"text": "财经委已提供数据", "percent": "60"},
    )
    assert response.status_code == 302
    after = TrackedItem.objects.values(
        "status", "acknowledged_at", "progress", "feedback_due", "feedback_from"
    ).get(pk=assigned.pk)
    assert after == before
    assert after["status"] == Status.ASSIGNED and after["acknowledged_at"] is None
    report = ProgressReport.objects.get(item=assigned)
    assert report.contribution and report.reporter == personas.wu
    assert ItemEvent.objects.filter(item=assigned, kind=EventKind.CONTRIBUTION).count() == 1
    assert not ItemEvent.objects.filter(item=assigned, kind=EventKind.FEEDBACK).exists()


def test_the_lead_unit_sees_the_contribution(
    client, personas, assigned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_submit(
            actor=personas.wu, item=assigned, text="配合意见已送达", percent=30
        )
    assert Notification.objects.filter(
        recipient=personas.zhou, title__contains="配合单位反馈"
    ).exists()
    client.force_login(personas.zhou)
    page = client.get(reverse("ledger:item_detail", args=[assigned.pk])).content.decode()
    assert "配合意见已送达" in page and "配合单位反馈" in page


def test_the_lead_units_feedback_still_starts_the_work(personas, assigned):
    services.feedback_submit(actor=personas.zhou, item=assigned, text="调研已开展", percent=40)
    item = TrackedItem.objects.get(pk=assigned.pk)
    assert item.status == Status.IN_PROGRESS and item.acknowledged_at is not None
    assert item.progress == 40
    assert item.feedback_from == datetime.date(2026, 11, 16)


@pytest.mark.parametrize(
    "action",
    [
        lambda p, i: services.item_acknowledge(actor=p.wu, item=i),
        lambda p, i: services.item_report_completion(actor=p.wu, item=i, text="完成"),
    ],
)
def test_a_co_unit_cannot_acknowledge_or_report(personas, assigned, action):
    with pytest.raises(PermissionDenied):
        action(personas, assigned)
    assert TrackedItem.objects.get(pk=assigned.pk).status == Status.ASSIGNED
