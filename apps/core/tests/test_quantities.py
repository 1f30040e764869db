"""One wording for every quantity of days (issue 10: "1天", "1.0个工作日" and "数量 1.00" for the
same leave)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from apps.attendance import services
from apps.attendance.judge import HALF, ONE
from apps.core import quantities


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (Decimal("1.0"), "1"),
        (Decimal("1.00"), "1"),
        (Decimal("0.5"), "0.5"),
        (Decimal("2.50"), "2.5"),
        (12.0, "12"),
        (0, "0"),
        (None, ""),
    ],
)
def test_a_number_has_no_trailing_zeros(value, text):
    assert quantities.number(value) == text


def test_working_days_and_calendar_days_say_which():
    assert quantities.workdays(Decimal("1.0")) == "1个工作日"
    assert quantities.days(Decimal("0.5")) == "0.5天"
    assert quantities.days(3) == "3天"
    assert quantities.days(None) == ""


def test_the_template_filters_say_the_same():
    html = Template(
        "{% load shell %}{{ a|workdays }}|{{ b|days }}|{{ c|quantity }}|{{ d|days }}"
    ).render(Context({"a": Decimal("1.0"), "b": HALF, "c": Decimal("3.00"), "d": ONE}))
    assert html == "1个工作日|0.5天|3|1天"


@pytest.mark.django_db
@pytest.mark.today("2026-03-02")
def test_a_one_day_leave_reads_one_working_day_everywhere(client, personas):
    request = services.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 3),
        reason="休假",
    )
    assert request.approval.title.endswith("1个工作日")
    assert "1个工作日" in services.describe_request(request)
    assert request.approval.amount_text == "1个工作日"
    pages = [
        reverse("attendance:request_list"),
        reverse("attendance:request_detail", args=[request.pk]),
    ]
    client.force_login(personas.zhou)
    for url in pages:
        html = client.get(url).content.decode()
        assert "1个工作日" in html, url
        for wrong in ("1.0个工作日", "1.00", "1.0天"):
            assert wrong not in html, (url, wrong)
    client.force_login(personas.li)  # the approver
    html = client.get(reverse("approvals:request_detail", args=[request.approval.pk])).content
    assert "1个工作日" in html.decode() and "1.00" not in html.decode()
