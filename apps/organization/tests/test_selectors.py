import datetime

from apps.accounts.permissions import restrict
from apps.core.testing.factories import MembershipFactory, PersonFactory, TaskGroupFactory
from apps.organization import selectors, services
from apps.organization.choices import Rank
from apps.organization.models import Person, TaskGroup, TaskGroupMember

D = datetime.date


def test_unit_members_heads_first_then_rank(personas):
    deputy = PersonFactory(name="法工委副主任", rank=Rank.DIVISION_DEPUTY)
    MembershipFactory(person=deputy, unit=personas.legal, post_title="副主任")
    members = [m.person for m in selectors.unit_members(personas.legal, on=D(2026, 1, 5))]
    assert members == [personas.li.person, deputy, personas.zhou.person]


def test_unit_members_on_a_date_before_anyone_arrived(personas):
    assert list(selectors.unit_members(personas.legal, on=D(2019, 12, 31))) == []


def test_youth_staff_is_strictly_under_forty(personas):
    on = D(2026, 11, 1)
    turning_40_tomorrow = PersonFactory(name="明天满四十", birth_date=D(1986, 11, 2))
    forty_today = PersonFactory(name="今天满四十", birth_date=D(1986, 11, 1))
    not_posted = PersonFactory(name="未分配", birth_date=D(2000, 1, 1))
    for person in (turning_40_tomorrow, forty_today):
        MembershipFactory(person=person, unit=personas.office)
    # The personas are born 1985-06-01: 41 on that date.
    youth = list(selectors.youth_staff(on=on))
    assert turning_40_tomorrow in youth
    assert forty_today not in youth
    assert not_posted not in youth
    assert selectors.youth_staff(on=on, max_age=45).count() == 7


def test_youth_staff_on_29_february():
    assert selectors.years_before(D(2028, 2, 29), 40) == D(1988, 2, 29)
    assert selectors.years_before(D(2028, 2, 29), 41) == D(1987, 2, 28)


def test_section_level_cadres_longest_in_post_first(personas):
    veteran = PersonFactory(name="老科长", rank=Rank.SECTION_CHIEF)
    MembershipFactory(person=veteran, unit=personas.finance, start_date=D(2015, 1, 1))
    cadres = list(selectors.section_level_cadres(on=D(2026, 1, 1)))
    assert [m.person for m in cadres] == [veteran, personas.sun.person]
    assert [m.person for m in selectors.section_level_cadres(unit=personas.office)] == [
        personas.sun.person
    ]


def test_organ_overview_counts(personas):
    overview = selectors.organ_overview(on=D(2026, 1, 1))
    assert overview.total == 5  # zhao holds a leadership post but no unit posting
    by_unit = {row.unit.short_name: row for row in overview.units}
    assert by_unit["办公室"].member_count == 2
    assert by_unit["法工委"].heads == [personas.li.person]
    ranks = dict(overview.ranks)
    assert ranks["科员"] == 2 and ranks["正处级"] == 2 and ranks["正科级"] == 1
    assert overview.section_level_count == 1


def test_person_search_filters_and_respects_scope(personas):
    everyone = Person.objects.all()
    assert {p.name for p in selectors.person_search(everyone, query="科员")} == {"周科员", "吴科员"}
    in_legal = selectors.person_search(everyone, unit=personas.legal)
    assert set(in_legal) == {personas.li.person, personas.zhou.person}
    assert list(selectors.person_search(everyone, rank=Rank.SECTION_CHIEF)) == [personas.sun.person]
    li_sees = selectors.person_search(restrict(everyone, personas.li))
    assert set(li_sees) == {personas.li.person, personas.zhou.person}


def test_unit_head_scope_follows_rotation(personas):
    zhou = personas.zhou.person
    services.membership_transfer(
        person=zhou, to_unit=personas.finance, on_date=D(2025, 1, 1), post_title="科员"
    )
    assert zhou not in restrict(Person.objects.all(), personas.li)


def test_task_group_list_counts_members_even_when_scoped(personas):
    group = TaskGroupFactory(lead_unit=personas.finance)
    TaskGroupMember.objects.create(group=group, person=personas.zhou.person)
    TaskGroupMember.objects.create(group=group, person=personas.wu.person)
    TaskGroupFactory(lead_unit=personas.office)
    visible = list(selectors.task_group_list(restrict(TaskGroup.objects.all(), personas.zhou)))
    assert visible == [group]
    assert visible[0].member_count == 2
