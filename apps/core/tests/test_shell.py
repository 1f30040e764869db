"""The UI shell: layout, home page, login, shared includes, error pages and the vendored assets."""

from __future__ import annotations

import datetime
import json

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.paginator import Paginator
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.choices import Role
from apps.audit.services import record_event
from apps.core.navigation import navigation_for
from apps.core.templatetags.shell import today_calendar
from apps.core.testing.html import (
    assert_csp_safe,
    assert_no_external_refs,
    csp_problems,
    external_refs,
)
from apps.core.testing.personas import PERSONA_NAMES
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.workcalendar.models import CalendarYear, DayKind, SpecialDay, YearSource

VENDORED = [
    "vendor/tabler/css/tabler.min.css",
    "vendor/tabler/js/tabler.min.js",
    "vendor/tabler/LICENSE",
    "vendor/tabler-icons/tabler-icons.min.css",
    "vendor/tabler-icons/fonts/tabler-icons.woff2",
    "vendor/tabler-icons/fonts/tabler-icons.woff",
    "vendor/tabler-icons/LICENSE",
    "vendor/echarts/echarts.min.js",
    "vendor/echarts/LICENSE",
    "css/app.css",
    "js/app.js",
    "img/favicon.svg",
    "django_htmx/htmx-2.min.js",
]


def page_html(response) -> str:
    html = response.content.decode()
    assert_no_external_refs(html)
    assert_csp_safe(html)
    return html


def _calendar_year(day: datetime.date, kind: str | None = None, name: str = "") -> None:
    """Replace the year's holiday data (a migration loads the chinesecalendar years)."""
    CalendarYear.objects.filter(year=day.year).delete()
    year = CalendarYear.objects.create(year=day.year, source=YearSource.ADMIN, notice="测试")
    if kind:
        SpecialDay.objects.create(date=day, kind=kind, name=name, year=year)


# ---- the shell around every page ---------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_home_renders_for_each_persona(client, personas, name):
    user = getattr(personas, name)
    client.force_login(user)

    html = page_html(client.get("/"))

    assert '<html lang="zh-CN">' in html
    assert f"{user.display_name}，您好" in html
    assert user.get_role_display() in html
    assert "修改密码" in html and "退出" in html
    for group in navigation_for(user):
        assert group["label"] in html
        for item in group["items"]:
            assert f'href="{item["url"]}"' in html


def test_navigation_shows_only_what_the_role_may_use(client, personas):
    client.force_login(personas.zhou)
    html = client.get("/").content.decode()
    assert "机构与人员" in html
    assert "审计日志" not in html and "账号管理" not in html

    client.force_login(personas.auditadmin)
    html = client.get("/").content.decode()
    assert "审计日志" in html and "机构与人员" not in html


def test_current_page_is_marked_in_the_navigation(client, personas):
    client.force_login(personas.sysadmin)
    html = client.get("/accounts/manage/?q=zh").content.decode()
    assert 'class="nav-link active" href="/accounts/manage/" aria-current="page"' in html


def test_only_the_most_specific_navigation_item_is_marked(client, personas):
    client.force_login(personas.auditadmin)
    html = client.get("/audit/chain/").content.decode()
    assert 'class="nav-link active" href="/audit/chain/"' in html
    assert 'class="nav-link" href="/audit/"' in html
    assert html.count('aria-current="page"') == 1


def test_logout_is_a_post_form_with_csrf(client, personas):
    client.force_login(personas.zhou)
    html = client.get("/").content.decode()
    assert 'method="post" action="/accounts/logout/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_bell_shows_the_unread_count(client, personas):
    client.force_login(personas.zhou)
    assert "badge-notification" not in client.get("/").content.decode()
    for number in range(3):
        notify(recipient=personas.zhou, title=f"测试通知{number}")

    html = client.get("/").content.decode()

    assert 'badge-notification badge-pill">3</span>' in html
    assert 'href="/notifications/"' in html


def test_messages_are_shown_as_alerts(client, personas):
    client.force_login(personas.zhou)
    response = client.post("/accounts/logout/", follow=True)
    html = page_html(response)
    assert 'class="alert alert-info alert-dismissible"' in html
    assert "您已安全退出。" in html


def test_shell_loads_only_vendored_assets_and_htmx_with_nonce(client, personas):
    client.force_login(personas.zhou)
    html = client.get("/").content.decode()
    assert "/static/vendor/tabler/css/tabler.min.css" in html
    assert "/static/vendor/tabler-icons/tabler-icons.min.css" in html
    assert "/static/js/app.js" in html
    assert 'src="/static/django_htmx/htmx-2.min.js" defer nonce="' in html
    assert 'data-bs-target="#sidebar-menu"' in html  # the phone menu toggler


# ---- home page ---------------------------------------------------------------------------------


def test_home_without_the_years_calendar_marks_today_provisional(client, personas, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC))
    CalendarYear.objects.filter(year=2027).delete()
    client.force_login(personas.zhou)
    html = client.get("/").content.decode()
    assert "今天是 2027年3月1日 星期一" in html
    assert "工作日" in html and "provisional-badge" in html
    assert "2027年的节假日安排尚未公布" in html


def test_home_shows_a_holiday(client, personas):
    _calendar_year(timezone.localdate(), DayKind.HOLIDAY, "国庆节")
    client.force_login(personas.zhou)
    html = client.get("/").content.decode()
    assert "休息日（国庆节）" in html
    assert "尚未录入" not in html


def test_home_shows_an_adjusted_workday(client, personas):
    _calendar_year(timezone.localdate(), DayKind.WORKDAY, "春节")
    client.force_login(personas.zhou)
    assert "工作日（春节调休上班）" in client.get("/").content.decode()


@pytest.mark.django_db
def test_today_calendar_tag():
    _calendar_year(datetime.date(2026, 1, 5))
    monday = today_calendar(datetime.date(2026, 1, 5))
    assert monday["weekday"] == "星期一" and monday["is_workday"] is True
    saturday = today_calendar(datetime.date(2026, 1, 10))
    assert saturday["weekday"] == "星期六" and saturday["is_workday"] is False
    assert monday["provisional_note"] == ""
    CalendarYear.objects.filter(year=2031).delete()
    provisional = today_calendar(datetime.date(2031, 1, 1))
    assert provisional["is_workday"] is False and provisional["day_name"] == "元旦"
    assert "2031年" in provisional["provisional_note"]


def test_home_panels_render_as_cards(client, personas):
    client.force_login(personas.auditadmin)
    html = page_html(client.get("/"))
    assert 'class="card h-100"' in html
    assert "list-group-item" in html


# ---- login and the pages of the existing areas --------------------------------------------------


def test_login_page_is_standalone(client, db):
    html = page_html(client.get("/accounts/login/?next=/notifications/"))
    assert "账号登录" in html
    assert 'name="username"' in html and 'class="form-control"' in html
    assert 'value="/notifications/"' in html
    assert "navbar-vertical" not in html


def test_login_error_is_shown(client, personas):
    html = page_html(client.post("/accounts/login/", {"username": "zhou", "password": "wrong"}))
    assert 'class="alert alert-danger"' in html
    assert "用户名或密码错误" in html


def test_password_change_shows_the_policy_and_errors(client, personas):
    client.force_login(personas.zhou)
    assert "至少 12 个字符" in page_html(client.get("/accounts/password/"))

    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
    )

    html = page_html(response)
    assert "当前密码不正确。" in html
    assert "is-invalid" in html and "invalid-feedback" in html


def test_account_pages_render_for_the_system_administrator(client, personas):
    client.force_login(personas.sysadmin)
    html = page_html(client.get("/accounts/manage/", {"q": "zh", "role": Role.STAFF}))
    assert "新建账号" in html
    # The usernames as the list prints them: a bare "wu" could also occur in a random CSP nonce.
    assert ">zhou</a>" in html and ">wu</a>" not in html
    assert page_html(client.get("/accounts/manage/new/")).count('class="form-label required"') == 2

    html = page_html(client.get(f"/accounts/manage/{personas.zhou.pk}/"))
    assert "停用账号" in html and "data-confirm=" in html
    assert f'action="/accounts/manage/{personas.zhou.pk}/role/"' not in html


def test_account_detail_for_the_security_administrator(client, personas):
    personas.zhou.locked_until = timezone.now() + datetime.timedelta(minutes=30)
    personas.zhou.save(update_fields=["locked_until"])
    client.force_login(personas.secadmin)

    html = page_html(client.get(f"/accounts/manage/{personas.zhou.pk}/"))

    assert "授予角色" in html and 'name="role"' in html
    assert "立即解锁" in html
    assert "停用账号" not in html


def test_audit_pages_render(client, personas):
    record_event(action="login", actor=personas.zhou, detail={"说明": "测试"})
    client.force_login(personas.auditadmin)

    html = page_html(client.get("/audit/", {"action": "login", "from": "2020-01-01", "failed": ""}))
    assert "zhou" in html
    assert "&quot;说明&quot;: &quot;测试&quot;" in html  # the detail as readable JSON
    assert 'value="2020-01-01"' in html

    assert "审计链完整" in page_html(client.get("/audit/chain/"))


def test_notification_list_marks_read(client, personas):
    notification = notify(recipient=personas.zhou, title="请审核文稿", url="/accounts/password/")
    client.force_login(personas.zhou)

    html = page_html(client.get("/notifications/"))
    assert "请审核文稿" in html and "全部标为已读" in html

    response = client.post(
        "/notifications/read/", {"id": notification.pk, "next": "/accounts/password/"}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "暂无通知" not in page_html(client.get("/notifications/"))


def test_empty_notification_list(client, personas):
    client.force_login(personas.wu)
    assert "暂无通知" in page_html(client.get("/notifications/"))
    assert not Notification.objects.exists()


# ---- error pages -------------------------------------------------------------------------------


def test_forbidden_page_is_in_chinese_inside_the_shell(client, personas):
    client.force_login(personas.zhou)
    response = client.get("/audit/")
    assert response.status_code == 403
    html = page_html(response)
    assert "您没有权限访问此页面" in html and "navbar-vertical" in html


def test_not_found_page_is_in_chinese(client, personas):
    client.force_login(personas.zhou)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到该页面或记录" in page_html(response)


@pytest.mark.parametrize(
    ("template", "text"), [("500.html", "系统出现错误"), ("400.html", "请求无效")]
)
def test_standalone_error_pages_need_no_context(template, text):
    html = get_template(template).render()
    assert text in html and "/static/vendor/tabler/css/tabler.min.css" in html
    assert_no_external_refs(html)
    assert_csp_safe(html)


# ---- shared includes ---------------------------------------------------------------------------


def test_pagination_keeps_other_query_parameters():
    request = RequestFactory().get("/list/", {"q": "法工委", "page": "2"})
    page = Paginator(range(100), 10).get_page(2)

    html = render_to_string("includes/pagination.html", {"page": page}, request=request)

    assert "共 <strong>100</strong> 条" in html
    assert 'href="?q=%E6%B3%95%E5%B7%A5%E5%A7%94&amp;page=3"' in html
    assert 'href="?q=%E6%B3%95%E5%B7%A5%E5%A7%94&amp;page=1"' in html
    assert "…" in html


class _SampleForm(forms.Form):
    title = forms.CharField(label="标题", help_text="不超过50字")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])
    units = forms.MultipleChoiceField(
        label="单位",
        choices=[("1", "办公室"), ("2", "法工委")],
        widget=forms.CheckboxSelectMultiple,
    )
    urgent = forms.BooleanField(label="加急", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("整体校验失败")


def test_form_include_renders_classes_errors_and_help():
    form = _SampleForm(data={"kind": "a", "units": ["1"]})
    assert not form.is_valid()

    html = render_to_string("includes/form.html", {"form": form})

    assert "整体校验失败" in html
    assert 'class="form-label required" for="id_title"' in html
    assert 'class="form-control is-invalid"' in html
    assert '<div class="invalid-feedback d-block">这个字段是必填项。</div>' in html
    assert "不超过50字" in html
    assert 'class="form-select"' in html
    assert html.count('class="form-check-input"') == 3  # two choices + the checkbox
    assert 'type="hidden" name="token"' in html
    assert_csp_safe(html)


# ---- the HTML checks themselves ----------------------------------------------------------------


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.com/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css">',
        '<img srcset="/a.png 1x, http://img.example.com/b.png 2x">',
        '<form action="https://collector.example.net/"></form>',
        "<style>@import 'https://fonts.example/f.css';</style>",
        '<div class="x"><a href="http://intranet.example/">x</a></div>',
    ],
)
def test_external_references_are_found(snippet):
    assert external_refs(snippet)
    with pytest.raises(AssertionError):
        assert_no_external_refs(snippet)


def test_local_references_pass():
    assert_no_external_refs(
        '<a href="/x/?a=1">x</a><a href="#top">t</a><a href="mailto:a@b.c">m</a>'
        '<img src="data:image/png;base64,AAAA"><a href="http://testserver/x/">self</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )


def test_csp_problems_are_found():
    problems = csp_problems(
        '<script>alert(1)</script><script nonce="abc">ok()</script><script src="/a.js"></script>'
        '<div style="color:red" onclick="x()"></div><a href="javascript:void(0)">j</a>'
    )
    assert len(problems) == 4
    assert not csp_problems('<script nonce="n">ok()</script><script src="/s.js"></script>')


# ---- vendored static files ---------------------------------------------------------------------


@pytest.mark.parametrize("path", VENDORED)
def test_vendored_file_is_present(path):
    assert finders.find(path), path


def test_collectstatic_with_the_manifest_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/tabler/css/tabler.min.css" in manifest
    icons_css = (tmp_path / manifest["vendor/tabler-icons/tabler-icons.min.css"]).read_text()
    woff2 = manifest["vendor/tabler-icons/fonts/tabler-icons.woff2"].rsplit("/", 1)[1]
    assert f'url("fonts/{woff2}")' in icons_css or f'url("./fonts/{woff2}")' in icons_css
