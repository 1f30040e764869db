"""The pages: a meeting from agenda to decision to a ledger item, refused at each missing step;
review scores visible only in aggregate, per role; exports formula-safe."""

from __future__ import annotations

import io

import openpyxl
import pytest

from apps.audit.models import AuditEvent
from apps.ledger.models import TrackedItem
from apps.party import services
from apps.party.choices import AgendaKind, ReviewMode
from apps.party.models import AgendaItem, MajorDecision, PartyMeeting, ReviewBallot

from .conftest import decision_spec

pytestmark = pytest.mark.django_db

OPINIONS_OK = "陈副书记：同意\n钱主任：同意：建议分期实施\n李主任：同意\n王成员：同意\n赵主任：同意"


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_a_meeting_runs_from_agenda_to_ledger(client, personas, group):
    client.force_login(personas.sun)
    response = client.post(
        "/party/meetings/new/",
        {
            "date": "2026-03-10",
            "place": "党组会议室",
            "presider": group.zhao.pk,
            "recorder": personas.sun.person.pk,
            "absences": "不存在的人：出差",
        },
    )
    assert response.status_code == 200
    assert "“不存在的人”不在可选人员之中" in response.content.decode()
    assert PartyMeeting.objects.count() == 0
    response = client.post(
        "/party/meetings/new/",
        {
            "date": "2026-03-10",
            "place": "党组会议室",
            "presider": group.zhao.pk,
            "recorder": personas.sun.person.pk,
            "absences": "",
            "non_voting": [personas.zhou.person.pk],
        },
    )
    meeting = PartyMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/party/meetings/{meeting.pk}/"
    agenda = f"/party/meetings/{meeting.pk}/agenda/"
    response = client.post(agenda, {"kind": "major", "title": "维修项目"}, follow=True)
    assert "须以“第一议题”开篇" in _messages(response)
    client.post(agenda, {"kind": "first_topic", "title": "学习重要讲话精神"})
    client.post(agenda, {"kind": "major", "title": "机关办公楼维修项目"})
    item = AgendaItem.objects.get(kind=AgendaKind.MAJOR)
    response = client.post(
        f"/party/agenda/{item.pk}/ledger/",
        {"lead_unit": personas.office.pk, "deadline": "2026-06-30"},
        follow=True,
    )
    assert "尚未经集体决策" in _messages(response)
    url = f"/party/agenda/{item.pk}/decision/"
    form = {
        "category": "project",
        "matter": "机关办公楼维修改造",
        "consulted_with": "",
        "consulted_on": "",
        "materials": "维修方案",
        "opinions": OPINIONS_OK,
        "recusals": "",
    }
    response = client.post(url, form)
    assert "须经会前酝酿" in response.content.decode()
    form.update(consulted_with="分管领导", consulted_on="2026-03-05")
    response = client.post(url, {**form, "opinions": "赵主任：同意\n" + OPINIONS_OK[:-6]})
    assert "须由赵主任末位表态" in response.content.decode()
    response = client.post(url, {**form, "recusals": "李主任：近亲属参与"})
    assert "李主任已回避" in response.content.decode()
    response = client.post(url, {**form, "opinions": "陈副书记：支持"})
    assert "请写明陈副书记的表态" in response.content.decode()
    assert MajorDecision.objects.count() == 0
    response = client.post(url, form)
    assert response.status_code == 302
    decision = MajorDecision.objects.get()
    assert decision.opinions.get(order=2).opinion == "建议分期实施"
    response = client.post(
        f"/party/agenda/{item.pk}/ledger/",
        {"lead_unit": personas.office.pk, "deadline": "2026-06-30"},
    )
    ledger_item = TrackedItem.objects.get()
    page = client.get(f"/party/meetings/{meeting.pk}/").content.decode()
    assert ledger_item.title in page and "已交办" in page
    minutes = client.get(f"/party/meetings/{meeting.pk}/minutes.docx")
    assert minutes.status_code == 200 and minutes.content[:2] == b"PK"


def test_a_meeting_without_quorum_refuses_the_decision(client, personas, group, major_item):
    item = major_item(absent={group.li: "出差", group.wang: "病假"})
    client.force_login(personas.sun)
    response = client.post(
        f"/party/agenda/{item.pk}/decision/",
        {
            "category": "project",
            "matter": "维修",
            "consulted_with": "分管领导",
            "consulted_on": "2026-03-05",
            "materials": "方案",
            "opinions": "陈副书记：同意\n钱主任：同意\n赵主任：同意",
        },
    )
    assert "会议未达到法定人数" in response.content.decode()
    assert MajorDecision.objects.count() == 0


def test_review_scores_are_seen_only_in_aggregate(client, personas, group):
    review = services.review_create(
        actor=personas.sun,
        year=2026,
        title="2026年度述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("总体评价", 100)],
        subjects=[(personas.li.person, personas.legal)],
    )
    subject = review.subjects.get()
    client.force_login(personas.li)
    client.post(f"/party/reviews/subjects/{subject.pk}/report/", {"report": "抓党建述职"})
    assert client.get(f"/party/reviews/subjects/{subject.pk}/score/").status_code == 403
    criterion = review.criteria.get()
    for user, points in ((personas.zhao, "93.5"), (personas.zhou, "71.25"), (personas.wu, "88")):
        client.force_login(user)
        response = client.post(
            f"/party/reviews/subjects/{subject.pk}/score/", {f"c{criterion.pk}": points}
        )
        assert response.status_code == 302
    client.force_login(personas.zhou)
    response = client.post(
        f"/party/reviews/subjects/{subject.pk}/score/", {f"c{criterion.pk}": "100"}
    )
    assert "不能重复评议" in response.content.decode()
    assert ReviewBallot.objects.count() == 3
    # Before publication only the office sees the aggregate; nobody ever sees a ballot.
    for name, user in personas.all().items():
        client.force_login(user)
        page = client.get(f"/party/reviews/{review.pk}/")
        if name not in {"zhao", "qian", "sun", "li", "zhou", "wu"}:
            assert page.status_code == 403
            continue
        text = page.content.decode()
        assert "93.50" not in text and "71.25" not in text and "88.00" not in text
        assert ("84.25" in text) == (name in {"qian", "sun"}), name
    services.review_publish(actor=personas.sun, review=review)
    for name in ("zhao", "qian", "sun", "li", "zhou", "wu"):
        client.force_login(getattr(personas, name))
        text = client.get(f"/party/reviews/{review.pk}/").content.decode()
        assert "84.25" in text  # (93.5 + 71.25 + 88) / 3
        assert "93.50" not in text and "71.25" not in text and "88.00" not in text
        assert "赵主任" not in text.split("评议结果（汇总）")[1]
    assert not AuditEvent.objects.filter(object_type__icontains="ballot").exists()


def test_hostile_input_never_fails(client, personas, group, major_item):
    item = major_item()
    client.force_login(personas.sun)
    for path in (
        "/party/meetings/?year=abc",
        "/party/statistics/?year=99999",
        "/party/articles/?channel=%00&page=-1",
        "/party/activities/?page=zz",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post(
        f"/party/agenda/{item.pk}/decision/",
        {"category": "x", "matter": "a" * 500, "amount": "NaN", "opinions": "：：：\n|"},
    )
    assert response.status_code == 200
    assert MajorDecision.objects.count() == 0
    assert client.post(f"/party/articles/{999999}/submit/").status_code == 404
    assert client.post(f"/party/lists/items/{999999}/evidence/").status_code == 404


def test_the_register_export_is_formula_safe(client, personas, group, major_item):
    item = major_item()
    services.decision_record(
        actor=personas.sun, item=item, spec=decision_spec(group, matter="=HYPERLINK(1)")
    )
    client.force_login(personas.zhao)
    response = client.get("/party/decisions/export.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["D2"].value == "'=HYPERLINK(1)"
    client.force_login(personas.sun)
    response = client.get("/party/statistics/export.xlsx?year=2026")
    assert response.status_code == 200
    stats = openpyxl.load_workbook(io.BytesIO(response.content))
    assert stats is not None
    assert stats["三重一大分类"]["A2"].value == "重大项目安排"


def test_the_home_panel_lists_what_waits(personas, group):
    from apps.party.panels import party_panel

    assert party_panel(personas.zhou) is None
    review = services.review_create(
        actor=personas.sun,
        year=2026,
        title="2026年度述职评议",
        mode=ReviewMode.RATING,
        criteria=[("总体评价", 100)],
        subjects=[(personas.li.person, personas.legal)],
    )
    services.report_submit(actor=personas.li, subject=review.subjects.get(), report="述职")
    panel = party_panel(personas.zhou)
    assert panel is not None and "待评议1人" in panel.items[0]["label"]
    assert party_panel(personas.li) is None  # his own review
    assert party_panel(personas.sysadmin) is None


def test_an_article_is_reviewed_on_its_page(client, personas):
    article = services.article_create(
        actor=personas.zhou, kind="article", title="立法调研稿件", body="正文", channel="website"
    )
    client.force_login(personas.zhou)
    client.post(f"/party/articles/{article.pk}/submit/")
    client.force_login(personas.li)
    page = client.get(f"/party/articles/{article.pk}/").content.decode()
    assert 'data-testid="approve"' in page
    client.post(f"/party/articles/{article.pk}/approve/")
    client.force_login(personas.qian)
    client.post(f"/party/articles/{article.pk}/approve/")
    client.force_login(personas.sun)
    response = client.post(f"/party/articles/{article.pk}/publish/", {"published_on": "2026-04-01"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "published"
