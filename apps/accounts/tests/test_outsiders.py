"""Outsiders (外部单位联络员、人大代表) sign in to a narrow part of the platform only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.choices import Role
from apps.accounts.permissions import external_unit_id, is_outsider
from apps.core.navigation import navigation_for
from apps.core.testing.factories import PersonFactory, UserFactory
from apps.organization.choices import UnitKind
from apps.organization.models import ExternalContact, Unit

pytestmark = pytest.mark.django_db


def test_the_organs_unit_lists_never_include_an_external_body(personas):
    assert personas.government not in Unit.objects.all()
    assert set(Unit.everything.external()) == {personas.government}
    assert personas.office in Unit.everything.organ()
    contact = personas.gov.external_contact
    # Reached through a relation, the external body is there.
    assert ExternalContact.objects.get(pk=contact.pk).unit == personas.government
    assert personas.government.is_external and not personas.office.is_external


@pytest.mark.parametrize("who", ["gov", "dai"])
def test_an_outsider_is_refused_every_staff_page(client, personas, who):
    client.force_login(getattr(personas, who))
    for path in ["/ledger/", "/organization/", "/attendance/", "/notifications/", "/audit/"]:
        assert client.get(path).status_code in {403, 404}, path
    assert client.get("/").status_code == 200
    assert client.get("/accounts/password/").status_code == 200


@pytest.mark.parametrize("who", ["gov", "dai"])
def test_an_outsider_sees_no_staff_link_and_no_staff_panel(client, personas, who):
    from apps.core import navigation

    user = getattr(personas, who)
    assert is_outsider(user) and not is_outsider(personas.zhou)
    client.force_login(user)
    for group in navigation_for(user):
        for link in group["items"]:
            assert client.get(link["url"]).status_code == 200, link  # only pages made for them
    made_for_outsiders = [
        panel for builder in navigation._OUTSIDER_PANELS if (panel := builder(user)) is not None
    ]
    shown = client.get("/").context["panels"]
    assert [p.title for p in shown] == [
        p.title for p in sorted(made_for_outsiders, key=lambda p: p.order)
    ]
    for panel in shown:
        for item in panel.items:
            assert client.get(item["url"]).status_code == 200, item["url"]


def test_an_external_account_speaks_for_exactly_one_body(personas):
    assert external_unit_id(personas.gov) == personas.government.pk
    assert external_unit_id(personas.zhou) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="nobody", person=None, role=Role.EXTERNAL)
    court = Unit.everything.create(name="市中级人民法院", short_name="中院", kind=UnitKind.COURT)
    contact = ExternalContact.objects.create(unit=court, name="王联络员")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="staffer", person=None, role=Role.STAFF, external_contact=contact)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(
            username="double", person=PersonFactory(), role=Role.EXTERNAL, external_contact=contact
        )


def test_a_contact_belongs_to_an_external_body(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="机关以外的单位"):
        ExternalContact(unit=personas.office, name="误填").full_clean()
