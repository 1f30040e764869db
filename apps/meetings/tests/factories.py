"""Builders for the sessions area's tests: members, a session with its agenda, at any state."""

from __future__ import annotations

import datetime

from apps.core import clock
from apps.meetings import services
from apps.meetings.choices import ItemType, MemberTitle
from apps.meetings.models import CommitteeMember, Session
from apps.organization.models import Unit


def make_members(count: int, *, start: datetime.date | None = None) -> list[CommitteeMember]:
    start = start or datetime.date(2020, 1, 1)
    titles = [MemberTitle.DIRECTOR, MemberTitle.DEPUTY_DIRECTOR, MemberTitle.SECRETARY_GENERAL]
    return [
        CommitteeMember.objects.create(
            name=f"委员{n + 1:02d}",
            title=titles[n] if n < len(titles) else MemberTitle.MEMBER,
            term_start=start,
            sort_order=n,
        )
        for n in range(count)
    ]


def make_session(p, *, days_ahead: int = 10, items: int = 2) -> Session:
    """A drafted session `days_ahead` days from today with `items` work reports by 市人民政府."""
    day = clock.today() + datetime.timedelta(days=days_ahead)
    session = services.session_create(actor=p.sun, date=day)
    committee = Unit.objects.get(name="财政经济工作委员会")
    for n in range(items):
        services.item_add(
            actor=p.sun,
            session=session,
            spec=services.ItemSpec(
                title=f"关于2026年工作情况的报告{n + 1}",
                item_type=ItemType.WORK_REPORT,
                committee=committee,
                planned_minutes=30,
                reporting_body=p.government,
                presenter="市政府副市长",
            ),
        )
    return session


def decide(p, session: Session) -> Session:
    meeting = services.directors_meeting_create(
        actor=p.sun, date=clock.today(), topics="研究常委会会议议程"
    )
    return services.agenda_decide(actor=p.sun, session=session, directors_meeting=meeting)


def open_session(p, session: Session) -> Session:
    """Decide, notify and open a session (its date is moved to today so that it can open)."""
    session = decide(p, session)
    session = services.notice_send(actor=p.sun, session=session)
    return services.session_open(actor=p.sun, session=session)
