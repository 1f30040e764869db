"""The growth area's 第一议题 register lists the party group's meetings' 第一议题 too (through the
growth registry: growth imports nothing of party)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.growth import selectors as growth_selectors
from apps.growth import services as growth_services
from apps.party import services
from apps.party.choices import AgendaKind

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def _first_topic(personas, meeting, title: str, conclusion: str = "") -> None:
    item = services.agenda_add(
        actor=personas.sun, meeting=meeting, kind=AgendaKind.FIRST_TOPIC, title=title
    )
    if conclusion:
        services.agenda_conclude(actor=personas.sun, item=item, conclusion=conclusion)


def _session(personas, day: datetime.date, title: str) -> None:
    growth_services.session_create(
        user=personas.sun,
        spec=growth_services.SessionSpec(
            kind="organ",
            title="机关集中学习",
            date=day,
            start_time=T(15, 0),
            end_time=T(17, 0),
            place="第一会议室",
            topics=[growth_services.TopicSpec(title, is_first_topic=True)],
        ),
    )


@pytest.mark.today("2026-06-30")
def test_party_meetings_first_topics_join_the_register(personas, make_meeting):
    _session(personas, D(2026, 3, 2), "重要讲话精神")
    first = make_meeting(D(2026, 3, 10))
    _first_topic(personas, first, "重要讲话精神", conclusion="结合常委会监督工作抓好贯彻")
    second = make_meeting(D(2026, 4, 8))
    _first_topic(personas, second, "关于人大工作的重要论述")
    later = make_meeting(D(2026, 7, 15))  # not held yet: not in the register
    _first_topic(personas, later, "尚未学习的议题")

    rows = {row.title: row for row in growth_selectors.first_topic_register(2026, personas.li)}
    assert set(rows) == {"重要讲话精神", "关于人大工作的重要论述"}
    shared = rows["重要讲话精神"]
    assert [(s.date, s.label) for s in shared.studied] == [
        (D(2026, 3, 2), "机关集中学习"),
        (D(2026, 3, 10), "党组会议（第1次）"),
    ]
    meeting_url = reverse("party:meeting_detail", args=[first.pk])
    assert shared.studied[1].url == meeting_url
    assert shared.follow_ups == ["结合常委会监督工作抓好贯彻"]
    own = rows["关于人大工作的重要论述"]
    assert own.first_studied == D(2026, 4, 8) and own.first.label == "党组会议（第2次）"

    # zhou is not of the party group: the topic and the meeting's number, no link, no 议定事项.
    rows = {row.title: row for row in growth_selectors.first_topic_register(2026, personas.zhou)}
    assert rows["重要讲话精神"].studied[1].url == ""
    assert rows["重要讲话精神"].follow_ups == []
    assert growth_selectors.first_topic_register(2025, personas.li) == []


def _page_queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("growth:first_topics"), {"year": 2026})
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.today("2026-12-30")
def test_the_register_page_links_and_its_queries_stay_constant(client, personas, make_meeting):
    meeting = make_meeting(D(2026, 1, 12))
    _first_topic(personas, meeting, "第一议题甲")
    one, html = _page_queries(client, personas.li)
    assert "第一议题甲" in html and reverse("party:meeting_detail", args=[meeting.pk]) in html
    for month in range(2, 8):
        other = make_meeting(D(2026, month, 10))
        _first_topic(personas, other, f"第一议题{month}")
    many, html = _page_queries(client, personas.li)
    assert "党组会议（第7次）" in html
    assert many == one
    _, html = _page_queries(client, personas.zhou)
    assert "党组会议（第7次）" in html
    assert reverse("party:meeting_detail", args=[meeting.pk]) not in html
