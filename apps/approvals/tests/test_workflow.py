"""The workflow engine: 会签 steps, 退回 to any earlier step, 撤回, 加签, 转办, 催办, and an event
row with its working time for every action."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.approvals import services
from apps.approvals.choices import EventKind, RequestStatus, StageStatus
from apps.approvals.services import ChainStep
from apps.notifications.models import Notification
from apps.workcalendar.services import working_time
from conftest import ORGAN_TIME_ZONE

pytestmark = pytest.mark.django_db


def at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour, minute), tzinfo=ORGAN_TIME_ZONE
    )


@pytest.fixture
def chain(personas):
    """核稿 by 法工委's head, 会签 by the office head and 财经委's wu in parallel, 签发 by zhao."""
    return [
        ChainStep("部门核稿", [personas.li]),
        ChainStep("会签", [personas.qian, personas.wu]),
        ChainStep("签发", [personas.zhao]),
    ]


def submit(personas, chain):
    return services.approval_submit(
        flow_code="test.document",
        flow_name="发文审批",
        applicant=personas.zhou,
        subject=personas.legal,
        title="关于开展执法检查的通知",
        chain=chain,
    )


def statuses(request):
    return [
        (s.round, s.order, s.approver.username, s.status)
        for s in request.stages.select_related("approver").order_by("round", "order", "id")
    ]


def kinds(request):
    return list(request.events.order_by("created_at", "id").values_list("kind", flat=True))


def test_a_chain_given_by_the_area_creates_its_flow_and_opens_the_first_step(
    personas, chain, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(personas, chain)
    assert request.flow.name == "发文审批"
    assert statuses(request) == [
        (1, 0, "li", StageStatus.PENDING),
        (1, 1, "qian", StageStatus.WAITING),
        (1, 1, "wu", StageStatus.WAITING),
        (1, 2, "zhao", StageStatus.WAITING),
    ]
    assert kinds(request) == [EventKind.SUBMITTED]
    assert Notification.objects.filter(recipient=personas.li, title__startswith="待审批").exists()


def test_a_chain_refuses_an_empty_step_or_a_repeated_approver(personas):
    with pytest.raises(ValidationError, match="无法确定“会签”的审批人"):
        submit(personas, [ChainStep("会签", [])])
    with pytest.raises(ValidationError, match="出现了两次"):
        submit(personas, [ChainStep("会签", [personas.li, personas.li])])


def test_countersign_closes_on_the_last_agreement_and_refuses_a_late_answer(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    assert services.approval_decide(actor=personas.qian, request=request, approve=True)
    request.refresh_from_db()
    # One agreement of two: the 会签 step is still open, 签发 not yet.
    assert [s.approver.username for s in services.pending_stages(request)] == ["wu"]
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=personas.zhao, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=True, comment="同意，建议")
    assert [s.approver.username for s in services.pending_stages(request)] == ["zhao"]
    with pytest.raises(ValidationError, match="审批环节已经结束"):
        services.approval_decide(actor=personas.wu, request=request, approve=True)
    services.approval_decide(actor=personas.zhao, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert kinds(request) == [EventKind.SUBMITTED] + [EventKind.APPROVED] * 4


def test_a_refusal_in_countersign_ends_the_request_and_closes_the_other_answer(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=False, comment="不同意")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    with pytest.raises(ValidationError, match="不能再审批"):
        services.approval_decide(actor=personas.qian, request=request, approve=True)


def test_return_to_an_earlier_step_runs_the_chain_again_from_there(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    services.approval_decide(actor=personas.qian, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=True)
    request.refresh_from_db()
    assert services.step_choices(request) == [
        (-1, f"申请人（{personas.zhou.display_name}）"),
        (0, "部门核稿"),
        (1, "会签"),
    ]
    with pytest.raises(ValidationError, match="退回须说明理由"):
        services.approval_return(actor=personas.zhao, request=request, to_order=0, reason=" ")
    with pytest.raises(ValidationError, match="只能退回到本环节之前"):
        services.approval_return(actor=personas.zhao, request=request, to_order=2, reason="x")
    with pytest.raises(ValidationError, match="审批环节已经结束"):
        services.approval_return(actor=personas.li, request=request, to_order=0, reason="x")
    with pytest.raises(PermissionDenied):
        services.approval_return(actor=personas.sun, request=request, to_order=0, reason="x")
    services.approval_return(
        actor=personas.zhao, request=request, to_order=0, reason="第三段表述不准确"
    )
    request.refresh_from_db()
    assert request.round == 2
    assert statuses(request)[-5:] == [
        (1, 2, "zhao", StageStatus.RETURNED),
        (2, 0, "li", StageStatus.PENDING),
        (2, 1, "qian", StageStatus.WAITING),
        (2, 1, "wu", StageStatus.WAITING),
        (2, 2, "zhao", StageStatus.WAITING),
    ]
    # The first round's agreements stay on record.
    assert statuses(request)[:3] == [
        (1, 0, "li", StageStatus.APPROVED),
        (1, 1, "qian", StageStatus.APPROVED),
        (1, 1, "wu", StageStatus.APPROVED),
    ]
    for actor in (personas.li, personas.qian, personas.wu, personas.zhao):
        services.approval_decide(actor=actor, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    returned = request.events.get(kind=EventKind.RETURNED)
    assert returned.note == "退回至部门核稿：第三段表述不准确"


def test_return_from_a_later_round_reaches_steps_of_an_earlier_round(personas, chain):
    request = submit(personas, chain)
    for actor in (personas.li, personas.qian, personas.wu):
        services.approval_decide(actor=actor, request=request, approve=True)
    services.approval_return(actor=personas.zhao, request=request, to_order=1, reason="再会签")
    services.approval_return(actor=personas.qian, request=request, to_order=0, reason="先改稿")
    request.refresh_from_db()
    assert request.round == 3
    assert [(o, u) for r, o, u, _ in statuses(request) if r == 3] == [
        (0, "li"),
        (1, "qian"),
        (1, "wu"),
        (2, "zhao"),
    ]


def test_return_to_the_applicant_then_resubmit(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    services.approval_return(actor=personas.qian, request=request, to_order=-1, reason="请补充依据")
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    assert not services.pending_stages(request)
    with pytest.raises(ValidationError, match="不能再审批"):
        services.approval_decide(actor=personas.wu, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        services.approval_resubmit(actor=personas.li, request=request)
    services.approval_resubmit(actor=personas.zhou, request=request, note="已补充")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert [s.approver.username for s in services.pending_stages(request)] == ["li"]
    assert kinds(request)[-2:] == [EventKind.RETURNED, EventKind.RESUBMITTED]


def test_the_applicant_recalls_only_before_the_first_step_acts(personas, chain):
    request = submit(personas, chain)
    services.approval_recall(actor=personas.zhou, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    services.approval_resubmit(actor=personas.zhou, request=request)
    services.approval_remind(actor=personas.zhou, request=request)  # a reminder is no action
    services.approval_transfer(actor=personas.li, request=request, colleague=personas.qian)
    with pytest.raises(ValidationError, match="审批人已经办理，不能撤回"):
        services.approval_recall(actor=personas.zhou, request=request)


def test_an_approver_recalls_until_the_next_step_acts(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True, comment="可")
    with pytest.raises(PermissionDenied):
        services.approval_recall(actor=personas.wu, request=request)
    services.approval_recall(actor=personas.li, request=request)
    assert [s.approver.username for s in services.pending_stages(request)] == ["li"]
    services.approval_decide(actor=personas.li, request=request, approve=True)
    services.approval_decide(actor=personas.qian, request=request, approve=True)
    with pytest.raises(ValidationError, match="下一环节已经办理"):
        services.approval_recall(actor=personas.li, request=request)
    assert [s.approver.username for s in services.pending_stages(request)] == ["wu"]


def test_add_a_reviewer_to_the_current_step(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    with pytest.raises(ValidationError, match="已在本环节审批"):
        services.approval_add_signer(actor=personas.qian, request=request, colleague=personas.wu)
    with pytest.raises(ValidationError, match="申请人本人"):
        services.approval_add_signer(actor=personas.qian, request=request, colleague=personas.zhou)
    with pytest.raises(ValidationError, match="在职的业务人员"):
        services.approval_add_signer(
            actor=personas.qian, request=request, colleague=personas.sysadmin
        )
    services.approval_add_signer(
        actor=personas.qian, request=request, colleague=personas.sun, note="请办公室一并审核"
    )
    services.approval_decide(actor=personas.qian, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=True)
    assert [s.approver.username for s in services.pending_stages(request)] == ["sun"]
    services.approval_decide(actor=personas.sun, request=request, approve=True)
    assert [s.approver.username for s in services.pending_stages(request)] == ["zhao"]
    added = request.events.get(kind=EventKind.ADDED)
    assert (added.actor, added.target, added.note) == (
        personas.qian,
        personas.sun,
        "请办公室一并审核",
    )


def test_transfer_passes_the_stage_to_a_colleague(personas, chain):
    request = submit(personas, chain)
    with pytest.raises(ValidationError, match="不能转办给自己"):
        services.approval_transfer(actor=personas.li, request=request, colleague=personas.li)
    services.approval_transfer(
        actor=personas.li, request=request, colleague=personas.qian, note="出差中"
    )
    with pytest.raises(ValidationError, match="审批环节已经结束"):
        services.approval_decide(actor=personas.li, request=request, approve=True)
    services.approval_decide(actor=personas.qian, request=request, approve=True)
    request.refresh_from_db()
    assert statuses(request)[:2] == [
        (1, 0, "li", StageStatus.TRANSFERRED),
        (1, 0, "qian", StageStatus.APPROVED),
    ]
    # A return to that step goes to the colleague who took it over, not back to li.
    services.approval_decide(actor=personas.qian, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=True)
    services.approval_return(actor=personas.zhao, request=request, to_order=0, reason="再核")
    assert [s.approver.username for s in services.pending_stages(request)] == ["qian"]


def test_remind_notifies_the_waiting_approvers_once_an_hour(
    personas, chain, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(at("2026-11-02", 9), tick=False) as traveller,
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = submit(personas, chain)
        services.approval_decide(actor=personas.li, request=request, approve=True)
        with pytest.raises(PermissionDenied, match="申请人或办公室"):
            services.approval_remind(actor=personas.wu, request=request)
        assert services.approval_remind(actor=personas.zhou, request=request) == 2
        with pytest.raises(ValidationError, match="一小时内已催办"):
            services.approval_remind(actor=personas.sun, request=request)
        traveller.shift(datetime.timedelta(hours=1))
        assert services.approval_remind(actor=personas.sun, request=request) == 2
    assert Notification.objects.filter(title__startswith="催办：").count() == 4
    reminded = request.events.filter(kind=EventKind.REMINDED).first()
    assert reminded.note == f"催办{personas.qian.display_name}、{personas.wu.display_name}"


def test_every_action_records_its_working_time(personas, chain):
    # Friday 2026-11-06 16:00 → Monday 09:30: 1.5 office hours on Friday, 1 on Monday, 1 workday.
    with time_machine.travel(at("2026-11-06", 16), tick=False) as traveller:
        request = submit(personas, chain)
        traveller.move_to(at("2026-11-09", 9, 30))
        services.approval_decide(actor=personas.li, request=request, approve=True)
    event = request.events.get(kind=EventKind.APPROVED)
    assert (event.actor, event.step_name) == (personas.li, "部门核稿")
    assert event.waited == datetime.timedelta(hours=65, minutes=30)
    assert (event.working_days, event.working_hours) == (1, Decimal("2.5"))
    assert event.took_text == "1个工作日（2.5工作小时）"


def test_working_time_skips_holidays_and_nights():
    # 2026-10-01..07 is the National Day holiday; 09-30 is a Wednesday, 10-08 a Thursday.
    took = working_time(at("2026-09-30", 17), at("2026-10-08", 9))
    assert took.days == 1
    assert took.hours == 1.0
    assert working_time(at("2026-11-02", 12), at("2026-11-02", 11)).hours == 0.0


def test_withdraw_from_a_returned_request(personas, chain):
    request = submit(personas, chain)
    services.approval_return(actor=personas.li, request=request, to_order=-1, reason="缺附件")
    services.approval_withdraw(actor=personas.zhou, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert kinds(request)[-1] == EventKind.WITHDRAWN


def test_an_any_of_group_is_answered_by_one_of_its_people(personas):
    """会签 by two units: the office (qian or sun, either answers) and 财经委's wu."""
    request = submit(
        personas,
        [
            ChainStep("会签", [[personas.qian, personas.sun], personas.wu]),
            ChainStep("签发", [personas.zhao]),
        ],
    )
    services.approval_decide(actor=personas.sun, request=request, approve=True)
    assert [s.approver.username for s in services.pending_stages(request)] == ["wu"]
    with pytest.raises(ValidationError, match="审批环节已经结束"):
        services.approval_decide(actor=personas.qian, request=request, approve=True)
    services.approval_decide(actor=personas.wu, request=request, approve=True)
    assert [s.approver.username for s in services.pending_stages(request)] == ["zhao"]
    # A return to the step asks the whole group again.
    services.approval_return(actor=personas.zhao, request=request, to_order=0, reason="再议")
    assert {s.approver.username for s in services.pending_stages(request)} == {
        "qian",
        "sun",
        "wu",
    }


def test_an_approver_recalling_reopens_the_whole_group(personas):
    request = submit(
        personas,
        [
            ChainStep("办公室核稿", [[personas.qian, personas.sun]]),
            ChainStep("签发", [personas.zhao]),
        ],
    )
    services.approval_decide(actor=personas.sun, request=request, approve=True)
    services.approval_recall(actor=personas.sun, request=request)
    assert {s.approver.username for s in services.pending_stages(request)} == {"qian", "sun"}


def test_the_owning_area_may_return_a_step_it_runs(personas, chain):
    request = submit(personas, chain)
    services.approval_decide(actor=personas.li, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        services.approval_return(actor=personas.sun, request=request, to_order=-1, reason="x")
    services.approval_return(
        actor=personas.sun, request=request, to_order=-1, reason="请先征求意见", authorised=True
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    assert request.events.get(kind=EventKind.RETURNED).actor == personas.sun
