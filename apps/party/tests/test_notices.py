"""Party building's own notifications, each with a task key that resolves when the task is done."""

from __future__ import annotations

import datetime

import pytest

from apps.approvals.services import approver_task_key
from apps.core.scheduling import daily_jobs
from apps.notifications.models import Notification
from apps.party import notices, services
from apps.party.choices import Channel, CheckResult, CheckStage, ReviewMode

pytestmark = pytest.mark.django_db
D = datetime.date


def _of(user, prefix: str = "party:"):
    return Notification.objects.filter(recipient=user, task_key__startswith=prefix)


def _open(user, prefix: str = "party:"):
    return _of(user, prefix).filter(resolved_at__isnull=True)


@pytest.mark.today("2026-03-01")
def test_a_scheduled_meeting_notifies_its_participants_until_it_is_held(
    personas, group, make_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(D(2026, 3, 10), absent={group.li: "出差"})
    key = notices.meeting_task_key(meeting.pk)
    told = set(
        Notification.objects.filter(task_key=key).values_list("recipient__username", flat=True)
    )
    # The members present with an account, and sun (列席 and recorder); li is away.
    assert told == {"zhao", "qian", "sun"}
    notice = Notification.objects.get(task_key=key, recipient=personas.zhao)
    assert "第1次党组会议" in notice.title and notice.url == f"/party/meetings/{meeting.pk}/"
    assert not _of(personas.li).exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(D(2026, 2, 20))  # registered after the fact: nobody is called to it
    assert Notification.objects.filter(category="party").count() == 3
    notices.send_reminders(D(2026, 3, 10))
    assert Notification.objects.filter(task_key=key, resolved_at__isnull=True).count() == 3
    notices.send_reminders(D(2026, 3, 11))
    assert not Notification.objects.filter(task_key=key, resolved_at__isnull=True).exists()


def _review(personas, secretaries):
    return services.review_create(
        actor=personas.sun,
        year=2026,
        title="2026年度支部书记抓党建述职评议",
        mode=ReviewMode.POINTS,
        criteria=[("履行第一责任人职责", 100)],
        subjects=secretaries,
    )


def test_reviewers_are_asked_to_score_and_nobody_learns_who_scored(
    personas, django_capture_on_commit_callbacks
):
    p = personas
    with django_capture_on_commit_callbacks(execute=True):
        review = _review(p, [(p.li.person, p.legal), (p.qian.person, p.office)])
    legal = review.subjects.get(secretary=p.li.person)
    office = review.subjects.get(secretary=p.qian.person)
    asked = set(
        Notification.objects.filter(task_key__startswith=f"party:review:{review.pk}:").values_list(
            "recipient__username", flat=True
        )
    )
    assert asked == {"zhao", "qian", "sun", "li", "zhou", "wu"}  # every business account
    assert _of(p.li, "party:review-subject:").get().task_key == notices.subject_task_key(legal.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(actor=p.li, subject=legal, report="述职报告")
        services.report_submit(actor=p.qian, subject=office, report="述职报告")
    assert not _open(p.li, "party:review-subject:").exists()

    before = {
        row["pk"]: row
        for row in Notification.objects.filter(recipient=p.li).values(
            "pk", "title", "body", "read_at", "resolved_at"
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_submit(
            actor=p.zhou, subject=legal, scores={legal.review.criteria.get().pk: 90}
        )
    # zhou has one secretary left: the task stays; li, the secretary scored, sees nothing change.
    assert _open(p.zhou, f"party:review:{review.pk}:").exists()
    after = {
        row["pk"]: row
        for row in Notification.objects.filter(recipient=p.li).values(
            "pk", "title", "body", "read_at", "resolved_at"
        )
    }
    assert after == before
    assert not Notification.objects.filter(body__contains=p.zhou.person.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_submit(
            actor=p.zhou, subject=office, scores={office.review.criteria.get().pk: 80}
        )
        # li scores the only other secretary, and is done: their own report is not theirs to score.
        services.ballot_submit(
            actor=p.li, subject=office, scores={office.review.criteria.get().pk: 85}
        )
    assert not _open(p.zhou, f"party:review:{review.pk}:").exists()
    assert not _open(p.li, f"party:review:{review.pk}:").exists()
    assert _open(p.qian, f"party:review:{review.pk}:").exists()  # only their own task resolved
    assert Notification.objects.filter(recipient=p.li).count() == len(before)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_publish(actor=p.sun, review=review)
    assert not Notification.objects.filter(
        task_key__startswith="party:review", resolved_at__isnull=True
    ).exists()


def _list(personas):
    return services.list_create(
        actor=personas.sun,
        year=2026,
        person=personas.li.person,
        post="法工委主任",
        items=[("party", "落实党风廉政建设责任"), ("work", "完成年度立法计划")],
    )


def test_the_list_holder_is_told_of_each_check_until_it_is_done(
    personas, django_capture_on_commit_callbacks
):
    responsibility = _list(personas)
    assert notices.send_reminders(D(2026, 6, 14))["check_notices"] == 0
    assert notices.send_reminders(D(2026, 6, 15))["check_notices"] == 1
    assert notices.send_reminders(D(2026, 6, 16))["check_notices"] == 0  # once per stage
    key = notices.list_task_key(responsibility.pk, CheckStage.MIDYEAR)
    notice = _open(personas.li).get()
    assert notice.task_key == key and "年中检查" in notice.title
    first, second = responsibility.items.order_by("order")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_check(
            actor=personas.sun, item=first, stage=CheckStage.MIDYEAR, result=CheckResult.ON_TRACK
        )
    assert _open(personas.li).exists()  # one item still unchecked
    with django_capture_on_commit_callbacks(execute=True):
        services.item_check(
            actor=personas.sun, item=second, stage=CheckStage.MIDYEAR, result=CheckResult.DONE
        )
    assert not _open(personas.li).exists()
    assert notices.send_reminders(D(2026, 9, 1))["check_notices"] == 0  # mid-year done
    assert notices.send_reminders(D(2026, 12, 1))["check_notices"] == 1
    assert "年终检查" in _open(personas.li).get().title
    # Lists of another year are not this year's checks.
    assert notices.send_reminders(D(2027, 12, 1))["check_notices"] == 0


def test_the_responsible_person_hears_of_the_time_limit_until_the_answer(
    personas, django_capture_on_commit_callbacks
):
    report = services.report_create(
        actor=personas.sun,
        kind="request",
        title="关于调整机关内设机构的请示",
        recipient="中共市委",
        submitted_on=D(2026, 3, 2),
        due_date=D(2026, 3, 31),
    )
    answered_early = services.report_create(
        actor=personas.sun,
        kind="request",
        title="已答复的请示",
        recipient="中共市委",
        submitted_on=D(2026, 3, 2),
        due_date=D(2026, 3, 30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_answer(
            actor=personas.sun, report=answered_early, answer="同意", answered_on=D(2026, 3, 20)
        )
    assert notices.send_reminders(D(2026, 3, 27))["report_notices"] == 0
    assert notices.send_reminders(D(2026, 3, 28))["report_notices"] == 1
    assert notices.send_reminders(D(2026, 3, 29))["report_notices"] == 0
    assert notices.send_reminders(D(2026, 4, 1))["report_notices"] == 1
    titles = set(_open(personas.sun).values_list("title", flat=True))
    assert titles == {
        "请示已逾期未获答复：关于调整机关内设机构的请示",
        "请示办理时限将到：关于调整机关内设机构的请示",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.report_answer(
            actor=personas.sun, report=report, answer="同意", answered_on=D(2026, 4, 2)
        )
    assert not _open(personas.sun).exists()


def test_publicity_review_is_notified_by_the_approvals_engine(
    personas, django_capture_on_commit_callbacks
):
    article = services.article_create(
        actor=personas.zhou,
        kind="article",
        title="立法调研稿件",
        body="正文",
        channel=Channel.WEBSITE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_submit(actor=personas.zhou, article=article)
    article.refresh_from_db()
    key = approver_task_key(article.approval_id, personas.li.pk)
    assert Notification.objects.filter(recipient=personas.li, task_key=key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_review(actor=personas.li, article=article, approve=True)
    assert not Notification.objects.filter(task_key=key, resolved_at__isnull=True).exists()


def test_the_daily_job_is_registered():
    assert any(job.name.startswith("党建提醒") for job in daily_jobs())
