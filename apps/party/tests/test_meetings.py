"""Party group meetings, 三重一大 and their follow-up in the ledger; each refusal changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from apps.ledger.choices import Source, Status
from apps.ledger.models import TrackedItem
from apps.party import services
from apps.party.choices import AgendaKind, DecisionResult, MajorCategory, Presence, Vote
from apps.party.models import (
    AgendaItem,
    DecisionOpinion,
    DecisionRecusal,
    MajorDecision,
    PartyMeeting,
)

from .conftest import D, decision_spec

pytestmark = pytest.mark.django_db


def _nothing_decided() -> None:
    assert MajorDecision.objects.count() == 0
    assert DecisionOpinion.objects.count() == 0
    assert DecisionRecusal.objects.count() == 0
    assert TrackedItem.objects.count() == 0


def test_meetings_are_numbered_in_their_year(make_meeting):
    first = make_meeting(D(2026, 1, 8))
    second = make_meeting(D(2026, 2, 8))
    next_year = make_meeting(D(2027, 1, 8))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert str(second) == "2026年第2次党组会议"
    assert first.members_total == 5
    assert first.attendances.filter(presence=Presence.NON_VOTING).count() == 1


def test_meeting_roll_must_be_complete(personas, group):
    bad = [
        services.AttendeeSpec(group.zhao, Presence.PRESENT),
        services.AttendeeSpec(group.chen, Presence.ABSENT, ""),
        services.AttendeeSpec(personas.zhou.person, Presence.PRESENT),
    ]
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=personas.sun,
            date=D(2026, 3, 10),
            place="党组会议室",
            presider=group.zhao,
            recorder=personas.sun.person,
            attendees=bad,
        )
    text = " ".join(error.value.messages)
    assert "请填写陈副书记的请假原因" in text
    assert "周科员不是党组成员，只能列席" in text
    assert "请登记党组成员王成员的出席情况" in text
    assert PartyMeeting.objects.count() == 0


def test_only_the_office_registers_meetings(personas, make_meeting):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=personas.zhou)


def test_the_first_topic_comes_first(personas, make_meeting):
    meeting = make_meeting()
    with pytest.raises(ValidationError, match="第一议题"):
        services.agenda_add(
            actor=personas.sun, meeting=meeting, kind=AgendaKind.MAJOR, title="维修项目"
        )
    assert meeting.items.count() == 0
    services.agenda_add(
        actor=personas.sun, meeting=meeting, kind=AgendaKind.FIRST_TOPIC, title="重要讲话精神"
    )
    with pytest.raises(ValidationError, match="须排在首位"):
        services.agenda_add(
            actor=personas.sun, meeting=meeting, kind=AgendaKind.FIRST_TOPIC, title="又一个"
        )
    assert meeting.items.count() == 1


def test_a_major_decision_runs_to_a_ledger_item(personas, group, major_item):
    item = major_item()
    decision = services.decision_record(actor=personas.sun, item=item, spec=decision_spec(group))
    assert decision.result == DecisionResult.PASSED
    assert (decision.agree, decision.disagree, decision.abstain) == (5, 0, 0)
    assert [o.member for o in decision.opinions.all()][-1] == group.zhao
    item.refresh_from_db()
    assert "通过" in item.conclusion
    services.agenda_to_ledger(
        actor=personas.sun, item=item, lead_unit=personas.office, deadline=D(2026, 6, 30)
    )
    item.refresh_from_db()
    ledger_item = item.ledger_item
    assert ledger_item is not None
    assert ledger_item.status == Status.ASSIGNED
    assert ledger_item.source == Source.PARTY_GROUP
    assert ledger_item.checklist.name == "2026年党组会议议定事项清单"
    assert ledger_item.responsible_person == personas.qian.person
    with pytest.raises(ValidationError, match="不能重复交办"):
        services.agenda_to_ledger(
            actor=personas.sun, item=item, lead_unit=personas.office, deadline=D(2026, 6, 30)
        )
    assert TrackedItem.objects.count() == 1


def test_without_prior_consultation_refused(personas, group, major_item):
    item = major_item()
    for changes in ({"consulted_with": ""}, {"consulted_on": None}):
        with pytest.raises(ValidationError, match="会前酝酿"):
            services.decision_record(
                actor=personas.sun, item=item, spec=decision_spec(group, **changes)
            )
    with pytest.raises(ValidationError, match="不能晚于会议日期"):
        services.decision_record(
            actor=personas.sun,
            item=item,
            spec=decision_spec(group, consulted_on=D(2026, 3, 11)),
        )
    _nothing_decided()


def test_secretary_not_speaking_last_refused(personas, group, major_item):
    item = major_item()
    order = [group.zhao, group.chen, group.qian, group.li, group.wang]
    opinions = [services.OpinionSpec(p, Vote.AGREE) for p in order]
    with pytest.raises(ValidationError, match="须由赵主任末位表态"):
        services.decision_record(
            actor=personas.sun, item=item, spec=decision_spec(group, opinions=opinions)
        )
    _nothing_decided()


def test_a_recused_member_voting_refused(personas, group, major_item):
    item = major_item()
    recusals = [services.RecusalSpec(group.li, "近亲属参与投标")]
    with pytest.raises(ValidationError, match="李主任已回避，不能参与表态和表决"):
        services.decision_record(
            actor=personas.sun, item=item, spec=decision_spec(group, recusals=recusals)
        )
    _nothing_decided()
    order = [group.chen, group.qian, group.wang, group.zhao]
    decision = services.decision_record(
        actor=personas.sun,
        item=item,
        spec=decision_spec(
            group,
            recusals=recusals,
            opinions=[services.OpinionSpec(p, Vote.AGREE) for p in order],
        ),
    )
    assert decision.recusals.get().member == group.li
    assert decision.agree == 4


def test_a_member_who_is_present_must_state_an_opinion(personas, group, major_item):
    item = major_item()
    order = [group.chen, group.qian, group.zhao]
    with pytest.raises(ValidationError, match="王成员出席会议且未回避"):
        services.decision_record(
            actor=personas.sun,
            item=item,
            spec=decision_spec(
                group, opinions=[services.OpinionSpec(p, Vote.AGREE) for p in order]
            ),
        )
    _nothing_decided()


def test_a_meeting_without_quorum_takes_no_decision(personas, group, major_item):
    # 3 of 5 present: more than half, but 三重一大 needs two thirds (4).
    item = major_item(absent={group.li: "出差", group.wang: "病假"})
    order = [group.chen, group.qian, group.zhao]
    spec = decision_spec(group, opinions=[services.OpinionSpec(p, Vote.AGREE) for p in order])
    with pytest.raises(ValidationError, match=r"会议未达到法定人数.*须至少4人，实到3人"):
        services.decision_record(actor=personas.sun, item=item, spec=spec)
    _nothing_decided()
    with pytest.raises(ValidationError, match="尚未经集体决策"):
        services.agenda_to_ledger(
            actor=personas.sun, item=item, lead_unit=personas.office, deadline=D(2026, 6, 30)
        )
    _nothing_decided()
    # The organ's rules may say otherwise: with no two-thirds kinds, half is enough.
    with override_settings(PARTY_TWO_THIRDS_KINDS=()):
        decision = services.decision_record(actor=personas.sun, item=item, spec=spec)
    assert decision.result == DecisionResult.PASSED


def test_an_ordinary_item_needs_more_than_half(personas, group, make_meeting):
    meeting = make_meeting(absent={group.li: "出差", group.wang: "病假", group.qian: "公出"})
    services.agenda_add(
        actor=personas.sun, meeting=meeting, kind=AgendaKind.FIRST_TOPIC, title="重要讲话精神"
    )
    item = services.agenda_add(
        actor=personas.sun, meeting=meeting, kind=AgendaKind.IMPORTANT, title="年度工作要点"
    )
    with pytest.raises(ValidationError, match=r"半数以上.*须至少3人，实到2人"):
        services.agenda_conclude(actor=personas.sun, item=item, conclusion="原则通过")
    assert AgendaItem.objects.get(pk=item.pk).conclusion == ""


def test_a_rejected_matter_is_not_followed_up(personas, group, major_item):
    item = major_item()
    order = [group.chen, group.qian, group.li, group.wang, group.zhao]
    votes = [Vote.DISAGREE, Vote.DISAGREE, Vote.ABSTAIN, Vote.AGREE, Vote.AGREE]
    decision = services.decision_record(
        actor=personas.sun,
        item=item,
        spec=decision_spec(
            group,
            opinions=[services.OpinionSpec(p, v) for p, v in zip(order, votes, strict=True)],
        ),
    )
    assert decision.result == DecisionResult.REJECTED
    with pytest.raises(ValidationError, match="未获通过"):
        services.agenda_to_ledger(
            actor=personas.sun, item=item, lead_unit=personas.office, deadline=D(2026, 6, 30)
        )
    assert TrackedItem.objects.count() == 0
    with pytest.raises(ValidationError, match="不能重复表决"):
        services.decision_record(actor=personas.sun, item=item, spec=decision_spec(group))


def test_a_large_sum_respects_the_threshold(personas, group, major_item):
    item = major_item()
    with pytest.raises(ValidationError, match="低于本机关大额资金标准50万元"):
        services.decision_record(
            actor=personas.sun,
            item=item,
            spec=decision_spec(group, category=MajorCategory.FUNDS, amount=Decimal("20")),
        )
    _nothing_decided()
    decision = services.decision_record(
        actor=personas.sun,
        item=item,
        spec=decision_spec(group, category=MajorCategory.FUNDS, amount=Decimal("120")),
    )
    assert decision.amount == Decimal("120")


def test_only_the_recorder_records(personas, group, major_item):
    item = major_item()
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=personas.qian, item=item, spec=decision_spec(group))
    _nothing_decided()


def test_requests_need_a_time_limit(personas):
    with pytest.raises(ValidationError, match="请示须填写办理时限"):
        services.report_create(
            actor=personas.sun,
            kind="request",
            title="关于机关机构调整的请示",
            recipient="中共市委",
            submitted_on=D(2026, 3, 1),
            due_date=None,
        )
    report = services.report_create(
        actor=personas.sun,
        kind="request",
        title="关于机关机构调整的请示",
        recipient="中共市委",
        submitted_on=D(2026, 3, 1),
        due_date=D(2026, 3, 31),
    )
    with pytest.raises(ValidationError, match="不能早于报送日期"):
        services.report_answer(
            actor=personas.sun, report=report, answer="同意", answered_on=D(2026, 2, 1)
        )
    services.report_answer(
        actor=personas.sun, report=report, answer="同意", answered_on=datetime.date(2026, 3, 20)
    )
