import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.core.testing.factories import (
    MembershipFactory,
    PersonFactory,
    TaskGroupFactory,
    UnitFactory,
)
from apps.organization import selectors, services
from apps.organization.choices import (
    Gender,
    LeadershipTitle,
    PartyGroupRole,
    PoliticalStatus,
    Rank,
    TaskGroupRole,
)
from apps.organization.models import (
    LeadershipPost,
    PartyGroupMembership,
    Person,
    TaskGroup,
    TaskGroupMember,
    UnitMembership,
)

D = datetime.date


def snapshot() -> tuple:
    """Everything a refused write must leave untouched."""
    return (
        list(Person.objects.order_by("pk").values()),
        list(UnitMembership.objects.order_by("pk").values()),
        list(LeadershipPost.objects.order_by("pk").values()),
        list(PartyGroupMembership.objects.order_by("pk").values()),
        list(TaskGroup.objects.order_by("pk").values()),
        list(TaskGroupMember.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def messages_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(excinfo.value.messages)


# --- people ------------------------------------------------------------------------------------


def test_person_create_with_first_posting(personas):
    person = services.person_create(
        name=" 郑青年 ",
        gender=Gender.FEMALE,
        birth_date=D(1996, 5, 4),
        rank=Rank.CLERK,
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        unit=personas.legal,
        post_title="科员",
        start_date=D(2024, 9, 1),
    )
    assert person.name == "郑青年"
    posting = selectors.person_unit_on(person, D(2025, 1, 1))
    assert posting is not None and posting.unit == personas.legal
    assert AuditEvent.objects.filter(object_type="organization.person", object_id=str(person.pk))


def test_person_create_refuses_bad_input_and_changes_nothing(personas):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            name="  ",
            gender=Gender.MALE,
            birth_date=D(2030, 1, 1),
            rank="general",
            unit=personas.legal,
            post_title="",
        )
    errors = excinfo.value.message_dict
    assert errors["name"] == ["请填写姓名。"]
    assert "出生日期" in errors["birth_date"][0]
    assert "职级" in errors["rank"][0]
    assert "职务" in errors["post_title"][0]
    assert "到岗日期" in errors["start_date"][0]
    assert snapshot() == before


def test_person_update_changes_only_what_changed(personas):
    person = personas.zhou.person
    services.person_update(
        person=person,
        name="周科员",
        gender=person.gender,
        birth_date=person.birth_date,
        rank=Rank.SECTION_DEPUTY,
        political_status=person.political_status,
        phone="0471-1234567",
    )
    person.refresh_from_db()
    assert person.rank == Rank.SECTION_DEPUTY and person.phone == "0471-1234567"


def test_person_update_bad_email_changes_nothing(personas):
    person = personas.zhou.person
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            person=person,
            name="周科员改",
            gender=person.gender,
            birth_date=person.birth_date,
            rank=person.rank,
            political_status=person.political_status,
            email="不是邮箱",
        )
    assert excinfo.value.message_dict["email"] == ["请填写有效的电子邮箱。"]
    assert snapshot() == before


# --- rotation (交流轮岗) -------------------------------------------------------------------------


def test_transfer_keeps_history_and_answers_who_was_where(personas):
    zhou = personas.zhou.person
    new = services.membership_transfer(
        person=zhou,
        to_unit=personas.finance,
        on_date=D(2025, 3, 1),
        post_title="副科长",
        note="交流轮岗",
    )
    old = UnitMembership.objects.get(person=zhou, unit=personas.legal)
    assert old.end_date == D(2025, 2, 28)
    assert new.start_date == D(2025, 3, 1) and new.end_date is None
    history = list(selectors.membership_history(zhou))
    assert [m.unit for m in history] == [personas.finance, personas.legal]

    # "Who was responsible at the time?"
    assert selectors.person_unit_on(zhou, D(2025, 2, 28)).unit == personas.legal
    assert selectors.person_unit_on(zhou, D(2025, 3, 1)).unit == personas.finance
    # "Who was in unit X on date D?"
    legal_before = {m.person for m in selectors.unit_members(personas.legal, on=D(2025, 2, 28))}
    legal_after = {m.person for m in selectors.unit_members(personas.legal, on=D(2025, 3, 1))}
    assert zhou in legal_before and zhou not in legal_after
    finance_after = {m.person for m in selectors.unit_members(personas.finance, on=D(2025, 3, 1))}
    assert zhou in finance_after


@pytest.mark.parametrize(
    ("to", "on_date", "field", "text"),
    [
        ("legal", D(2025, 3, 1), "to_unit", "须调往其他单位"),
        ("finance", D(2020, 1, 1), "on_date", "须晚于该日"),
        ("finance", D(2019, 6, 1), "on_date", "须晚于该日"),
    ],
)
def test_transfer_refusals_change_nothing(personas, to, on_date, field, text):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_transfer(
            person=personas.zhou.person,
            to_unit=getattr(personas, to),
            on_date=on_date,
            post_title="科员",
        )
    assert text in excinfo.value.message_dict[field][0]
    assert snapshot() == before


def test_transfer_refuses_inactive_unit_and_empty_title(personas):
    closed = UnitFactory(name="已撤销工作委员会", is_active=False)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_transfer(
            person=personas.zhou.person, to_unit=closed, on_date=D(2025, 3, 1), post_title=" "
        )
    assert "已停用" in excinfo.value.message_dict["to_unit"][0]
    assert excinfo.value.message_dict["post_title"] == ["请填写新岗位的职务。"]
    assert snapshot() == before


def test_transfer_of_person_without_posting_opens_one_after_the_last(personas):
    person = PersonFactory()
    MembershipFactory(person=person, unit=personas.legal, end_date=D(2022, 12, 31))
    with pytest.raises(ValidationError):
        services.membership_transfer(
            person=person, to_unit=personas.office, on_date=D(2022, 6, 1), post_title="科员"
        )
    posting = services.membership_transfer(
        person=person, to_unit=personas.office, on_date=D(2023, 1, 1), post_title="科员"
    )
    assert posting.end_date is None


def test_membership_end_closes_posts_and_marks_person(personas):
    zhao = personas.zhao.person
    MembershipFactory(person=zhao, unit=personas.office, start_date=D(2022, 1, 1))
    services.membership_end(person=zhao, last_day=D(2026, 6, 30), note="退休")
    zhao.refresh_from_db()
    assert not zhao.is_active
    assert zhao.memberships.get().end_date == D(2026, 6, 30)
    assert zhao.leadership_posts.get().end_date == D(2026, 6, 30)
    with pytest.raises(ValidationError, match="已办理离岗"):
        services.membership_end(person=zhao, last_day=D(2026, 7, 1))


def test_membership_end_before_posting_started_changes_nothing(personas):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(person=personas.zhou.person, last_day=D(2019, 1, 1))
    assert "last_day" in excinfo.value.message_dict
    assert snapshot() == before


# --- leadership and party group ----------------------------------------------------------------


def test_leadership_post_set_promotes_and_keeps_history(personas):
    qian = personas.qian.person
    services.leadership_post_set(
        person=qian, title=LeadershipTitle.SECRETARY_GENERAL, on_date=D(2024, 1, 1)
    )
    services.leadership_post_set(
        person=qian, title=LeadershipTitle.DEPUTY_DIRECTOR, on_date=D(2025, 1, 1)
    )
    posts = list(qian.leadership_posts.order_by("start_date"))
    assert [p.title for p in posts] == ["secretary_general", "deputy_director"]
    assert posts[0].end_date == D(2024, 12, 31)
    board = selectors.leadership_on(on=D(2024, 6, 1))
    assert [p.get_title_display() for p in board.leaders] == ["主任", "秘书长"]
    services.leadership_post_set(person=qian, title="", on_date=D(2026, 1, 1))
    assert not LeadershipPost.objects.on(D(2026, 1, 2)).filter(person=qian).exists()


def test_second_director_is_refused(personas):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.leadership_post_set(
            person=personas.qian.person, title=LeadershipTitle.DIRECTOR, on_date=D(2025, 1, 1)
        )
    assert "赵主任" in excinfo.value.message_dict["title"][0]
    assert snapshot() == before


def test_party_group_requires_party_member(personas):
    person = PersonFactory(political_status=PoliticalStatus.MASSES)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.party_group_member_set(
            person=person, role=PartyGroupRole.MEMBER, on_date=D(2025, 1, 1)
        )
    assert "不能担任党组职务" in excinfo.value.message_dict["role"][0]
    assert snapshot() == before
    post = services.party_group_member_set(
        person=personas.zhao.person, role=PartyGroupRole.SECRETARY, on_date=D(2022, 1, 1)
    )
    assert post is not None and selectors.leadership_on(on=D(2025, 1, 1)).party_group == [post]


# --- task groups -------------------------------------------------------------------------------


@pytest.mark.today("2026-06-01")  # the group works from March to December 2026
def test_task_group_draws_members_across_units(personas):
    group = services.task_group_create(
        name="地方性法规立法调研组",
        purpose="赴各旗县区开展立法调研",
        lead_unit=personas.legal,
        start_date=D(2026, 3, 1),
        end_date=D(2026, 12, 31),
    )
    services.task_group_add_member(
        group=group, person=personas.li.person, role=TaskGroupRole.LEADER
    )
    services.task_group_add_member(group=group, person=personas.wu.person)
    services.task_group_add_member(group=group, person=personas.sun.person)
    members = {m.person for m in selectors.task_group_members(group)}
    assert members == {personas.li.person, personas.wu.person, personas.sun.person}
    services.task_group_remove_member(group=group, person=personas.wu.person)
    assert not group.memberships.filter(person=personas.wu.person).exists()


def test_task_group_refusals_change_nothing(personas):
    group = TaskGroupFactory(lead_unit=personas.legal, end_date=None)
    services.task_group_add_member(
        group=group, person=personas.li.person, role=TaskGroupRole.LEADER
    )
    gone = PersonFactory(is_active=False, name="已调离人员")
    before = snapshot()
    with pytest.raises(ValidationError, match="已是该小组成员"):
        services.task_group_add_member(group=group, person=personas.li.person)
    with pytest.raises(ValidationError, match="已不在职"):
        services.task_group_add_member(group=group, person=gone)
    with pytest.raises(ValidationError, match="已有组长"):
        services.task_group_add_member(
            group=group, person=personas.wu.person, role=TaskGroupRole.LEADER
        )
    with pytest.raises(ValidationError, match="不是该小组成员"):
        services.task_group_remove_member(group=group, person=personas.wu.person)
    with pytest.raises(ValidationError) as excinfo:
        services.task_group_create(
            name="检查组",
            purpose="执法检查",
            lead_unit=personas.finance,
            start_date=D(2026, 5, 1),
            end_date=D(2026, 4, 1),
        )
    assert excinfo.value.message_dict["end_date"] == ["结束日期不能早于起始日期。"]
    with pytest.raises(ValidationError) as excinfo:
        services.task_group_update(
            group=group,
            name="",
            purpose="",
            lead_unit=personas.legal,
            start_date=group.start_date,
        )
    assert set(excinfo.value.message_dict) == {"name", "purpose"}
    assert snapshot() == before


def test_task_group_name_clash_only_within_overlapping_periods(personas):
    services.task_group_create(
        name="执法检查组",
        purpose="2025年执法检查",
        lead_unit=personas.finance,
        start_date=D(2025, 3, 1),
        end_date=D(2025, 6, 30),
    )
    with pytest.raises(ValidationError, match="同名"):
        services.task_group_create(
            name="执法检查组", purpose="重复", lead_unit=personas.legal, start_date=D(2025, 5, 1)
        )
    services.task_group_create(
        name="执法检查组",
        purpose="2026年执法检查",
        lead_unit=personas.legal,
        start_date=D(2026, 3, 1),
    )


def test_ended_group_takes_no_new_members(personas):
    group = TaskGroupFactory(start_date=D(2024, 1, 1), end_date=D(2024, 6, 30))
    with pytest.raises(ValidationError, match="已于2024年6月30日结束"):
        services.task_group_add_member(group=group, person=personas.zhou.person)
