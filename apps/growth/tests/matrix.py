"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py).

zhao is made the party group secretary here, so that the talk between li (head of 法工委) and zhou
(法工委) is read by exactly its two parties and zhao; the office (qian, sun) gets counts only.
"""

from __future__ import annotations

import datetime

from apps.core.testing.url_matrix import BUSINESS, LEGAL_READERS, OFFICE, Case, fixed
from apps.growth import services
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership

EXPORTERS = {"zhao", "qian", "sun", "li"}


def objects(p) -> dict[str, object]:
    PartyGroupMembership.objects.create(
        person=p.zhao.person, role=PartyGroupRole.SECRETARY, start_date=datetime.date(2022, 1, 1)
    )
    session = services.session_create(
        user=p.sun,
        spec=services.SessionSpec(
            kind="organ",
            title="机关集中学习",
            date=datetime.date(2026, 3, 2),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(17, 0),
            place="第一会议室",
            topics=[services.TopicSpec("重要讲话精神", is_first_topic=True)],
        ),
    )
    pair = services.pair_create(
        user=p.sun,
        mentor=p.li.person,
        mentee=p.zhou.person,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        goals="熟悉立法工作流程",
    )
    talk = services.talk_record(
        user=p.li,
        talker=p.li.person,
        talkee=p.zhou.person,
        date=datetime.date(2026, 3, 1),
        kind="routine",
        summary="谈话内容",
    )
    return {
        "study_session": session,
        "study_topic": session.topics.get(),
        "mentor_pair": pair,
        "talk": talk,
    }


MATRIX = {
    "growth:study_list": Case(fixed("/growth/study/"), ok=BUSINESS),
    "growth:study_export": Case(fixed("/growth/study/export.xlsx"), ok=EXPORTERS),
    "growth:session_create": Case(fixed("/growth/study/new/"), ok={"qian", "sun", "li"}, post={}),
    "growth:plan_create": Case(fixed("/growth/study/plans/new/"), ok=OFFICE, post={}),
    "growth:first_topics": Case(fixed("/growth/study/first-topics/"), ok=BUSINESS),
    "growth:session_detail": Case(lambda w: f"/growth/study/{w.study_session.pk}/", ok=BUSINESS),
    "growth:session_qr": Case(lambda w: f"/growth/study/{w.study_session.pk}/qr/", ok=OFFICE),
    "growth:sign_in": Case(
        lambda w: f"/growth/study/{w.study_session.pk}/sign-in/",
        ok=BUSINESS,
        post={"t": "forged"},
        allowed_post=BUSINESS,
    ),
    "growth:session_roll": Case(
        lambda w: f"/growth/study/{w.study_session.pk}/roll/",
        ok=OFFICE,
        post={"person": "1", "present": "1"},
    ),
    "growth:session_move": Case(
        lambda w: f"/growth/study/{w.study_session.pk}/move/",
        ok=BUSINESS,
        post_only=True,
        post={"date": "2026-03-03", "note": "改期"},
        allowed_post=OFFICE,
    ),
    "growth:reflection_submit": Case(
        lambda w: f"/growth/study/{w.study_session.pk}/reflection/",
        ok=BUSINESS,
        post_only=True,
        post={"text": "心得"},
        allowed_post=BUSINESS,
    ),
    "growth:topic_follow_up": Case(
        lambda w: f"/growth/study/topics/{w.study_topic.pk}/follow-up/",
        ok=BUSINESS,
        post_only=True,
        post={"text": "已落实"},
        allowed_post=OFFICE,
    ),
    "growth:pair_list": Case(fixed("/growth/mentoring/"), ok=BUSINESS),
    "growth:pair_create": Case(fixed("/growth/mentoring/new/"), ok=OFFICE, post={}),
    "growth:pair_detail": Case(
        lambda w: f"/growth/mentoring/{w.mentor_pair.pk}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "growth:guidance_add": Case(
        lambda w: f"/growth/mentoring/{w.mentor_pair.pk}/guidance/",
        ok=BUSINESS,
        post_only=True,
        post={"date": "2026-03-02", "kind": "talk", "content": "谈心"},
        allowed_post={"li", "zhou"},
    ),
    "growth:evaluation_submit": Case(
        lambda w: f"/growth/mentoring/{w.mentor_pair.pk}/evaluation/",
        ok=BUSINESS,
        post_only=True,
        post={"stage": "midterm", "grade": "good", "comment": "好"},
        allowed_post={"li"},
    ),
    "growth:summary_submit": Case(
        lambda w: f"/growth/mentoring/{w.mentor_pair.pk}/summary/",
        ok=BUSINESS,
        post_only=True,
        post={"text": "总结"},
        allowed_post={"zhou"},
    ),
    "growth:youth": Case(fixed("/growth/youth/"), ok=BUSINESS),
    "growth:youth_add": Case(
        fixed("/growth/youth/add/"), ok=BUSINESS, post_only=True, post={}, allowed_post=OFFICE
    ),
    "growth:youth_recompute": Case(
        fixed("/growth/youth/recompute/"),
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post=OFFICE,
    ),
    "growth:talk_list": Case(fixed("/growth/talks/"), ok=BUSINESS),
    "growth:talk_create": Case(
        fixed("/growth/talks/new/"), ok=BUSINESS, post={}, allowed_post=BUSINESS
    ),
    "growth:duty_edit": Case(fixed("/growth/talks/duties/"), ok=OFFICE, post={}),
    "growth:talk_registry": Case(fixed("/growth/talks/registry/"), ok={"auditadmin"}),
    "growth:talk_detail": Case(
        lambda w: f"/growth/talks/{w.talk.pk}/",
        ok={"zhao", "li", "zhou"},
        not_found={"qian", "sun", "wu"},
    ),
    "growth:training": Case(fixed("/growth/training/"), ok=BUSINESS),
    "growth:training_create": Case(
        fixed("/growth/training/new/"), ok=BUSINESS, post={}, allowed_post=BUSINESS
    ),
    "growth:requirement_set": Case(
        fixed("/growth/training/requirement/"),
        ok=BUSINESS,
        post_only=True,
        post={"year": "2026", "hours": "80"},
        allowed_post=OFFICE,
    ),
    "growth:file_list": Case(fixed("/growth/files/"), ok=BUSINESS),
    "growth:file_docx": Case(
        lambda w: f"/growth/files/{w.p.zhou.person_id}/file.docx",
        ok=LEGAL_READERS,
        not_found={"wu"},
    ),
    "growth:file_detail": Case(
        lambda w: f"/growth/files/{w.p.zhou.person_id}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "growth:statistics": Case(fixed("/growth/statistics/"), ok=EXPORTERS),
    "growth:statistics_export": Case(fixed("/growth/statistics/export.xlsx"), ok=EXPORTERS),
}
