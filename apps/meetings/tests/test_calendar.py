"""Sessions and 主任会议 on the ledger's key-work calendar, in the iCalendar feed, on the home page."""

import pytest

from apps.ledger.feeds import feed_token_for

from .factories import decide, make_session

pytestmark = pytest.mark.django_db


def test_sessions_appear_on_the_calendar_and_in_the_feed(client, personas, members):
    session = decide(personas, make_session(personas, days_ahead=10))
    client.force_login(personas.li)
    page = client.get(f"/ledger/calendar/?date={session.date:%Y-%m-%d}").content.decode()
    assert f"常委会会议：{session}" in page
    token = feed_token_for(personas.li).token
    client.logout()
    feed = client.get(f"/ledger/ical/{token}/person.ics").content.decode()
    assert f"meetings-session-{session.pk}@" in feed
    assert "【常委会会议】" in feed


def test_home_pages_show_upcoming_sessions_and_the_bodys_deadlines(client, personas, members):
    session = decide(personas, make_session(personas, days_ahead=10))
    client.force_login(personas.zhou)
    assert str(session) in client.get("/").content.decode()
    client.force_login(personas.gov)
    home = client.get("/").content.decode()
    assert "本单位常委会事项" in home and "报送材料" in home
