import datetime
import re

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.workcalendar.models import CalendarYear, SpecialDay, YearSource
from apps.workcalendar.services import CalendarYearMissing, clear_cache, is_workday

from .conftest import ARRANGEMENT_2027

D = datetime.date
READERS = ["zhao", "qian", "sun", "li", "zhou", "wu", "sysadmin"]
NOT_READERS = ["secadmin", "auditadmin"]
NOT_MANAGERS = ["zhao", "qian", "sun", "li", "zhou", "wu", "secadmin", "auditadmin"]


def text(response) -> str:
    return response.content.decode()


def calendar_state() -> tuple:
    return (
        list(CalendarYear.objects.order_by("year").values()),
        SpecialDay.objects.count(),
        AuditEvent.objects.exclude(action__in=["login", "logout"]).count(),
    )


def assert_csp_clean(html: str) -> None:
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag


@pytest.mark.parametrize(
    "url", ["/calendar/", "/calendar/2026/", "/calendar/calculator/?start=2026-02-13&n=5"]
)
def test_reading_pages(client, personas, url):
    for who in READERS:
        client.force_login(getattr(personas, who))
        response = client.get(url)
        assert response.status_code == 200, who
        assert_csp_clean(text(response))
    for who in NOT_READERS:
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 403, who


@pytest.mark.parametrize("url", ["/calendar/enter/", "/calendar/2026/edit/"])
def test_entering_is_for_the_system_administrator_only(client, personas, url):
    before = calendar_state()
    for who in NOT_MANAGERS:
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 403, who
        data = {"year": "2026", "notice": "冒充", "days": "2026-01-01 元旦"}
        assert client.post(url, data).status_code == 403, who
    assert calendar_state() == before
    client.force_login(personas.sysadmin)
    response = client.get(url)
    assert response.status_code == 200
    assert_csp_clean(text(response))


def test_year_list_warns_when_next_year_is_missing(client, personas):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    client.force_login(personas.zhou)
    html = text(client.get("/calendar/"))
    assert f"{next_year}年的法定节假日和调休安排尚未录入" in html
    assert "现在录入" not in html  # only the administrator gets the link
    client.force_login(personas.sysadmin)
    assert f"/calendar/enter/?year={next_year}" in text(client.get("/calendar/"))
    CalendarYear.objects.create(year=next_year, source=YearSource.ADMIN, notice="通知")
    assert "尚未录入" not in text(client.get("/calendar/"))


def test_home_panel_for_the_system_administrator(client, personas):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    client.force_login(personas.sysadmin)
    html = text(client.get("/"))
    assert f"{next_year}年节假日安排尚未录入" in html
    client.force_login(personas.zhou)
    assert f"{next_year}年节假日安排尚未录入" not in text(client.get("/"))
    CalendarYear.objects.create(year=next_year, source=YearSource.ADMIN, notice="通知")
    client.force_login(personas.sysadmin)
    assert f"{next_year}年节假日安排尚未录入" not in text(client.get("/"))


def test_year_detail_grid(client, personas):
    client.force_login(personas.zhou)
    html = text(client.get("/calendar/2026/"))
    assert html.count('<table class="wc-month">') == 12
    assert 'title="2026-02-17 春节 法定节假日"' in html
    assert 'title="2026-02-14 春节 调休上班"' in html
    assert "wc-weekend" in html
    assert "/calendar/2026/edit/" not in html
    assert client.get("/calendar/2099/").status_code == 404


def test_sysadmin_enters_2027(client, personas, no_2027):
    client.force_login(personas.sysadmin)
    assert "2027" in text(client.get("/calendar/enter/?year=2027"))
    response = client.post(
        "/calendar/enter/",
        {"year": "2027", "notice": "国办发明电〔2026〕X号", "days": ARRANGEMENT_2027},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/2027/"
    assert not is_workday(D(2027, 2, 8))
    assert is_workday(D(2027, 2, 20))
    follow = text(client.get("/calendar/2027/"))
    assert "工作日放假 <strong>11</strong> 天" in follow
    # Entering the same year again is refused; corrections go through the edit page.
    response = client.post(
        "/calendar/enter/", {"year": "2027", "notice": "再次", "days": "2027-01-01 元旦"}
    )
    assert response.status_code == 200 and "已经存在" in text(response)


def test_a_bad_line_changes_nothing(client, personas, no_2027):
    client.force_login(personas.sysadmin)
    before = calendar_state()
    days = ARRANGEMENT_2027 + "2027-03-03 调休上班\n2027-13-01 元旦\n"
    response = client.post(
        "/calendar/enter/", {"year": "2027", "notice": "国办发明电〔2026〕X号", "days": days}
    )
    assert response.status_code == 200
    html = text(response)
    assert "第7行：2027-03-03（星期三）本来就是工作日" in html
    assert "第8行：" in html and "不存在" in html
    assert calendar_state() == before
    clear_cache()
    with pytest.raises(CalendarYearMissing):
        is_workday(D(2027, 3, 1))


def test_editing_a_year_prefills_and_saves(client, personas):
    client.force_login(personas.sysadmin)
    html = text(client.get("/calendar/2026/edit/"))
    assert "2026-02-16 至 2026-02-20 春节" in html
    cal_year = CalendarYear.objects.get(year=2026)
    from apps.workcalendar.services import format_day_lines

    days = format_day_lines(cal_year).replace("2026-02-28 春节 调休上班\n", "")
    response = client.post(
        "/calendar/2026/edit/", {"year": "1999", "notice": "国办发明电〔2025〕7号", "days": days}
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/2026/"
    cal_year.refresh_from_db()
    assert cal_year.source == YearSource.ADMIN  # the disabled year field ignores the posted 1999
    assert not is_workday(D(2026, 2, 28))


def test_calculator(client, personas, no_2027):
    client.force_login(personas.wu)
    html = text(client.get("/calendar/calculator/", {"start": "2026-02-13", "n": "5"}))
    assert "2026年2月27日（星期五）" in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-02-27", "n": "-5"}))
    assert "往前第 5 个工作日" in html and "2026年2月13日" in html
    html = text(client.get("/calendar/calculator/", {"day": "2026-02-14"}))
    assert "是工作日" in html and "春节调休上班" in html
    html = text(client.get("/calendar/calculator/", {"day": "2026-02-17"}))
    assert "不是工作日" in html and "春节放假" in html
    html = text(client.get("/calendar/calculator/", {"day": "2027-03-01"}))
    assert "2027年的法定节假日和调休安排尚未录入" in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-12-25", "n": "10"}))
    assert "2027年的法定节假日和调休安排尚未录入" in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-02-31", "n": "x"}))
    assert "请输入有效的日期" in html and "请填写整数" in html
