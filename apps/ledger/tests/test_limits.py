"""Free text has a length cap: the probe's 2 MB feedback text was accepted."""

import pytest
from django.urls import reverse

from apps.ledger import services
from apps.ledger.models import ProgressReport, TrackedItem

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-16")]


@pytest.fixture
def acknowledged(personas, make_item):
    item = services.item_assign(actor=personas.sun, item=make_item())
    return services.item_acknowledge(actor=personas.zhou, item=item)


def test_a_two_megabyte_feedback_text_is_refused(client, personas, acknowledged):
    client.force_login(personas.zhou)
    url = reverse("ledger:item_feedback", args=[acknowledged.pk])
    response = client.post(url, {"text": "很" * (2 * 1024 * 1024 // 3 + 10), "percent": "10"})
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def test_a_feedback_text_over_the_cap_is_refused_with_a_message(client, personas, acknowledged):
    client.force_login(personas.zhou)
    url = reverse("ledger:item_feedback", args=[acknowledged.pk])
    response = client.post(url, {"text": "很" * 5001, "percent": "10"})
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert TrackedItem.objects.get(pk=acknowledged.pk).status == acknowledged.status


def test_the_service_refuses_text_over_the_cap_too(personas, acknowledged):
    with pytest.raises(Exception, match="5000"):
        services.feedback_submit(
            actor=personas.zhou, item=acknowledged, text="很" * 5001, percent=10
        )
