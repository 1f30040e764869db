"""One wording for every quantity of days (issue 10: the same day read "1天", "1.0个工作日" and
"数量 1.00" on three pages).

- working days (工作日, counted on the working-day calendar): "3个工作日", "0.5个工作日";
- calendar days (天, whatever the weekday): "3天", "0.5天".

Whole numbers never carry ".0" or ".00"; halves read ".5". Templates use the filters `days` and
`workdays` (`{% load shell %}`); Python code (messages, notifications, exports) calls these helpers.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def number(value: Any) -> str:
    """A count as people read it: 1, 0.5, 2.5, 12 (never 1.0 or 1.00); "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def days(value: Any, *, working: bool = False) -> str:
    """ "3天" for calendar days, "3个工作日" for working days."""
    text = number(value)
    if not text:
        return ""
    return f"{text}个工作日" if working else f"{text}天"


def workdays(value: Any) -> str:
    return days(value, working=True)
