"""The address book (通讯录): everyone's office phone for everyone, mobiles for leaders and the
office only, search by a part of a name, constant queries (issue 10)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.testing.factories import MembershipFactory, PersonFactory
from apps.organization.models import Person

pytestmark = pytest.mark.django_db

URL = "/organization/directory/"


@pytest.fixture
def phones(personas):
    Person.objects.filter(pk=personas.zhou.person_id).update(
        office_phone="0478-86120001", phone="13900000001"
    )
    Person.objects.filter(pk=personas.zhao.person_id).update(
        office_phone="0478-86120009", phone="13900000009"
    )


@pytest.mark.parametrize("name", ["zhou", "wu", "li"])
def test_staff_see_everyones_office_phone_but_no_mobile(client, personas, phones, name):
    client.force_login(getattr(personas, name))
    html = client.get(URL).content.decode()
    assert "周科员" in html and "吴科员" in html and "0478-86120001" in html
    assert "13900000001" not in html
    assert "手机号码仅常委会领导和办公室可见" in html


@pytest.mark.parametrize("name", ["zhao", "sun", "qian"])
def test_leaders_and_the_office_see_mobiles(client, personas, phones, name):
    client.force_login(getattr(personas, name))
    html = client.get(URL).content.decode()
    assert "13900000001" in html
    assert "常委会领导" in html and "13900000009" in html


def main(response) -> str:
    return response.content.decode().split('<main id="main">')[1]


def test_a_clerk_searching_finds_her_colleagues_not_only_herself(client, personas, phones):
    client.force_login(personas.wu)
    html = main(client.get(URL, {"q": "科员"}))
    assert "周科员" in html and "吴科员" in html
    html = main(client.get(URL, {"q": "法工"}))  # a part of a unit's short name
    assert "周科员" in html and "吴科员" not in html
    html = main(client.get(URL, {"unit": personas.finance.pk}))
    assert "吴科员" in html and "周科员" not in html


def test_hostile_input_reads_as_nothing_found(client, personas):
    client.force_login(personas.zhou)
    for params in ({"q": "<script>"}, {"unit": "-1"}, {"unit": "9" * 30}, {"q": "%" * 200}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("directory-q")[1][:200]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_address_book_answers_in_constant_queries(client, personas):
    client.force_login(personas.sun)
    small = _queries(client)
    for n in range(30):
        MembershipFactory(person=PersonFactory(name=f"新同志{n}"), unit=personas.legal)
    assert _queries(client) == small


def test_the_navigation_offers_it_to_every_reader(client, personas):
    client.force_login(personas.zhou)
    assert reverse("organization:directory") in client.get("/").content.decode()
