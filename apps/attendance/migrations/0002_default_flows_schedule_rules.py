"""The starting data of attendance: its approval flows, the organ's default schedule, the point
rules and the settings row. Administrators edit all of them as data afterwards.

Written with the historical models (the same get-or-create as approvals.services.flow_ensure), so
that the migration does not depend on today's code of another app.
"""

import datetime
from decimal import Decimal

from django.db import migrations

FLOWS = [
    ("attendance.leave", "请假审批", [("单位负责人审批", "unit_head", 0), ("秘书长审批", "secretary_general", 3)]),
    ("attendance.trip", "出差审批", [("单位负责人审批", "unit_head", 0), ("秘书长审批", "secretary_general", 3)]),
    ("attendance.outing", "公出审批", [("单位负责人审批", "unit_head", 0)]),
    ("attendance.correction", "补卡审批", [("单位负责人审批", "unit_head", 0)]),
]

RULES = [
    ("全勤", "full_attendance", Decimal("2"), None),
    ("迟到", "late", Decimal("-0.5"), Decimal("3")),
    ("早退", "early", Decimal("-0.5"), Decimal("3")),
    ("旷工", "absence", Decimal("-2"), None),
    ("缺卡", "missing_clock", Decimal("-0.5"), Decimal("3")),
]


def forwards(apps, schema_editor):
    ApprovalFlow = apps.get_model("approvals", "ApprovalFlow")
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    for code, name, steps in FLOWS:
        flow, created = ApprovalFlow.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            for order, (step_name, kind, min_amount) in enumerate(steps, start=1):
                ApprovalStep.objects.create(
                    flow=flow, order=order, name=step_name, approver_kind=kind,
                    min_amount=Decimal(min_amount),
                )
    Schedule = apps.get_model("attendance", "Schedule")
    if not Schedule.objects.filter(unit__isnull=True, person__isnull=True).exists():
        Schedule.objects.create(
            name="机关默认作息",
            work_start=datetime.time(9, 0),
            work_end=datetime.time(17, 0),
            summer_from="05-01",
            summer_to="09-30",
            summer_work_start=datetime.time(8, 30),
            summer_work_end=datetime.time(17, 30),
            midday=datetime.time(12, 0),
            grace_minutes=5,
            half_day_minutes=120,
        )
    PointRule = apps.get_model("attendance", "PointRule")
    if not PointRule.objects.exists():
        for order, (name, basis, points, cap) in enumerate(RULES, start=1):
            PointRule.objects.create(name=name, basis=basis, points=points, cap=cap, order=order)
    AttendancePolicy = apps.get_model("attendance", "AttendancePolicy")
    AttendancePolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("approvals", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
