"""What the pages show to whom, the downloads, and hostile input."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from apps.deputies import services
from apps.deputies.models import Suggestion

from .conftest import assigned, main_of

pytestmark = pytest.mark.today("2026-03-10")


def test_each_role_sees_only_its_own_part(client, personas, w):
    suggestion = assigned(w, cosigners=[w.ma])
    client.force_login(w.p.dai)
    assert "关于优化公交线路的建议" in client.get("/deputies/me/suggestions/").content.decode()
    client.force_login(w.ma.account)
    page = client.get(f"/deputies/me/suggestions/{suggestion.pk}/").content.decode()
    assert "关于优化公交线路的建议" in page
    client.force_login(w.court_user)
    assert "关于优化公交线路的建议" not in client.get("/deputies/body/").content.decode()
    assert client.get(f"/deputies/body/{main_of(suggestion).pk}/").status_code == 404
    client.force_login(w.transport_user)
    assert "关于优化公交线路的建议" in client.get("/deputies/body/").content.decode()
    # Contact details are the office's only.
    client.force_login(w.p.zhou)
    assert "13800000000" not in client.get("/deputies/roster/").content.decode()
    client.force_login(w.p.sun)
    assert "13800000000" in client.get("/deputies/roster/").content.decode()


def test_a_refused_answer_says_why_and_changes_nothing(client, personas, w):
    suggestion = assigned(w)
    client.force_login(w.housing_user)
    co = suggestion.handlings.get(role="co")
    response = client.post(
        f"/deputies/body/{co.pk}/answer/",
        {"klass": "A", "text": "答复", "signed_by": "局长"},
        follow=True,
    )
    assert "协办单位不能以主办单位身份答复" in response.content.decode()
    assert not suggestion.answers.exists()


@pytest.mark.parametrize(
    "query",
    ["?status=%00", "?checklist=99999999999999", "?unit=abc&page=-1", "?q=" + "长" * 500],
)
def test_hostile_list_queries_never_fail(client, personas, w, query):
    client.force_login(w.p.sun)
    assert client.get("/deputies/suggestions/" + query).status_code == 200
    assert client.get("/deputies/statistics/" + query).status_code == 200


def test_hostile_posts_never_fail(client, personas, w):
    suggestion = assigned(w)
    main = main_of(suggestion)
    client.force_login(w.transport_user)
    for data in ({"new_deadline": "2026-13-45"}, {"klass": "Z", "planned_resolution": "x"}, {}):
        for action in ("extension", "answer", "return", "bogus"):
            response = client.post(f"/deputies/body/{main.pk}/{action}/", data)
            assert response.status_code in {302, 404}
    client.force_login(w.p.sun)
    for action in ("review", "assign", "resolution", "bogus"):
        response = client.post(f"/deputies/suggestions/{suggestion.pk}/{action}/", {"mode": "x"})
        assert response.status_code in {302, 404}
    assert Suggestion.objects.get(pk=suggestion.pk).status == "handling"


def test_the_workbook_and_the_reports(client, personas, w):
    suggestion = assigned(w)
    services.answer_submit(
        actor=w.transport_user,
        handling=main_of(suggestion),
        klass="A",
        text="=HYPERLINK(1)",
        signed_by="局长",
    )
    client.force_login(w.p.sun)
    workbook = load_workbook(io.BytesIO(client.get("/deputies/statistics/export.xlsx").content))
    overview = {row[0]: row[1] for row in workbook["办理概况"].iter_rows(values_only=True)}
    assert overview["立案建议（件）"] == 1 and overview["首次答复（件）"] == 1
    report = Document(io.BytesIO(client.get("/deputies/statistics/report.docx").content))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "关于代表建议办理情况的报告" in text and "共交办代表建议1件" in text
    annual = client.get(f"/deputies/roster/{w.dai.pk}/report.docx?year=2026")
    text = "\n".join(p.text for p in Document(io.BytesIO(annual.content)).paragraphs)
    assert "戴代表代表2026年度履职报告" in text
