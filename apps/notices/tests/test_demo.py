"""The demo year of notices: a notice a month, read by most, with receipts still owed lately."""

import datetime

import pytest

from apps.core import clock
from apps.core.demo.organ import generate_organ
from apps.notices.choices import NoticeStatus
from apps.notices.demo import generate_notices
from apps.notices.models import Notice, Receipt

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 28)


def test_the_demo_year_of_notices(db):
    with clock.use_today(TODAY):
        generate_organ()
        notices, receipts, read = generate_notices(seed=1, today=TODAY)
    assert notices == Notice.objects.filter(status=NoticeStatus.PUBLISHED).count() == 12
    assert Notice.objects.filter(title="关于2027年元旦放假安排的通知", pinned=True).exists()
    assert Notice.objects.filter(title__contains="作风建设专项检查", category="bulletin").exists()
    assert receipts == Receipt.objects.count() and 0.75 * receipts < read < receipts
    # Partial receipts: the oldest are nearly all read, the latest still owed by many.
    oldest = Notice.objects.order_by("published_at").first()
    latest = Notice.objects.order_by("published_at").last()
    assert oldest is not None and latest is not None
    assert (
        oldest.receipts.filter(read_at__isnull=True).count()
        < latest.receipts.filter(read_at__isnull=True).count()
    )
    assert Receipt.objects.filter(confirmed_at__isnull=False).exists()
    assert all(n.published_at.date() <= TODAY for n in Notice.objects.all())
