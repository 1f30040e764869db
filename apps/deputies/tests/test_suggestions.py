"""A suggestion from the deputy's draft to its close, and every refusal of bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.permissions import restrict
from apps.deputies import services
from apps.deputies.choices import SuggestionStatus
from apps.deputies.models import Answer, AnswerLetter, DutyRecord, Suggestion
from apps.ledger.choices import EventKind, ItemKind, Source, Status

from .conftest import assigned, co_of, main_of, submitted

D = datetime.date
pytestmark = pytest.mark.today("2026-03-10")


def answer(w, handling, klass="A", **extra):
    return services.answer_submit(
        actor=extra.pop("actor", w.transport_user),
        handling=handling,
        klass=klass,
        text=extra.pop("text", "已增开夜班公交线路3条。"),
        signed_by=extra.pop("signed_by", "王局长"),
        **extra,
    )


def letter_of(suggestion, deputy):
    return AnswerLetter.objects.filter(answer__suggestion=suggestion, deputy=deputy).latest("id")


def test_the_whole_path_runs_on_the_ledger(personas, w):
    suggestion = submitted(w)
    assert suggestion.status == SuggestionStatus.SUBMITTED
    services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision="register")
    suggestion = services.suggestion_assign(
        actor=w.p.sun, suggestion=suggestion, mode="joint", main=w.transport, co=[w.housing]
    )
    main, co = main_of(suggestion), co_of(suggestion)
    item = main.item
    assert (item.kind, item.source, item.status) == (
        ItemKind.SUGGESTION,
        Source.DEPUTY_SUGGESTION,
        Status.ASSIGNED,
    )
    assert list(item.co_units(manager="everything").all()) == [w.housing]
    services.handling_acknowledge(actor=w.transport_user, handling=main)
    services.co_opinion(actor=w.housing_user, handling=co, text="同意增设公交场站用地。")
    answer(w, main, "B", planned_resolution=D(2026, 12, 31))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ANSWERED
    item.refresh_from_db()
    assert item.status == Status.REPORTED
    services.feedback_give(
        actor=w.p.dai,
        letter=letter_of(suggestion, w.dai),
        satisfaction="unsatisfied",
        note="未回应夜班线路",
    )
    with pytest.raises(ValidationError, match="不满意"):
        services.handling_conclude(actor=w.p.sun, handling=main)
    services.handling_rehandle(actor=w.p.sun, handling=main)
    item.refresh_from_db()
    suggestion.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert item.deadline == D(2026, 4, 10)
    assert suggestion.status == SuggestionStatus.HANDLING and suggestion.rehandled
    answer(w, main_of(suggestion), "A")
    services.feedback_give(
        actor=w.p.dai, letter=letter_of(suggestion, w.dai), satisfaction="satisfied"
    )
    services.handling_conclude(actor=w.p.sun, handling=main_of(suggestion))
    suggestion.refresh_from_db()
    item.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED
    assert item.status == Status.CLOSED
    assert [a.klass for a in suggestion.answers.order_by("id")] == ["B", "A"]
    assert list(item.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.TRANSITION,  # 交办
        EventKind.TRANSITION,  # 签收
        EventKind.CONTRIBUTION,  # 协办意见: a contribution, moving nothing
        EventKind.TRANSITION,  # 报办结 (B)
        EventKind.RETURNED,  # 重新办理
        EventKind.TRANSITION,  # 报办结 (A)
        EventKind.TRANSITION,  # 核验
        EventKind.TRANSITION,  # 销号
    ]
    assert DutyRecord.objects.filter(deputy=w.dai, kind="suggestion").count() == 1


def test_review_refusals_need_a_reason_and_change_nothing(personas, w):
    suggestion = submitted(w)
    for decision in ("reject", "letter"):
        with pytest.raises(ValidationError, match="说明理由"):
            services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision=decision)
    with pytest.raises(ValidationError, match="审查结果"):
        services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision="maybe")
    with pytest.raises(PermissionDenied):
        services.suggestion_review(actor=w.p.zhou, suggestion=suggestion, decision="register")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED and suggestion.serial is None
    services.suggestion_review(
        actor=w.p.sun, suggestion=suggestion, decision="letter", note="属于个人诉求，转来信办理"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.TO_LETTER


def test_an_answer_without_a_class_or_a_signature_is_refused(personas, w):
    main = main_of(assigned(w))
    for klass in ("", "E"):
        with pytest.raises(ValidationError, match="请选择答复类别"):
            answer(w, main, klass)
    with pytest.raises(ValidationError, match="负责人签发"):
        answer(w, main, "A", signed_by=" ")
    with pytest.raises(ValidationError, match="计划解决时间"):
        answer(w, main, "B")
    assert not Answer.objects.exists()
    assert main.item.status == Status.ASSIGNED


def test_an_answer_after_closing_is_refused(personas, w):
    suggestion = assigned(w, co=False)
    main = main_of(suggestion)
    answer(w, main, "A")
    services.feedback_give(actor=w.p.dai, letter=letter_of(suggestion, w.dai), satisfaction="basic")
    services.handling_conclude(actor=w.p.sun, handling=main)
    with pytest.raises(ValidationError, match="已办结"):
        answer(w, main_of(suggestion), "A")
    assert Answer.objects.count() == 1


def test_a_co_body_cannot_answer_as_the_main_body(personas, w):
    suggestion = assigned(w)
    with pytest.raises(ValidationError, match="协办单位不能以主办单位身份答复"):
        answer(w, co_of(suggestion), "A", actor=w.housing_user)
    # Nor through the main body's part.
    with pytest.raises(PermissionDenied):
        answer(w, main_of(suggestion), "A", actor=w.housing_user)
    assert not Answer.objects.exists()


def test_satisfaction_only_from_a_deputy_who_signed(personas, w):
    suggestion = assigned(w, co=False)
    answer(w, main_of(suggestion), "A")
    letter = letter_of(suggestion, w.dai)
    with pytest.raises(PermissionDenied, match="不是该建议的提出代表"):
        services.feedback_give(actor=w.ma.account, letter=letter, satisfaction="satisfied")
    with pytest.raises(PermissionDenied):
        services.feedback_give(actor=w.transport_user, letter=letter, satisfaction="satisfied")
    with pytest.raises(ValidationError, match="说明理由"):
        services.feedback_give(actor=w.p.dai, letter=letter, satisfaction="unsatisfied")
    letter.refresh_from_db()
    assert letter.satisfaction == "" and letter.feedback_at is None
    # The office enters a deputy's paper feedback form (代表意见反馈表).
    services.feedback_give(actor=w.p.sun, letter=letter, satisfaction="basic")
    letter.refresh_from_db()
    assert letter.satisfaction == "basic"


def test_a_deputy_reaches_only_their_own_drafts(personas, w):
    draft = services.suggestion_create(
        actor=w.p.dai,
        spec=services.SuggestionSpec(checklist=w.session, title="草稿", content="内容"),
    )
    other = w.ma.account
    assert not restrict(Suggestion.objects.all(), other).filter(pk=draft.pk).exists()
    assert not restrict(Suggestion.objects.all(), w.p.sun).filter(pk=draft.pk).exists()
    assert restrict(Suggestion.objects.all(), w.p.dai).filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        services.suggestion_submit(actor=other, suggestion=draft)
    with pytest.raises(PermissionDenied):
        services.suggestion_update_draft(
            actor=other,
            suggestion=draft,
            spec=services.SuggestionSpec(checklist=w.session, title="改", content="改"),
        )
    draft.refresh_from_db()
    assert draft.status == SuggestionStatus.DRAFT and draft.title == "草稿"


def test_a_cosigner_sees_a_joint_suggestion_once_submitted(personas, w):
    suggestion = submitted(w, cosigners=[w.ma])
    assert restrict(Suggestion.objects.all(), w.ma.account).filter(pk=suggestion.pk).exists()


def test_a_body_reaches_only_its_own_suggestions(personas, w):
    suggestion = assigned(w)
    assert restrict(Suggestion.objects.all(), w.court_user).count() == 0
    assert restrict(Suggestion.objects.all(), w.transport_user).count() == 1
    assert restrict(Suggestion.objects.all(), w.housing_user).count() == 1
    with pytest.raises(PermissionDenied):
        services.handling_acknowledge(actor=w.court_user, handling=main_of(suggestion))
    with pytest.raises(PermissionDenied):
        services.handling_return(actor=w.court_user, handling=main_of(suggestion), reason="x")
    assert main_of(suggestion).item.status == Status.ASSIGNED


def test_a_returned_suggestion_is_reassigned_with_a_fresh_clock(personas, w, time_machine):
    suggestion = assigned(w)
    with pytest.raises(ValidationError, match="说明理由"):
        services.handling_return(actor=w.transport_user, handling=main_of(suggestion), reason="")
    services.handling_return(
        actor=w.transport_user, handling=main_of(suggestion), reason="属住建部门职责"
    )
    assert restrict(Suggestion.objects.all(), w.transport_user).count() == 0
    returned = suggestion.handlings.get(unit=w.transport)
    with pytest.raises(ValidationError, match="已在承办"):
        services.handling_reassign(actor=w.p.sun, handling=returned, unit=w.housing)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 0))
    services.handling_reassign(actor=w.p.sun, handling=returned, unit=w.court)
    main = main_of(suggestion)
    assert main.unit == w.court and main.item.lead_unit == w.court
    assert main.item.deadline == D(2026, 6, 16)
    with pytest.raises(ValidationError, match="已改派"):
        services.handling_reassign(actor=w.p.sun, handling=returned, unit=w.transport)


def test_a_joint_suggestion_is_answered_to_each_deputy(personas, w, time_machine):
    suggestion = assigned(w, cosigners=[w.ma, w.niu], co=False)
    main = main_of(suggestion)
    answer(w, main, "C")
    letters = AnswerLetter.objects.filter(answer__suggestion=suggestion)
    assert sorted(letter.deputy.name for letter in letters) == ["戴代表", "牛代表", "马代表"]
    services.feedback_give(actor=w.p.dai, letter=letter_of(suggestion, w.dai), satisfaction="basic")
    services.feedback_give(
        actor=w.ma.account, letter=letter_of(suggestion, w.ma), satisfaction="satisfied"
    )
    # 牛代表 has no account and has not replied: the office waits out the feedback month.
    time_machine.move_to(datetime.datetime(2026, 4, 10, 10, 0))
    with pytest.raises(ValidationError, match="还有代表未反馈"):
        services.handling_conclude(actor=w.p.sun, handling=main)
    time_machine.move_to(datetime.datetime(2026, 4, 11, 10, 0))
    services.handling_conclude(actor=w.p.sun, handling=main)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED


def test_merged_suggestions_are_handled_together_and_answered_separately(personas, w):
    first = submitted(w)
    services.suggestion_review(actor=w.p.sun, suggestion=first, decision="register")
    second = services.suggestion_create(
        actor=w.ma.account,
        spec=services.SuggestionSpec(
            checklist=w.session, title="关于夜班公交的建议", content="同上"
        ),
    )
    second = services.suggestion_submit(actor=w.ma.account, suggestion=second)
    services.suggestion_review(
        actor=w.p.sun, suggestion=second, decision="register", merge_into=first
    )
    with pytest.raises(ValidationError, match="并案"):
        services.suggestion_assign(
            actor=w.p.sun,
            suggestion=Suggestion.objects.get(pk=second.pk),
            mode="joint",
            main=w.transport,
        )
    services.suggestion_assign(actor=w.p.sun, suggestion=first, mode="joint", main=w.transport)
    assert restrict(Suggestion.objects.all(), w.transport_user).count() == 2
    answer(w, main_of(first), "A")
    assert Answer.objects.filter(suggestion=second).count() == 1
    assert letter_of(second, w.ma).answer.suggestion_id == second.pk
    second.refresh_from_db()
    assert second.status == SuggestionStatus.ANSWERED


def test_a_b_answer_stays_tracked_until_resolved(personas, w, time_machine):
    suggestion = assigned(w, co=False)
    main = main_of(suggestion)
    answer(w, main, "B", planned_resolution=D(2026, 9, 30))
    services.feedback_give(actor=w.p.dai, letter=letter_of(suggestion, w.dai), satisfaction="basic")
    services.handling_conclude(actor=w.p.sun, handling=main)
    suggestion.refresh_from_db()
    main.refresh_from_db()
    assert suggestion.status == SuggestionStatus.FOLLOW_UP
    assert main.item.status == Status.IN_PROGRESS and main.item.deadline == D(2026, 9, 30)
    time_machine.move_to(datetime.datetime(2026, 9, 1, 10, 0))
    answer(w, main, "A", text="夜班线路已开通。")
    services.feedback_give(
        actor=w.p.dai, letter=letter_of(suggestion, w.dai), satisfaction="satisfied"
    )
    services.handling_conclude(actor=w.p.sun, handling=main)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED
    services.resolution_check(actor=w.p.sun, suggestion=suggestion, resolved=True)
    suggestion.refresh_from_db()
    assert suggestion.resolved_later is True


def test_separate_bodies_each_answer_on_their_own(personas, w):
    suggestion = submitted(w)
    services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision="register")
    with pytest.raises(ValidationError, match="两个以上"):
        services.suggestion_assign(
            actor=w.p.sun, suggestion=suggestion, mode="separate", separate=[w.transport]
        )
    with pytest.raises(ValidationError, match="一府一委两院"):
        services.suggestion_assign(
            actor=w.p.sun, suggestion=suggestion, mode="joint", main=w.p.legal
        )
    services.suggestion_assign(
        actor=w.p.sun, suggestion=suggestion, mode="separate", separate=[w.transport, w.court]
    )
    parts = list(suggestion.handlings.order_by("id"))
    assert [h.role for h in parts] == ["separate", "separate"]
    assert parts[0].item_id != parts[1].item_id
    answer(w, parts[0], "A")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.HANDLING
    answer(w, parts[1], "D", actor=w.court_user)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ANSWERED


def test_a_key_suggestion_is_led_by_a_leader(personas, w):
    with pytest.raises(ValidationError, match="不是常委会领导"):
        assigned(w, key_leader=w.p.li.person)
    suggestion = assigned(w, key_leader=w.p.zhao.person)
    assert suggestion.is_key
    assert main_of(suggestion).item.leading_leader == w.p.zhao.person


def test_a_co_opinion_once_and_only_by_the_co_body(personas, w):
    suggestion = assigned(w)
    with pytest.raises(ValidationError, match="只有协办单位"):
        services.co_opinion(actor=w.transport_user, handling=main_of(suggestion), text="意见")
    with pytest.raises(ValidationError, match="请填写"):
        services.co_opinion(actor=w.housing_user, handling=co_of(suggestion), text=" ")
    services.co_opinion(actor=w.housing_user, handling=co_of(suggestion), text="意见")
    with pytest.raises(ValidationError, match="已提交"):
        services.co_opinion(actor=w.housing_user, handling=co_of(suggestion), text="意见")


def test_the_ledgers_reminders_reach_the_answering_body_with_its_page(personas, w):
    from apps.ledger.reminders import send_reminders
    from apps.notifications.models import Notification

    handling = main_of(assigned(w))
    item = handling.item
    send_reminders(item.deadline + datetime.timedelta(days=1))
    reminder = Notification.objects.get(
        recipient=w.transport_user, category="ledger_reminder", title__startswith="【逾期】"
    )
    assert reminder.url == f"/deputies/body/{handling.pk}/"
    assert reminder.task_key == f"ledger:{item.pk}:submit"
