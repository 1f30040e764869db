"""factory_boy factories shared by every area's tests."""

from __future__ import annotations

import datetime

import factory

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.organization.choices import Gender, PoliticalStatus, Rank, UnitKind
from apps.organization.models import Person, TaskGroup, Unit, UnitMembership

TEST_PASSWORD = "Test@Organ2026!"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试工作委员会{n}")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    kind = UnitKind.COMMITTEE
    sort_order = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    gender = Gender.MALE
    birth_date = datetime.date(1985, 6, 1)
    rank = Rank.CLERK
    political_status = PoliticalStatus.CPC_MEMBER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitMembership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    post_title = "科员"
    start_date = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF  # already granted; `UserFactory(pending=True)` for one that waits
    person = factory.SubFactory(PersonFactory)

    class Params:
        # Opened by the system administrator, not yet granted a role (三员分立): cannot sign in.
        pending = factory.Trait(role="", is_active=False)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TaskGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskGroup

    name = factory.Sequence(lambda n: f"专项工作小组{n}")
    purpose = "调研保障"
    lead_unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2026, 3, 1)


def interim_head(unit: Unit, until: datetime.date, name: str = "代理负责人") -> User:
    """A head of `unit` (with an account) until `until`: the approver whom a leave request asks
    for when the personas leave the unit's head post vacant, gone by the day being tested."""
    head = PersonFactory(name=f"{unit.short_name or unit.name}{name}")
    MembershipFactory(person=head, unit=unit, is_head=True, end_date=until)
    return UserFactory(person=head, role=Role.UNIT_HEAD)
