"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.factories import TaskGroupFactory
from apps.core.testing.url_matrix import ORG_READERS, SYSADMIN, Case, fixed
from apps.organization.models import TaskGroupMember


def objects(p) -> dict[str, object]:
    group = TaskGroupFactory(lead_unit=p.legal)
    TaskGroupMember.objects.create(group=group, person=p.zhou.person)
    return {"task_group": group}


MATRIX = {
    # organisation
    "organization:unit_list": Case(fixed("/organization/"), ok=ORG_READERS),
    "organization:unit_detail": Case(
        lambda w: f"/organization/units/{w.p.legal.pk}/", ok=ORG_READERS
    ),
    "organization:person_list": Case(fixed("/organization/people/"), ok=ORG_READERS),
    "organization:directory": Case(
        fixed("/organization/directory/?q=%27%3Cx%3E&unit=abc"), ok=ORG_READERS
    ),
    "organization:person_detail": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/",
        ok={"zhao", "sun", "li", "zhou", "sysadmin"},
        not_found={"qian", "wu"},
    ),
    "organization:person_create": Case(
        fixed("/organization/people/new/"),
        ok=SYSADMIN,
        post={
            "name": "冒名",
            "gender": "male",
            "birth_date": "1990-01-01",
            "rank": "clerk",
            "political_status": "cpc",
        },
    ),
    "organization:person_update": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/edit/",
        ok=SYSADMIN,
        post={
            "name": "改名",
            "gender": "male",
            "birth_date": "1985-06-01",
            "rank": "clerk",
            "political_status": "cpc",
        },
    ),
    "organization:person_transfer": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/transfer/",
        ok=SYSADMIN,
        post={"on_date": "2026-03-01", "post_title": "科员"},
    ),
    "organization:person_leave": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/leave/",
        ok=SYSADMIN,
        post={"last_day": "2026-10-31"},
    ),
    "organization:person_leadership": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/leadership/",
        ok=SYSADMIN,
        post={"title": "deputy_director", "on_date": "2026-03-01", "sort_order": "0"},
    ),
    "organization:person_party_group": Case(
        lambda w: f"/organization/people/{w.p.zhou.person_id}/party-group/",
        ok=SYSADMIN,
        post={"role": "member", "on_date": "2026-03-01"},
    ),
    "organization:leadership": Case(fixed("/organization/leadership/"), ok=ORG_READERS),
    "organization:overview": Case(fixed("/organization/overview/"), ok=ORG_READERS),
    "organization:taskgroup_list": Case(fixed("/organization/task-groups/"), ok=ORG_READERS),
    "organization:taskgroup_detail": Case(
        lambda w: f"/organization/task-groups/{w.task_group.pk}/",
        ok={"zhao", "sun", "li", "zhou", "sysadmin"},
        not_found={"qian", "wu"},
    ),
    "organization:taskgroup_create": Case(
        fixed("/organization/task-groups/new/"),
        ok=SYSADMIN,
        post={"name": "冒名小组", "purpose": "x", "start_date": "2026-03-01"},
    ),
    "organization:taskgroup_update": Case(
        lambda w: f"/organization/task-groups/{w.task_group.pk}/edit/",
        ok=SYSADMIN,
        post={"name": "改名小组", "purpose": "x", "start_date": "2026-03-01"},
    ),
    "organization:taskgroup_member_add": Case(
        lambda w: f"/organization/task-groups/{w.task_group.pk}/members/add/",
        ok=SYSADMIN,
        post={"person": "", "role": "member"},
    ),
    "organization:taskgroup_member_remove": Case(
        lambda w: (
            f"/organization/task-groups/{w.task_group.pk}/members/{w.p.zhou.person_id}/remove/"
        ),
        ok=SYSADMIN,
        post_only=True,
        post={},
    ),
}

MATRIX["organization:unit_aliases"] = Case(
    lambda w: f"/organization/units/{w.p.legal.pk}/aliases/", ok=SYSADMIN, post={"name": "冒名别名"}
)
