"""The iCalendar writer (RFC 5545) and the token feeds built on it."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.ledger import feeds, services
from apps.ledger.ical import (
    AllDayEvent,
    escape_text,
    fold_line,
    serialize,
    unescape_text,
    unfold,
)
from apps.ledger.models import Milestone, TrackedItem

STAMP = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
LONG_TITLE = (
    "关于推进全市人大代表联络站标准化规范化建设和数字化履职平台应用情况的专题调研报告及整改落实"
)


def events_of(body: bytes) -> list[dict[str, str]]:
    """Each VEVENT as {property name with parameters: raw value}, read back from the wire."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(body.decode("utf-8")):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def calendar_properties(body: bytes) -> dict[str, str]:
    properties = {}
    for line in unfold(body.decode("utf-8")):
        if line == "BEGIN:VEVENT":
            break
        name, _, value = line.partition(":")
        properties[name] = value
    return properties


# ---------------------------------------------------------------------------------------------
# The writer
# ---------------------------------------------------------------------------------------------


def test_text_escaping():
    assert escape_text("审议,修改;完善\\意见\n第二行") == "审议\\,修改\\;完善\\\\意见\\n第二行"
    assert escape_text("a\r\nb") == "a\\nb"
    original = "a,b;c\\d\ne \\n"
    assert unescape_text(escape_text(original)) == original


def test_folding_keeps_lines_within_75_octets_and_characters_whole():
    line = "SUMMARY:" + LONG_TITLE * 3
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    for n, part in enumerate(physical):
        assert len(part.encode("utf-8")) <= 75
        if n:
            assert part.startswith(" ")
    # Unfolding gives the line back exactly.
    assert unfold(folded + "\r\n") == [line]
    # Lines are filled: no folded line could have taken the next character too.
    for part, following in itertools.pairwise(physical):
        assert len(part.encode()) + len(following[1].encode()) > 75


def test_folding_on_the_wire_never_splits_a_character():
    event = AllDayEvent(
        uid="item-1@organ-platform", day=datetime.date(2026, 12, 15), summary="x" + LONG_TITLE * 2
    )
    body = serialize(name="测试", events=[event], stamp=STAMP)
    for raw in body.split(b"\r\n"):
        assert len(raw) <= 75
        raw.decode("utf-8")  # strict: a split character would raise here
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert body.endswith(b"END:VCALENDAR\r\n")


def test_short_lines_are_left_alone():
    assert fold_line("VERSION:2.0") == "VERSION:2.0"
    exactly = "X" * 75
    assert fold_line(exactly) == exactly
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"


def test_calendar_and_event_properties():
    event = AllDayEvent(
        uid="milestone-7@organ-platform",
        day=datetime.date(2026, 12, 31),
        summary="【节点】法工委：完成调研",
        description="状态：已交办\n预警：临期",
        url="http://testserver/ledger/items/3/",
        cancelled=True,
        sequence=4,
    )
    body = serialize(name="重点工作行事历 · 周科员", events=[event], stamp=STAMP)
    header = calendar_properties(body)
    assert header["PRODID"]
    assert header["VERSION"] == "2.0"
    assert header["CALSCALE"] == "GREGORIAN"
    assert header["METHOD"] == "PUBLISH"
    assert header["X-WR-CALNAME"] == "重点工作行事历 · 周科员"
    assert header["X-WR-TIMEZONE"] == "Asia/Shanghai"
    [vevent] = events_of(body)
    assert vevent["UID"] == "milestone-7@organ-platform"
    assert vevent["DTSTAMP"] == "20261120T093000Z"
    assert vevent["DTSTART;VALUE=DATE"] == "20261231"
    assert vevent["DTEND;VALUE=DATE"] == "20270101"  # exclusive: the next day, across the year
    assert unescape_text(vevent["DESCRIPTION"]) == "状态：已交办\n预警：临期"
    assert vevent["URL"] == "http://testserver/ledger/items/3/"
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == "4"


def test_dtstamp_is_written_in_utc():
    beijing = datetime.datetime(
        2026, 11, 20, 17, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    event = AllDayEvent(uid="item-1@organ-platform", day=datetime.date(2026, 12, 1), summary="x")
    [vevent] = events_of(serialize(name="x", events=[event], stamp=beijing))
    assert vevent["DTSTAMP"] == "20261120T093000Z"
    with pytest.raises(ValueError):
        serialize(name="x", events=[event], stamp=datetime.datetime(2026, 11, 20, 9, 30))


# ---------------------------------------------------------------------------------------------
# The feeds
# ---------------------------------------------------------------------------------------------


def move(item: TrackedItem, deadline: datetime.date) -> None:
    """Put an item's deadline (and its milestones, a week earlier) relative to today."""
    TrackedItem.objects.filter(pk=item.pk).update(
        deadline=deadline, warn_from=deadline - datetime.timedelta(days=5)
    )
    Milestone.objects.filter(item=item).update(
        deadline=deadline - datetime.timedelta(days=7),
        warn_from=deadline - datetime.timedelta(days=12),
    )


@pytest.fixture
def soon():
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def legal_item(personas, make_item, soon):
    item = services.item_assign(
        actor=personas.sun, item=make_item(title="审议《条例（草案）》,修改;完善\\意见")
    )
    move(item, soon)
    return item


@pytest.fixture
def finance_item(personas, make_item, soon):
    item = make_item(
        title="开展预算联网监督",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        trackers=[],
        milestones=[],
    )
    item = services.item_assign(actor=personas.sun, item=item)
    move(item, soon)
    return item


def feed(client, name, user, **query):
    token = feeds.feed_token_for(user).token
    return client.get(reverse(f"ledger:{name}", args=[token]), query)


def uids(response) -> set[str]:
    return {event["UID"] for event in events_of(response.content)}


@pytest.mark.django_db
def test_person_feed_needs_no_sign_in_and_reads_back(client, personas, legal_item, soon):
    response = feed(client, "person_feed", personas.zhou)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    header = calendar_properties(response.content)
    assert header["X-WR-CALNAME"] == "重点工作行事历 · 周科员"
    events = {event["UID"]: event for event in events_of(response.content)}
    milestone = legal_item.milestones.get()
    assert set(events) == {
        f"item-{legal_item.pk}@organ-platform",
        f"milestone-{milestone.pk}@organ-platform",
    }
    deadline = events[f"item-{legal_item.pk}@organ-platform"]
    assert deadline["DTSTART;VALUE=DATE"] == soon.strftime("%Y%m%d")
    assert deadline["DTEND;VALUE=DATE"] == (soon + datetime.timedelta(days=1)).strftime("%Y%m%d")
    assert (
        unescape_text(deadline["SUMMARY"]) == "【截止】法工委：审议《条例（草案）》,修改;完善\\意见"
    )
    assert "\\,修改\\;完善\\\\意见" in deadline["SUMMARY"]
    assert deadline["URL"] == f"http://testserver/ledger/items/{legal_item.pk}/"
    assert deadline["STATUS"] == "CONFIRMED"
    assert deadline["DTSTAMP"].endswith("Z")
    description = unescape_text(deadline["DESCRIPTION"])
    assert "状态：已交办" in description and "牵头单位：法制工作委员会" in description
    assert "责任人：周科员" in description
    node = events[f"milestone-{milestone.pk}@organ-platform"]
    assert unescape_text(node["SUMMARY"]).startswith("【节点】法工委：完成调研（")
    assert node["DTSTART;VALUE=DATE"] == (soon - datetime.timedelta(days=7)).strftime("%Y%m%d")
    for raw in response.content.split(b"\r\n"):
        assert len(raw) <= 75
        raw.decode("utf-8")


@pytest.mark.django_db
def test_an_unknown_token_is_404(client, personas, legal_item):
    for name in ("person_feed", "unit_feed"):
        assert client.get(reverse(f"ledger:{name}", args=["not-a-token"])).status_code == 404
        assert client.get(reverse(f"ledger:{name}", args=["x" * 200])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_an_administrators_token_gives_nothing(client, personas, legal_item, name):
    user = getattr(personas, name)
    assert feed(client, "person_feed", user).status_code == 404
    assert feed(client, "unit_feed", user).status_code == 404


@pytest.mark.django_db
def test_a_deactivated_owners_token_stops_working(client, personas, legal_item):
    token = feeds.feed_token_for(personas.zhou).token
    personas.zhou.is_active = False
    personas.zhou.save(update_fields=["is_active"])
    assert client.get(reverse("ledger:person_feed", args=[token])).status_code == 404


@pytest.mark.django_db
def test_person_feeds_hold_only_the_owners_own_items(client, personas, legal_item, finance_item):
    legal = f"item-{legal_item.pk}@organ-platform"
    finance = f"item-{finance_item.pk}@organ-platform"
    assert legal in uids(feed(client, "person_feed", personas.zhou))  # responsible
    assert legal in uids(feed(client, "person_feed", personas.zhao))  # leading leader
    assert legal in uids(feed(client, "person_feed", personas.sun))  # tracker
    assert finance not in uids(feed(client, "person_feed", personas.sun))  # office, but not theirs
    assert uids(feed(client, "person_feed", personas.wu)) == {finance}
    assert not uids(feed(client, "person_feed", personas.li))  # sees it, but is none of the three


@pytest.mark.django_db
def test_unit_feeds_hold_the_units_items_within_the_owners_scope(
    client, personas, legal_item, finance_item
):
    legal = f"item-{legal_item.pk}@organ-platform"
    finance = f"item-{finance_item.pk}@organ-platform"
    zhou = feed(client, "unit_feed", personas.zhou)
    assert legal in uids(zhou) and finance not in uids(zhou)
    assert "法工委" in calendar_properties(zhou.content)["X-WR-CALNAME"]
    assert uids(feed(client, "unit_feed", personas.wu)) == {finance}
    # A unit outside the owner's own: refused, not an empty calendar that looks fine.
    assert feed(client, "unit_feed", personas.wu, unit=personas.legal.pk).status_code == 404
    assert feed(client, "unit_feed", personas.zhou, unit=personas.finance.pk).status_code == 404
    assert feed(client, "unit_feed", personas.zhou, unit="abc").status_code == 404
    # The office may subscribe to any unit.
    assert uids(feed(client, "unit_feed", personas.sun, unit=personas.finance.pk)) == {finance}
    # The office's own unit leads nothing here.
    assert not uids(feed(client, "unit_feed", personas.sun))
    # A leader without a unit chooses one; leaders see every unit's items (issue 10).
    assert feed(client, "unit_feed", personas.zhao).status_code == 404
    zhao_legal = uids(feed(client, "unit_feed", personas.zhao, unit=personas.legal.pk))
    assert legal in zhao_legal
    assert uids(feed(client, "unit_feed", personas.zhao, unit=personas.finance.pk)) == {finance}


@pytest.mark.django_db
def test_the_feed_window_and_drafts(client, personas, make_item, legal_item):
    today = timezone.localdate()
    draft = make_item(title="尚未交办")
    move(draft, today + datetime.timedelta(days=10))
    old = services.item_assign(actor=personas.sun, item=make_item(title="很久以前"))
    move(old, today - datetime.timedelta(days=120))
    far = services.item_assign(actor=personas.sun, item=make_item(title="很久以后", milestones=[]))
    move(far, today + datetime.timedelta(days=400))
    edge = services.item_assign(actor=personas.sun, item=make_item(title="窗口边缘", milestones=[]))
    move(edge, today - datetime.timedelta(days=90))
    found = uids(feed(client, "person_feed", personas.zhou))
    assert f"item-{legal_item.pk}@organ-platform" in found
    assert f"item-{edge.pk}@organ-platform" in found
    assert f"item-{draft.pk}@organ-platform" not in found
    assert f"item-{old.pk}@organ-platform" not in found
    assert f"item-{far.pk}@organ-platform" not in found


@pytest.mark.django_db
def test_a_cancelled_item_is_sent_as_cancelled_with_a_higher_sequence(client, personas, legal_item):
    uid = f"item-{legal_item.pk}@organ-platform"
    before = {e["UID"]: e for e in events_of(feed(client, "person_feed", personas.zhou).content)}[
        uid
    ]
    services.item_cancel(actor=personas.sun, item=legal_item, reason="已并入其他事项")
    after = {e["UID"]: e for e in events_of(feed(client, "person_feed", personas.zhou).content)}[
        uid
    ]
    assert before["STATUS"] == "CONFIRMED" and after["STATUS"] == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


@pytest.mark.django_db
def test_reading_a_feed_records_nothing(client, personas, legal_item):
    feeds.feed_token_for(personas.zhou)
    before = AuditEvent.objects.count()
    feed(client, "person_feed", personas.zhou)
    feed(client, "unit_feed", personas.zhou)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_user_for_token(personas):
    token = feeds.feed_token_for(personas.li).token
    assert feeds.user_for_token(token) == personas.li
    assert feeds.user_for_token("") is None
    assert feeds.user_for_token(token + "x") is None
    reset = feeds.feed_token_reset(user=personas.li)
    assert reset.token != token
    assert feeds.user_for_token(token) is None
    assert feeds.user_for_token(reset.token) == personas.li


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_items(
    client, personas, make_item, soon, django_assert_max_num_queries
):
    for n in range(6):
        move(services.item_assign(actor=personas.sun, item=make_item(title=f"事项{n}")), soon)
    token = feeds.feed_token_for(personas.zhou).token
    with django_assert_max_num_queries(8):
        response = client.get(reverse("ledger:person_feed", args=[token]))
    assert len(events_of(response.content)) == 12


FEED_STATUS = {
    # persona: (person.ics, unit.ics, unit.ics?unit=<法工委>) with the persona's own token
    "zhao": (200, 404, 200),
    "qian": (200, 200, 200),
    "sun": (200, 200, 200),
    "li": (200, 200, 200),
    "zhou": (200, 200, 200),
    "wu": (200, 200, 404),
    "sysadmin": (404, 404, 404),
    "secadmin": (404, 404, 404),
    "auditadmin": (404, 404, 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEED_STATUS)
def test_feed_status_per_persona(client, personas, name):
    user = getattr(personas, name)
    expected = FEED_STATUS[name]
    assert feed(client, "person_feed", user).status_code == expected[0]
    assert feed(client, "unit_feed", user).status_code == expected[1]
    assert feed(client, "unit_feed", user, unit=personas.legal.pk).status_code == expected[2]
