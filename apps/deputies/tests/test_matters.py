"""Matters raised at a station: recorded line by line, turned into a suggestion in an attending
deputy's name or into a ledger item for the relevant body, once only, with their state shown."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.deputies import selectors, services, stations
from apps.deputies.models import ReceptionDay, Station, StationMatter, Suggestion
from apps.ledger.choices import Source, Status
from apps.ledger.models import Checklist, TrackedItem

from .conftest import main_of

TODAY = "2026-04-08"


@pytest.fixture
def activity(w):
    station = Station.objects.create(name="城东代表之家", kind="home")
    for deputy in (w.dai, w.ma, w.niu):
        deputy.station = station
        deputy.save()
    reception = ReceptionDay.objects.create(
        station=station,
        date=datetime.date(2026, 4, 3),
        start=datetime.time(9),
        end=datetime.time(11),
        topic="四月接待日",
    )
    return services.activity_record(
        actor=w.p.sun,
        station=station,
        date=datetime.date(2026, 4, 3),
        title="四月代表接待日",
        attendees=[w.dai, w.ma],
        matters="小区门口公交站台缺少雨棚\n\n  菜市场周边占道经营  \n",
        reception=reception,
    )


def suggestion_spec(w, proposer=None, title="关于增设公交站台雨棚的建议"):
    return stations.MatterSuggestionSpec(
        proposer=proposer or w.dai,
        checklist=w.session,
        title=title,
        content="群众反映小区门口公交站台缺少雨棚。",
        topic="交通",
    )


def item_spec(w, deadline=datetime.date(2026, 5, 8), unit=None):
    return stations.MatterItemSpec(
        unit=unit or w.transport,
        deadline=deadline,
        title="整治菜市场周边占道经营",
        content="群众反映占道经营影响通行。",
    )


@pytest.mark.today(TODAY)
def test_each_line_is_a_matter_and_the_reception_day_is_held(activity):
    assert [m.text for m in activity.matter_rows.order_by("id")] == [
        "小区门口公交站台缺少雨棚",
        "菜市场周边占道经营",
    ]
    assert ReceptionDay.objects.get().activity == activity


@pytest.mark.today(TODAY)
def test_a_matter_becomes_a_suggestion_in_an_attending_deputys_name(w, activity):
    matter = activity.matter_rows.order_by("id").first()
    suggestion = stations.matter_to_suggestion(
        actor=w.p.sun, matter=matter, spec=suggestion_spec(w)
    )
    matter.refresh_from_db()
    assert matter.suggestion == suggestion and matter.converted_by == w.p.sun
    assert suggestion.proposer == w.dai and suggestion.status == "submitted"
    origin = suggestion.events.get(action="源自联络站群众反映")
    assert "城东代表之家2026年04月03日“四月代表接待日”群众反映" in origin.note
    # Once only, whichever way.
    with pytest.raises(ValidationError, match="已转为代表建议"):
        stations.matter_to_suggestion(actor=w.p.sun, matter=matter, spec=suggestion_spec(w))
    with pytest.raises(ValidationError, match="不能重复转办"):
        stations.matter_to_item(actor=w.p.sun, matter=matter, spec=item_spec(w))
    assert Suggestion.objects.count() == 1 and not TrackedItem.objects.exists()


@pytest.mark.today(TODAY)
def test_refusals_change_nothing(w, activity):
    matter = activity.matter_rows.order_by("id").first()
    with pytest.raises(ValidationError) as error:
        stations.matter_to_suggestion(
            actor=w.p.sun, matter=matter, spec=suggestion_spec(w, proposer=w.niu)
        )
    assert "牛代表未参加该次活动" in error.value.message_dict["proposer"][0]
    with pytest.raises(ValidationError):
        stations.matter_to_suggestion(
            actor=w.p.sun, matter=matter, spec=suggestion_spec(w, title=" ")
        )
    for deadline in (datetime.date(2026, 4, 8), datetime.date(2027, 5, 1)):
        with pytest.raises(ValidationError) as error:
            stations.matter_to_item(actor=w.p.sun, matter=matter, spec=item_spec(w, deadline))
        assert "deadline" in error.value.message_dict
    for actor in (w.p.li, w.p.dai, w.transport_user):
        with pytest.raises(PermissionDenied):
            stations.matter_to_item(actor=actor, matter=matter, spec=item_spec(w))
        with pytest.raises(PermissionDenied):
            stations.matter_to_suggestion(actor=actor, matter=matter, spec=suggestion_spec(w))
    matter.refresh_from_db()
    assert not matter.converted and matter.converted_at is None
    assert not Suggestion.objects.exists() and not TrackedItem.objects.exists()
    assert not Checklist.objects.filter(source=Source.OTHER).exists()


@pytest.mark.today(TODAY)
def test_a_matter_becomes_a_ledger_item_for_the_body(w, activity):
    matter = activity.matter_rows.order_by("id").last()
    item = stations.matter_to_item(actor=w.p.sun, matter=matter, spec=item_spec(w))
    assert item.status == Status.ASSIGNED and item.lead_unit == w.transport
    assert item.deadline == datetime.date(2026, 5, 8)
    assert item.checklist.name == "2026年代表联络站群众反映问题交办清单"
    assert "来源：城东代表之家" in item.content
    assert list(item.trackers.all()) == [w.p.sun.person]
    state = selectors.matter_state(StationMatter.objects.get(pk=matter.pk))
    assert (state.became, state.state, state.detail) == ("督办事项", "办理中", "已交办")
    TrackedItem.objects.filter(pk=item.pk).update(status=Status.CLOSED)
    state = selectors.matter_state(StationMatter.objects.get(pk=matter.pk))
    assert state.state == "已办结"
    # A second matter goes to the same year's list.
    other = activity.matter_rows.order_by("id").first()
    again = stations.matter_to_item(actor=w.p.sun, matter=other, spec=item_spec(w))
    assert again.checklist == item.checklist


@pytest.mark.today(TODAY)
def test_the_suggestions_state_follows_its_handling(w, activity):
    matter = activity.matter_rows.order_by("id").first()
    suggestion = stations.matter_to_suggestion(
        actor=w.p.sun, matter=matter, spec=suggestion_spec(w)
    )

    def state():
        return selectors.matter_state(
            selectors.station_activities(activity.station)[0].matter_rows.get(pk=matter.pk)
        )

    assert (state().became, state().state, state().detail) == ("代表建议", "办理中", "待审查")
    services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision="register")
    services.suggestion_assign(actor=w.p.sun, suggestion=suggestion, mode="joint", main=w.transport)
    services.answer_submit(
        actor=w.transport_user,
        handling=main_of(suggestion),
        klass="A",
        text="已增设雨棚。",
        signed_by="局长",
    )
    matters = selectors.station_activities(activity.station)[0].matter_rows.all()
    found = next(m for m in matters if m.pk == matter.pk)
    assert found.state.state == "办理中" and found.state.klass.startswith("A类")
    assert found.state.detail == "已答复待反馈"
    letter = suggestion.answers.get().letters.get()
    services.feedback_give(actor=w.p.dai, letter=letter, satisfaction="satisfied")
    services.handling_conclude(actor=w.p.sun, handling=main_of(suggestion))
    assert state().state == "已办结"


@pytest.mark.today(TODAY)
def test_the_station_page_links_to_prefilled_conversions(client, w, activity):
    first, second = activity.matter_rows.order_by("id")
    client.force_login(w.p.sun)
    page = client.get(reverse("deputies:station_detail", args=[activity.station_id]))
    assert page.status_code == 200
    url = reverse("deputies:matter_action", args=[first.pk, "suggestion"])
    assert url in page.content.decode()
    form = client.get(url).content.decode()
    assert "关于小区门口公交站台缺少雨棚的建议" in form  # pre-filled
    assert "外站" not in form and "牛代表" not in form  # only the deputies who attended
    post = {
        "proposer": w.ma.pk,
        "checklist": w.session.pk,
        "title": "关于增设公交站台雨棚的建议",
        "content": "群众反映。",
        "topic": "交通",
    }
    response = client.post(url, post, follow=True)
    assert "已以马代表代表名义提出建议" in response.content.decode()
    assert Suggestion.objects.get().proposer == w.ma
    again = client.post(url, post)
    assert again.status_code == 200 and "不能重复转办" in again.content.decode()
    assert Suggestion.objects.count() == 1
    item_url = reverse("deputies:matter_action", args=[second.pk, "item"])
    bad = client.post(item_url, {"unit": w.transport.pk, "deadline": "2026-04-01", "title": "整治"})
    assert bad.status_code == 200 and "办结时限须晚于今天" in bad.content.decode()
    assert not TrackedItem.objects.exists()
    good = client.post(
        item_url, {"unit": w.transport.pk, "deadline": "2026-05-08", "title": "整治"}, follow=True
    )
    assert "已交市交通运输局办理，办结时限2026年05月08日" in good.content.decode()
    page = client.get(reverse("deputies:station_detail", args=[activity.station_id]))
    html = page.content.decode()
    assert "已转为代表建议" in html and "已转为督办事项" in html
    client.force_login(w.p.li)
    assert client.post(item_url, {}).status_code == 403
    assert client.get(item_url).status_code == 403


@pytest.mark.today(TODAY)
def test_the_station_page_costs_the_same_with_more_matters(client, w, activity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(w.p.sun)
    url = reverse("deputies:station_detail", args=[activity.station_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        services.activity_record(
            actor=w.p.sun,
            station=activity.station,
            date=datetime.date(2026, 4, 1 + n),
            title=f"活动{n}",
            attendees=[w.dai, w.ma],
            matters="问题一\n问题二",
        )
    for matter in StationMatter.objects.order_by("id")[:3]:
        stations.matter_to_item(actor=w.p.sun, matter=matter, spec=item_spec(w))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
