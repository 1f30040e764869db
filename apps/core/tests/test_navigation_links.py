"""The navigation shows a link exactly when its page opens for the user (issue 10, point 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import gates
from apps.core.navigation import _NAV, navigation_for
from apps.core.testing.personas import PERSONA_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_role_sees_exactly_the_links_it_may_open(client, personas, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    shown = {item["url"] for group in navigation_for(user) for item in group["items"]}
    failures = []
    for item in _NAV:
        url = reverse(item.url_name)
        status = client.get(url).status_code
        if url in shown and status != 200:
            failures.append(f"{persona} sees “{item.label}” ({url}) but it answers {status}")
        if url not in shown and status == 200:
            failures.append(f"{persona} does not see “{item.label}” ({url}) which opens for it")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_home_page_prints_only_the_links_of_the_user(client, personas):
    client.force_login(personas.sysadmin)
    page = client.get("/").content.decode()
    assert reverse("ledger:item_list") not in page
    assert reverse("organization:unit_list") in page


@pytest.mark.django_db
def test_a_closed_gate_answers_403_with_its_own_message(client, personas):
    client.force_login(personas.sysadmin)
    response = client.get(reverse("ledger:item_list"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "三员管理员账号" in text
    assert "联系单位负责人或系统管理员" not in text


def test_an_unknown_gate_fails_at_once():
    with pytest.raises(LookupError):
        gates.requires("no.such.gate")
