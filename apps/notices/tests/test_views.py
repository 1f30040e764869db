"""The notices' pages: draft → publish → read → confirm → receipts → remind → withdraw, and bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.notices.choices import NoticeStatus
from apps.notices.models import Notice, Receipt
from apps.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-10")]

FORM = {
    "title": "关于2027年元旦放假安排的通知",
    "category": "notice",
    "body": "根据国务院办公厅通知精神，现将元旦放假安排通知如下。\n\n1月1日放假，共1天。",
    "audience": "organ",
}


def form(personas, **changes):
    return {"issuer": str(personas.office.pk), **FORM, **changes}


def test_the_office_drafts_and_publishes_a_notice_that_staff_then_read(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.sun)
    upload = SimpleUploadedFile("值班表.xlsx", b"PK\x03\x04")
    response = client.post(
        "/notices/new/", form(personas, attachments=upload, body="第一段<script>x</script>\n第二段")
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notices/{notice.pk}/publish/", follow=True)
    assert "已发布，发送6人" in response.content.decode()

    client.force_login(personas.wu)
    page = client.get("/notices/").content.decode()
    assert 'data-testid="unread"' in page and "1条未读" in page
    detail = client.get(f"/notices/{notice.pk}/").content.decode()
    # Plain text: the paragraphs are escaped, never HTML.
    assert "<p>第一段&lt;script&gt;x&lt;/script&gt;</p><p>第二段</p>" in detail
    assert "值班表.xlsx" in detail
    assert Receipt.objects.get(notice=notice, recipient=personas.wu).read_at is not None
    assert Notification.objects.get(recipient=personas.wu).resolved_at is not None
    assert 'data-testid="unread"' not in client.get("/notices/").content.decode()
    download = client.get(f"/notices/attachments/{notice.attachments.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK\x03\x04"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写标题。"),
        ({"title": "长" * 121}, "标题不能超过120字。"),
        ({"audience": "units"}, "请选择发送范围：全机关，或至少一个单位。"),
        ({"pinned": "on", "pinned_until": "2026-12-01"}, "置顶截止日期（2026-12-01）已过"),
        ({"body": "字" * 20_001}, "正文不能超过20000字。"),
        ({"units": "99999999999999999999999", "audience": "units"}, "99999999999999999999"),
    ],
)
def test_bad_input_shows_a_chinese_message_and_saves_nothing(client, personas, changes, message):
    client.force_login(personas.sun)
    response = client.post("/notices/new/", form(personas, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_a_notice_to_confirm_and_its_receipts(client, personas, notice):
    published = notice(units=[personas.legal, personas.finance], requires_confirmation=True)
    client.force_login(personas.zhou)
    page = client.get(f"/notices/{published.pk}/").content.decode()
    assert 'data-testid="confirm"' in page
    response = client.post(f"/notices/{published.pk}/confirm/", follow=True)
    assert "已确认知悉" in response.content.decode()

    client.force_login(personas.zhou)  # a reader, not a keeper of receipts
    assert client.get(f"/notices/{published.pk}/receipts/").status_code == 403
    client.force_login(personas.li)  # 法工委's head follows his own unit only, and reminds nobody
    page = client.get(f"/notices/{published.pk}/receipts/").content.decode()
    assert "本单位阅读情况" in page and "李主任" in page
    assert "吴科员" not in page and "财经委" not in page and 'data-testid="remind"' not in page
    assert client.post(f"/notices/{published.pk}/remind/").status_code == 403
    client.force_login(personas.zhao)
    page = client.get(f"/notices/{published.pk}/receipts/").content.decode()
    assert 'data-testid="read">1<' in page and 'data-testid="unread">2<' in page
    assert "李主任" in page and "吴科员" in page and "全部已读" not in page
    assert '<progress class="notice-progress" max="100" value="33"' in page


def test_remind_twice_within_the_hour_says_when_to_try_again(client, personas, notice):
    published = notice(units=[personas.legal])
    client.force_login(personas.sun)
    first = client.post(f"/notices/{published.pk}/remind/", follow=True).content.decode()
    assert "已提醒2人" in first
    second = client.post(f"/notices/{published.pk}/remind/", follow=True).content.decode()
    assert "每条通知一小时内只能提醒一次" in second


def test_withdraw_shows_the_reason_to_readers_and_takes_it_off_their_list(client, personas, notice):
    published = notice(title="关于调整作息时间的通知")
    client.force_login(personas.sun)
    refused = client.post(f"/notices/{published.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "撤回须说明原因。" in refused.content.decode()
    client.post(f"/notices/{published.pk}/withdraw/", {"reason": "时间有误，另行通知"})
    published.refresh_from_db()
    assert published.status == NoticeStatus.WITHDRAWN
    client.force_login(personas.wu)
    assert "关于调整作息时间的通知" not in client.get("/notices/").content.decode()
    page = client.get(f"/notices/{published.pk}/").content.decode()
    assert "原因：时间有误，另行通知" in page


def test_the_home_panel_lists_the_unread_with_their_count(client, personas, notice):
    for n in range(7):
        notice(title=f"第{n}号通知")
    notice(title="置顶的通知", pinned=True, pinned_until=datetime.date(2026, 12, 31))
    client.force_login(personas.wu)
    page = client.get("/").content.decode()
    assert "通知公告（8条未读）" in page
    assert page.index("【置顶】置顶的通知") < page.index("第6号通知")


def test_outsiders_and_admins_never_see_notices(client, personas, notice):
    published = notice()
    for name in ("gov", "dai", "sysadmin", "auditadmin"):
        client.force_login(getattr(personas, name))
        assert client.get("/notices/").status_code == 403
        assert client.get(f"/notices/{published.pk}/").status_code == 403
        assert "通知公告" not in client.get("/").content.decode()
