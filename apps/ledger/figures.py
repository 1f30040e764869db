"""The ledger's figures, each defined once as a filter on the stored dates.

超期未办结, 反馈逾期 and 节点逾期 are separate counts: an item can be red for any of them (the colour
combines them), but a label and its count always name which. The ledger's list filter
(`?figure=<key>`), its summary cards, the statistics, the notice and the dashboards all use these
definitions, so their numbers agree (tests/test_figures.py checks it).

Days here are calendar days (天): a deadline passes the day after it, whatever the weekday.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse, reverse_lazy

from apps.accounts.permissions import restrict

from .choices import OPEN_STATUSES, MilestoneStatus, Status
from .models import Milestone, TrackedItem


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(today: datetime.date) -> Q:
    """超期未办结: open, with a final deadline (not 长期), and the deadline has passed."""
    return open_q() & Q(is_standing=False, deadline__lt=today)


def feedback_late_q(today: datetime.date) -> Q:
    """反馈逾期: open, and the next progress report was due before today."""
    return open_q() & Q(feedback_due__lt=today)


def milestone_late_q(today: datetime.date) -> Q:
    """节点逾期: open, with a pending time node whose deadline has passed."""
    late = Milestone.objects.filter(
        item=OuterRef("pk"), status=MilestoneStatus.PENDING, deadline__lt=today
    )
    return open_q() & Q(Exists(late))


def red_q(today: datetime.date) -> Q:
    """红色预警: any of the three above (the stored red_from is the earliest of them)."""
    return open_q() & Q(red_from__lte=today)


def yellow_q(today: datetime.date) -> Q:
    """黄色预警 (临期): warned, not yet red."""
    return open_q() & Q(yellow_from__lte=today) & ~Q(red_from__lte=today)


def to_acknowledge_q(today: datetime.date) -> Q:
    """待签收: assigned and not yet acknowledged by the unit."""
    return Q(status=Status.ASSIGNED)


def to_verify_q(today: datetime.date) -> Q:
    """待核验: reported done, waiting for the office."""
    return Q(status=Status.REPORTED)


@dataclass(frozen=True)
class LedgerFigure:
    key: str
    label: str
    q: Callable[[datetime.date], Q]
    tone: str
    note: str


FIGURES: dict[str, LedgerFigure] = {
    f.key: f
    for f in (
        LedgerFigure("open", "在办事项", lambda today: open_q(), "secondary", "已交办、尚未销号"),
        LedgerFigure("red", "红色预警", red_q, "danger", "超期未办结、反馈逾期或节点逾期"),
        LedgerFigure("overdue", "超期未办结", overdue_q, "danger", "已过办结时限仍未销号"),
        LedgerFigure(
            "feedback_late", "反馈逾期", feedback_late_q, "danger", "未在反馈截止日前报送进展"
        ),
        LedgerFigure(
            "milestone_late", "节点逾期", milestone_late_q, "danger", "时间节点已过仍未完成"
        ),
        LedgerFigure("yellow", "临期", yellow_q, "warning", "进入临期预警，尚未逾期"),
        LedgerFigure("acknowledge", "待签收", to_acknowledge_q, "info", "已交办，单位尚未签收"),
        LedgerFigure("verify", "待核验", to_verify_q, "info", "单位已报办结，待办公室核验"),
    )
}


def figure_q(key: str, today: datetime.date) -> Q:
    return FIGURES[key].q(today)


def visible(user: Any) -> QuerySet[TrackedItem]:
    return restrict(TrackedItem.objects.all(), user, "view")


def count(user: Any, key: str, today: datetime.date) -> int:
    return visible(user).filter(figure_q(key, today)).count()


def counts(user: Any, today: datetime.date, keys: list[str] | None = None) -> dict[str, int]:
    """Several figures over what `user` may see, in one aggregate query."""
    keys = keys or list(FIGURES)
    return visible(user).aggregate(
        **{key: Count("pk", filter=figure_q(key, today)) for key in keys}
    )


def per_unit(user: Any, key: str, today: datetime.date) -> dict[int, int]:
    """The figure per lead unit, in one query."""
    rows = (
        visible(user)
        .filter(figure_q(key, today))
        .order_by()
        .values("lead_unit_id")
        .annotate(n=Count("pk"))
    )
    return {row["lead_unit_id"]: row["n"] for row in rows}


def list_url(key: str, unit_id: int | None = None) -> str:
    url = f"{reverse('ledger:item_list')}?figure={key}"
    return f"{url}&unit={unit_id}" if unit_id else url


DASHBOARD_KEYS = ("red", "overdue", "feedback_late", "milestone_late", "yellow")


def _dashboard_figure(key: str, order: int) -> Any:
    from apps.core.figures import Figure

    found = FIGURES[key]

    def count_for(user: Any, today: datetime.date) -> int:
        # A dashboard counts its five ledger figures in one aggregate query (at 50,000 items each
        # separate count scans the user's scope); outside a dashboard build, one count each call.
        from apps.core.figures import build_cache

        cache = build_cache()
        marker = ("ledger.counts", getattr(user, "pk", None), today)
        if marker not in cache:
            cache[marker] = counts(user, today, list(DASHBOARD_KEYS))
        return cache[marker][key]

    def url_for(user: Any, unit_id: int | None) -> str:
        return list_url(key, unit_id)

    def per_unit_for(user: Any, today: datetime.date) -> dict[int, int]:
        return per_unit(user, key, today)

    return Figure(
        key=f"ledger.{key}",
        label=found.label,
        area="督查督办",
        count=count_for,
        url=url_for,
        per_unit=per_unit_for,
        tone=found.tone,
        note=found.note,
        order=order,
    )


def register_dashboard_figures() -> None:
    from apps.core.figures import Trend, register_figure, register_trend

    for order, key in enumerate(DASHBOARD_KEYS):
        register_figure(_dashboard_figure(key, 10 + order))

    def closed_per_month(user: Any, today: datetime.date) -> list[tuple[str, int]]:
        from .selectors import closed_per_month as monthly

        return [(row["month"], row["count"]) for row in monthly(user, today=today)]

    register_trend(
        Trend(
            "ledger.closed_per_month",
            "督办事项每月销号",
            closed_per_month,
            url=reverse_lazy("ledger:statistics"),
            order=10,
        )
    )
