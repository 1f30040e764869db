"""重大事项请示报告 through the documents area: the request goes out as a 发文 (文号 at 签发) and the
answer comes in as a 收文; the register shows both, the 办理时限 and whether the answer was in time."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.documents import services as documents
from apps.documents.choices import DocumentType, OutgoingStatus
from apps.documents.models import IncomingDocument, OutgoingDocument
from apps.party import selectors, services
from apps.party.models import HigherReport

pytestmark = pytest.mark.django_db
D = datetime.date


def _request(personas, **fields) -> HigherReport:
    values = {
        "kind": "request",
        "title": "关于调整机关内设机构的请示",
        "recipient": "中共市委",
        "submitted_on": D(2026, 3, 2),
        "due_date": D(2026, 3, 31),
    } | fields
    return services.report_create(actor=personas.sun, **values)


def _draft(personas, report: HigherReport) -> HigherReport:
    return services.report_draft(
        actor=personas.sun,
        report=report,
        body="市委：\n现将有关事项请示如下。",
        signer=personas.zhao.person,
    )


def test_a_request_is_drafted_as_an_outgoing_document(personas):
    report = _draft(personas, _request(personas))
    document = report.outgoing
    assert document.doc_type == DocumentType.REQUEST
    assert document.title == "关于调整机关内设机构的请示"
    assert document.recipients == "中共市委"
    assert document.drafter == personas.sun and document.status == OutgoingStatus.DRAFT
    assert report.responsible == personas.sun
    # The documents area runs it: 送审, 核稿, 签发 — the 文号 is taken at 签发.
    document = documents.outgoing_submit(actor=personas.sun, document=document)
    for _ in range(4):
        if document.status == OutgoingStatus.SIGN_OFF:
            break
        holder = next(u for u in (personas.qian, personas.sun) if documents.holds_step(u, document))
        document = documents.outgoing_approve(actor=holder, document=document)
    document = documents.outgoing_sign(actor=personas.zhao, document=document)
    assert document.number.startswith(document.prefix)
    [row] = selectors.report_register(HigherReport.objects.all(), 2026)
    assert row.report.outgoing.number == document.number
    assert row.report.outgoing.get_status_display() == "已签发"


def test_a_second_draft_is_refused_and_bad_drafts_change_nothing(personas):
    report = _request(personas)
    with pytest.raises(ValidationError, match="请填写正文"):
        services.report_draft(
            actor=personas.sun, report=report, body=" ", signer=personas.zhao.person
        )
    with pytest.raises(ValidationError, match="不是常委会领导"):
        services.report_draft(
            actor=personas.sun, report=report, body="正文", signer=personas.wu.person
        )
    with pytest.raises(ValidationError, match="请选择签发领导"):
        services.report_draft(actor=personas.sun, report=report, body="正文", signer=None)
    with pytest.raises(PermissionDenied):
        services.report_draft(
            actor=personas.zhou, report=report, body="正文", signer=personas.zhao.person
        )
    assert not OutgoingDocument.objects.exists()
    report.refresh_from_db()
    assert report.outgoing is None
    _draft(personas, report)
    with pytest.raises(ValidationError, match="已有发文"):
        _draft(personas, report)
    assert OutgoingDocument.objects.count() == 1


def test_the_answer_is_registered_as_an_incoming_document(personas):
    report = _request(personas)
    report = services.report_answer(
        actor=personas.sun,
        report=report,
        answer="原则同意。",
        answered_on=D(2026, 3, 20),
        source_number="市委办函〔2026〕8号",
    )
    incoming = report.answer_document
    assert incoming.number == "收〔2026〕1号"
    assert incoming.source_organ == "中共市委" and incoming.source_number == "市委办函〔2026〕8号"
    assert incoming.received_on == D(2026, 3, 20)
    assert "关于调整机关内设机构的请示" in incoming.title
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.report_answer(
            actor=personas.sun, report=report, answer="再次", answered_on=D(2026, 3, 21)
        )
    assert IncomingDocument.objects.count() == 1


def test_an_answer_already_received_is_linked_by_its_number(personas):
    received = documents.incoming_register(
        actor=personas.sun,
        spec=documents.IncomingSpec(
            title="关于调整机关内设机构的批复", source_organ="中共市委", received_on=D(2026, 3, 18)
        ),
    )
    early = documents.incoming_register(
        actor=personas.sun,
        spec=documents.IncomingSpec(
            title="旧文", source_organ="中共市委", received_on=D(2026, 2, 1)
        ),
    )
    report, other = _request(personas), _request(personas, title="另一件请示")
    for number, message in (
        ("收〔2026〕99号", "没有收文号"),
        (early.number, "早于报送日期"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.report_answer(
                actor=personas.sun,
                report=report,
                answer="同意",
                answered_on=D(2026, 3, 18),
                incoming_number=number,
            )
    report.refresh_from_db()
    assert report.answered_on is None and report.answer_document is None
    services.report_answer(
        actor=personas.sun,
        report=report,
        answer="同意",
        answered_on=D(2026, 3, 18),
        incoming_number=received.number,
    )
    with pytest.raises(ValidationError, match="另一件请示报告"):
        services.report_answer(
            actor=personas.sun,
            report=other,
            answer="同意",
            answered_on=D(2026, 3, 18),
            incoming_number=received.number,
        )
    assert IncomingDocument.objects.count() == 2  # nothing new registered
    with pytest.raises(PermissionDenied):
        services.report_answer(
            actor=personas.li, report=other, answer="同意", answered_on=D(2026, 3, 18)
        )


@pytest.mark.today("2026-03-29")
def test_the_register_says_whether_the_answer_came_in_time(personas):
    in_time = _request(personas, title="按时")
    late = _request(personas, title="逾期答复", due_date=D(2026, 3, 10))
    overdue = _request(personas, title="逾期未复", due_date=D(2026, 3, 28))
    soon = _request(personas, title="将到期", due_date=D(2026, 3, 31))
    waiting = _request(personas, title="未到期", due_date=D(2026, 4, 30))
    plain = _request(personas, kind="report", title="报告", due_date=None)
    services.report_answer(
        actor=personas.sun, report=in_time, answer="同意", answered_on=D(2026, 3, 20)
    )
    services.report_answer(
        actor=personas.sun, report=late, answer="同意", answered_on=D(2026, 3, 20)
    )
    states = {
        row.report.title: row.deadline
        for row in selectors.report_register(HigherReport.objects.all(), 2026)
    }
    assert states == {
        in_time.title: "in_time",
        late.title: "late",
        overdue.title: "overdue",
        soon.title: "due_soon",
        waiting.title: "waiting",
        plain.title: "waiting",
    }


@pytest.mark.today("2026-04-02")
def test_the_register_page_shows_numbers_and_flags(client, personas):
    report = _draft(personas, _request(personas))
    answered = _request(personas, title="已答复的请示", due_date=D(2026, 3, 10))
    services.report_answer(
        actor=personas.sun, report=answered, answer="同意", answered_on=D(2026, 3, 20)
    )
    client.force_login(personas.sun)
    response = client.get(reverse("party:meeting_list"), {"year": 2026})
    html = response.content.decode()
    assert reverse("documents:outgoing_detail", args=[report.outgoing_id]) in html
    assert "收〔2026〕1号" in html and "逾期答复" in html and "已逾期未答复" in html
    # The draft page, and bad input through it: an empty body is refused, nothing created.
    other = _request(personas, title="第三件")
    url = reverse("party:report_draft", args=[other.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "", "signer": personas.zhao.person.pk})
    assert response.status_code == 200 and "请填写" in response.content.decode()
    assert OutgoingDocument.objects.count() == 1
    response = client.post(url, {"body": "正文", "signer": personas.zhao.person.pk})
    other.refresh_from_db()
    assert response.status_code == 302 and other.outgoing is not None
    # The answer page with an unknown 收文号.
    response = client.post(
        reverse("party:report_answer", args=[report.pk]),
        {"answer": "同意", "answered_on": "2026-03-25", "incoming_number": "收〔2026〕77号"},
    )
    assert "没有收文号" in response.content.decode()
    report.refresh_from_db()
    assert report.answered_on is None


@pytest.mark.today("2026-04-02")
def test_the_office_home_panel_counts_requests_past_their_time_limit(personas):
    from apps.party.panels import party_panel

    assert party_panel(personas.sun) is None
    _request(personas)  # due 3月31日, no answer
    answered = _request(personas, title="已答复", due_date=D(2026, 3, 10))
    services.report_answer(
        actor=personas.sun, report=answered, answer="同意", answered_on=D(2026, 3, 20)
    )
    panel = party_panel(personas.sun)
    assert panel is not None and [i["label"] for i in panel.items] == ["请示逾期未获答复1件"]
    assert party_panel(personas.zhou) is None  # not the office's
