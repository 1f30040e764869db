"""The documents pages: drafting, the steps as POSTs, refusals said in Chinese, the files."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.documents import services
from apps.documents.choices import DocumentType, OutgoingStatus
from apps.documents.models import OutgoingDocument

from .gbt9704 import check_docx, check_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False):
        yield


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_external_refs(html)
    assert_csp_safe(html)
    return html


def draft(personas, n=1):
    return services.outgoing_create(
        actor=personas.zhou,
        spec=services.DraftSpec(
            title=f"关于开展第{n}批立法调研的通知",
            doc_type=DocumentType.NOTICE,
            body="一、调研内容\n围绕年度立法计划开展调研。",
            signer=personas.zhao.person,
        ),
    )


def test_drafting_a_notice_in_the_browser(client, personas):
    client.force_login(personas.zhou)
    assert "拟稿" in page(client, reverse("documents:outgoing_create"))
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "title": "关于开展立法调研的通知",
            "doc_type": "notice",
            "signer": personas.zhao.person.pk,
            "body": "一、调研内容\n围绕年度立法计划开展调研。",
            "recipients": "各工作委员会",
        },
    )
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    html = page(client, response["Location"])
    assert "围绕年度立法计划开展调研。" in html and "送审" in html
    assert "关于开展立法调研的通知" in page(client, reverse("documents:outgoing_list"))


def test_a_bad_draft_is_refused_in_chinese(client, personas):
    client.force_login(personas.zhou)
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "title": "无签发人的通知",
            "doc_type": "notice",
            "signer": personas.li.person.pk,
            "body": "正文",
        },
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_a_refused_step_says_why_and_changes_nothing(client, personas):
    document = draft(personas)
    client.force_login(personas.zhou)
    client.post(reverse("documents:outgoing_action", args=[document.pk, "submit"]))
    response = client.post(reverse("documents:outgoing_action", args=[document.pk, "submit"]))
    assert response.status_code == 302
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("不能送审" in t for t in text)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.UNIT_REVIEW
    assert document.events.filter(kind="submitted").count() == 1


def test_the_files_pass_the_layout_checks(client, personas):
    document = draft(personas)
    client.force_login(personas.zhou)
    docx = client.get(reverse("documents:outgoing_docx", args=[document.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert check_docx(docx.content).chars_per_line == 28
    pdf = client.get(reverse("documents:outgoing_pdf", args=[document.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert check_pdf(pdf.content).page_numbers[0] == (1, "— 1 —", "right")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_page_take_a_constant_number_of_queries(client, personas):
    first = draft(personas)
    client.force_login(personas.sun)
    small = (_queries(client, "/documents/"), _queries(client, f"/documents/{first.pk}/"))
    for n in range(2, 12):
        document = draft(personas, n)
        services.outgoing_revise(actor=personas.zhou, document=document, body=f"第{n}稿正文。")
        services.version_comment(
            actor=personas.sun, version=services.latest_version(first), paragraph=0, text="意见"
        )
    large = (_queries(client, "/documents/"), _queries(client, f"/documents/{first.pk}/"))
    assert small == large


def test_incoming_pages(client, personas):
    client.force_login(personas.sun)
    response = client.post(
        reverse("documents:incoming_create"),
        {
            "title": "关于征求立法意见的函",
            "source_organ": "市人民政府办公室",
            "received_on": "2026-12-01",
            "due_on": "2026-11-20",
        },
    )
    assert response.status_code == 200 and "早于收文日期" in response.content.decode()
    response = client.post(
        reverse("documents:incoming_create"),
        {
            "title": "关于征求立法意见的函",
            "source_organ": "市人民政府办公室",
            "received_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    html = page(client, response["Location"])
    assert "收〔2026〕1号" in html and "拟办" in html
    assert "关于征求立法意见的函" in page(client, reverse("documents:incoming_list"))
