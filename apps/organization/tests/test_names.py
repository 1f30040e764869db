"""Units and people by the names people write."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.organization.models import UnitAlias
from apps.organization.names import PeopleNames, UnitNames, canonical_unit_name
from apps.organization.services import unit_alias_add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    [
        "法制工作委员会",
        "法工委",
        "法制工委",
        "市人大常委会法制工作委员会",
        "市人大常委会法制工委",
        " 法制工作委员会 ",
    ],
)
def test_the_usual_forms_of_a_units_name(personas, written):
    assert UnitNames().unit(written, "牵头单位") == personas.legal


def test_aliases_and_brackets(personas):
    unit_alias_add(unit=personas.finance, name="财经工委")
    unit_alias_add(unit=personas.finance, name="财经委（预算）")
    names = UnitNames()
    assert names.unit("财经工委", "牵头单位") == personas.finance
    assert names.unit("财经委(预算)", "牵头单位") == personas.finance  # half-width brackets
    assert canonical_unit_name("财经委（预算）") == canonical_unit_name("财经委(预算)")
    with pytest.raises(LookupError, match="牵头单位“宣传委”不存在"):
        names.unit("宣传委", "牵头单位")


def test_a_group_stands_for_every_committee(personas):
    names = UnitNames()
    assert names.group("各工委") == [personas.legal, personas.finance]
    assert names.group("各工作委员会") == [personas.legal, personas.finance]
    assert names.group("法工委") is None


def test_a_leader_by_post(personas):
    import datetime

    people = PeopleNames(datetime.date(2026, 6, 1), UnitNames())
    assert people.person("主任", "领责领导", leader=True) == personas.zhao.person
    assert people.person("赵主任（主任）", "领责领导", leader=True) == personas.zhao.person
    with pytest.raises(LookupError, match="领责领导“分管副主任”：目前没有人担任副主任"):
        people.person("分管副主任", "领责领导", leader=True)


def test_an_alias_may_not_shadow_another_unit(personas):
    with pytest.raises(ValidationError, match="“法工委”已是法制工作委员会的名称或别名"):
        unit_alias_add(unit=personas.finance, name="法工委")
    assert not UnitAlias.objects.exists()


def test_the_system_administrator_keeps_the_aliases(client, personas):
    url = reverse("organization:unit_aliases", args=[personas.finance.pk])
    client.force_login(personas.sysadmin)
    response = client.post(url, {"name": "财经工委"}, follow=True)
    assert "已添加别名“财经工委”" in response.content.decode()
    alias = UnitAlias.objects.get()
    assert AuditEvent.objects.filter(object_type="organization.unitalias", action="create").exists()
    response = client.post(url, {"name": "法工委"})
    assert "已是法制工作委员会的名称或别名" in response.content.decode()
    client.post(url, {"remove": str(alias.pk)})
    assert not UnitAlias.objects.exists()
    page = client.get(reverse("organization:unit_detail", args=[personas.finance.pk]))
    assert url in page.content.decode()
