"""The demo organ: `manage.py seed_demo` and the generator behind it."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain
from apps.core.demo import DEMO_PASSWORD, generate_organ, plan_organ
from apps.core.demo.organ import is_mentee, is_youth
from apps.core.management.commands.seed_demo import DEFAULT_SEED
from apps.documents.models import IncomingDocument
from apps.organization.choices import LeadershipTitle, PartyGroupRole, Rank, UnitKind
from apps.organization.models import (
    LeadershipPost,
    PartyGroupMembership,
    Person,
    TaskGroup,
    Unit,
    UnitMembership,
)
from apps.party.models import HigherReport


def _seed(*args: str) -> str:
    out = StringIO()
    # The year of attendance takes about a minute; apps/attendance/tests cover its generator.
    call_command("seed_demo", "--without-attendance", *args, stdout=out)
    return out.getvalue()


def _ids(queryset, field: str) -> list[str]:
    """The ids a queryset's foreign key `field` names, as the audit trail writes object ids."""
    return [str(pk) for pk in queryset.exclude(**{field: None}).values_list(field, flat=True)]


def _staff(day: datetime.date) -> list[Person]:
    return list(Person.objects.filter(memberships__in=UnitMembership.objects.on(day)).distinct())


# ---------------------------------------------------------------------------------------------
# The plan is deterministic and needs no database
# ---------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_organ():
    first, second = plan_organ(seed=2026), plan_organ(seed=2026)
    assert [p.name for p in first.persons] == [p.name for p in second.persons]
    assert first.persons == second.persons
    assert first.postings == second.postings
    assert first.task_groups == second.task_groups


def test_another_seed_gives_other_names():
    assert [p.name for p in plan_organ(seed=1).persons] != [
        p.name for p in plan_organ(seed=2).persons
    ]


@pytest.mark.parametrize("seed", [1, 7, 2026, 4242])
def test_every_seed_meets_the_demo_targets(seed):
    plan = plan_organ(seed=seed)
    today = timezone.localdate()
    staff = [p for p in plan.persons if p.unit is not None]
    assert len(staff) == 90
    assert sum(is_youth(p, today) for p in staff) >= 25
    assert sum(is_mentee(p, today) for p in staff) >= 18
    assert sum(p.rank == Rank.DIVISION_DEPUTY for p in staff) >= 6
    assert len({p.name for p in plan.persons}) == len(plan.persons)


def test_a_large_organ_for_the_benchmark_has_unique_names():
    plan = plan_organ(staff_per_unit=100, extra_units=40)
    assert len(plan.units) == 50
    assert sum(p.unit is not None for p in plan.persons) == 5000
    assert len({p.name for p in plan.persons}) == len(plan.persons)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        plan_organ(staff_per_unit=0)
    with pytest.raises(ValueError):
        plan_organ(extra_units=-1)


# ---------------------------------------------------------------------------------------------
# seed_demo on the test database
# ---------------------------------------------------------------------------------------------


class Seeded:
    def __init__(self, output: str, audit_before: int) -> None:
        self.output = output
        self.audit_before = audit_before


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo loaded once for the tests of a class, inside a transaction rolled back after them
    (loading takes most of a minute; each test still runs in its own savepoint)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            before = AuditEvent.objects.count()
            yield Seeded(_seed(), before)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")  # one worker loads the demo once for the class
@pytest.mark.usefixtures("seeded")
class TestTheDemoOrgan:
    """What one load of the demo holds (each test reads; none loads the demo again)."""

    def test_seed_demo_builds_the_organ_of_the_work_report(self, seeded):
        output = seeded.output
        today = timezone.localdate()

        units = list(Unit.objects.all())
        assert len(units) == 10
        assert [u.kind for u in units].count(UnitKind.OFFICE) == 1
        assert units[0].name == "办公室"
        assert {"法制工作委员会", "人事代表选举任免联络工作委员会"} <= {u.name for u in units}

        staff = _staff(today)
        assert 85 <= len(staff) <= 95
        assert sum(p.age_on(today) < 40 for p in staff) >= 25
        assert sum(is_mentee(p, today) for p in staff) >= 18
        assert sum(p.rank == Rank.DIVISION_DEPUTY for p in staff) >= 6
        party_members = sum(p.is_party_member for p in staff)
        assert party_members > len(staff) * 0.8
        assert Person.objects.values("name").distinct().count() == Person.objects.count()

        # Every unit has exactly one head, a 正处级 cadre.
        heads = UnitMembership.objects.on(today).filter(is_head=True).select_related("person")
        assert sorted(h.unit_id for h in heads) == sorted(u.pk for u in units)
        assert {h.person.rank for h in heads} == {Rank.DIVISION_CHIEF}

        titles = list(LeadershipPost.objects.on(today).values_list("title", flat=True))
        assert titles.count(LeadershipTitle.DIRECTOR) == 1
        assert titles.count(LeadershipTitle.DEPUTY_DIRECTOR) == 5
        assert titles.count(LeadershipTitle.SECRETARY_GENERAL) == 1
        director = LeadershipPost.objects.get(title=LeadershipTitle.DIRECTOR).person
        secretary = PartyGroupMembership.objects.get(role=PartyGroupRole.SECRETARY).person
        assert secretary == director
        assert PartyGroupMembership.objects.filter(role=PartyGroupRole.MEMBER).count() >= 2

        # 交流轮岗: a closed posting and a new one in another unit, in 2025 or 2026.
        closed = UnitMembership.objects.filter(end_date__isnull=False)
        assert closed.count() == 8
        for old in closed:
            assert old.end_date is not None and old.end_date.year in {2025, 2026}
            new = UnitMembership.objects.get(person=old.person, end_date__isnull=True)
            assert new.unit_id != old.unit_id
            assert new.start_date == old.end_date + datetime.timedelta(days=1)
            assert old.person.rank in {Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY}

        groups = list(TaskGroup.objects.all())
        assert len(groups) == 3
        for group in groups:
            assert group.start_date.year == 2026 and group.end_date and group.end_date.year == 2026
            units_drawn = UnitMembership.objects.on(group.start_date).filter(
                person__in=group.members.all()
            )
            assert units_drawn.values("unit").distinct().count() >= 2

        assert "演示账号" in output and DEMO_PASSWORD in output and "fagongwei_keyuan" in output

    def test_every_demo_account_signs_in_with_the_demo_password(self, client):
        users = list(User.objects.all())
        assert {u.username for u in users} >= {
            "zhuren",
            "fuzhuren",
            "bgs_zhuren",
            "bgs_ganshi",
            "fagongwei_zhuren",
            "fagongwei_keyuan",
            "caijingwei_keyuan",
            "sysadmin",
            "secadmin",
            "auditadmin",
        }
        # One account for every role at least, the outsiders (a deputy, bodies' contacts) included.
        assert len({u.role for u in users}) == 9
        for user in users:
            client.logout()
            response = client.post(
                reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, user.username
            assert response["Location"] == reverse("core:home"), user.username  # no forced change
        zhuren = User.objects.get(username="zhuren")
        assert zhuren.person == LeadershipPost.objects.get(title=LeadershipTitle.DIRECTOR).person
        legal_head = User.objects.get(username="fagongwei_zhuren")
        posting = UnitMembership.objects.get(person=legal_head.person, end_date__isnull=True)
        assert posting.unit.name == "法制工作委员会" and posting.is_head

    def test_the_database_holds_the_planned_names(self):
        assert list(Person.objects.order_by("id").values_list("name", flat=True)) == [
            p.name for p in plan_organ(seed=DEFAULT_SEED).persons
        ]

    def test_one_audit_event_per_area_summarises_the_load_and_the_chain_holds(self, seeded):
        before = seeded.audit_before
        events = AuditEvent.objects.filter(object_type="core.demo_organ")
        # Bulk loads are summarised, not row by row: the organ, the ledger and its three lists, the
        # documents, growing people. The few leaders' instructions the demo turns into ledger items go
        # through the services, and are audited as any such change is.
        # Party building records its meetings and decisions through the services too (they enforce
        # the rules), and follows the decisions and a list item up as ledger items.
        reports = HigherReport.objects.all()
        party = AuditEvent.objects.filter(
            (Q(object_type__startswith="party.") & ~Q(object_type="party.demo"))
            | Q(object_type="ledger.trackeditem", object_repr__contains="党组会议议定事项")
            | Q(object_type="ledger.trackeditem", object_repr__contains="责任清单")
            | Q(object_type="ledger.checklist", object_repr__contains="党组会议议定事项清单")
            | Q(object_type="ledger.checklist", object_repr__contains="一岗双责")
            # 请示报告 go out as 发文 and their answers come in as 收文 of the documents area.
            | Q(object_type="documents.outgoingdocument", object_id__in=_ids(reports, "outgoing"))
            | Q(
                object_type="documents.incomingdocument",
                object_id__in=_ids(reports, "answer_document"),
            )
            # …taking their numbers (the documents area's own load is one summary event).
            | Q(object_type="documents.numbersequence")
        )
        converted = AuditEvent.objects.filter(
            Q(object_type="ledger.trackeditem")
            | Q(object_type="ledger.checklist", object_repr__contains="领导批示")
            | Q(object_type="documents.incomingdocument", detail__has_key="ledger_item_id")
        ).exclude(pk__in=party.values("pk"))
        assert converted.filter(action="create", object_type="ledger.trackeditem").count() == (
            IncomingDocument.objects.filter(ledger_item__isnull=False).count()
        )
        # …and so is each incoming document's link to its item.
        assert converted.filter(object_type="documents.incomingdocument").count() == (
            IncomingDocument.objects.filter(ledger_item__isnull=False).count()
        )
        # One summary event per area that loads in bulk (the organ, ledger, documents, growing
        # people, sessions, deputies, party building, notices), the rest as counted above.
        summaries = AuditEvent.objects.filter(
            Q(object_type="core.demo_organ") | Q(object_type__endswith=".demo")
        )
        assert summaries.count() == 8
        total = before + summaries.count() + converted.count() + party.count()
        assert AuditEvent.objects.count() == total
        assert AuditEvent.objects.filter(object_type="party.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="meetings.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="notices.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="growth.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="ledger.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="documents.demo").count() == 1
        assert AuditEvent.objects.filter(object_type="deputies.demo").count() == 1
        assert events.get().detail["工作人员"] == 90
        assert list(verify_chain()) == []

    def test_a_second_load_is_refused_and_changes_nothing(self):
        people = Person.objects.count()
        with pytest.raises(CommandError, match="只能在空数据库上运行"):
            _seed()
        assert Person.objects.count() == people
        output = _seed("--if-empty")
        assert "跳过演示数据加载" in output and "bgs_zhuren" in output


@pytest.mark.django_db
def test_another_seed_loads_its_own_planned_names():
    _seed("--seed", "99", "--skip", "ledger", "--skip", "deputies")
    assert list(Person.objects.order_by("id").values_list("name", flat=True)) == [
        p.name for p in plan_organ(seed=99).persons
    ]


@pytest.mark.django_db
def test_production_refuses_demo_data():
    with (
        override_settings(SETTINGS_MODULE="config.settings.production"),
        pytest.raises(CommandError, match="生产环境禁止加载演示数据"),
    ):
        _seed()
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_generate_a_bigger_organ_without_accounts():
    summary = generate_organ(seed=5, staff_per_unit=20, extra_units=5, with_accounts=False)
    assert summary.units == Unit.objects.count() == 15
    assert summary.staff == 300
    assert summary.accounts == ()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_on_a_chosen_day_years_past_the_holiday_package():
    from apps.ledger.models import TrackedItem
    from apps.workcalendar.services import is_provisional

    output = _seed("--today", "2031-01-06", "--skip", "ledger", "--skip", "deputies")
    assert "以 2031-01-06 为今天" in output
    assert "督办台账" not in output
    assert is_provisional(2031)
    assert not TrackedItem.objects.exists()
    # The organ is the one of that day: its postings are current on 6 January 2031.
    assert 85 <= len(_staff(datetime.date(2031, 1, 6))) <= 95


@pytest.mark.django_db
def test_seed_demo_refuses_an_unknown_part():
    with pytest.raises(CommandError, match="未知的演示数据部分：nonsense"):
        _seed("--skip", "nonsense")
