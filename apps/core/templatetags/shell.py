"""Template helpers of the UI shell: today's working-day status, navigation state, forms, paging.

Load with `{% load shell %}`.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from apps.core import clock, quantities
from apps.workcalendar.services import day_name, is_workday, provisional_note, provisional_watch

register = template.Library()

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# django.contrib.messages level tags -> Tabler (Bootstrap) alert colours and icons.
_ALERT_TONES = {
    "debug": "secondary",
    "info": "info",
    "success": "success",
    "warning": "warning",
    "error": "danger",
}
_ALERT_ICONS = {"success": "circle-check", "warning": "alert-triangle", "error": "alert-circle"}


@register.simple_tag
def today_calendar(day: datetime.date | None = None) -> dict[str, Any]:
    """Today's date and whether it is a workday, provisionally when the year's holiday arrangement
    is not announced yet.

    Returns {"date", "weekday", "is_workday", "day_name", "provisional_note"} ("" when announced).
    """
    day = day or clock.today()
    with provisional_watch() as use:
        workday, name = is_workday(day), day_name(day)
    return {
        "date": day,
        "weekday": WEEKDAYS[day.weekday()],
        "is_workday": workday,
        "day_name": name,
        "provisional_note": use.note,
    }


@register.simple_tag
def provisional_mark(flag: bool, day: datetime.date | None) -> SafeString:
    """The 预估 badge for a stored date whose `*_provisional` flag is set."""
    if not flag or day is None:
        return SafeString("")
    return provisional_badge(provisional_note([day.year]))


@register.simple_tag
def provisional_badge(note: str) -> SafeString:
    """The 预估 badge next to a date computed from a year whose holidays are not announced yet;
    `note` (the tooltip) says why the date may still move. Nothing when `note` is empty."""
    if not note:
        return SafeString("")
    return format_html(
        '<span class="badge bg-orange-lt provisional-badge" tabindex="0" data-bs-toggle="tooltip" '
        'title="{}" aria-label="预估：{}">预估</span>',
        note,
        note,
    )


def nav_active(url: str, path: str) -> bool:
    """The item's page, or a page below it, is open ("/" matches only the home page itself)."""
    if not url or not path:
        return False
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url.rstrip("/") + "/")


@register.simple_tag
def active_nav_url(nav_groups: list[dict[str, Any]] | None, path: str, home_url: str = "/") -> str:
    """The URL of the one navigation item to highlight: the longest that contains the open page.

    `/audit/chain/` lies below both "审计日志" (/audit/) and "审计链校验" (/audit/chain/); only the
    latter is highlighted.
    """
    urls = [home_url] + [item["url"] for group in nav_groups or [] for item in group["items"]]
    matching = [url for url in urls if nav_active(url, path)]
    return max(matching, key=len) if matching else ""


@register.filter(name="quantity")
def quantity_filter(value: Any) -> str:
    """A number of days (or of anything) without ".0"/".00": 1, 0.5, 12."""
    return quantities.number(value)


@register.filter(name="days")
def days_filter(value: Any) -> str:
    """Calendar days: "3天", "0.5天" (apps/core/quantities.py)."""
    return quantities.days(value)


@register.filter(name="workdays")
def workdays_filter(value: Any) -> str:
    """Working days: "3个工作日", "0.5个工作日" (apps/core/quantities.py)."""
    return quantities.workdays(value)


@register.filter
def alert_tone(level_tag: str) -> str:
    """The Bootstrap colour of a message level tag (`error` is `danger`)."""
    return _ALERT_TONES.get(level_tag, "info")


@register.filter
def alert_icon(level_tag: str) -> str:
    return _ALERT_ICONS.get(level_tag, "info-circle")


@register.filter
def split(value: str, separator: str) -> list[str]:
    """`{{ text|split:"；" }}`: the non-empty parts of a string."""
    return [part.strip() for part in str(value or "").split(separator) if part.strip()]


@register.filter
def pretty_json(value: Any) -> str:
    """`{{ event.detail|pretty_json }}`: indented JSON with Chinese left readable (not \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.simple_tag
def elided_pages(page: Page, on_each_side: int = 2, on_ends: int = 1) -> list:
    """The page numbers to show around the current one; the paginator's ELLIPSIS marks a gap."""
    return list(
        page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


def _widget_kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    return "input"


@register.filter
def field_kind(field: forms.BoundField) -> str:
    """ "checkbox", "choices" (radio buttons or a list of checkboxes), "select" or "input"."""
    return _widget_kind(field.field.widget)


@register.filter
def field_widget(field: forms.BoundField) -> SafeString:
    """Render a bound field's widget with Bootstrap classes (`is-invalid` when it has errors)."""
    kind = _widget_kind(field.field.widget)
    invalid = " is-invalid" if field.errors else ""
    described_by = f"{field.auto_id}_help" if field.help_text and field.auto_id else None
    if kind == "choices":
        options = []
        for option in field.subwidgets:
            option.data["attrs"]["class"] = f"form-check-input{invalid}"
            options.append((option.tag(wrap_label=False), option.choice_label))
        return format_html(
            '<div class="form-choices">{}</div>',
            format_html_join(
                "",
                '<label class="form-check">{}<span class="form-check-label">{}</span></label>',
                options,
            ),
        )
    css = {"checkbox": "form-check-input", "select": "form-select"}.get(kind, "form-control")
    existing = field.field.widget.attrs.get("class", "")
    attrs: dict[str, str | bool] = {"class": f"{existing} {css}{invalid}".strip()}
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)
