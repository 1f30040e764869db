"""The pages: the whole path of a session through the views, and hostile input refused cleanly."""

import datetime

import pytest
import time_machine

from apps.core import clock
from apps.meetings import services
from apps.meetings.choices import OpinionStatus, SessionStatus
from apps.meetings.models import (
    AgendaItem,
    Attendance,
    Material,
    Opinion,
    Session,
    Vote,
)
from apps.organization.models import Unit

from .factories import make_session, open_session

pytestmark = pytest.mark.django_db


def test_a_session_runs_end_to_end_through_the_pages(client, personas, members):
    p = personas
    client.force_login(p.sun)
    day = clock.today() + datetime.timedelta(days=10)
    response = client.post(
        "/meetings/new/",
        {
            "date": day.isoformat(),
            "place": "常委会会议室",
            "notice_days": "7",
            "materials_workdays": "5",
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    committee = Unit.objects.get(name="财政经济工作委员会")
    client.post(
        f"/meetings/{session.pk}/items/new/",
        {
            "title": "关于国有资产管理情况的报告",
            "item_type": "work_report",
            "reporting_body": p.government.pk,
            "committee": committee.pk,
            "planned_minutes": "40",
            "presenter": "副市长",
        },
    )
    item = AgendaItem.objects.get()
    client.post(
        "/meetings/directors/new/", {"date": clock.today().isoformat(), "topics": "研究会议议程"}
    )
    meeting = (
        session.directors_meeting
        or __import__(
            "apps.meetings.models", fromlist=["DirectorsMeeting"]
        ).DirectorsMeeting.objects.get()
    )
    client.post(f"/meetings/{session.pk}/decide/", {"directors_meeting": meeting.pk})
    client.post(f"/meetings/{session.pk}/notice/", {})
    session.refresh_from_db()
    assert session.status == SessionStatus.NOTIFIED
    assert client.get(f"/meetings/{session.pk}/notice.docx").content[:2] == b"PK"

    client.force_login(p.gov)
    assert "本单位常委会事项" in client.get("/meetings/body/").content.decode()
    client.post(
        f"/meetings/body/items/{item.pk}/", {"title": "报告", "pages": "10", "characters": "7000"}
    )
    assert Material.objects.get().uploaded_by == p.gov

    client.force_login(p.sun)
    client.post(f"/meetings/items/{item.pk}/receive/")
    client.post(f"/meetings/{session.pk}/open/")
    for member in members[:7]:
        client.post(
            f"/meetings/{session.pk}/attendance/", {"member": member.pk, "status": "present"}
        )
    page = client.get(f"/meetings/{session.pk}/attendance/").content.decode()
    assert "已超过半数，可以表决" in page and "出席7人" in page
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.post(f"/meetings/items/{item.pk}/tap/")
        traveller.shift(datetime.timedelta(minutes=37))
        client.force_login(p.sun)  # past the idle sign-out
        client.post(f"/meetings/items/{item.pk}/tap/")
    item.refresh_from_db()
    assert item.actual_minutes == 37
    client.post(
        f"/meetings/items/{item.pk}/vote/",
        {"yes": "6", "no": "1", "abstain": "0", "not_voted": "0"},
    )
    assert Vote.objects.get().passed
    client.post(f"/meetings/{session.pk}/close/", {"minutes": "会议审议了报告。"})
    client.post(
        f"/meetings/items/{item.pk}/opinion/",
        {
            "text": "建议加强管理。",
            "deadline_months": "2",
            "threshold_percent": "60",
            "needs_rating": "on",
        },
    )
    opinion = Opinion.objects.get()
    client.post(f"/meetings/opinions/{opinion.pk}/sign/")
    client.post(f"/meetings/opinions/{opinion.pk}/send/")

    client.force_login(p.gov)
    client.post(f"/meetings/body/opinions/{opinion.pk}/", {"text": "已逐条研究处理。"})
    client.force_login(p.sun)
    client.post(
        f"/meetings/opinions/{opinion.pk}/rate/", {f"m{m.pk}": "satisfied" for m in members[:7]}
    )
    client.post(f"/meetings/opinions/{opinion.pk}/conclude/")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ACCEPTED and opinion.satisfied_percent == 100
    assert opinion.tracked_item.status == "closed"


def test_a_late_notice_warns_and_sends_only_when_confirmed(client, personas, members):
    session = make_session(personas, days_ahead=2)
    from .factories import decide

    decide(personas, session)
    client.force_login(personas.sun)
    response = client.post(f"/meetings/{session.pk}/notice/", {}, follow=True)
    assert "发出通知，今天发出已逾期" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.AGENDA_DECIDED
    client.post(
        f"/meetings/{session.pk}/notice/", {"confirm_late": "on", "late_reason": "议程调整"}
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NOTIFIED


@pytest.mark.parametrize(
    "form",
    [
        {"yes": "x", "no": "0", "abstain": "0", "not_voted": "0"},
        {"yes": "-1", "no": "0", "abstain": "0", "not_voted": "0"},
        {"yes": "99999999999999999999", "no": "0", "abstain": "0", "not_voted": "0"},
        {},
    ],
)
def test_hostile_votes_are_refused_without_a_500(client, personas, members, form):
    session = open_session(personas, make_session(personas))
    item = session.items.first()
    client.force_login(personas.sun)
    response = client.post(f"/meetings/items/{item.pk}/vote/", form, follow=True)
    assert response.status_code == 200
    assert not Vote.objects.exists()


def test_hostile_attendance_and_times_are_refused(client, personas, members):
    session = open_session(personas, make_session(personas))
    item = session.items.first()
    client.force_login(personas.sun)
    for form in (
        {"member": "abc", "status": "present"},
        {"member": members[0].pk, "status": "both"},
    ):
        assert client.post(f"/meetings/{session.pk}/attendance/", form).status_code == 302
    assert not Attendance.objects.exists()
    response = client.post(
        f"/meetings/items/{item.pk}/times/", {"start": "2026-13-45T99:99"}, follow=True
    )
    assert response.status_code == 200
    response = client.post("/meetings/opinions/999/whatever/")
    assert response.status_code == 404


def test_the_body_sees_only_its_own_items(client, personas, members):
    from apps.organization.choices import UnitKind

    court = Unit.everything.create(name="市中级人民法院", short_name="中院", kind=UnitKind.COURT)
    session = make_session(personas, items=1)
    from apps.meetings import services
    from apps.meetings.choices import ItemType

    other = services.item_add(
        actor=personas.sun,
        session=session,
        spec=services.ItemSpec(
            "法院工作报告", ItemType.WORK_REPORT, Unit.objects.get(name="办公室"), 20, court
        ),
    )
    from .factories import decide

    decide(personas, session)
    client.force_login(personas.gov)
    home = client.get("/meetings/body/").content.decode()
    assert "法院工作报告" not in home
    assert client.get(f"/meetings/body/items/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/meetings/body/items/{other.pk}/", {"title": "x", "pages": "1", "characters": "1"}
        ).status_code
        == 404
    )
    assert client.get(f"/meetings/{session.pk}/").status_code == 403
    assert not Material.objects.exists()


def test_measures_page_drills_down(client, personas, members):
    session = open_session(personas, make_session(personas))
    client.force_login(personas.zhao)
    year = session.date.year
    for query in (
        f"?year={year}",
        f"?year={year}&session={session.pk}",
        f"?year={year}&type=work_report",
        "?year=abc&session=-1&type=<script>",
    ):
        assert client.get(f"/meetings/measures/{query}").status_code == 200


def test_the_minutes_download_once_the_session_is_closed(client, personas, members):
    import io
    import zipfile

    session = open_session(personas, make_session(personas))
    client.force_login(personas.sun)
    assert client.get(f"/meetings/{session.pk}/minutes.docx").status_code == 404
    services.session_close(actor=personas.sun, session=session, minutes="会议审议了工作报告。")
    page = client.get(f"/meetings/{session.pk}/").content.decode()
    assert f"/meetings/{session.pk}/minutes.docx" in page
    response = client.get(f"/meetings/{session.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    xml = zipfile.ZipFile(io.BytesIO(b"".join(response))).read("word/document.xml").decode()
    assert "会议审议了工作报告。" in xml and "纪要" in xml
    # A member of the session reads it; a reporting body's contact does not.
    members[0].user = personas.dai
    members[0].save()
    client.force_login(personas.dai)
    assert client.get(f"/meetings/{session.pk}/minutes.docx").status_code == 200
    client.force_login(personas.gov)
    assert client.get(f"/meetings/{session.pk}/minutes.docx").status_code in {403, 404}
