import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.ledger import services
from apps.ledger.choices import EventKind, ExtensionStatus, FeedbackRule, ItemKind, Status
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import ItemEvent, TrackedItem
from apps.ledger.services import TransitionError
from apps.notifications.models import Notification
from apps.workcalendar.models import CalendarYear

pytestmark = pytest.mark.django_db


def run_to_verified(item, personas):
    item = services.item_assign(actor=personas.sun, item=item)
    item = services.item_acknowledge(actor=personas.zhou, item=item)
    item = services.item_report_completion(actor=personas.zhou, item=item, text="已完成")
    return services.item_verify(actor=personas.sun, item=item)


def test_the_whole_lifecycle_writes_one_event_per_step(
    personas, make_item, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_assign(actor=personas.sun, item=item)
    assert Notification.objects.filter(recipient=personas.zhou).exists()
    assert Notification.objects.filter(recipient=personas.li).exists()  # head of the lead unit
    item = services.item_acknowledge(actor=personas.li, item=item)
    item = services.item_start(actor=personas.zhou, item=item)
    services.feedback_submit(actor=personas.zhou, item=item, text="调研已开展", percent=40)
    item = services.item_report_completion(actor=personas.zhou, item=item, text="已建成3个联系点")
    item = services.item_return(actor=personas.sun, item=item, reason="缺少佐证材料")
    item = services.item_report_completion(actor=personas.zhou, item=item, text="补充了材料")
    item = services.item_verify(actor=personas.sun, item=item)
    item = services.item_close(actor=personas.sun, item=item, evidence="联系点挂牌照片及制度文件")
    assert item.status == Status.CLOSED
    assert item.verifier == personas.sun
    steps = list(item.events.values_list("kind", "from_status", "to_status"))
    assert steps == [
        (EventKind.CREATED, "", Status.DRAFT),
        (EventKind.TRANSITION, Status.DRAFT, Status.ASSIGNED),
        (EventKind.TRANSITION, Status.ASSIGNED, Status.ACKNOWLEDGED),
        (EventKind.TRANSITION, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
        (EventKind.FEEDBACK, Status.IN_PROGRESS, Status.IN_PROGRESS),
        (EventKind.TRANSITION, Status.IN_PROGRESS, Status.REPORTED),
        (EventKind.RETURNED, Status.REPORTED, Status.IN_PROGRESS),
        (EventKind.TRANSITION, Status.IN_PROGRESS, Status.REPORTED),
        (EventKind.TRANSITION, Status.REPORTED, Status.VERIFIED),
        (EventKind.TRANSITION, Status.VERIFIED, Status.CLOSED),
    ]


def test_a_wrong_transition_is_refused_with_a_clear_message(personas, make_item):
    item = make_item()
    with pytest.raises(TransitionError, match="当前状态为“草稿”，不能销号"):
        services.item_close(actor=personas.sun, item=item, evidence="x")
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert item.events.count() == 1


def test_only_the_office_assigns_verifies_and_closes(personas, make_item):
    item = make_item()
    for user in (personas.zhou, personas.li, personas.zhao, personas.wu):
        with pytest.raises(PermissionDenied):
            services.item_assign(actor=user, item=item)
    item = services.item_assign(actor=personas.sun, item=item)
    with pytest.raises(PermissionDenied):
        services.item_acknowledge(actor=personas.wu, item=item)  # another unit
    assert TrackedItem.objects.get(pk=item.pk).status == Status.ASSIGNED


def test_closing_needs_evidence(personas, make_item):
    item = run_to_verified(make_item(), personas)
    with pytest.raises(ValidationError, match="销号依据"):
        services.item_close(actor=personas.sun, item=item, evidence="  ")
    assert TrackedItem.objects.get(pk=item.pk).status == Status.VERIFIED


def test_a_problem_closes_only_when_its_measures_do(personas, make_item, checklist):
    problem = make_item(kind=ItemKind.PROBLEM, title="文件流转效率不高", milestones=[])
    measure = make_item(
        kind=ItemKind.MEASURE, parent=problem, title="建立公文限时办结制度", milestones=[]
    )
    assert measure.serial == f"{problem.serial}-1"
    problem = services.item_assign(actor=personas.sun, item=problem)
    problem = services.item_acknowledge(actor=personas.zhou, item=problem)
    with pytest.raises(TransitionError, match="1项整改措施未销号"):
        services.item_report_completion(actor=personas.zhou, item=problem, text="完成")
    measure = run_to_verified(measure, personas)
    services.item_close(actor=personas.sun, item=measure, evidence="制度已印发")
    problem = services.item_report_completion(actor=personas.zhou, item=problem, text="完成")
    assert problem.status == Status.REPORTED


def test_five_workdays_before_spring_festival_land_after_the_holiday(personas, make_item):
    # 2026-02-13 is the Friday before the holiday; 14 Feb (Sat) is an adjusted workday (1),
    # 15–23 Feb are the Spring Festival holiday, then 24, 25, 26, 27 Feb (2–5).
    item = make_item(
        deadline=DeadlineSpec(workdays=5, base=datetime.date(2026, 2, 13)),
        milestones=[],
    )
    assert item.deadline == datetime.date(2026, 2, 27)
    assert "5个工作日" in item.deadline_note


def test_a_typed_deadline_in_a_year_without_data_is_kept_and_its_warning_is_provisional(
    personas, make_item
):
    CalendarYear.objects.filter(year=2027).delete()
    item = make_item(deadline=DeadlineSpec(date=datetime.date(2027, 3, 1)), milestones=[])
    assert item.deadline == datetime.date(2027, 3, 1) and not item.deadline_provisional
    assert item.warn_from == datetime.date(2027, 2, 24) and item.warn_provisional


def test_extension_within_the_year_granted_by_the_leading_leader(personas, make_item):
    item = services.item_assign(actor=personas.sun, item=make_item())
    with pytest.raises(ValidationError, match="不能跨年"):
        services.extension_request(
            actor=personas.zhou,
            item=item,
            new_deadline=datetime.date(2027, 1, 10),
            reason="工作量大",
        )
    request = services.extension_request(
        actor=personas.zhou, item=item, new_deadline=datetime.date(2026, 12, 30), reason="工作量大"
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=personas.sun, request=request, grant=True)
    services.extension_decide(actor=personas.zhao, request=request, grant=True, note="同意")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.deadline == datetime.date(2026, 12, 30)
    assert item.warn_from == datetime.date(2026, 12, 25)
    assert request.status == ExtensionStatus.GRANTED
    with pytest.raises(TransitionError, match="已审批"):
        services.extension_decide(actor=personas.zhao, request=request, grant=False, note="x")


def test_feedback_after_closing_is_refused(personas, make_item):
    item = run_to_verified(make_item(), personas)
    item = services.item_close(actor=personas.sun, item=item, evidence="完成")
    before = ItemEvent.objects.count()
    with pytest.raises(TransitionError, match="不能再反馈进展"):
        services.feedback_submit(actor=personas.zhou, item=item, text="补充", percent=100)
    assert ItemEvent.objects.count() == before


def test_feedback_rule_sets_the_next_due_date(personas, make_item):
    item = make_item(feedback_rule=FeedbackRule.WORKDAYS, feedback_workdays=5)
    item = services.item_assign(actor=personas.sun, item=item)
    assert item.feedback_due is not None and item.feedback_due > item.assigned_at.date()
