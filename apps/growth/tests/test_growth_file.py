"""The growth file of a demo person shows every source, and its figures match the records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.attendance import services as attendance
from apps.attendance.models import YearPoints
from apps.core.demo import generate_organ
from apps.growth import selectors
from apps.growth.demo import generate_growth
from apps.growth.models import MentorPair, StudyAttendance, StudyReflection, TrainingRecord
from apps.ledger.demo import generate_ledger
from apps.ledger.models import TrackedItem
from apps.organization.models import Person, TaskGroupMember, UnitMembership

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def demo_organ(db):
    generate_organ(seed=2026)
    generate_ledger(seed=2026, today=TODAY)
    summary = generate_growth(seed=2026, today=TODAY)
    assert summary.pairs == 18  # as in the report
    return summary


def _demo_person() -> Person:
    """A mentee who handles ledger items, sits in a task group and wrote reflections."""
    candidates = (
        set(MentorPair.objects.values_list("mentee_id", flat=True))
        & set(TrackedItem.objects.values_list("responsible_person_id", flat=True))
        & set(TaskGroupMember.objects.values_list("person_id", flat=True))
        & set(StudyReflection.objects.values_list("person_id", flat=True))
    )
    assert candidates, "the demo should have such a person"
    return Person.objects.get(pk=min(candidates))


@pytest.mark.today("2026-11-20")
def test_the_growth_file_shows_every_source_and_matches_the_records(client, demo_organ):
    person = _demo_person()
    # A week of attendance judged by the attendance area, and the year's points from it.
    attendance.results_compute_range(
        start=datetime.date(2026, 11, 9), end=datetime.date(2026, 11, 13), person_ids=[person.pk]
    )
    attendance.points_compute(year=2026, person_ids=[person.pk])
    points = YearPoints.objects.get(person=person, year=2026)

    file = selectors.growth_file(person)
    # Posts and rotations.
    postings = list(UnitMembership.objects.filter(person=person))
    assert {p.pk for p in file.postings} == {p.pk for p in postings}
    # Task groups.
    assert {m.group_id for m in file.task_groups} == set(
        TaskGroupMember.objects.filter(person=person).values_list("group_id", flat=True)
    )
    # Study attendance: the year's figures are the roll rows, by presence.
    rows = StudyAttendance.objects.filter(person=person, session__date__year=2026).exclude(
        presence="pending"
    )
    [year] = [y for y in file.study_years if y.year == 2026]
    assert year.required == rows.count()
    assert year.present == rows.filter(presence="present").count()
    assert year.on_leave == rows.filter(presence="on_leave").count()
    assert year.excused + year.absent == rows.filter(presence__in=["excused", "absent"]).count()
    assert {r.pk for r in file.reflections} == set(
        StudyReflection.objects.filter(person=person).values_list("pk", flat=True)
    )
    # Mentoring.
    [pair] = file.mentee_pairs
    assert pair.mentee == person and pair.guidance.count() >= 4
    # Training hours.
    hours = sum(
        (r.hours for r in TrainingRecord.objects.filter(person=person, start_date__year=2026)),
        Decimal("0"),
    )
    [training_year] = [y for y in file.training_years if y.year == 2026]
    assert training_year.hours == hours
    # Ledger items and their timeliness.
    items = TrackedItem.objects.filter(responsible_person=person).exclude(status="draft")
    assert file.ledger_summary["total"] == items.count()
    on_time = sum(
        1
        for i in items
        if i.status == "closed" and not i.is_standing and i.closed_at.date() <= i.deadline
    )
    assert file.ledger_summary.get("on_time", 0) == on_time
    # Attendance points.
    assert [p.total for p in file.points] == [points.total]

    # The page shows each of them, to the office (the personnel files).
    client.force_login(User.objects.get(username="bgs_ganshi"))
    body = client.get(f"/growth/files/{person.pk}/").content.decode()
    for posting in postings:
        assert posting.unit.name in body
    for membership in TaskGroupMember.objects.filter(person=person).select_related("group"):
        assert membership.group.name in body
    assert f"<td>{year.required}</td><td>{year.present}</td>" in body
    assert pair.mentor.name in body
    assert f"{training_year.hours} 学时" in body
    for item in items[:30]:
        assert item.serial in body
    assert f"2026年：{points.total} 分" in body

    # A fixed number of queries, however long the person's history: another person with other
    # volumes of records costs the same.
    others = (
        set(MentorPair.objects.values_list("mentee_id", flat=True))
        & set(TrackedItem.objects.values_list("responsible_person_id", flat=True))
    ) - {person.pk}
    other = Person.objects.get(pk=min(others))
    counts = []
    for someone in (person, other):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/growth/files/{someone.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.today("2026-11-20")
def test_the_growth_file_downloads_as_a_gbt9704_word_document(client, demo_organ):
    from io import BytesIO

    from docx import Document

    from apps.audit.models import AuditEvent
    from apps.documents.tests.gbt9704 import check_docx

    person = _demo_person()
    file = selectors.growth_file(person)
    client.force_login(User.objects.get(username="bgs_zhuren"))
    response = client.get(f"/growth/files/{person.pk}/file.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    check_docx(response.content)  # A4, margins, 22 lines of 28 characters, fonts: the 公文 engine
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert f"{person.name}同志成长档案" in text
    assert f"交流{file.rotations}次" in text
    assert f"共{file.ledger_summary.get('total', 0)}项" in text
    assert f"撰写心得体会{len(file.reflections)}篇" in text
    assert AuditEvent.objects.filter(action="export", object_type="growth.cadre_file").exists()
