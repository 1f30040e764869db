"""传阅 of an incoming document among leaders: each reading recorded, 催阅 for those who haven't."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.testing.factories import PersonFactory, UserFactory
from apps.documents import services
from apps.documents.choices import EventKind, Secrecy
from apps.notifications.models import Notification
from apps.organization.choices import LeadershipTitle
from apps.organization.models import LeadershipPost

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(personas):
    person = PersonFactory(name="孙副主任")
    LeadershipPost.objects.create(
        person=person, title=LeadershipTitle.DEPUTY_DIRECTOR, start_date="2022-01-01"
    )
    return UserFactory(username="fuzhuren", person=person, role=Role.LEADER)


@pytest.fixture
def incoming(personas):
    return services.incoming_register(
        actor=personas.sun,
        spec=services.IncomingSpec(
            title="关于征求地方性法规草案意见的函",
            source_organ="市人民政府办公室",
            received_on=datetime.date(2026, 12, 1),
            secrecy=Secrecy.SECRET,
        ),
    )


def test_the_office_circulates_and_each_reading_is_recorded(
    personas, deputy, incoming, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.incoming_circulate(
            actor=personas.li, document=incoming, leaders=[personas.zhao.person]
        )
    with pytest.raises(ValidationError, match="请选择传阅的领导"):
        services.incoming_circulate(actor=personas.sun, document=incoming, leaders=[])
    with pytest.raises(ValidationError, match="不是常委会领导"):
        services.incoming_circulate(
            actor=personas.sun, document=incoming, leaders=[personas.li.person]
        )
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.incoming_circulate(
            actor=personas.sun, document=incoming, leaders=[personas.zhao.person, deputy.person]
        )
    assert {r.reader for r in rows} == {personas.zhao, deputy}
    assert Notification.objects.filter(recipient=deputy, title__startswith="传阅：").exists()
    with pytest.raises(ValidationError, match="都已在传阅名单中"):
        services.incoming_circulate(
            actor=personas.sun, document=incoming, leaders=[personas.zhao.person]
        )
    first = services.incoming_read(actor=personas.zhao, document=incoming)
    again = services.incoming_read(actor=personas.zhao, document=incoming)
    assert first.read_at is not None and again.read_at == first.read_at
    assert services.incoming_read(actor=personas.li, document=incoming) is None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.incoming_remind(actor=personas.sun, document=incoming) == 1
    assert Notification.objects.filter(recipient=deputy, title__startswith="催阅：").exists()
    assert not Notification.objects.filter(
        recipient=personas.zhao, title__startswith="催阅："
    ).exists()
    services.incoming_read(actor=deputy, document=incoming)
    with pytest.raises(ValidationError, match="都已阅读"):
        services.incoming_remind(actor=personas.sun, document=incoming)
    kinds = list(incoming.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.READ) == 2 and EventKind.CIRCULATED in kinds


def test_a_secret_document_opens_to_the_leaders_it_was_circulated_to(
    client, personas, deputy, incoming
):
    url = reverse("documents:incoming_detail", args=[incoming.pk])
    client.force_login(deputy)
    assert client.get(url).status_code == 404
    client.force_login(personas.sun)
    response = client.post(
        reverse("documents:incoming_action", args=[incoming.pk, "circulate"]),
        {"leaders": [str(deputy.person.pk), "x"]},
        follow=True,
    )
    assert "已送领导传阅。" in response.content.decode()
    html = client.get(url).content.decode()
    assert "未阅1人" in html and "催阅未读领导" in html
    client.force_login(deputy)
    assert client.get(url).status_code == 200  # opening it is reading it
    client.force_login(personas.sun)
    html = client.get(url).content.decode()
    assert "未阅0人" in html and "已阅" in html
    response = client.post(
        reverse("documents:incoming_action", args=[incoming.pk, "remind"]), follow=True
    )
    assert "传阅的领导都已阅读，无需催阅。" in response.content.decode()
