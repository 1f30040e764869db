"""What every role gets from each URL of party building and publicity (see
apps/core/testing/url_matrix.py).

The party group here is zhao (secretary) and li; sun (office) registered the meeting and records
it, so qian — the office's head but neither a member nor the recorder — does not see it. li is also
法工委's branch secretary in the review, and zhou has a draft that nobody else may read.
"""

from __future__ import annotations

import datetime

from apps.core.testing.url_matrix import BUSINESS, OFFICE, Case, fixed
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership
from apps.party import services
from apps.party.choices import AgendaKind, Channel, Presence, ReviewMode

D = datetime.date
RECORDS = {"zhao", "qian", "sun", "li"}  # the party group and the office
MEETING = {"zhao", "li", "sun"}  # the members and the recorder
OTHERS = BUSINESS - MEETING


def objects(p) -> dict[str, object]:
    PartyGroupMembership.objects.get_or_create(
        person=p.zhao.person,
        role=PartyGroupRole.SECRETARY,
        defaults={"start_date": D(2022, 1, 1)},
    )
    PartyGroupMembership.objects.create(
        person=p.li.person, role=PartyGroupRole.MEMBER, start_date=D(2022, 1, 1)
    )
    meeting = services.meeting_create(
        actor=p.sun,
        date=D(2026, 3, 10),
        place="党组会议室",
        presider=p.zhao.person,
        recorder=p.sun.person,
        attendees=[
            services.AttendeeSpec(p.zhao.person, Presence.PRESENT),
            services.AttendeeSpec(p.li.person, Presence.PRESENT),
        ],
    )
    services.agenda_add(
        actor=p.sun, meeting=meeting, kind=AgendaKind.FIRST_TOPIC, title="重要讲话精神"
    )
    major = services.agenda_add(
        actor=p.sun, meeting=meeting, kind=AgendaKind.MAJOR, title="办公楼维修项目"
    )
    report = services.report_create(
        actor=p.sun,
        kind="request",
        title="关于机构调整的请示",
        recipient="中共市委",
        submitted_on=D(2026, 3, 1),
        due_date=D(2026, 3, 31),
    )
    responsibility = services.list_create(
        actor=p.sun,
        year=2026,
        person=p.li.person,
        post="法工委主任",
        items=[("party", "落实党风廉政建设责任"), ("work", "完成年度立法计划")],
    )
    review = services.review_create(
        actor=p.sun,
        year=2026,
        title="2026年度支部书记抓党建述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("履行第一责任人职责", 100)],
        subjects=[(p.li.person, p.legal)],
    )
    subject = review.subjects.get()
    services.report_submit(actor=p.li, subject=subject, report="述职报告")
    draft = services.article_create(
        actor=p.zhou, kind="article", title="立法调研稿件", body="正文", channel=Channel.WEBSITE
    )
    issue = services.issue_create(actor=p.sun, year=2026, planned_on=D(2026, 5, 1))
    return {
        "party_meeting": meeting,
        "party_major_item": major,
        "party_report": report,
        "party_list": responsibility,
        "party_list_item": responsibility.items.get(order=1),
        "party_review": review,
        "party_subject": subject,
        "party_draft": draft,
        "party_issue": issue,
    }


MATRIX = {
    "party:meeting_list": Case(fixed("/party/meetings/"), ok=RECORDS),
    "party:meeting_create": Case(fixed("/party/meetings/new/"), ok=OFFICE, post={}),
    "party:meeting_detail": Case(
        lambda w: f"/party/meetings/{w.party_meeting.pk}/", ok=MEETING, not_found=OTHERS
    ),
    "party:agenda_add": Case(
        lambda w: f"/party/meetings/{w.party_meeting.pk}/agenda/",
        ok=BUSINESS,
        post_only=True,
        post={"kind": "other", "title": "伪造议题"},
        allowed_post={"sun"},
    ),
    "party:meeting_minutes": Case(
        lambda w: f"/party/meetings/{w.party_meeting.pk}/minutes.docx",
        ok=MEETING,
        not_found=OTHERS,
    ),
    "party:agenda_conclude": Case(
        lambda w: f"/party/agenda/{w.party_major_item.pk}/conclude/",
        ok=BUSINESS,
        post_only=True,
        post={"conclusion": "伪造"},
        allowed_post={"sun"},
    ),
    "party:decision_record": Case(
        lambda w: f"/party/agenda/{w.party_major_item.pk}/decision/",
        ok={"sun"},
        not_found=BUSINESS - {"sun"},
        post={},
    ),
    "party:agenda_to_ledger": Case(
        lambda w: f"/party/agenda/{w.party_major_item.pk}/ledger/",
        ok=BUSINESS,
        post_only=True,
        post={"lead_unit": "1", "deadline": "2026-06-30"},
        allowed_post={"sun"},
    ),
    "party:decision_list": Case(fixed("/party/decisions/"), ok=RECORDS),
    "party:decision_export": Case(fixed("/party/decisions/export.xlsx"), ok=RECORDS),
    "party:report_create": Case(fixed("/party/reports/new/"), ok=OFFICE, post={}),
    "party:report_answer": Case(
        lambda w: f"/party/reports/{w.party_report.pk}/answer/",
        ok=OFFICE,
        not_found=BUSINESS - OFFICE,
        post={"answer": "同意", "answered_on": "2026-03-20"},
    ),
    "party:report_draft": Case(
        lambda w: f"/party/reports/{w.party_report.pk}/draft/",
        ok=OFFICE,
        not_found=BUSINESS - OFFICE,
        post={},
    ),
    "party:list_index": Case(fixed("/party/lists/"), ok=BUSINESS),
    "party:list_create": Case(fixed("/party/lists/new/"), ok=OFFICE, post={}),
    "party:list_detail": Case(
        lambda w: f"/party/lists/{w.party_list.pk}/", ok=RECORDS, not_found={"zhou", "wu"}
    ),
    "party:item_update": Case(
        lambda w: f"/party/lists/items/{w.party_list_item.pk}/evidence/",
        ok=BUSINESS,
        post_only=True,
        post={"evidence": "伪造记实"},
        allowed_post={"li", "qian", "sun"},
    ),
    "party:review_list": Case(fixed("/party/reviews/"), ok=BUSINESS),
    "party:review_create": Case(fixed("/party/reviews/new/"), ok=OFFICE, post={}),
    "party:review_detail": Case(lambda w: f"/party/reviews/{w.party_review.pk}/", ok=BUSINESS),
    "party:review_publish": Case(
        lambda w: f"/party/reviews/{w.party_review.pk}/publish/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post=OFFICE,
    ),
    "party:subject_report": Case(
        lambda w: f"/party/reviews/subjects/{w.party_subject.pk}/report/",
        ok=BUSINESS,
        post={"report": "伪造"},
        allowed_post={"li"},
    ),
    "party:subject_score": Case(
        lambda w: f"/party/reviews/subjects/{w.party_subject.pk}/score/",
        ok=BUSINESS - {"li"},
        post={},
    ),
    "party:activity_list": Case(fixed("/party/activities/"), ok=BUSINESS),
    "party:activity_create": Case(
        fixed("/party/activities/new/"), ok={"qian", "sun", "li"}, post={}
    ),
    "party:article_list": Case(fixed("/party/articles/"), ok=BUSINESS),
    "party:article_create": Case(fixed("/party/articles/new/"), ok=BUSINESS, post={}),
    "party:article_detail": Case(
        lambda w: f"/party/articles/{w.party_draft.pk}/",
        ok={"zhou"},
        not_found=BUSINESS - {"zhou"},
    ),
    "party:article_action": Case(
        lambda w: f"/party/articles/{w.party_draft.pk}/submit/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "party:issue_list": Case(fixed("/party/issues/"), ok=BUSINESS, post={}, allowed_post=OFFICE),
    "party:issue_detail": Case(lambda w: f"/party/issues/{w.party_issue.pk}/", ok=BUSINESS),
    "party:issue_pdf": Case(
        lambda w: f"/party/issues/{w.party_issue.pk}/issue.pdf",
        ok=OFFICE,
        not_found=BUSINESS - OFFICE,
    ),
    "party:issue_action": Case(
        lambda w: f"/party/issues/{w.party_issue.pk}/plan/",
        ok=BUSINESS,
        post_only=True,
        post={"article": "1"},
        allowed_post=OFFICE,
    ),
    "party:statistics": Case(fixed("/party/statistics/"), ok=RECORDS),
    "party:statistics_export": Case(fixed("/party/statistics/export.xlsx"), ok=RECORDS),
}
