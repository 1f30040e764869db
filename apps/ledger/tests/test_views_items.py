"""The ledger table, an item's page and its actions, my items, the lists — through the views.

Today is pinned (2026-11-20, a Friday) so that warning colours do not depend on the day the suite
runs: the fixture item's deadline (2026-12-15) is green, 2026-11-24 is yellow, 2026-11-10 is red.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.ledger import services
from apps.ledger.choices import (
    EventKind,
    ExtensionStatus,
    FeedbackRule,
    ItemKind,
    MilestoneStatus,
    Source,
    Status,
)
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import (
    Attachment,
    Checklist,
    ExtensionRequest,
    ItemEvent,
    ProgressReport,
    TrackedItem,
)

# The fixtures below are dated around 2026-11: the clock is set to match.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

TODAY = datetime.date(2026, 11, 20)
ADMINS = ("sysadmin", "secadmin", "auditadmin")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        if value is None:
            return TODAY
        return real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def url(name: str, *args) -> str:
    return reverse(f"ledger:{name}", args=args)


def act(client, item, action, **data):
    return client.post(url("item_action", item.pk, action), data)


def status_of(item) -> str:
    return TrackedItem.objects.get(pk=item.pk).status


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def assigned(personas, item):
    return services.item_assign(actor=personas.sun, item=item)


@pytest.fixture
def finance_item(personas, make_item):
    """An item of 财经委 (wu responsible), without a leading leader."""
    return make_item(
        title="开展预算联网监督",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        milestones=[],
    )


# --- the whole lifecycle ---------------------------------------------------------------------------


def test_the_whole_lifecycle_through_the_views(client, personas, make_item):
    item = make_item()

    client.force_login(personas.sun)
    response = act(client, item, "assign", note="请按时办理")
    assert response.status_code == 302 and response.url == url("item_detail", item.pk)
    assert status_of(item) == Status.ASSIGNED

    client.force_login(personas.zhou)
    response = client.get(url("item_detail", item.pk))
    assert "签收" in response.content.decode()
    assert act(client, item, "acknowledge").status_code == 302
    assert status_of(item) == Status.ACKNOWLEDGED

    response = client.post(
        url("item_feedback", item.pk),
        {
            "text": "已完成调研",
            "percent": "40",
            "attachments": SimpleUploadedFile("调研报告.txt", "调研情况".encode()),
        },
    )
    assert response.status_code == 302
    assert status_of(item) == Status.IN_PROGRESS
    report = ProgressReport.objects.get(item=item)
    assert report.percent == 40 and report.reporter == personas.zhou

    response = act(
        client,
        item,
        "report",
        text="已建成3个立法联系点",
        attachments=SimpleUploadedFile("办结报告.pdf", b"%PDF-1.4 report", "application/pdf"),
    )
    assert response.status_code == 302
    assert status_of(item) == Status.REPORTED
    attachment = Attachment.objects.get(name="办结报告.pdf")
    assert attachment.event.to_status == Status.REPORTED

    client.force_login(personas.sun)
    response = client.get(url("item_detail", item.pk), follow=False)
    page = response.content.decode()
    assert "核验" in page and "退回" in page and "销号" not in re.sub(r"销号依据", "", page)
    assert act(client, item, "return", reason="缺少佐证材料").status_code == 302
    assert status_of(item) == Status.IN_PROGRESS

    client.force_login(personas.zhou)
    assert act(client, item, "report", text="补充了挂牌照片").status_code == 302

    client.force_login(personas.sun)
    assert act(client, item, "verify").status_code == 302
    response = act(
        client,
        item,
        "close",
        evidence="联系点挂牌照片及制度文件",
        attachments=SimpleUploadedFile("挂牌照片.jpg", b"\xff\xd8jpeg"),
    )
    assert response.status_code == 302
    response = client.get(response.url)
    assert "事项已销号。" in messages_of(response)

    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.closing_evidence == "联系点挂牌照片及制度文件"
    assert list(item.events.values_list("kind", "to_status")) == [
        (EventKind.CREATED, Status.DRAFT),
        (EventKind.TRANSITION, Status.ASSIGNED),
        (EventKind.TRANSITION, Status.ACKNOWLEDGED),
        (EventKind.FEEDBACK, Status.IN_PROGRESS),
        (EventKind.TRANSITION, Status.REPORTED),
        (EventKind.RETURNED, Status.IN_PROGRESS),
        (EventKind.TRANSITION, Status.REPORTED),
        (EventKind.TRANSITION, Status.VERIFIED),
        (EventKind.TRANSITION, Status.CLOSED),
    ]
    # The timeline shows who did what, the return's reason and the files, with download links.
    page = response.content.decode()
    assert "缺少佐证材料" in page and "孙干事" in page and "周科员" in page
    for name in ("调研报告.txt", "办结报告.pdf", "挂牌照片.jpg"):
        assert name in page
    assert url("attachment_download", attachment.pk) in page
    # Finished: no action is offered any more.
    assert "当前没有需要您办理的操作" in page


def test_attachments_download_only_for_those_who_see_the_item(client, personas, make_item):
    item = assigned(personas, make_item())
    services.item_acknowledge(actor=personas.zhou, item=item)
    services.item_report_completion(
        actor=personas.zhou,
        item=item,
        text="完成",
        attachments=[SimpleUploadedFile("办结报告.pdf", b"%PDF-1.4 report")],
    )
    attachment = Attachment.objects.get()
    for name in ("zhou", "li", "zhao", "sun", "qian"):
        client.force_login(getattr(personas, name))
        response = client.get(url("attachment_download", attachment.pk))
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert "办结报告.pdf" in unquote(disposition)
    for name in ("wu", *ADMINS):
        client.force_login(getattr(personas, name))
        assert client.get(url("attachment_download", attachment.pk)).status_code == 404, name


# --- refused and bad input change nothing ----------------------------------------------------------


def test_a_wrong_transition_shows_the_reason_and_changes_nothing(client, personas, make_item):
    item = make_item()
    events = ItemEvent.objects.count()
    client.force_login(personas.sun)
    response = act(client, item, "close", evidence="材料齐全")
    assert response.status_code == 302
    response = client.get(response.url)
    assert any("当前状态为“草稿”，不能销号" in m for m in messages_of(response))
    assert status_of(item) == Status.DRAFT
    assert ItemEvent.objects.count() == events

    response = act(client, item, "verify")
    assert any("不能核验" in m for m in messages_of(client.get(response.url)))
    assert status_of(item) == Status.DRAFT
    assert ItemEvent.objects.count() == events


def test_a_return_without_reason_is_refused_on_the_form(client, personas, make_item):
    item = assigned(personas, make_item())
    services.item_acknowledge(actor=personas.zhou, item=item)
    services.item_report_completion(actor=personas.zhou, item=item, text="完成")
    events = ItemEvent.objects.count()
    client.force_login(personas.sun)
    response = act(client, item, "return", reason="   ")
    assert response.status_code == 200
    assert "请填写理由。" in response.content.decode()
    assert status_of(item) == Status.REPORTED
    assert ItemEvent.objects.count() == events


def test_closing_without_evidence_and_bad_feedback_change_nothing(client, personas, make_item):
    item = assigned(personas, make_item())
    client.force_login(personas.zhou)
    response = client.post(url("item_feedback", item.pk), {"text": "进展", "percent": "150"})
    assert response.status_code == 200
    assert "完成进度须在0到100之间。" in response.content.decode()
    response = client.post(url("item_feedback", item.pk), {"text": "", "percent": "10"})
    assert "请填写进展情况。" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert status_of(item) == Status.ASSIGNED

    services.item_acknowledge(actor=personas.zhou, item=item)
    services.item_report_completion(actor=personas.zhou, item=item, text="完成")
    services.item_verify(actor=personas.sun, item=item)
    client.force_login(personas.sun)
    response = act(client, item, "close", evidence="")
    assert "销号须填写销号依据。" in response.content.decode()
    assert status_of(item) == Status.VERIFIED


def test_only_the_right_people_may_act(client, personas, make_item):
    item = make_item()
    for name in ("zhou", "li", "zhao"):
        client.force_login(getattr(personas, name))
        assert act(client, item, "assign").status_code == 403, name
        assert status_of(item) == Status.DRAFT
    client.force_login(personas.qian)  # the head of the General Office counts as the office
    assert act(client, item, "assign").status_code == 302
    assert status_of(item) == Status.ASSIGNED
    client.force_login(personas.wu)
    assert act(client, item, "acknowledge").status_code == 404  # another unit: not even seen
    client.force_login(personas.sun)
    assert act(client, item, "acknowledge").status_code == 403  # the office does not sign for units
    assert status_of(item) == Status.ASSIGNED


def test_unknown_actions_and_get_on_post_endpoints(client, personas, make_item):
    item = make_item()
    client.force_login(personas.sun)
    assert act(client, item, "delete").status_code == 404
    assert client.get(url("item_action", item.pk, "assign")).status_code == 405
    assert client.get(url("item_feedback", item.pk)).status_code == 405
    assert client.get(url("extension_request", item.pk)).status_code == 405
    assert client.get(url("extension_decide", 1)).status_code == 405
    assert client.get(url("milestone_done", 1)).status_code == 405
    assert status_of(item) == Status.DRAFT


# --- extensions and milestones ---------------------------------------------------------------------


def test_extension_requested_by_the_unit_and_decided_by_the_leading_leader(
    client, personas, make_item
):
    item = assigned(personas, make_item())
    client.force_login(personas.zhou)
    response = client.post(
        url("extension_request", item.pk), {"new_deadline": "2027-01-10", "reason": "工作量大"}
    )
    assert response.status_code == 200
    assert "延期不能跨年" in response.content.decode()
    assert not ExtensionRequest.objects.exists()
    response = client.post(
        url("extension_request", item.pk), {"new_deadline": "2026-12-30", "reason": "工作量大"}
    )
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get()

    client.force_login(personas.sun)  # the office may not decide
    assert (
        client.post(url("extension_decide", extension.pk), {"decision": "grant"}).status_code == 403
    )
    client.force_login(personas.wu)
    assert (
        client.post(url("extension_decide", extension.pk), {"decision": "grant"}).status_code == 404
    )

    client.force_login(personas.zhao)
    page = client.get(url("item_detail", item.pk)).content.decode()
    assert url("extension_decide", extension.pk) in page
    response = client.post(
        url("extension_decide", extension.pk), {"decision": "refuse", "note": ""}
    )
    assert response.status_code == 200
    assert "不同意延期时请填写意见。" in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING

    response = client.post(
        url("extension_decide", extension.pk), {"decision": "grant", "note": "同意"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == datetime.date(2026, 12, 30)
    assert "已同意延期" in messages_of(client.get(response.url))[0]


def test_milestone_done_by_the_unit(client, personas, make_item):
    item = assigned(personas, make_item())
    milestone = item.milestones.get()
    client.force_login(personas.wu)
    assert client.post(url("milestone_done", milestone.pk)).status_code == 404
    client.force_login(personas.zhao)
    assert client.post(url("milestone_done", milestone.pk)).status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PENDING
    client.force_login(personas.zhou)
    page = client.get(url("item_detail", item.pk)).content.decode()
    assert url("milestone_done", milestone.pk) in page
    assert client.post(url("milestone_done", milestone.pk)).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    response = client.post(url("milestone_done", milestone.pk), follow=True)
    assert "该时间节点已完成。" in messages_of(response)


# --- who sees which rows ---------------------------------------------------------------------------


def test_each_role_sees_the_right_rows(client, personas, make_item, finance_item):
    legal = make_item()
    expected = {
        "zhao": {legal.pk, finance_item.pk},  # a leader sees every item (issue 10)
        "qian": {legal.pk, finance_item.pk},
        "sun": {legal.pk, finance_item.pk},
        "li": {legal.pk},
        "zhou": {legal.pk},
        "wu": {finance_item.pk},
    }
    for name, pks in expected.items():
        client.force_login(getattr(personas, name))
        response = client.get(url("item_list"))
        assert response.status_code == 200, name
        assert {row.pk for row in response.context["rows"]} == pks, name
        assert response.context["summary"]["total"] == len(pks), name
    client.force_login(personas.wu)
    assert client.get(url("item_detail", legal.pk)).status_code == 404
    assert "推进立法联系点建设" not in client.get(url("item_list")).content.decode()


@pytest.mark.parametrize("name", ADMINS)
def test_administrators_have_no_business_in_the_ledger(client, personas, make_item, name):
    item = make_item()
    client.force_login(getattr(personas, name))
    for page in ("item_list", "my_items", "checklist_list", "item_create", "checklist_create"):
        assert client.get(url(page)).status_code == 403, page
    assert client.get(url("item_detail", item.pk)).status_code == 404
    assert client.get(url("item_edit", item.pk)).status_code == 403
    assert act(client, item, "assign").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, make_item):
    item = make_item()
    for target in (url("item_list"), url("item_detail", item.pk), url("my_items")):
        response = client.get(target)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- the table: summary, filters, sorting, constant queries ----------------------------------------


def test_summary_filters_and_sorting(client, personas, make_item):
    green = assigned(personas, make_item(title="绿色事项"))
    yellow = assigned(
        personas,
        make_item(
            title="黄色事项", deadline=DeadlineSpec(date=datetime.date(2026, 11, 24)), milestones=[]
        ),
    )
    red = assigned(
        personas,
        make_item(
            title="红色事项", deadline=DeadlineSpec(date=datetime.date(2026, 11, 10)), milestones=[]
        ),
    )
    draft = make_item(title="草稿事项", milestones=[])
    client.force_login(personas.sun)

    response = client.get(url("item_list"))
    assert response.context["summary"] == {
        "total": 4,
        "red": 1,
        "yellow": 1,
        "overdue": 1,
        "feedback_late": 0,
        "milestone_late": 0,
    }
    page = response.content.decode()
    assert "红 · 逾期" in page and "黄 · 临期" in page and "绿 · 正常" in page
    assert "已逾期10天" in page

    response = client.get(url("item_list"), {"sort": "warning"})
    assert [row.pk for row in response.context["rows"]] == [red.pk, yellow.pk, green.pk, draft.pk]
    response = client.get(url("item_list"), {"sort": "-deadline"})
    assert [row.pk for row in response.context["rows"]] == [draft.pk, green.pk, yellow.pk, red.pk]
    response = client.get(url("item_list"), {"sort": "no-such-column"})
    assert [row.pk for row in response.context["rows"]] == [red.pk, yellow.pk, green.pk, draft.pk]

    response = client.get(url("item_list"), {"warning": "red"})
    assert [row.pk for row in response.context["rows"]] == [red.pk]
    assert response.context["summary"]["total"] == 1
    response = client.get(url("item_list"), {"status": Status.DRAFT})
    assert [row.pk for row in response.context["rows"]] == [draft.pk]
    response = client.get(url("item_list"), {"q": "黄色"})
    assert [row.pk for row in response.context["rows"]] == [yellow.pk]
    response = client.get(url("item_list"), {"overdue": "1"})
    assert [row.pk for row in response.context["rows"]] == [red.pk]
    response = client.get(url("item_list"), {"leader": personas.zhao.person.pk, "sort": "serial"})
    assert len(response.context["rows"]) == 4

    # The export keeps the filters; the office is offered import and registration.
    response = client.get(url("item_list"), {"warning": "red", "page": "1"})
    page = response.content.decode()
    assert f'href="{url("export_xlsx")}?warning=red"' in page
    import_upload = reverse("imports:upload", args=["ledger"])
    assert import_upload in page and url("item_create") in page
    client.force_login(personas.zhou)
    page = client.get(url("item_list")).content.decode()
    assert import_upload not in page and url("item_create") not in page


def test_the_ledger_runs_a_constant_number_of_queries(
    client, personas, checklist, make_item, django_assert_max_num_queries
):
    for n in range(5):
        make_item(title=f"事项{n}", milestones=[])
    client.force_login(personas.sun)
    client.get(url("item_list"))  # warm per-process caches (working-day calendar, ...)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("item_list")).status_code == 200
    for n in range(5, 40):
        make_item(title=f"事项{n}", milestones=[], responsible_person=personas.li.person)
    # The same count with 40 rows as with 5: no query per row.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("item_list"))
    assert len(response.context["rows"]) == 30
    assert response.context["summary"]["total"] == 40


# --- my items --------------------------------------------------------------------------------------


def _group(response, key):
    return {i.pk for g in response.context["groups"] if g["key"] == key for i in g["items"]}


def test_my_items_groups_what_to_do_next(client, personas, make_item, finance_item):
    to_sign = assigned(personas, make_item(title="待签收事项", milestones=[]))
    weekly = make_item(title="周报事项", feedback_rule=FeedbackRule.WEEKLY, milestones=[])
    weekly = assigned(personas, weekly)
    services.item_acknowledge(actor=personas.zhou, item=weekly)
    TrackedItem.objects.filter(pk=weekly.pk).update(feedback_due=datetime.date(2026, 11, 19))
    services.refresh_warning_dates(TrackedItem.objects.get(pk=weekly.pk))
    reported = assigned(personas, make_item(title="已报办结事项", milestones=[]))
    services.item_acknowledge(actor=personas.zhou, item=reported)
    services.item_report_completion(actor=personas.zhou, item=reported, text="完成")
    services.extension_request(
        actor=personas.zhou, item=to_sign, new_deadline=datetime.date(2026, 12, 28), reason="需协调"
    )
    assigned(personas, finance_item)

    client.force_login(personas.zhou)
    response = client.get(url("my_items"))
    assert _group(response, "acknowledge") == {to_sign.pk}
    assert _group(response, "feedback") == {weekly.pk}
    # Red for its missed feedback, but listed once: under 待反馈, not again under 临期/逾期 (issue 10).
    assert _group(response, "urgent") == set()
    others = {i.pk for i in response.context["open_items"]}
    assert weekly.pk not in others and to_sign.pk not in others
    assert reported.pk in others
    assert finance_item.pk not in others

    client.force_login(personas.li)  # head of the lead unit
    response = client.get(url("my_items"))
    assert _group(response, "acknowledge") == {to_sign.pk}

    client.force_login(personas.zhao)
    response = client.get(url("my_items"))
    assert [e.item_id for e in response.context["extensions"]] == [to_sign.pk]
    assert "待审批延期" in response.content.decode()

    client.force_login(personas.sun)
    response = client.get(url("my_items"))
    assert _group(response, "verify") == {reported.pk}

    client.force_login(personas.wu)
    response = client.get(url("my_items"))
    assert _group(response, "acknowledge") == {finance_item.pk}
    assert response.context["open_items"] == []  # listed once, under 待签收
    assert response.context["extensions"] == []


# --- registering and editing -----------------------------------------------------------------------


def item_form_data(personas, checklist, **overrides):
    data = {
        "checklist": checklist.pk,
        "kind": ItemKind.MATTER,
        "serial": "",
        "title": "完善备案审查工作机制",
        "content": "建立规范性文件备案审查衔接联动机制。",
        "category": "立法",
        "source": "",
        "leading_leader": personas.zhao.person.pk,
        "lead_unit": personas.legal.pk,
        "co_units": [personas.finance.pk],
        "responsible_person": personas.zhou.person.pk,
        "trackers": [personas.sun.person.pk],
        "deadline_mode": "date",
        "deadline": "2026-12-18",
        "deadline_base": "",
        "deadline_workdays": "",
        "feedback_rule": FeedbackRule.MONTHLY,
        "feedback_workdays": "",
        "milestones": "2026-12-01 形成初稿\n\n2026-12-10 征求意见",
    }
    data.update(overrides)
    return data


def test_the_office_registers_an_item(client, personas, checklist):
    client.force_login(personas.sun)
    page = client.get(url("item_create")).content.decode()
    assert "领责督办领导" in page
    response = client.post(url("item_create"), item_form_data(personas, checklist))
    item = TrackedItem.objects.get()
    assert response.status_code == 302 and response.url == url("item_detail", item.pk)
    assert item.status == Status.DRAFT
    assert item.source == Source.PARTY_GROUP  # the list's
    assert item.deadline == datetime.date(2026, 12, 18)
    assert list(item.co_units.all()) == [personas.finance]
    assert list(item.milestones.values_list("title", flat=True)) == ["形成初稿", "征求意见"]


def test_a_deadline_given_as_workdays_after_a_date(client, personas, checklist):
    client.force_login(personas.sun)
    data = item_form_data(
        personas,
        checklist,
        deadline_mode="workdays",
        deadline="",
        deadline_base="2026-02-13",
        deadline_workdays="5",
        milestones="",
    )
    assert client.post(url("item_create"), data).status_code == 302
    item = TrackedItem.objects.get()
    assert item.deadline == datetime.date(2026, 2, 27)  # over the Spring Festival holiday
    assert "5个工作日" in item.deadline_note


def test_bad_milestone_lines_are_reported_with_their_numbers(client, personas, checklist):
    client.force_login(personas.sun)
    data = item_form_data(
        personas,
        checklist,
        milestones="2026-12-01 形成初稿\n完成调研\n2026-13-40 征求意见\n2026-12-05",
    )
    response = client.post(url("item_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "第2行" in page and "第3行" in page and "第4行：缺少节点内容。" in page
    assert "第1行" not in page
    assert not TrackedItem.objects.exists()


def test_a_form_the_service_refuses_saves_nothing(client, personas, checklist):
    client.force_login(personas.sun)
    data = item_form_data(personas, checklist, co_units=[personas.legal.pk])
    response = client.post(url("item_create"), data)
    assert response.status_code == 200
    assert "牵头单位不能同时作为配合单位。" in response.content.decode()
    data = item_form_data(personas, checklist, milestones="2026-12-30 晚于时限")
    assert "晚于事项办结时限" in client.post(url("item_create"), data).content.decode()
    data = item_form_data(personas, checklist, deadline="")
    assert "请填写办结时限。" in client.post(url("item_create"), data).content.decode()
    data = item_form_data(personas, checklist, leading_leader=personas.li.person.pk)
    assert "不是在任的常委会领导" in client.post(url("item_create"), data).content.decode()
    assert not TrackedItem.objects.exists()


@pytest.mark.parametrize("name", ["zhao", "li", "zhou", "wu"])
def test_only_the_office_registers(client, personas, checklist, name):
    client.force_login(getattr(personas, name))
    assert client.get(url("item_create")).status_code == 403
    assert client.post(url("item_create"), item_form_data(personas, checklist)).status_code == 403
    assert not TrackedItem.objects.exists()
    assert client.get(url("checklist_create")).status_code == 403


def test_a_draft_is_edited_and_an_assigned_item_is_not(client, personas, make_item):
    item = make_item()
    client.force_login(personas.sun)
    response = client.get(url("item_edit", item.pk))
    assert response.status_code == 200
    assert "2026-12-01 完成调研" in response.content.decode()
    data = item_form_data(
        personas,
        item.checklist,
        title="推进立法联系点建设（修订）",
        serial=item.serial,
        co_units=[],
    )
    response = client.post(url("item_edit", item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "推进立法联系点建设（修订）"
    assert item.deadline == datetime.date(2026, 12, 18)
    assert list(item.milestones.values_list("title", flat=True)) == ["形成初稿", "征求意见"]
    edited = item.events.get(kind=EventKind.EDITED)
    assert "事项名称" in edited.note and "时间节点" in edited.note and edited.actor == personas.sun

    assigned(personas, item)
    response = client.post(url("item_edit", item.pk), {**data, "title": "再改"}, follow=True)
    assert "已交办的事项不能修改，请通过延期申请调整时限。" in messages_of(response)
    item.refresh_from_db()
    assert item.title == "推进立法联系点建设（修订）"
    client.force_login(personas.zhou)
    assert client.get(url("item_edit", item.pk)).status_code == 403


def test_the_office_adds_measures_to_a_problem(client, personas, make_item):
    problem = make_item(kind=ItemKind.PROBLEM, title="文件流转效率不高", milestones=[])
    client.force_login(personas.sun)
    page = client.get(url("item_detail", problem.pk)).content.decode()
    assert url("measure_create", problem.pk) in page
    response = client.get(url("measure_create", problem.pk))
    assert response.status_code == 200
    data = item_form_data(personas, problem.checklist, title="建立公文限时办结制度", milestones="")
    response = client.post(url("measure_create", problem.pk), data)
    assert response.status_code == 302
    measure = TrackedItem.objects.get(parent=problem)
    assert measure.kind == ItemKind.MEASURE and measure.serial == f"{problem.serial}-1"
    assert "建立公文限时办结制度" in client.get(url("item_detail", problem.pk)).content.decode()

    matter = make_item(milestones=[])
    response = client.get(url("measure_create", matter.pk), follow=True)
    assert "只有整改问题可以细化为整改措施。" in messages_of(response)
    client.force_login(personas.zhou)
    assert client.get(url("measure_create", problem.pk)).status_code == 403


# --- lists -----------------------------------------------------------------------------------------


def test_lists_with_counts_by_status(client, personas, checklist, make_item, finance_item):
    make_item()
    assigned(
        personas, make_item(deadline=DeadlineSpec(date=datetime.date(2026, 11, 10)), milestones=[])
    )
    client.force_login(personas.sun)
    response = client.get(url("checklist_list"))
    row = response.context["table"][0]
    assert row["checklist"] == checklist
    assert row["total"] == 3 and row["red"] == 1
    assert row["by_status"][0] == 2  # drafts
    client.force_login(personas.wu)  # counts only what wu may see
    row = client.get(url("checklist_list")).context["table"][0]
    assert row["total"] == 1 and row["red"] == 0


def test_the_office_creates_a_list(client, personas, checklist):
    client.force_login(personas.sun)
    response = client.post(
        url("checklist_create"),
        {"name": "2026年巡察反馈问题整改台账", "year": "2026", "source": Source.INSPECTION},
    )
    created = Checklist.objects.get(name="2026年巡察反馈问题整改台账")
    assert response.status_code == 302 and response.url.endswith(f"?checklist={created.pk}")
    response = client.post(
        url("checklist_create"),
        {"name": checklist.name, "year": "2026", "source": Source.PARTY_GROUP},
    )
    assert response.status_code == 200
    assert "已有同名清单。" in response.content.decode()
    assert Checklist.objects.count() == 2


# --- the pages themselves --------------------------------------------------------------------------


def test_pages_load_nothing_from_other_hosts_and_keep_the_csp(client, personas, make_item):
    problem = make_item(kind=ItemKind.PROBLEM, milestones=[])
    item = assigned(personas, make_item())
    services.extension_request(
        actor=personas.zhou, item=item, new_deadline=datetime.date(2026, 12, 28), reason="需协调"
    )
    pages = {
        "sun": [
            url("item_list"),
            url("my_items"),
            url("checklist_list"),
            url("checklist_create"),
            url("item_create"),
            url("item_detail", item.pk),
            url("item_detail", problem.pk),
            url("item_edit", problem.pk),
            url("measure_create", problem.pk),
        ],
        "zhou": [url("item_detail", item.pk), url("my_items")],
        "zhao": [url("item_detail", item.pk), url("my_items")],
    }
    for name, targets in pages.items():
        client.force_login(getattr(personas, name))
        for target in targets:
            response = client.get(target)
            assert response.status_code == 200, (name, target)
            html = response.content.decode()
            assert_no_external_refs(html)
            assert_csp_safe(html)
