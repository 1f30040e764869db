"""What happens when a request ends, registered by the area that owns the subject.

    register_outcome("attendance.leave", on_leave_decided)

`on_leave_decided(request)` runs inside the deciding transaction, so the subject changes with the
request or not at all. `register_describer` lets the inbox show a one-line summary of a subject.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_OUTCOMES: dict[str, Callable[[Any], None]] = {}
_DESCRIBERS: dict[str, Callable[[Any], str]] = {}


def register_outcome(flow_code: str, handler: Callable[[Any], None]) -> None:
    _OUTCOMES[flow_code] = handler


def outcome_handler(flow_code: str) -> Callable[[Any], None] | None:
    return _OUTCOMES.get(flow_code)


def register_describer(flow_code: str, describer: Callable[[Any], str]) -> None:
    _DESCRIBERS[flow_code] = describer


def describe(request: Any) -> str:
    describer = _DESCRIBERS.get(request.flow.code)
    return describer(request.subject) if describer and request.subject else request.title


# Flows whose area acts on its own pages (e.g. 发文: 核稿, 会签 and 签发 on the document page): the
# area notifies its approvers itself with a link to its page, and the request's page here offers
# 转办, 加签 and 催办 but leaves deciding, 退回 and 撤回 to the area (which keeps its state in step).
_OWN_PAGES: dict[str, str] = {}


def register_own_pages(flow_code: str, label: str) -> None:
    """`label` names where to act, e.g. “公文页面”."""
    _OWN_PAGES[flow_code] = label


def own_pages(flow_code: str) -> str:
    return _OWN_PAGES.get(flow_code, "")


_LISTENERS: dict[str, Callable[[Any, Any], None]] = {}


def register_step_listener(flow_code: str, listener: Callable[[Any, Any], None]) -> None:
    """`listener(request, event)` runs inside the transaction after every action on a request of
    the flow (submit, decide, 退回, 撤回, 加签, 转办, 撤销, 终止), with the action's event, so the area
    keeps its subject's state in step with the chain wherever the action was taken."""
    _LISTENERS[flow_code] = listener


def step_listener(flow_code: str) -> Callable[[Any, Any], None] | None:
    return _LISTENERS.get(flow_code)


# What a flow's `amount` counts, for its wording (apps/core/quantities.py): "workdays" reads
# "3个工作日", "days" "3天", any other text is put after the number ("2 万元"). Unregistered: the
# number alone, without ".00".
_AMOUNT_UNITS: dict[str, str] = {}


def register_amount_unit(flow_code: str, unit: str) -> None:
    _AMOUNT_UNITS[flow_code] = unit


def amount_text(flow_code: str, amount: Any) -> str:
    from apps.core import quantities

    unit = _AMOUNT_UNITS.get(flow_code, "")
    if unit == "workdays":
        return quantities.workdays(amount)
    if unit == "days":
        return quantities.days(amount)
    return f"{quantities.number(amount)} {unit}".strip()
