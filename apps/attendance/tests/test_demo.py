import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from apps.approvals.models import ApprovalRequest
from apps.attendance.choices import DayStatus
from apps.attendance.models import AttendanceRequest, ClockRecord, DailyResult, YearPoints
from apps.core.testing.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_attendance_makes_a_realistic_mix(personas):
    for n in range(8):
        person = PersonFactory()
        MembershipFactory(person=person, unit=personas.legal if n % 2 else personas.finance)
        UserFactory(person=person, username=f"demo{n}")
    call_command("seed_attendance", year=2026, until=dt.date(2026, 4, 30), seed=7)
    assert ClockRecord.objects.filter(source="import").count() > 500
    statuses = set(DailyResult.objects.values_list("status", flat=True))
    assert {DayStatus.NORMAL, DayStatus.HOLIDAY, DayStatus.REST, DayStatus.LEAVE} <= statuses
    assert (
        DailyResult.objects.filter(status=DayStatus.NORMAL).count()
        > DailyResult.objects.exclude(
            status__in=[DayStatus.NORMAL, DayStatus.REST, DayStatus.HOLIDAY]
        ).count()
    )
    assert AttendanceRequest.objects.filter(status="approved").exists()
    assert ApprovalRequest.objects.count() == AttendanceRequest.objects.count()
    assert YearPoints.objects.filter(year=2026).exists()
    assert not DailyResult.objects.filter(day__gt=dt.date(2026, 4, 30)).exists()
    with pytest.raises(CommandError, match="已经生成过"):
        call_command("seed_attendance", year=2026, until=dt.date(2026, 4, 30))
