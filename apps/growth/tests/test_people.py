"""Mentoring pairs, the youth group and training hours: the rules and the refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.testing.factories import MembershipFactory, PersonFactory
from apps.growth import selectors, services
from apps.growth.models import MentorPair, TrainingRecord, YouthMembership

from .conftest import D

pytestmark = pytest.mark.django_db


def _pair(personas, start=None, end=None, mentor=None):
    return services.pair_create(
        user=personas.sun,
        mentor=mentor or personas.li.person,
        mentee=personas.zhou.person,
        start_date=start or D(2026, 1, 1),
        end_date=end or D(2026, 12, 31),
        goals="独立起草调研报告",
    )


def test_a_mentee_is_not_paired_twice_in_the_same_period(personas):
    _pair(personas)
    with pytest.raises(ValidationError, match="同一期间不能重复结对"):
        _pair(personas, start=D(2026, 6, 1), end=D(2027, 5, 31), mentor=personas.qian.person)
    later = _pair(personas, start=D(2027, 1, 1), end=D(2027, 12, 31), mentor=personas.qian.person)
    assert later.mentor == personas.qian.person
    assert MentorPair.objects.count() == 2


def test_pairing_is_refused_to_non_office_and_for_bad_input(personas):
    with pytest.raises(PermissionDenied):
        services.pair_create(
            user=personas.li,
            mentor=personas.li.person,
            mentee=personas.zhou.person,
            start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31),
            goals="x",
        )
    with pytest.raises(ValidationError):
        services.pair_create(
            user=personas.sun,
            mentor=personas.zhou.person,
            mentee=personas.zhou.person,
            start_date=D(2026, 12, 31),
            end_date=D(2026, 1, 1),
            goals="",
        )
    assert not MentorPair.objects.exists()


@pytest.mark.today("2026-08-01")
def test_guidance_evaluations_and_summary_by_the_right_people(personas):
    pair = _pair(personas, start=D(2025, 9, 1), end=D(2026, 8, 31))
    services.guidance_add(
        user=personas.li, pair=pair, date=D(2026, 3, 2), kind="drafting", content="修改调研报告"
    )
    services.guidance_add(
        user=personas.zhou, pair=pair, date=D(2026, 4, 2), kind="meeting", content="会务保障"
    )
    with pytest.raises(PermissionDenied):
        services.guidance_add(
            user=personas.wu, pair=pair, date=D(2026, 3, 2), kind="talk", content="冒名"
        )
    with pytest.raises(ValidationError, match="结对期间内"):
        services.guidance_add(
            user=personas.li, pair=pair, date=D(2025, 1, 1), kind="talk", content="早于结对"
        )
    services.evaluation_submit(
        user=personas.li, pair=pair, stage="midterm", grade="good", comment="进步明显"
    )
    with pytest.raises(ValidationError, match="已提交过"):
        services.evaluation_submit(
            user=personas.li, pair=pair, stage="midterm", grade="good", comment="再评"
        )
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(
            user=personas.zhou, pair=pair, stage="final", grade="excellent", comment="自评"
        )
    with pytest.raises(PermissionDenied):
        services.summary_submit(user=personas.li, pair=pair, text="代写")
    services.summary_submit(user=personas.zhou, pair=pair, text="一年来在文稿起草方面进步很大。")
    [row] = selectors.pairs_with_progress(MentorPair.objects.all())
    assert (row.guidance_count, row.midterm_count, row.has_summary) == (2, 1, 1)


def test_mentee_candidates_are_section_level_and_young_junior_cadres(personas):
    young_section = PersonFactory(rank="section_chief", birth_date=D(1990, 1, 1))
    MembershipFactory(person=young_section, unit=personas.legal)
    young_clerk = PersonFactory(rank="clerk", birth_date=D(1998, 1, 1))
    MembershipFactory(person=young_clerk, unit=personas.legal)
    candidates = selectors.mentee_candidates(on=D(2026, 6, 1))
    assert young_section in candidates and young_clerk in candidates
    # zhou is a 科员 of 41 (born 1985), li a 正处: neither is a candidate.
    assert personas.zhou.person not in candidates and personas.li.person not in candidates


@pytest.mark.today("2026-06-01")
def test_the_youth_group_follows_the_reference_date_and_records_joins_and_leaves(personas):
    turning = PersonFactory(name="年满四十", birth_date=D(1986, 3, 1))  # 39 on 1 Jan, 40 in March
    MembershipFactory(person=turning, unit=personas.legal)
    services.youth_group_recompute()
    members = set(
        YouthMembership.objects.filter(left_on__isnull=True).values_list("person__name", flat=True)
    )
    assert "年满四十" in members  # under 40 on the reference date, 1 January
    assert services.youth_group_recompute() == {"joined": 0, "left": 0}  # idempotent
    # The next year's reference date: 40 by then, so they leave, and the leave is recorded.
    result = services.youth_group_recompute(on=D(2027, 1, 5))
    assert result["left"] >= 1
    left = YouthMembership.objects.get(person=turning)
    assert left.left_on == D(2027, 1, 5) and "已满40周岁" in left.leave_note


@pytest.mark.today("2026-06-01")
def test_a_youth_member_over_the_age_limit_is_refused(personas):
    older = PersonFactory(name="年长干部", birth_date=D(1980, 5, 1))
    with pytest.raises(ValidationError, match="超过青年理论学习小组 40 周岁以下"):
        services.youth_member_add(user=personas.sun, person=older)
    with pytest.raises(PermissionDenied):
        services.youth_member_add(user=personas.zhou, person=personas.zhou.person)
    assert not YouthMembership.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-3", "学时须大于 0"),
        ("0", "学时须大于 0"),
        ("100", "学时不合常理"),
        ("abc", "学时须为数字"),
    ],
)
def test_training_refuses_negative_or_absurd_hours(personas, hours, message):
    with pytest.raises(ValidationError, match=message):
        services.training_record_add(
            user=personas.sun,
            person=personas.zhou.person,
            kind="organ",
            title="履职能力培训",
            organiser="办公室",
            start_date=D(2026, 3, 2),
            end_date=D(2026, 3, 3),
            hours=hours,
        )
    assert not TrainingRecord.objects.exists()


def test_training_hours_show_who_is_short(personas):
    services.requirement_set(user=personas.sun, year=2026, hours="20")
    services.training_record_add(
        user=personas.sun,
        person=personas.zhou.person,
        kind="organ",
        title="履职能力培训",
        organiser="办公室",
        start_date=D(2026, 3, 2),
        end_date=D(2026, 3, 4),
        hours="24",
    )
    # A cadre records an external course of their own only with a certificate.
    with pytest.raises(ValidationError, match="结业证书"):
        services.training_record_add(
            user=personas.wu,
            person=personas.wu.person,
            kind="external",
            title="党校培训",
            organiser="市委党校",
            start_date=D(2026, 4, 1),
            end_date=D(2026, 4, 1),
            hours="8",
        )
    with pytest.raises(PermissionDenied):
        services.training_record_add(
            user=personas.wu,
            person=personas.zhou.person,
            kind="organ",
            title="代登记",
            organiser="办公室",
            start_date=D(2026, 4, 1),
            end_date=D(2026, 4, 1),
            hours="8",
        )
    services.training_record_add(
        user=personas.wu,
        person=personas.wu.person,
        kind="external",
        title="党校培训",
        organiser="市委党校",
        start_date=D(2026, 4, 1),
        end_date=D(2026, 4, 1),
        hours="8",
        certificate_no="DX2026001",
    )
    from apps.organization.models import Person

    rows = {p.name: p.hours for p in selectors.training_hours(Person.objects.all(), 2026)}
    assert rows["周科员"] == 24 and rows["吴科员"] == 8
    assert selectors.training_requirement(2026) == 20
    short = [name for name, hours in rows.items() if hours < 20]
    assert "吴科员" in short and "周科员" not in short
