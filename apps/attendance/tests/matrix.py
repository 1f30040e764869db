"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

import datetime

from apps.attendance import services
from apps.attendance.models import PointRule, Schedule
from apps.core import clock
from apps.core.testing.url_matrix import BUSINESS, LEGAL_READERS, SYSADMIN, Case, fixed
from apps.workcalendar.services import is_workday


def objects(p) -> dict[str, object]:
    # A working day near "today" (whatever day the suite runs on): requests must lie within a year.
    day = clock.today()
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return {
        "result": services.result_compute(person=p.zhou.person, day=day),
        "leave": services.request_submit(
            user=p.zhou,
            kind="leave",
            leave_type="annual",
            start_date=day,
            end_date=day,
            reason="休假",
        ),
        "schedule": Schedule.objects.order_by("pk").first(),
        "point_rule": PointRule.objects.order_by("pk").first(),
    }


MATRIX = {
    # attendance: staff see their own, unit heads their unit, the office and leaders everyone
    "attendance:home": Case(fixed("/attendance/"), ok=BUSINESS),
    "attendance:clock": Case(fixed("/attendance/clock/"), ok=BUSINESS, post_only=True),
    "attendance:my_month": Case(fixed("/attendance/month/"), ok=BUSINESS),
    "attendance:person_month": Case(
        lambda w: f"/attendance/people/{w.p.zhou.person_id}/month/",
        ok=LEGAL_READERS,
        not_found={"wu"},
    ),
    "attendance:result_detail": Case(
        lambda w: f"/attendance/results/{w.result.pk}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "attendance:request_list": Case(fixed("/attendance/requests/"), ok=BUSINESS),
    "attendance:request_create": Case(fixed("/attendance/requests/new/"), ok=BUSINESS),
    "attendance:request_detail": Case(
        lambda w: f"/attendance/requests/{w.leave.pk}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "attendance:request_withdraw": Case(
        lambda w: f"/attendance/requests/{w.leave.pk}/withdraw/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "attendance:notice": Case(fixed("/attendance/notice/"), ok={"zhao", "qian", "sun", "li"}),
    "attendance:notice_xlsx": Case(
        fixed("/attendance/notice/export.xlsx"), ok={"zhao", "qian", "sun", "li"}
    ),
    "attendance:notice_docx": Case(
        fixed("/attendance/notice/export.docx"), ok={"zhao", "qian", "sun", "li"}
    ),
    "attendance:points": Case(fixed("/attendance/points/"), ok=BUSINESS),
    "attendance:points_person": Case(
        lambda w: f"/attendance/points/{w.p.zhou.person_id}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "attendance:settings": Case(fixed("/attendance/settings/"), ok=SYSADMIN),
    "attendance:schedule_create": Case(fixed("/attendance/settings/schedules/new/"), ok=SYSADMIN),
    "attendance:schedule_edit": Case(
        lambda w: f"/attendance/settings/schedules/{w.schedule.pk}/", ok=SYSADMIN
    ),
    "attendance:schedule_delete": Case(
        lambda w: f"/attendance/settings/schedules/{w.schedule.pk}/delete/",
        ok=SYSADMIN,
        post_only=True,
        post={},
    ),
    "attendance:rule_create": Case(fixed("/attendance/settings/rules/new/"), ok=SYSADMIN),
    "attendance:rule_edit": Case(
        lambda w: f"/attendance/settings/rules/{w.point_rule.pk}/", ok=SYSADMIN
    ),
}
