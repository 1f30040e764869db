"""The pages: sign-in through the views, the roll, statistics and the formula-safe exports."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.growth import services
from apps.growth.models import StudyAttendance

from .conftest import D

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def test_sign_in_through_the_pages(client, personas, make_session, time_machine):
    session = make_session()
    time_machine.move_to(datetime.datetime(2026, 3, 2, 15, 5, tzinfo=TZ))
    client.force_login(personas.sun)
    qr = client.get(f"/growth/study/{session.pk}/qr/").content.decode()
    assert "<svg" in qr and "data-sign-url" in qr
    token = services.sign_in_token(session)
    client.force_login(personas.zhou)
    page = client.get(f"/growth/study/{session.pk}/sign-in/?t={token}")
    assert "确认签到" in page.content.decode()
    # Someone else's person in the form is refused, and nothing is written.
    response = client.post(
        f"/growth/study/{session.pk}/sign-in/", {"t": token, "person": personas.wu.person_id}
    )
    assert "只能为本人签到" in response.content.decode()
    assert not StudyAttendance.objects.filter(presence="present").exists()
    response = client.post(f"/growth/study/{session.pk}/sign-in/", {"t": token}, follow=True)
    assert "签到成功" in response.content.decode()
    assert StudyAttendance.objects.get(person=personas.zhou.person).presence == "present"


def test_exports_keep_formula_like_text_as_text(client, personas, make_session):
    make_session(title='=HYPERLINK("http://evil","点我")')
    client.force_login(personas.sun)
    response = client.get("/growth/study/export.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert titles == ['\'=HYPERLINK("http://evil","点我")']
    stats = client.get("/growth/statistics/export.xlsx?year=2026")
    book = load_workbook(io.BytesIO(stats.content))
    assert {"按学习类型", "按单位", "第一议题", "传帮带进展", "谈心谈话覆盖", "培训学时"} <= set(
        book.sheetnames
    )


def test_statistics_page_draws_from_json_and_tables(client, personas, make_session):
    make_session(day=D(2026, 3, 2))
    client.force_login(personas.zhao)
    body = client.get("/growth/statistics/?year=2026").content.decode()
    assert 'id="growth-stats"' in body and "echarts.min.js" in body
    assert "机关集中学习" in body
