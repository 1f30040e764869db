import datetime
import re

import pytest

from apps.audit.models import AuditEvent
from apps.workcalendar.models import CalendarYear, SpecialDay, YearSource
from apps.workcalendar.services import clear_cache, is_provisional, is_workday

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


def test_year_list_says_next_year_is_provisional(client, personas, no_2027, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC))
    client.force_login(personas.zhou)
    html = text(client.get("/calendar/"))
    assert "2027年的节假日安排尚未录入，目前按法定节假日预估" in html
    assert "/calendar/2027/" in html
    assert "/calendar/notice/" not in html  # only the administrator gets the link
    client.force_login(personas.sysadmin)
    assert "/calendar/notice/?year=2027" in text(client.get("/calendar/"))
    CalendarYear.objects.create(year=2027, source=YearSource.ADMIN, notice="通知")
    assert "尚未录入" not in text(client.get("/calendar/"))


def test_home_panel_reminds_the_system_administrator(client, personas, no_2027, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC))
    client.force_login(personas.sysadmin)
    html = text(client.get("/"))
    assert "录入2027年节假日安排" in html and "现按预估" in html
    assert "/calendar/notice/?year=2027" in html
    client.force_login(personas.zhou)
    assert "录入2027年节假日安排" not in text(client.get("/"))
    CalendarYear.objects.create(year=2027, source=YearSource.ADMIN, notice="通知")
    client.force_login(personas.sysadmin)
    assert "录入2027年节假日安排" not in text(client.get("/"))


def test_a_provisional_year_is_drawn_in_its_own_style(client, personas, no_2027):
    client.force_login(personas.zhou)
    html = text(client.get("/calendar/2027/"))
    assert 'data-testid="provisional-year"' in html and "wc-provisional" in html
    assert "按《全国年节及纪念日放假办法》预估" in html
    assert 'title="2027-02-05 春节 法定节假日（预估）"' in html
    assert html.count('<table class="wc-month">') == 12


def test_year_detail_grid(client, personas):
    client.force_login(personas.zhou)
    html = text(client.get("/calendar/2026/"))
    assert html.count('<table class="wc-month">') == 12
    assert 'title="2026-02-17 春节 法定节假日"' in html
    assert 'title="2026-02-14 春节 调休上班"' in html
    assert "wc-weekend" in html
    assert "/calendar/2026/edit/" not in html
    assert "wc-provisional" not in html
    assert client.get("/calendar/2101/").status_code == 404
    assert client.get("/calendar/1999/").status_code == 404


def test_sysadmin_enters_2027(client, personas, no_2027):
    client.force_login(personas.sysadmin)
    assert "2027" in text(client.get("/calendar/enter/?year=2027"))
    data = {"year": "2027", "notice": "国办发明电〔2026〕X号", "days": ARRANGEMENT_2027}
    # First a preview: what changes against the provisional year, and nothing saved yet.
    preview = text(client.post("/calendar/enter/", data))
    assert 'data-testid="arrangement-preview"' in preview and "与预估安排相比" in preview
    assert "2027-02-20" in preview and "春节调休上班" in preview
    assert 'data-testid="confirm-save"' in preview
    assert is_provisional(2027)
    response = client.post("/calendar/enter/", {**data, "confirm": "1"})
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
        "/calendar/enter/",
        {"year": "2027", "notice": "国办发明电〔2026〕X号", "days": days, "confirm": "1"},
    )
    assert response.status_code == 200
    html = text(response)
    assert "第7行：2027-03-03（星期三）本来就是工作日" in html
    assert "第8行：" in html and "不存在" in html
    assert 'data-testid="confirm-save"' not in html
    assert calendar_state() == before
    clear_cache()
    assert is_provisional(2027)


def test_editing_a_year_prefills_and_saves(client, personas):
    client.force_login(personas.sysadmin)
    html = text(client.get("/calendar/2026/edit/"))
    assert "2026-02-16 至 2026-02-20 春节" in html
    cal_year = CalendarYear.objects.get(year=2026)
    from apps.workcalendar.services import format_day_lines

    days = format_day_lines(cal_year).replace("2026-02-28 春节 调休上班\n", "")
    data = {"year": "1999", "notice": "国办发明电〔2025〕7号", "days": days}
    # A year with official data: the difference is shown and confirmed before anything changes.
    preview = text(client.post("/calendar/2026/edit/", data))
    assert "与已公布的安排相比" in preview and "2026-02-28" in preview
    assert is_workday(D(2026, 2, 28))
    response = client.post("/calendar/2026/edit/", {**data, "confirm": "1"})
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
    assert "是工作日" in html and "预估" in html and "2027年的节假日安排尚未公布" in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-12-25", "n": "10"}))
    assert "2027年1月11日" in html and 'data-testid="provisional-note"' in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-02-13", "n": "5"}))
    assert "预估" not in html
    html = text(client.get("/calendar/calculator/", {"start": "0001-01-01", "n": "-366"}))
    assert "只能计算2000年至2100年的日期" in html
    html = text(client.get("/calendar/calculator/", {"start": "2026-02-31", "n": "x"}))
    assert "请输入有效的日期" in html and "请填写整数" in html


NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）
国办发明电〔2026〕9号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（周五）至13日（周六）放假调休，共9天。1月30日（周六）、2月20日（周六）上班。
三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅
2026年11月20日
"""


def test_pasting_the_notice_previews_then_saves(client, personas, no_2027):
    client.force_login(personas.sysadmin)
    assert client.get("/calendar/notice/?year=2027").status_code == 200
    before = calendar_state()
    preview = text(client.post("/calendar/notice/", {"text": NOTICE_2027}))
    assert (
        'data-testid="notice-items"' in preview and 'data-testid="arrangement-preview"' in preview
    )
    assert "2027-01-30" in preview and "春节调休上班" in preview  # a change against the 预估 year
    assert "第7行：2026年11月20日" in preview  # the date of issue, listed as not read
    assert calendar_state() == before and is_provisional(2027)
    response = client.post("/calendar/notice/", {"text": NOTICE_2027, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/calendar/2027/"
    cal_year = CalendarYear.objects.get(year=2027)
    assert cal_year.notice.endswith("（国办发明电〔2026〕9号）")
    assert is_workday(D(2027, 1, 30)) and not is_workday(D(2027, 2, 11))


def test_a_pasted_notice_with_a_mistake_saves_nothing(client, personas, no_2027):
    client.force_login(personas.sysadmin)
    before = calendar_state()
    wrong = NOTICE_2027.replace("1月30日（周六）", "1月30日（周日）")
    response = client.post("/calendar/notice/", {"text": wrong, "confirm": "1"})
    assert response.status_code == 200
    html = text(response)
    assert "第4行（春节）：1月30日标注为“周日”" in html
    assert 'data-testid="confirm-save"' not in html
    assert calendar_state() == before and is_provisional(2027)
