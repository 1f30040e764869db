"""The office sets up drafting groups: name, lead unit, head, members in and out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.documents import services
from apps.documents.models import DraftingGroup

pytestmark = pytest.mark.django_db


def spec(personas, **changes):
    values = {
        "name": "法制文稿组",
        "duty": "起草法规草案说明",
        "lead_unit": personas.legal,
        "head": personas.li.person,
        "members": [personas.zhou.person],
        "sort_order": 2,
    }
    values.update(changes)
    return services.GroupSpec(**values)


def test_the_office_sets_up_a_group_and_changes_its_members(personas):
    with pytest.raises(PermissionDenied):
        services.group_save(actor=personas.li, group=None, spec=spec(personas))
    group = services.group_save(actor=personas.sun, group=None, spec=spec(personas))
    assert list(group.members.all()) == [personas.zhou.person]
    created = AuditEvent.objects.get(
        object_type="documents.draftinggroup", object_id=str(group.pk), action="create"
    )
    assert created.detail["head"] == "李主任" and created.detail["members_added"] == ["周科员"]
    with pytest.raises(ValidationError, match="已有名为“法制文稿组”"):
        services.group_save(actor=personas.sun, group=None, spec=spec(personas))
    group = services.group_save(
        actor=personas.qian,
        group=group,
        spec=spec(personas, members=[personas.wu.person, personas.li.person]),
    )
    # The head need not be a member; zhou is out, wu is in.
    assert list(group.members.all()) == [personas.wu.person]
    detail = (
        AuditEvent.objects.filter(
            object_type="documents.draftinggroup", detail__has_key="members_removed"
        )
        .latest("id")
        .detail
    )
    assert detail == {"members_added": ["吴科员"], "members_removed": ["周科员"]}


def test_an_inactive_head_is_refused(personas):
    person = personas.li.person
    person.is_active = False
    person.save()
    with pytest.raises(ValidationError, match="已不在职，不能任组长"):
        services.group_save(actor=personas.sun, group=None, spec=spec(personas))
    assert not DraftingGroup.objects.exists()


def test_the_pages(client, personas):
    group = services.group_save(actor=personas.sun, group=None, spec=spec(personas))
    client.force_login(personas.sun)
    html = client.get(reverse("documents:group_list")).content.decode()
    assert "设立起草小组" in html and "调整小组" in html and "成员：周科员" in html
    response = client.get(reverse("documents:group_edit", args=[group.pk]))
    assert_no_external_refs(response.content.decode())
    assert_csp_safe(response.content.decode())
    response = client.post(
        reverse("documents:group_edit", args=[group.pk]),
        {
            "name": "法制文稿组",
            "lead_unit": personas.legal.pk,
            "head": personas.li.person.pk,
            "members": [personas.zhou.person.pk, personas.wu.person.pk],
            "sort_order": 2,
        },
    )
    assert response.status_code == 302
    assert set(group.members.all()) == {personas.zhou.person, personas.wu.person}
    response = client.post(
        reverse("documents:group_create"),
        {"name": "法制文稿组", "lead_unit": personas.legal.pk, "head": "x", "sort_order": "-1"},
    )
    assert response.status_code == 200
    assert DraftingGroup.objects.count() == 1
    client.force_login(personas.zhou)
    assert "调整小组" not in client.get(reverse("documents:group_list")).content.decode()
