"""An external body's contact (外部单位联络员) on the ledger's body pages: the body's plain items,
and 签收 / 阶段反馈 / 申请延期 / 报送办结 through the ledger's services, as the contact."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.ledger import policies, services
from apps.ledger.choices import EventKind, ExtensionStatus, Status
from apps.ledger.models import ExtensionRequest, ItemEvent, ProgressReport, TrackedItem
from apps.ledger.reminders import send_reminders
from apps.notifications.models import Notification
from apps.organization.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-02")]


@pytest.fixture
def gov_item(personas, make_item):
    """A plain item assigned to 市人民政府 (gov is its contact), with an internal edit and note."""
    item = make_item(
        title="推进公交站点无障碍改造",
        content="请制定改造方案并按节点推进。",
        lead_unit=personas.government,
        responsible_person=None,
        feedback_rule="monthly",
    )
    item = services.item_assign(actor=personas.sun, item=item, note="请抓紧办理")
    ItemEvent.objects.create(
        item=item,
        kind=EventKind.EDITED,
        actor=personas.sun,
        created_at=item.assigned_at,
        note="内部备注：领导关注",
    )
    return item


@pytest.fixture
def client_gov(client, personas):
    client.force_login(personas.gov)
    return client


def test_the_list_shows_the_bodys_items_with_deadline_colour_and_next_step(
    client_gov, gov_item, make_item, personas
):
    make_item(title="法工委自己的事项")
    response = client_gov.get("/ledger/body/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "推进公交站点无障碍改造" in html
    assert "2026-12-15" in html and "请签收" in html and "绿 · 正常" in html
    assert "法工委自己的事项" not in html
    assert f"/ledger/body/{gov_item.pk}/" in html


def test_the_item_page_shows_what_the_body_needs_and_no_organ_only_fields(client_gov, gov_item):
    html = client_gov.get(f"/ledger/body/{gov_item.pk}/").content.decode()
    assert "请制定改造方案" in html and "完成调研" in html and "请抓紧办理" in html
    assert "内部备注" not in html  # an internal edit note
    assert "赵主任" not in html and "孙干事" not in html  # leading leader, tracker
    assert "市人大常委会机关" in html  # the organ, not its staff by name


def test_acknowledge_feedback_report_through_the_page(client_gov, gov_item, personas):
    url = f"/ledger/body/{gov_item.pk}/"
    response = client_gov.post(f"{url}acknowledge/", {"note": ""})
    assert response.status_code == 302
    gov_item.refresh_from_db()
    assert gov_item.status == Status.ACKNOWLEDGED
    event = gov_item.events.get(to_status=Status.ACKNOWLEDGED)
    assert event.actor == personas.gov

    response = client_gov.post(
        f"{url}feedback/",
        {
            "text": "方案已制定",
            "percent": "40",
            "attachments": SimpleUploadedFile("方案.txt", b"x"),
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(item=gov_item)
    assert report.reporter == personas.gov and not report.contribution
    assert gov_item.attachments.get().name == "方案.txt"
    assert AuditEvent.objects.filter(actor=personas.gov).exists()

    response = client_gov.post(
        f"{url}report/",
        {"text": "已全部完成", "attachments": SimpleUploadedFile("验收.txt", b"y")},
    )
    assert response.status_code == 302
    gov_item.refresh_from_db()
    assert gov_item.status == Status.REPORTED and gov_item.progress == 100
    assert client_gov.get(url).content.decode().count("等待核验") >= 1


def test_the_body_downloads_the_files_of_its_timeline_only(
    client_gov, gov_item, make_item, personas
):
    from apps.ledger.models import Attachment

    services.feedback_submit(
        actor=personas.gov,
        item=gov_item,
        text="进展",
        percent=10,
        attachments=[SimpleUploadedFile("进展.txt", b"ok")],
    )
    own = Attachment.objects.get(item=gov_item)
    html = client_gov.get(f"/ledger/body/{gov_item.pk}/").content.decode()
    assert f"/ledger/body/attachments/{own.pk}/" in html
    response = client_gov.get(f"/ledger/body/attachments/{own.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"ok"
    internal = Attachment.objects.create(
        item=gov_item,
        event=gov_item.events.get(kind=EventKind.EDITED),
        file=SimpleUploadedFile("内部.txt", b"secret"),
        name="内部.txt",
        size=6,
        uploaded_by=personas.sun,
    )
    organ_item = services.item_assign(actor=personas.sun, item=make_item(title="机关事项"))
    services.feedback_submit(
        actor=personas.zhou,
        item=organ_item,
        text="进展",
        percent=10,
        attachments=[SimpleUploadedFile("机关.txt", b"x")],
    )
    organ_file = Attachment.objects.get(item=organ_item)
    for attachment in (internal, organ_file):
        assert client_gov.get(f"/ledger/body/attachments/{attachment.pk}/").status_code == 404


def test_an_extension_request_goes_to_the_normal_decider(client_gov, gov_item, personas):
    response = client_gov.post(
        f"/ledger/body/{gov_item.pk}/extension/",
        {"new_deadline": "2026-12-28", "reason": "需协调资金"},
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get(item=gov_item)
    assert request.requested_by == personas.gov and request.status == ExtensionStatus.PENDING
    services.extension_decide(actor=personas.zhao, request=request, grant=True)
    gov_item.refresh_from_db()
    assert gov_item.deadline == datetime.date(2026, 12, 28)


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("feedback", {"text": "", "percent": "10"}, "请填写进展情况。"),
        ("extension", {"new_deadline": "2026-12-01", "reason": "x"}, "申请的时限须晚于现时限"),
        ("extension", {"new_deadline": "2026-12-20", "reason": ""}, "请说明延期理由。"),
        ("report", {"text": ""}, "请填写办理结果。"),
    ],
)
def test_bad_input_says_why_and_changes_nothing(client_gov, gov_item, action, data, message):
    services.item_acknowledge(actor=client_gov_user(gov_item), item=gov_item)
    events = ItemEvent.objects.count()
    response = client_gov.post(f"/ledger/body/{gov_item.pk}/{action}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ItemEvent.objects.count() == events
    assert not ExtensionRequest.objects.exists() and not ProgressReport.objects.exists()
    assert TrackedItem.objects.get(pk=gov_item.pk).status == Status.ACKNOWLEDGED


def client_gov_user(item):
    from apps.accounts.models import User

    return User.objects.get(username="gov")


def test_a_file_too_large_is_refused(client_gov, gov_item, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 3)
    response = client_gov.post(
        f"/ledger/body/{gov_item.pk}/feedback/",
        {"text": "进展", "percent": "10", "attachments": SimpleUploadedFile("大.txt", b"12345")},
    )
    assert response.status_code == 200
    assert "超过20MB" in response.content.decode()
    assert not ProgressReport.objects.exists() and not gov_item.attachments.exists()


def test_another_bodys_item_and_the_organs_items_are_not_found(client_gov, make_item, personas):
    court = Unit.everything.create(name="市中级人民法院", short_name="市中院", kind="court")
    other = services.item_assign(
        actor=personas.sun, item=make_item(lead_unit=court, responsible_person=None)
    )
    organ = services.item_assign(actor=personas.sun, item=make_item(title="机关事项"))
    draft = make_item(lead_unit=personas.government, responsible_person=None)
    for item in (other, organ, draft):
        assert client_gov.get(f"/ledger/body/{item.pk}/").status_code == 404
        response = client_gov.post(f"/ledger/body/{item.pk}/acknowledge/", {"note": ""})
        assert response.status_code == 404
    assert TrackedItem.objects.get(pk=other.pk).status == Status.ASSIGNED


def test_a_co_operating_body_contributes_only(client_gov, make_item, personas):
    item = services.item_assign(actor=personas.sun, item=make_item(co_units=[personas.government]))
    html = client_gov.get(f"/ledger/body/{item.pk}/").content.decode()
    assert "反馈配合情况" in html and "acknowledge-form" not in html
    response = client_gov.post(
        f"/ledger/body/{item.pk}/feedback/", {"text": "已配合提供数据", "percent": "20"}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get(item=item).contribution
    assert client_gov.post(f"/ledger/body/{item.pk}/acknowledge/", {}).status_code == 403
    assert TrackedItem.objects.get(pk=item.pk).status == Status.ASSIGNED


def test_an_inactive_contact_or_body_sees_nothing(client_gov, gov_item, personas):
    contact = personas.gov.external_contact
    contact.is_active = False
    contact.save()
    assert client_gov.get("/ledger/body/").status_code == 403
    assert client_gov.get(f"/ledger/body/{gov_item.pk}/").status_code == 403
    contact.is_active = True
    contact.save()
    Unit.everything.filter(pk=personas.government.pk).update(is_active=False)
    assert client_gov.get("/ledger/body/").status_code == 403
    assert client_gov.post(f"/ledger/body/{gov_item.pk}/acknowledge/", {}).status_code == 403
    assert TrackedItem.objects.get(pk=gov_item.pk).status == Status.ASSIGNED


def test_an_item_an_area_shows_leads_to_the_areas_page(client_gov, gov_item):
    link = lambda t: f"/area/{t.pk}/" if t.pk == gov_item.pk else ""  # noqa: E731
    policies.register_outsider_link(link)
    try:
        response = client_gov.get(f"/ledger/body/{gov_item.pk}/")
        assert response.status_code == 302 and response["Location"] == f"/area/{gov_item.pk}/"
        assert f"/area/{gov_item.pk}/" in client_gov.get("/ledger/body/").content.decode()
        response = client_gov.post(f"/ledger/body/{gov_item.pk}/acknowledge/", {})
        assert response.status_code == 403
    finally:
        policies._OUTSIDER_LINKS.remove(link)


def test_the_reminders_link_a_plain_item_to_its_body_page(gov_item, personas):
    send_reminders(datetime.date(2026, 12, 16))
    notifications = Notification.objects.filter(recipient=personas.gov)
    assert {n.url for n in notifications} == {f"/ledger/body/{gov_item.pk}/"}
    notification = notifications.get(dedup_key=f"ledger:{gov_item.pk}:overdue:2026-12-16")
    assert notification.url == f"/ledger/body/{gov_item.pk}/"
    assert notification.task_key == f"ledger:{gov_item.pk}:submit"


def test_the_home_panel_counts_the_bodys_open_items(client_gov, gov_item):
    html = client_gov.get("/").content.decode()
    assert "本单位督办事项（在办1项 · 待签收1项 · 逾期0项）" in html
    assert f"/ledger/body/{gov_item.pk}/" in html


def test_the_demo_gives_the_government_contact_plain_items(client_gov, personas):
    from apps.ledger.demo_bodies import generate_body_items

    assert generate_body_items(datetime.date(2026, 11, 2)) == 3
    items = TrackedItem.objects.filter(lead_unit=personas.government)
    assert set(items.values_list("status", flat=True)) == {Status.ASSIGNED}
    html = client_gov.get("/ledger/body/").content.decode()
    assert html.count('data-testid="body-ledger-item"') == 3
    assert generate_body_items(datetime.date(2026, 11, 2)) == 0  # once
