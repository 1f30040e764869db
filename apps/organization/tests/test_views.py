import datetime
import re

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.core.testing.factories import TaskGroupFactory
from apps.core.testing.personas import Personas
from apps.organization import services
from apps.organization.models import Person, TaskGroup, TaskGroupMember, UnitMembership

D = datetime.date


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def state() -> tuple:
    return (
        list(Person.objects.order_by("pk").values()),
        list(UnitMembership.objects.order_by("pk").values()),
        list(TaskGroup.objects.order_by("pk").values()),
        list(TaskGroupMember.objects.order_by("pk").values()),
        AuditEvent.objects.exclude(action__in=["login", "logout"]).count(),
    )


def text(response) -> str:
    return response.content.decode()


def assert_csp_clean(html: str) -> None:
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag


# --- who may see which page --------------------------------------------------------------------

LOOKUP_PAGES = ["/organization/", "/organization/people/", "/organization/leadership/"]


@pytest.mark.parametrize(
    "url", [*LOOKUP_PAGES, "/organization/overview/", "/organization/task-groups/"]
)
@pytest.mark.parametrize("who", ["zhao", "qian", "sun", "li", "zhou", "wu", "sysadmin"])
def test_lookup_pages_open_to_business_roles_and_sysadmin(client, personas, url, who):
    response = as_user(client, getattr(personas, who)).get(url)
    assert response.status_code == 200
    assert_csp_clean(text(response))


@pytest.mark.parametrize("url", [*LOOKUP_PAGES, "/organization/task-groups/"])
@pytest.mark.parametrize("who", ["secadmin", "auditadmin"])
def test_security_and_audit_admins_are_refused(client, personas, url, who):
    assert as_user(client, getattr(personas, who)).get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get("/organization/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unit_list_shows_counts_and_heads(client, personas):
    html = text(as_user(client, personas.zhou).get("/organization/"))
    assert "法制工作委员会" in html and "李主任" in html
    assert "新增人员" not in html  # no management button for staff


def test_li_sees_legal_committee_people_not_finance(client, personas: Personas):
    as_user(client, personas.li)
    assert client.get(f"/organization/people/{personas.zhou.person_id}/").status_code == 200
    assert client.get(f"/organization/people/{personas.wu.person_id}/").status_code == 404
    html = text(client.get("/organization/people/"))
    assert "周科员" in html and "吴科员" not in html


def test_zhou_sees_only_himself(client, personas):
    as_user(client, personas.zhou)
    assert client.get(f"/organization/people/{personas.zhou.person_id}/").status_code == 200
    assert client.get(f"/organization/people/{personas.li.person_id}/").status_code == 404
    assert client.get(f"/organization/people/{personas.wu.person_id}/").status_code == 404
    html = text(client.get("/organization/people/"))
    assert "周科员" in html and "李主任" not in html and "吴科员" not in html


@pytest.mark.parametrize("who", ["zhao", "sun", "sysadmin"])
def test_leaders_office_staff_and_sysadmin_see_everyone(client, personas, who):
    response = as_user(client, getattr(personas, who)).get(
        f"/organization/people/{personas.wu.person_id}/"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["secadmin", "auditadmin"])
def test_admins_without_organisation_rights_get_403_on_people(client, personas, who):
    response = as_user(client, getattr(personas, who)).get(
        f"/organization/people/{personas.zhou.person_id}/"
    )
    assert response.status_code == 403


def test_person_list_search_and_filters(client, personas):
    as_user(client, personas.sun)
    html = text(client.get("/organization/people/", {"q": "吴"}))
    assert "吴科员" in html and "周科员" not in html
    html = text(client.get("/organization/people/", {"unit": personas.legal.pk, "rank": "clerk"}))
    assert "周科员" in html and "李主任" not in html and "吴科员" not in html
    response = client.get("/organization/people/", {"unit": "abc"})
    assert response.status_code == 200 and "筛选条件无效" in text(response)


def test_unit_detail_on_a_date_and_bad_date(client, personas):
    services.membership_transfer(
        person=personas.zhou.person,
        to_unit=personas.finance,
        on_date=D(2025, 3, 1),
        post_title="科员",
    )
    as_user(client, personas.sun)
    url = f"/organization/units/{personas.legal.pk}/"
    assert "周科员" in text(client.get(url, {"on": "2025-02-28"}))
    assert "周科员" not in text(client.get(url, {"on": "2025-03-01"}))
    response = client.get(url, {"on": "2025-13-45"})
    assert response.status_code == 200
    assert "无法识别" in text(response)
    assert client.get("/organization/units/999999/").status_code == 404


def test_unit_detail_names_without_links_outside_scope(client, personas):
    html = text(as_user(client, personas.zhou).get(f"/organization/units/{personas.finance.pk}/"))
    assert "吴科员" in html
    assert f"/organization/people/{personas.wu.person_id}/" not in html


# --- management --------------------------------------------------------------------------------

MANAGEMENT_GETS = [
    "/organization/people/new/",
    "/organization/people/{zhou}/edit/",
    "/organization/people/{zhou}/transfer/",
    "/organization/people/{zhou}/leave/",
    "/organization/people/{zhou}/leadership/",
    "/organization/people/{zhou}/party-group/",
    "/organization/task-groups/new/",
]


@pytest.mark.parametrize("template", MANAGEMENT_GETS)
def test_management_pages(client, personas, template):
    url = template.format(zhou=personas.zhou.person_id)
    for who in ["zhao", "qian", "sun", "li", "zhou", "wu", "secadmin", "auditadmin"]:
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 403, who
    client.force_login(personas.sysadmin)
    response = client.get(url)
    assert response.status_code == 200
    assert_csp_clean(text(response))


def test_refused_management_posts_change_nothing(client, personas):
    group = TaskGroupFactory(lead_unit=personas.legal)
    TaskGroupMember.objects.create(group=group, person=personas.zhou.person)
    before = state()
    as_user(client, personas.li)
    posts = {
        "/organization/people/new/": {"name": "冒名", "gender": "male", "birth_date": "1990-01-01"},
        f"/organization/people/{personas.zhou.person_id}/transfer/": {
            "to_unit": personas.finance.pk,
            "on_date": "2026-01-01",
            "post_title": "科员",
        },
        f"/organization/task-groups/{group.pk}/members/{personas.zhou.person_id}/remove/": {},
        f"/organization/task-groups/{group.pk}/members/add/": {"person": personas.wu.person_id},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert state() == before


def test_sysadmin_creates_a_person(client, personas):
    as_user(client, personas.sysadmin)
    response = client.post(
        "/organization/people/new/",
        {
            "name": "郑青年",
            "gender": "female",
            "birth_date": "1997-04-04",
            "rank": "clerk",
            "political_status": "league",
            "unit": personas.finance.pk,
            "post_title": "科员",
            "start_date": "2025-08-01",
        },
    )
    person = Person.objects.get(name="郑青年")
    assert response.status_code == 302
    assert response["Location"] == f"/organization/people/{person.pk}/"
    assert person.memberships.get().unit == personas.finance


def test_bad_person_input_shows_chinese_errors_and_changes_nothing(client, personas):
    as_user(client, personas.sysadmin)
    before = state()
    response = client.post(
        f"/organization/people/{personas.zhou.person_id}/edit/",
        {
            "name": "周科员",
            "gender": "male",
            "birth_date": "2099-01-01",
            "rank": "clerk",
            "political_status": "cpc",
            "email": "",
        },
    )
    assert response.status_code == 200
    assert "出生日期必须早于今天" in text(response)
    assert state() == before


def test_transfer_through_the_page_keeps_history(client, personas):
    as_user(client, personas.sysadmin)
    url = f"/organization/people/{personas.zhou.person_id}/transfer/"
    response = client.post(
        url,
        {
            "to_unit": personas.finance.pk,
            "on_date": "2026-03-01",
            "post_title": "副科长",
            "note": "交流轮岗",
        },
    )
    assert response.status_code == 302
    html = text(client.get(f"/organization/people/{personas.zhou.person_id}/"))
    assert "财政经济工作委员会" in html and "法制工作委员会" in html
    assert "2026-02-28" in html


def test_transfer_refusal_is_shown_and_changes_nothing(client, personas):
    as_user(client, personas.sysadmin)
    before = state()
    url = f"/organization/people/{personas.zhou.person_id}/transfer/"
    response = client.post(
        url, {"to_unit": personas.legal.pk, "on_date": "2026-03-01", "post_title": "科员"}
    )
    assert response.status_code == 200
    assert "交流轮岗须调往其他单位" in text(response)
    response = client.post(
        url, {"to_unit": personas.finance.pk, "on_date": "2026-02-30", "post_title": "科员"}
    )
    assert "请输入有效的日期" in text(response)
    assert state() == before


def test_leave_leadership_and_party_pages(client, personas):
    as_user(client, personas.sysadmin)
    zhao = personas.zhao.person
    response = client.post(
        f"/organization/people/{zhao.pk}/party-group/",
        {"role": "secretary", "on_date": "2022-01-01"},
    )
    assert response.status_code == 302
    html = text(client.get("/organization/leadership/"))
    assert "党组书记" in html and "赵主任" in html
    response = client.post(
        f"/organization/people/{personas.qian.person_id}/leadership/",
        {"title": "director", "on_date": "2025-01-01", "sort_order": "0"},
    )
    assert response.status_code == 200 and "赵主任" in text(response)
    response = client.post(
        f"/organization/people/{personas.wu.person_id}/leave/",
        {"last_day": "2026-10-31", "note": "调出"},
    )
    assert response.status_code == 302
    assert not Person.objects.get(pk=personas.wu.person_id).is_active


# --- task groups -------------------------------------------------------------------------------


def test_task_group_scope(client, personas):
    legal_group = TaskGroupFactory(name="立法调研组", lead_unit=personas.legal)
    office_group = TaskGroupFactory(name="会务保障组", lead_unit=personas.office)
    TaskGroupMember.objects.create(group=office_group, person=personas.wu.person)
    as_user(client, personas.wu)
    html = text(client.get("/organization/task-groups/"))
    assert "会务保障组" in html and "立法调研组" not in html
    assert client.get(f"/organization/task-groups/{office_group.pk}/").status_code == 200
    assert client.get(f"/organization/task-groups/{legal_group.pk}/").status_code == 404
    as_user(client, personas.li)
    assert client.get(f"/organization/task-groups/{legal_group.pk}/").status_code == 200
    as_user(client, personas.zhao)
    assert client.get(f"/organization/task-groups/{legal_group.pk}/").status_code == 200


def test_sysadmin_runs_a_task_group(client, personas):
    as_user(client, personas.sysadmin)
    response = client.post(
        "/organization/task-groups/new/",
        {
            "name": "预算审查专项小组",
            "purpose": "配合开展预算审查",
            "lead_unit": personas.finance.pk,
            "start_date": "2026-09-01",
        },
    )
    group = TaskGroup.objects.get(name="预算审查专项小组")
    assert response.status_code == 302
    add = f"/organization/task-groups/{group.pk}/members/add/"
    assert client.post(add, {"person": personas.wu.person_id, "role": "leader"}).status_code == 302
    assert (
        client.post(add, {"person": personas.zhou.person_id, "role": "member"}).status_code == 302
    )
    before = state()
    response = client.post(add, {"person": personas.sun.person_id, "role": "leader"})
    assert response.status_code == 200 and "该小组已有组长" in text(response)
    assert state() == before
    detail = text(client.get(f"/organization/task-groups/{group.pk}/"))
    assert "吴科员" in detail and "周科员" in detail
    remove = f"/organization/task-groups/{group.pk}/members/{personas.zhou.person_id}/remove/"
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert list(group.members.all()) == [personas.wu.person]
    response = client.post(
        f"/organization/task-groups/{group.pk}/edit/",
        {
            "name": "预算审查专项小组",
            "purpose": "配合开展预算审查",
            "lead_unit": personas.finance.pk,
            "start_date": "2026-09-01",
            "end_date": "2026-08-01",
        },
    )
    assert response.status_code == 200 and "结束日期不能早于起始日期" in text(response)
    group.refresh_from_db()
    assert group.end_date is None


def test_person_and_task_group_scope_for_every_persona(client, personas):
    group = TaskGroupFactory(lead_unit=personas.legal)
    expected_person = {"zhao": 200, "qian": 404, "sun": 200, "li": 200, "zhou": 200, "wu": 404}
    expected_person |= {"sysadmin": 200, "secadmin": 403, "auditadmin": 403, "gov": 403, "dai": 403}
    expected_group = {**expected_person}
    for who, user in personas.all().items():
        client.force_login(user)
        person = client.get(f"/organization/people/{personas.zhou.person_id}/")
        assert person.status_code == expected_person[who], who
        detail = client.get(f"/organization/task-groups/{group.pk}/")
        assert detail.status_code == expected_group[who], who
