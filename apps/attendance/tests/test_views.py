import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from apps.attendance import services
from apps.attendance.choices import ClockKind, DayStatus, RequestStatus
from apps.attendance.exports import attendance_notice
from apps.attendance.models import (
    AttendancePolicy,
    AttendanceRequest,
    ClockRecord,
    DailyResult,
    Schedule,
)
from apps.attendance.selectors import build_notice, month_period, notice_units
from apps.audit.models import AuditAction, AuditEvent
from apps.core.testing.factories import MembershipFactory, PersonFactory
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.documents.layout import render_pdf
from apps.documents.tests.gbt9704 import check_docx, check_pdf

# The requests below are dated in 2026; a request may start at most a year back, so the tests
# run in December 2026 whatever the real date.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]

D = dt.date
MONDAY = D(2026, 3, 2)


def page_ok(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_external_refs(html)
    assert_csp_safe(html)
    return html


# --- clocking in ------------------------------------------------------------------------------


def test_clock_page_and_one_tap(client, personas):
    client.force_login(personas.zhou)
    html = page_ok(client.get(reverse("attendance:home")))
    assert "上班打卡" in html or "下班打卡" in html
    response = client.post(
        reverse("attendance:clock"), {"at": "2020-01-01 08:00"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302
    record = ClockRecord.objects.get()
    assert record.at.year != 2020  # the client's time is ignored
    assert record.ip_address == "10.1.1.1"
    client.post(reverse("attendance:clock"), REMOTE_ADDR="10.1.1.1")
    assert ClockRecord.objects.count() == 1
    html = page_ok(client.get(reverse("attendance:home")))
    assert "重复点击只记一次" in html


def test_a_refused_clock_says_why(client, personas):
    AttendancePolicy.objects.update_or_create(pk=1, defaults={"allowed_networks": "10.12.0.0/16"})
    client.force_login(personas.zhou)
    response = client.post(reverse("attendance:clock"), REMOTE_ADDR="192.168.3.3", follow=True)
    html = response.content.decode()
    assert "192.168.3.3" in html and "10.12.0.0/16" in html
    assert not ClockRecord.objects.exists()


def test_clock_is_post_only_and_admins_are_refused(client, personas):
    client.force_login(personas.zhou)
    assert client.get(reverse("attendance:clock")).status_code == 405
    client.force_login(personas.sysadmin)
    assert client.get(reverse("attendance:home")).status_code == 403
    assert client.post(reverse("attendance:clock")).status_code == 403
    assert not ClockRecord.objects.exists()


# --- month views and scoping ------------------------------------------------------------------


def test_own_month_shows_results_with_reasons(client, personas, clock):
    clock(personas.zhou.person, MONDAY, "09:20", ClockKind.IN)
    client.force_login(personas.zhou)
    html = page_ok(client.get(reverse("attendance:my_month") + "?month=2026-03"))
    assert "迟到 20 分钟" in html  # the reasons appear on hover (title) and in the list
    assert "下班缺卡" in html
    result = DailyResult.objects.get(person=personas.zhou.person, day=MONDAY)
    html = page_ok(client.get(reverse("attendance:result_detail", args=[result.pk])))
    assert "判定依据" in html and "机关默认作息" in html


def test_bad_month_falls_back_with_a_message(client, personas):
    client.force_login(personas.zhou)
    html = page_ok(client.get(reverse("attendance:my_month") + "?month=abc"))
    assert "无法识别" in html


@pytest.mark.parametrize(
    ("viewer", "target", "expected"),
    [
        ("zhou", "zhou", 200),
        ("wu", "zhou", 404),  # another unit's staff
        ("zhou", "wu", 404),
        ("li", "zhou", 200),  # the unit head sees their unit
        ("li", "wu", 404),
        ("qian", "wu", 200),  # the office sees everyone
        ("sun", "zhou", 200),
        ("zhao", "zhou", 200),  # leaders see everyone
        ("sysadmin", "zhou", 403),  # administrators see no business data
    ],
)
def test_person_month_is_scoped(client, personas, viewer, target, expected):
    client.force_login(getattr(personas, viewer))
    person = getattr(personas, target).person
    assert client.get(reverse("attendance:person_month", args=[person.pk])).status_code == expected


def test_results_and_requests_of_another_unit_are_404(client, personas):
    result = services.result_compute(person=personas.zhou.person, day=MONDAY)
    request = services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    client.force_login(personas.wu)
    assert client.get(reverse("attendance:result_detail", args=[result.pk])).status_code == 404
    assert client.get(reverse("attendance:request_detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("attendance:request_withdraw", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    client.force_login(personas.li)
    page_ok(client.get(reverse("attendance:request_detail", args=[request.pk])))


# --- requests through the form ----------------------------------------------------------------


def test_request_form_submits_and_refuses_bad_input_with_nothing_changed(client, personas):
    client.force_login(personas.zhou)
    url = reverse("attendance:request_create")
    page_ok(client.get(url))
    html = page_ok(
        client.post(
            url,
            {
                "kind": "leave",
                "leave_type": "annual",
                "start_date": "2026-03-05",
                "end_date": "2026-03-02",
                "day_part": "full",
                "reason": "休假",
            },
        )
    )
    assert "结束日期不能早于开始日期" in html
    assert not AttendanceRequest.objects.exists()
    response = client.post(
        url,
        {
            "kind": "leave",
            "leave_type": "annual",
            "start_date": "2026-03-02",
            "end_date": "2026-03-03",
            "day_part": "full",
            "reason": "休假",
        },
    )
    created = AttendanceRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{created.pk}/")
    html = page_ok(client.get(reverse("attendance:request_list")))
    assert "年休假" in html


def test_withdraw_by_the_applicant(client, personas):
    request = services.request_submit(
        user=personas.zhou,
        kind="outing",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="调研",
    )
    client.force_login(personas.zhou)
    client.post(reverse("attendance:request_withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "withdrawn"


# --- notices, exports and points --------------------------------------------------------------


def _month_of_results(personas, clock, workday_pair):
    zhou, wu = personas.zhou.person, personas.wu.person
    days = [MONDAY + dt.timedelta(days=n) for n in range(5)]
    for day in days:
        workday_pair(wu, day)
    clock(zhou, days[0], "09:30", ClockKind.IN)
    clock(zhou, days[0], "17:10", ClockKind.OUT)
    clock(zhou, days[1], "08:40", ClockKind.IN)  # missing clock-out
    services.results_compute_range(start=D(2026, 3, 1), end=D(2026, 3, 31))


def test_notice_access(client, personas):
    url = reverse("attendance:notice")
    for name in ("zhou", "wu"):
        client.force_login(getattr(personas, name))
        assert client.get(url).status_code == 403
    client.force_login(personas.li)
    html = page_ok(client.get(url + "?month=2026-03"))
    assert "法制工作委员会月度考勤通报" in html
    assert client.get(url + f"?unit={personas.finance.pk}").status_code == 404
    client.force_login(personas.qian)
    assert "机关月度考勤通报" in page_ok(client.get(url + "?month=2026-03"))
    assert "每周考勤通报" in page_ok(client.get(url + "?period=week&week=2026-W10"))


def test_monthly_xlsx_and_docx_read_back_and_add_up(client, personas, clock, workday_pair):
    _month_of_results(personas, clock, workday_pair)
    client.force_login(personas.sun)
    response = client.get(reverse("attendance:notice_xlsx") + "?month=2026-03")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["人员明细"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    people, total = rows[:-1], rows[-1]
    assert {r[1] for r in people} == {"周科员", "吴科员", "李主任", "孙干事", "钱主任"}
    zhou = next(r for r in people if r[1] == "周科员")
    assert zhou[2] == 22  # workdays of March 2026
    assert zhou[4] == 1 and zhou[6] == 1  # one late, one missing clock
    assert zhou[7] == 20  # absent the other 20 workdays
    for column in range(2, 10):
        assert total[column] == sum(r[column] for r in people)
    assert total[2] == DailyResult.objects.filter(day__month=3, is_workday=True).count()
    units = workbook["单位汇总"]
    unit_rows = list(units.iter_rows(min_row=2, values_only=True))
    assert sum(r[5] for r in unit_rows) == total[4]  # lates add up across units
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1

    response = client.get(reverse("attendance:notice_docx") + "?month=2026-03")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "机关月度考勤通报（2026年3月）" in text
    assert f"迟到{total[4]}次" in text and f"缺卡{total[6]}次" in text
    figures = check_docx(response.content)
    assert (figures.lines_per_page, figures.chars_per_line) == (22, 28)
    # the same notice as PDF passes the same checks
    notice = build_notice(month_period(2026, 3), None, notice_units(personas.sun))
    pdf = check_pdf(render_pdf(attendance_notice(notice)))
    assert pdf.title_lines == ["机关月度考勤通报（2026年3月）"]
    assert pdf.page_numbers[0] == (1, "— 1 —", "right")
    table = document.tables[0]
    assert sum(int(row.cells[5].text) for row in table.rows[1:]) == total[4]
    run = next(p for p in document.paragraphs if p.text.startswith("2026年3月")).runs[0]
    fonts = run._element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def _staff(count, unit):
    for _ in range(count):
        MembershipFactory(person=PersonFactory(), unit=unit)


def _notice_queries(client, personas):
    services.results_compute_range(start=D(2026, 3, 1), end=D(2026, 3, 31))
    client.force_login(personas.sun)
    counts = []
    for url in (
        reverse("attendance:notice") + "?month=2026-03",
        reverse("attendance:notice") + "?month=2026-03&page=2&q=测试&issues=1",
        reverse("attendance:notice_xlsx") + "?month=2026-03",
        reverse("attendance:notice_docx") + "?month=2026-03",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_monthly_report_runs_a_constant_number_of_queries(client, personas):
    _staff(5, personas.legal)
    small = _notice_queries(client, personas)
    _staff(55, personas.finance)
    large = _notice_queries(client, personas)
    assert DailyResult.objects.values("person").distinct().count() >= 60
    assert small == large


def _result(person, unit, day, status=DayStatus.NORMAL, **fields):
    return DailyResult(
        person=person,
        unit=unit,
        day=day,
        status=status,
        is_workday=True,
        computed_at=dt.datetime(2026, 3, 31, 2, tzinfo=dt.UTC),
        **fields,
    )


@pytest.fixture
def sixty_staff(personas):
    """60 people of the finance committee with two March workdays each: all normal except one
    absent a day, one late twice and one missing a clock-out."""
    people = [PersonFactory(name=f"财经{n:02d}") for n in range(60)]
    finance = personas.finance
    for person in people:
        MembershipFactory(person=person, unit=finance)
    days = [MONDAY, MONDAY + dt.timedelta(days=1)]
    rows = [_result(p, finance, day) for p in people for day in days]
    DailyResult.objects.bulk_create(rows)
    absent, late, missing = people[59], people[40], people[20]
    DailyResult.objects.filter(person=absent, day=MONDAY).update(
        status=DayStatus.ABSENT, absence_days=1
    )
    DailyResult.objects.filter(person=late).update(status=DayStatus.LATE, is_late=True)
    DailyResult.objects.filter(person=missing, day=MONDAY).update(
        status=DayStatus.MISSING_OUT, missing_out=True
    )
    return people, absent, late, missing


def test_notice_puts_people_to_report_first_and_paginates(client, personas, sixty_staff):
    people, absent, late, missing = sixty_staff
    client.force_login(personas.sun)
    url = reverse("attendance:notice") + "?month=2026-03"
    response = client.get(url)
    html = page_ok(response)
    first = response.context["page"]
    assert first.paginator.count == 60 and len(first.object_list) == 50
    # Absence first, then the most lates/early leaves/missing clocks, then the roster order.
    assert [row["person_id"] for row in first.object_list[:3]] == [absent.pk, late.pk, missing.pk]
    assert [row["person_name"] for row in first.object_list[3:6]] == ["财经00", "财经01", "财经02"]
    assert html.index("财经59") < html.index("财经40") < html.index("财经20") < html.index("财经00")
    assert "page=2" in html  # the pagination keeps the month
    assert "month=2026-03" in html.split('rel="next"')[0].rsplit("href=", 1)[1]
    # The summary still covers everyone, whichever page is shown.
    assert response.context["notice"].totals["staff"] == 60

    second = client.get(url + "&page=2")
    page_ok(second)
    rest = second.context["page"].object_list
    assert len(rest) == 10
    shown = {row["person_id"] for row in first.object_list} | {row["person_id"] for row in rest}
    assert shown == {p.pk for p in people}
    assert second.context["notice"].totals["staff"] == 60


def test_notice_people_search_and_filters(client, personas, sixty_staff):
    _people, absent, late, missing = sixty_staff
    client.force_login(personas.sun)
    url = reverse("attendance:notice") + "?month=2026-03"
    found = client.get(url + "&q=财经4").context["page"]
    assert {row["person_name"] for row in found.object_list} == {f"财经4{n}" for n in range(10)}
    issues = client.get(url + "&issues=1").context["page"].object_list
    assert [row["person_id"] for row in issues] == [absent.pk, late.pk, missing.pk]
    assert client.get(url + "&q=无此人").context["page"].paginator.count == 0
    legal = client.get(url + f"&unit={personas.legal.pk}").context["page"]
    assert legal.paginator.count == 0  # the sixty are all in the finance committee
    # The export links leave the table's search and page out: exports carry everyone.
    html = page_ok(client.get(url + "&q=财经4&page=1"))
    assert "export.xlsx?month=2026-03" in html and "export.xlsx?month=2026-03&amp;q=" not in html


def test_exports_carry_everyone_and_add_up(client, personas, sixty_staff):
    people, absent, late, missing = sixty_staff
    client.force_login(personas.sun)
    response = client.get(reverse("attendance:notice_xlsx") + "?month=2026-03")
    sheet = load_workbook(io.BytesIO(response.content))["人员明细"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    body, total = rows[:-1], rows[-1]
    assert sorted(str(r[1]) for r in body) == sorted(p.name for p in people)
    assert total[1] == "60人"
    for column in range(2, 10):
        assert total[column] == sum(r[column] for r in body)
    assert (total[2], total[3], total[4], total[6], total[7]) == (120, 116, 2, 1, 1)

    response = client.get(reverse("attendance:notice_docx") + "?month=2026-03")
    document = Document(io.BytesIO(response.content))
    units, problems, _imprint = document.tables
    assert [row.cells[0].text for row in units.rows[1:]] == ["财政经济工作委员会"]
    assert units.rows[1].cells[1].text == "60"
    named = [row.cells[1].text for row in problems.rows[1:]]
    assert sorted(named) == sorted([absent.name, late.name, missing.name])
    assert all(run.font.size.pt == 10.5 for run in problems.rows[1].cells[1].paragraphs[0].runs)


def test_points_pages(client, personas, clock, workday_pair):
    _month_of_results(personas, clock, workday_pair)
    client.force_login(personas.zhou)
    assert client.post(reverse("attendance:points") + "?year=2026").status_code == 403
    client.force_login(personas.sun)
    client.post(reverse("attendance:points") + "?year=2026")
    html = page_ok(client.get(reverse("attendance:points") + "?year=2026"))
    assert "吴科员" in html
    html = page_ok(
        client.get(
            reverse("attendance:points_person", args=[personas.zhou.person_id]) + "?year=2026"
        )
    )
    assert "迟到" in html and "2026-03-02" in html
    client.force_login(personas.wu)
    html = page_ok(client.get(reverse("attendance:points") + "?year=2026"))
    assert "周科员" not in html
    url = reverse("attendance:points_person", args=[personas.zhou.person_id]) + "?year=2026"
    assert client.get(url).status_code == 404


# --- settings (system administrator) ----------------------------------------------------------


def test_settings_are_for_the_system_administrator(client, personas):
    url = reverse("attendance:settings")
    for name in ("zhou", "qian", "zhao", "secadmin", "auditadmin"):
        client.force_login(getattr(personas, name))
        assert client.get(url).status_code == 403
        assert (
            client.post(
                url,
                {
                    "allowed_networks": "1.1.1.1",
                    "duplicate_window_seconds": 5,
                    "points_total_cap": 1,
                },
            ).status_code
            == 403
        )
    assert AttendancePolicy.current().allowed_networks == ""
    client.force_login(personas.sysadmin)
    page_ok(client.get(url))
    html = page_ok(
        client.post(
            url,
            {
                "allowed_networks": "10.0.0.0/8\nbad",
                "duplicate_window_seconds": 60,
                "points_total_cap": 5,
            },
        )
    )
    assert "无法识别" in html
    assert AttendancePolicy.current().allowed_networks == ""
    client.post(
        url,
        {"allowed_networks": "10.0.0.0/8", "duplicate_window_seconds": 30, "points_total_cap": 5},
    )
    assert AttendancePolicy.current().duplicate_window_seconds == 30


def test_schedule_editing(client, personas):
    client.force_login(personas.sysadmin)
    url = reverse("attendance:schedule_create")
    page_ok(client.get(url))
    base = {
        "name": "第二默认",
        "work_start": "09:00",
        "work_end": "17:00",
        "midday": "12:00",
        "grace_minutes": 5,
        "half_day_minutes": 120,
    }
    html = page_ok(client.post(url, base))
    assert "机关默认作息只能有一个" in html
    html = page_ok(client.post(url, {**base, "unit": personas.legal.pk, "summer_from": "05-01"}))
    assert "同时填写" in html
    assert Schedule.objects.count() == 1
    response = client.post(url, {**base, "name": "法工委作息", "unit": personas.legal.pk})
    assert response.status_code == 302
    assert Schedule.objects.get(unit=personas.legal).name == "法工委作息"


def test_day_status_labels_cover_every_status():
    assert {s.value for s in DayStatus} >= {
        "normal",
        "late",
        "early",
        "absent",
        "missing_out",
        "leave",
        "trip",
    }


def test_home_panels(client, personas):
    services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    client.force_login(personas.zhou)
    html = page_ok(client.get("/"))
    assert "今日尚未打卡" in html and "年休假 2026-03-02" in html
    client.force_login(personas.li)
    html = page_ok(client.get("/"))
    assert "待我审批" in html and "周科员 年休假" in html
    client.force_login(personas.sysadmin)
    assert "今日尚未打卡" not in page_ok(client.get("/"))


@pytest.mark.today("2026-03-02")
def test_home_says_leave_once_a_leave_covering_today_is_approved(client, personas):
    request = services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    AttendanceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.APPROVED)
    client.force_login(personas.zhou)
    html = page_ok(client.get("/"))
    assert "今日年休假（已批准）" in html
    assert "今日尚未打卡" not in html


def test_leaders_are_outside_attendance_and_get_no_clock_line(client, personas):
    client.force_login(personas.zhao)
    assert "今日尚未打卡" not in page_ok(client.get("/"))


@pytest.mark.today("2026-03-02")
def test_the_clock_page_says_no_clock_is_needed_on_an_approved_leave(client, personas):
    request = services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    AttendanceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.APPROVED)
    client.force_login(personas.zhou)
    html = page_ok(client.get(reverse("attendance:home")))
    assert "今日年休假（已批准" in html and "无需打卡" in html


@pytest.mark.parametrize(
    ("today", "month"),
    [(D(2026, 12, 1), (2026, 11)), (D(2026, 12, 4), (2026, 11)), (D(2026, 12, 8), (2026, 12))],
)
def test_the_notice_opens_on_a_month_with_days_to_report(today, month):
    from apps.attendance.selectors import parse_period

    period, _ = parse_period("month", "", today, settled=True)
    assert (period.start.year, period.start.month) == month
