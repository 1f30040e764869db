"""What party building tells people, through the notifications area, and when the task is done.

Every notification carries a task key that resolves when the task is done, by anyone:
- a meeting notice to each participant (出席 and 列席) when a meeting is registered for today or
  later — `party:meeting:<id>`, resolved once the meeting day has passed (daily job);
- the branch secretaries' review: each reviewer is asked to score when the review opens —
  `party:review:<id>:score:<account>`, resolved for that reviewer alone once they have scored
  every secretary they may score, and for everyone when the results are published. Nothing about
  a ballot reaches anyone but its reviewer: the notification is the reviewer's own, says nothing of
  whom they scored, and resolving it touches no other row. Each secretary is asked for the written
  report — `party:review-subject:<id>:report`, resolved when it is submitted;
- 一岗双责 checks due (年中, 年终) to the holder of each list with items not yet checked —
  `party:list:<id>:<stage>`, resolved when every item has that check (daily job, once per stage);
- a request or report whose 办理时限 approaches or has passed, to its 承办人 —
  `party:report:<id>`, resolved when the answer is registered (daily job, once each).
Publicity pieces awaiting review are the approvals engine's: it notifies each step's approver.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.permissions import BUSINESS_ROLES, restrict
from apps.core import clock
from apps.notifications.services import notify, resolve_task, resolve_task_after_commit

from .choices import CheckStage, Presence
from .models import (
    HigherReport,
    MeetingAttendance,
    PartyMeeting,
    ResponsibilityItem,
    ResponsibilityList,
    Review,
    ReviewBallot,
    ReviewSubject,
)

CATEGORY = "party"


def meeting_task_key(meeting_id: int) -> str:
    return f"party:meeting:{meeting_id}"


def review_task_key(review_id: int, user_id: int) -> str:
    return f"party:review:{review_id}:score:{user_id}"


def subject_task_key(subject_id: int) -> str:
    return f"party:review-subject:{subject_id}:report"


def list_task_key(list_id: int, stage: str) -> str:
    return f"party:list:{list_id}:{stage}"


def report_task_key(report_id: int) -> str:
    return f"party:report:{report_id}"


def _accounts(person_ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(person_id__in=set(person_ids), is_active=True).order_by("pk"))


def _after_commit(send: Any) -> None:
    transaction.on_commit(send)


# --- meetings --------------------------------------------------------------------------------


def meeting_scheduled(meeting: PartyMeeting) -> None:
    """Send the meeting notice to everyone expected (出席 and 列席), for a meeting not yet held."""
    if meeting.date < clock.today():
        return
    expected = MeetingAttendance.objects.filter(
        meeting=meeting, presence__in=[Presence.PRESENT, Presence.NON_VOTING]
    ).values_list("person_id", flat=True)
    recipients = _accounts(expected)
    title = (
        f"党组会议通知：{meeting.date:%Y年%m月%d日}召开{meeting.year}年第{meeting.number}次党组会议"
    )
    body = f"地点：{meeting.place}；主持人：{meeting.presider.name}。"
    detail = reverse("party:meeting_detail", args=[meeting.pk])
    key = meeting_task_key(meeting.pk)

    def send() -> None:
        for user in recipients:
            # A 列席 participant may not open the record; their notice carries no link.
            sees = restrict(PartyMeeting.objects.filter(pk=meeting.pk), user).exists()
            notify(
                recipient=user,
                title=title,
                body=body,
                url=detail if sees else "",
                category=CATEGORY,
                dedup_key=f"{key}:notice",
                task_key=key,
            )

    _after_commit(send)


def resolve_held_meetings(today: datetime.date) -> int:
    """The notices of meetings held (the last month's: older ones were resolved before)."""
    held = PartyMeeting.objects.filter(
        date__lt=today, date__gte=today - datetime.timedelta(days=31)
    ).values_list("pk", flat=True)
    return sum(resolve_task(meeting_task_key(pk)) for pk in held)


# --- the branch secretaries' review ----------------------------------------------------------


def review_opened(review: Review) -> None:
    """Ask every reviewer to score, and each secretary for the written report."""
    subjects = list(review.subjects.select_related("secretary"))
    secretaries = {s.secretary_id for s in subjects}
    reviewers = list(
        User.objects.filter(is_active=True, person__isnull=False, role__in=BUSINESS_ROLES)
        .order_by("pk")
        .distinct()
    )
    url = reverse("party:review_detail", args=[review.pk])
    by_person = {u.person_id: u for u in reviewers}

    def send() -> None:
        for user in reviewers:
            if secretaries == {user.person_id}:
                continue  # the only secretary reviewed has nobody to score
            key = review_task_key(review.pk, user.pk)
            notify(
                recipient=user,
                title=f"请参加述职评议：{review.title}",
                body="请在平台上对各支部书记抓党建工作述职作出评价；评议以不记名方式进行。",
                url=url,
                category=CATEGORY,
                dedup_key=key,
                task_key=key,
            )
        for subject in subjects:
            secretary = by_person.get(subject.secretary_id)
            if secretary is None:
                continue
            key = subject_task_key(subject.pk)
            notify(
                recipient=secretary,
                title=f"请提交述职报告：{review.title}",
                url=reverse("party:subject_report", args=[subject.pk]),
                category=CATEGORY,
                dedup_key=key,
                task_key=key,
            )

    _after_commit(send)


def report_submitted(subject: ReviewSubject) -> None:
    resolve_task_after_commit(subject_task_key(subject.pk))


def ballot_cast(actor: User, subject: ReviewSubject) -> None:
    """Resolve the reviewer's own task once they have scored every secretary but themselves.
    Only their notification is touched: nobody else learns that they scored, or whom."""
    review_id = subject.review_id
    to_score = ReviewSubject.objects.filter(review_id=review_id).exclude(
        secretary_id=actor.person_id
    )
    scored = ReviewBallot.objects.filter(subject__review_id=review_id, reviewer_id=actor.person_id)
    if scored.count() >= to_score.count():
        resolve_task_after_commit(review_task_key(review_id, actor.pk))


def review_published(review: Review) -> None:
    resolve_task_after_commit(f"party:review:{review.pk}:", prefix=True)
    for subject_id in review.subjects.values_list("pk", flat=True):
        resolve_task_after_commit(subject_task_key(subject_id))


# --- 一岗双责 checks -------------------------------------------------------------------------


def check_notice_dates(year: int) -> dict[str, datetime.date]:
    """From when the holders are told of each check (default 6月15日 and 12月1日)."""
    default = {CheckStage.MIDYEAR: (6, 15), CheckStage.YEAR_END: (12, 1)}
    dates = dict(getattr(settings, "PARTY_CHECK_NOTICE_DATES", default))
    return {stage: datetime.date(year, *dates[stage]) for stage in CheckStage.values}


def _unchecked(stage: str) -> Q:
    return Q(midyear="") if stage == CheckStage.MIDYEAR else Q(year_end="")


def send_check_notices(today: datetime.date) -> int:
    sent = 0
    for stage, start in check_notice_dates(today.year).items():
        if today < start:
            continue
        label = CheckStage(stage).label
        lists = ResponsibilityList.objects.filter(
            year=today.year,
            pk__in=ResponsibilityItem.objects.filter(_unchecked(stage)).values(
                "responsibility_list_id"
            ),
        ).select_related("person")
        accounts: dict[int, list[User]] = {}
        for user in _accounts(lists.values_list("person_id", flat=True)):
            accounts.setdefault(user.person_id or 0, []).append(user)
        for responsibility in lists:
            key = list_task_key(responsibility.pk, stage)
            for user in accounts.get(responsibility.person_id, []):
                sent += bool(
                    notify(
                        recipient=user,
                        title=f"一岗双责{label}：请完善{responsibility.year}年责任清单的履责记实",
                        body=f"{label}即将进行，请对照清单逐项填写履责记实。",
                        url=reverse("party:list_detail", args=[responsibility.pk]),
                        category=CATEGORY,
                        dedup_key=key,
                        task_key=key,
                    )
                )
    return sent


def item_checked(item: ResponsibilityItem, stage: str) -> None:
    """Resolve the list's check task once every item has the stage's result."""
    if not ResponsibilityItem.objects.filter(
        _unchecked(stage), responsibility_list_id=item.responsibility_list_id
    ).exists():
        resolve_task_after_commit(list_task_key(item.responsibility_list_id, stage))


# --- requests and reports --------------------------------------------------------------------


def send_report_notices(today: datetime.date, warning_days: int) -> int:
    """Once when the 办理时限 approaches, once when it has passed, to the 承办人."""
    sent = 0
    waiting = HigherReport.objects.filter(
        answered_on__isnull=True,
        due_date__isnull=False,
        due_date__lte=today + datetime.timedelta(days=warning_days),
        responsible__is_active=True,
    ).select_related("responsible")
    url = reverse("party:meeting_list")
    for report in waiting:
        assert report.due_date is not None and report.responsible is not None
        overdue = report.due_date < today
        stage = "overdue" if overdue else "due_soon"
        kind = report.get_kind_display()
        title = (
            f"{kind}已逾期未获答复：{report.title}"
            if overdue
            else f"{kind}办理时限将到：{report.title}"
        )
        sent += bool(
            notify(
                recipient=report.responsible,
                title=title[:200],
                body=f"办理时限：{report.due_date:%Y年%m月%d日}；报送对象：{report.recipient}。请跟进答复。",
                url=f"{url}?year={report.year}",
                category=CATEGORY,
                dedup_key=f"{report_task_key(report.pk)}:{stage}",
                task_key=report_task_key(report.pk),
            )
        )
    return sent


def report_answered(report: HigherReport) -> None:
    resolve_task_after_commit(report_task_key(report.pk))


def send_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: meeting notices resolved, check and deadline notices sent."""
    from .services import report_warning_days

    today = today or clock.today()
    return {
        "meetings_resolved": resolve_held_meetings(today),
        "check_notices": send_check_notices(today),
        "report_notices": send_report_notices(today, report_warning_days()),
    }
