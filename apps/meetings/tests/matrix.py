"""What every role gets from each URL of the sessions area (see apps/core/testing/url_matrix.py).

The office (qian, sun) runs the sessions; every business account reads them; dai (a deputy's
account) is made a member of the Standing Committee here, so reads the sessions and signs in;
gov (市人民政府's contact) reaches only the body pages, and only its own body's rows there.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from apps.core import clock
from apps.core.testing.url_matrix import BUSINESS, OFFICE, SIGNED_IN, Case, fixed
from apps.meetings import services
from apps.meetings.choices import AttendanceStatus, ItemType
from apps.meetings.models import CommitteeMember
from apps.organization.choices import UnitKind
from apps.organization.models import Unit

READERS = BUSINESS | {"dai"}
GOV = {"gov"}


def objects(p) -> dict[str, object]:
    members = [
        CommitteeMember.objects.create(
            name=f"委员{n}", title="member", term_start=datetime.date(2020, 1, 1), sort_order=n
        )
        for n in range(5)
    ]
    members[0].user = p.dai
    members[0].save()
    court = Unit.everything.create(name="市中级人民法院", short_name="中院", kind=UnitKind.COURT)
    committee = Unit.objects.get(name="财政经济工作委员会")

    def session_with_items(days: int):
        session = services.session_create(
            actor=p.sun, date=clock.today() + datetime.timedelta(days=days)
        )
        for body in (p.government, court):
            services.item_add(
                actor=p.sun,
                session=session,
                spec=services.ItemSpec(
                    f"{body.short_name}工作报告", ItemType.WORK_REPORT, committee, 30, body
                ),
            )
        meeting = services.directors_meeting_create(actor=p.sun, date=clock.today())
        services.agenda_decide(actor=p.sun, session=session, directors_meeting=meeting)
        services.notice_send(actor=p.sun, session=session)
        return services.session_open(actor=p.sun, session=session)

    running = session_with_items(10)
    gov_item, court_item = running.items.order_by("order")
    material = services.material_upload(
        actor=p.gov,
        item=gov_item,
        title="工作报告",
        pages=3,
        characters=2000,
        file=ContentFile(b"report", name="report.txt"),  # type: ignore[arg-type]
    )
    court_material = services.material_upload(
        actor=p.sun,
        item=court_item,
        title="法院报告",
        pages=2,
        characters=900,
        file=ContentFile(b"court", name="court.txt"),  # type: ignore[arg-type]
    )
    for member in members[:3]:
        services.attendance_record(
            actor=p.sun, session=running, member=member, status=AttendanceStatus.PRESENT
        )
    roll_vote = services.vote_record_roll(
        actor=p.sun, item=court_item, choices={members[0]: "yes", members[1]: "no"}
    )
    closed = session_with_items(20)
    for member in members[:3]:
        services.attendance_record(
            actor=p.sun, session=closed, member=member, status=AttendanceStatus.PRESENT
        )
    services.session_close(actor=p.sun, session=closed)
    closed_gov, closed_court = closed.items.order_by("order")
    opinions = []
    for item in (closed_gov, closed_court):
        opinion = services.opinion_save(actor=p.sun, item=item, text="审议意见")
        services.opinion_sign(actor=p.sun, opinion=opinion)
        opinions.append(services.opinion_send(actor=p.sun, opinion=opinion))
    draft = services.session_create(actor=p.sun, date=clock.today() + datetime.timedelta(days=40))
    return {
        "mt_running": running,
        "mt_draft_session": draft,
        "mt_closed": closed,
        "mt_gov_item": gov_item,
        "mt_court_item": court_item,
        "mt_material": material,
        "mt_court_material": court_material,
        "mt_closed_gov_item": closed_gov,
        "mt_gov_opinion": opinions[0],
        "mt_court_opinion": opinions[1],
        "mt_member": members[1],
        "mt_roll_vote": roll_vote,
    }


MATRIX = {
    "meetings:session_list": Case(fixed("/meetings/"), ok=READERS),
    "meetings:session_create": Case(fixed("/meetings/new/"), ok=OFFICE, post={}),
    "meetings:directors_meeting_create": Case(
        fixed("/meetings/directors/new/"), ok=OFFICE, post={"date": "2026-03-02"}
    ),
    "meetings:measures": Case(fixed("/meetings/measures/?year=x&session=y&type=z"), ok=BUSINESS),
    "meetings:session_detail": Case(lambda w: f"/meetings/{w.mt_running.pk}/", ok=READERS),
    "meetings:item_add": Case(
        lambda w: f"/meetings/{w.mt_draft_session.pk}/items/new/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"title": "议题", "item_type": "decision", "committee": "1", "planned_minutes": "5"},
    ),
    "meetings:agenda_decide": Case(
        lambda w: f"/meetings/{w.mt_draft_session.pk}/decide/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:notice_send": Case(
        lambda w: f"/meetings/{w.mt_draft_session.pk}/notice/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:notice_docx": Case(lambda w: f"/meetings/{w.mt_running.pk}/notice.docx", ok=BUSINESS),
    # The 纪要 of a closed session, for whoever reads the session (members too); none before.
    "meetings:minutes_docx": Case(lambda w: f"/meetings/{w.mt_closed.pk}/minutes.docx", ok=READERS),
    "meetings:session_open": Case(
        lambda w: f"/meetings/{w.mt_draft_session.pk}/open/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:session_close": Case(
        lambda w: f"/meetings/{w.mt_running.pk}/close/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:attendance": Case(
        lambda w: f"/meetings/{w.mt_running.pk}/attendance/",
        ok=OFFICE,
        post={"status": "present"},
    ),
    "meetings:self_sign_in": Case(
        lambda w: f"/meetings/{w.mt_running.pk}/sign-in/",
        ok=SIGNED_IN,  # require_POST answers GET before the view refuses anyone
        post_only=True,
        post={},
        allowed_post=READERS,
    ),
    "meetings:live": Case(lambda w: f"/meetings/{w.mt_running.pk}/live/", ok=OFFICE),
    "meetings:item_detail": Case(lambda w: f"/meetings/items/{w.mt_gov_item.pk}/", ok=READERS),
    "meetings:item_remove": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/remove/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:item_tap": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/tap/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:item_times": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/times/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"start": "2026-03-02T09:00", "end": "2026-03-02T09:30"},
    ),
    "meetings:speech_add": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/speech/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"group": "一组", "speaker": "某", "started_at": "2026-03-02T09:00"},
    ),
    "meetings:vote_record": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/vote/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"yes": "3", "no": "0", "abstain": "0", "not_voted": "0"},
    ),
    "meetings:member_votes": Case(
        lambda w: f"/meetings/votes/{w.mt_roll_vote.pk}/members/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"m1": "abstain"},
    ),
    "meetings:materials_receive": Case(
        lambda w: f"/meetings/items/{w.mt_gov_item.pk}/receive/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    "meetings:opinion_save": Case(
        lambda w: f"/meetings/items/{w.mt_closed_gov_item.pk}/opinion/",
        ok=BUSINESS,
        allowed_post={"qian", "sun", "wu"},  # wu's 财经委 is the items' responsible committee
        post_only=True,
        post={"text": "意见", "deadline_months": "3", "threshold_percent": "60"},
    ),
    "meetings:opinion_rate": Case(
        lambda w: f"/meetings/opinions/{w.mt_gov_opinion.pk}/rate/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={"m1": "satisfied"},
    ),
    "meetings:opinion_action": Case(
        lambda w: f"/meetings/opinions/{w.mt_gov_opinion.pk}/conclude/",
        ok=BUSINESS,
        allowed_post=OFFICE,
        post_only=True,
        post={},
    ),
    # The organ and members read every material; a body's contact its own (gov: 市政府's).
    "meetings:material_download": Case(
        lambda w: f"/meetings/materials/{w.mt_material.pk}/", ok=READERS | GOV
    ),
    "meetings:body_home": Case(fixed("/meetings/body/"), ok=GOV),
    "meetings:body_item": Case(
        lambda w: f"/meetings/body/items/{w.mt_gov_item.pk}/",
        ok=GOV,
        post={"title": "材料", "pages": "1", "characters": "100"},
    ),
    "meetings:body_opinion": Case(
        lambda w: f"/meetings/body/opinions/{w.mt_gov_opinion.pk}/",
        ok=GOV,
        post={"text": "处理情况"},
    ),
}
