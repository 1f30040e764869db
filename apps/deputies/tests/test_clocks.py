"""The statutory clocks at their boundaries, across the 2026 Spring Festival (2月15日至23日放假，
2月14日（星期六）、2月28日（星期六）调休上班)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from apps.deputies import clocks, services
from apps.deputies.models import Handling
from apps.ledger import services as ledger
from apps.ledger.choices import ExtensionStatus
from conftest import organ_moment

from .conftest import assigned, co_of, main_of

D = datetime.date


def travel(day: str):
    return time_machine.travel(organ_moment(day), tick=True)


def test_months_after_takes_the_corresponding_day_or_the_last_of_the_month():
    assert clocks.months_after(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert clocks.months_after(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert clocks.months_after(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert clocks.months_after(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert clocks.months_after(D(2026, 10, 15), 3) == D(2027, 1, 15)


@pytest.mark.parametrize(
    ("assigned_on", "due"),
    [
        # 17 Feb is in the holiday: the period ends on the first working day after it.
        (D(2025, 11, 17), D(2026, 2, 24)),
        # 14 Feb is a Saturday made a working day: the period ends on it.
        (D(2025, 11, 14), D(2026, 2, 14)),
        # No 30 February: the month's last day, 28 Feb, a Saturday made a working day.
        (D(2025, 11, 30), D(2026, 2, 28)),
        # 15 Feb, the holiday's first day, ends on 24 Feb too.
        (D(2025, 11, 15), D(2026, 2, 24)),
        # An ordinary day.
        (D(2025, 12, 10), D(2026, 3, 10)),
    ],
)
def test_three_months_from_assignment_across_the_spring_festival(db, assigned_on, due):
    assert clocks.answer_due(assigned_on).date == due


@override_settings(DEPUTIES={**settings.DEPUTIES, "CLOCK_RULE": "workdays"})
def test_the_working_day_rule_counts_working_days_over_the_holiday(db):
    # From Monday 5 Jan 2026: 29 working days to 13 Feb, the make-up Saturday 14 Feb the 30th,
    # the nine holidays skipped, 24-28 Feb five more (28th a make-up Saturday), March's 22 working
    # days reach 57 on 31 Mar, and 1-3 Apr make 60 (the Qingming holiday begins on the 4th).
    assert clocks.answer_due(D(2026, 1, 5)).date == D(2026, 4, 3)
    assert clocks.answer_due(D(2026, 1, 5)).note == "自交办之日起60个工作日内答复"


def test_the_return_window_is_ten_working_days_across_the_holiday(db):
    # 10-14 Feb are five working days (14th a make-up Saturday), 24-27 four, 28 Feb the tenth.
    assert clocks.return_until(D(2026, 2, 9)) == D(2026, 2, 28)


def test_the_co_opinion_is_due_a_month_later_moved_past_the_holiday(db):
    assert clocks.opinion_due(D(2026, 1, 19)) == D(2026, 2, 24)
    assert clocks.opinion_due(D(2026, 1, 14)) == D(2026, 2, 14)


def test_an_assigned_suggestion_carries_the_clocks(personas, w):
    with travel("2025-11-17"):
        suggestion = assigned(w)
    main = main_of(suggestion)
    assert main.item.deadline == D(2026, 2, 24)
    assert main.item.deadline_note == "自交办之日起3个月内答复"
    assert main.max_deadline == D(2026, 5, 18)  # 17 May 2026 is a Sunday
    assert co_of(suggestion).opinion_due == D(2025, 12, 17)
    assert main.return_until == clocks.return_until(D(2025, 11, 17))


def test_return_on_the_last_day_of_the_window_and_refused_the_next_day(personas, w):
    with travel("2026-02-09"):
        first = assigned(w)
        second = assigned(w)
    with travel("2026-02-28"):
        services.handling_return(
            actor=w.transport_user, handling=main_of(first), reason="不属本单位职责"
        )
    with travel("2026-03-02"), pytest.raises(ValidationError, match="退回期限已过"):
        services.handling_return(
            actor=w.transport_user, handling=main_of(second), reason="不属本单位职责"
        )
    handling = main_of(second)
    assert handling.returned_at is None and handling.return_reason == ""


def test_extension_up_to_six_months_in_total_and_not_a_day_more(personas, w):
    with travel("2025-08-17"):
        suggestion = assigned(w)
    main = main_of(suggestion)
    assert main.item.deadline == D(2025, 11, 17)
    assert main.max_deadline == D(2026, 2, 24)  # 17 Feb 2026 falls in the holiday
    with travel("2025-11-03"):
        with pytest.raises(ValidationError, match="累计不得超过6个月"):
            services.extension_request(
                actor=w.transport_user,
                handling=main,
                new_deadline=D(2026, 2, 25),
                reason="需协调多部门",
            )
        assert not main.item.extensions.exists()
        request = services.extension_request(
            actor=w.transport_user,
            handling=main,
            new_deadline=D(2026, 2, 24),
            reason="需协调多部门",
        )
        # The office consents; the leading leader of a plain item would have decided.
        with pytest.raises(Exception, match="审批"):
            ledger.extension_decide(actor=w.transport_user, request=request, grant=True)
        ledger.extension_decide(actor=w.p.sun, request=request, grant=True)
    request.refresh_from_db()
    assert request.status == ExtensionStatus.GRANTED
    assert Handling.objects.get(pk=main.pk).item.deadline == D(2026, 2, 24)
