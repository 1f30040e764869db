"""The key-work calendar (重点工作行事历): a month or week of deadlines and milestones, and the
iCalendar feeds that put the same dates into Outlook or a phone's calendar."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import business_required
from apps.accounts.permissions import restrict
from apps.core import clock, downloads, params
from apps.core.types import AuthenticatedRequest
from apps.organization.models import Unit
from apps.workcalendar.services import day_name, is_workday, provisional_note, provisional_watch

from .. import feeds, ical
from ..calendar_days import DayEntries, calendar_day_entries
from ..calendar_sources import CalendarEvent, calendar_events
from ..choices import Warning
from ..selectors import CalendarEntry

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
VIEWS = {"month": "月视图", "week": "周视图"}
# How many entries a day shows before "还有N项": a month cell has room for four lines; a week
# column (and the phone list, which is the same markup) for more.
ENTRIES_PER_DAY = {"month": 4, "week": 12}


# ---------------------------------------------------------------------------------------------
# The calendar page
# ---------------------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    """One day cell: its first entries, how many it has in all, and how the working-day calendar
    marks it."""

    date: datetime.date
    in_period: bool
    is_today: bool
    kind: str = "normal"  # "holiday", "workday" (adjusted), "weekend" or "normal"
    name: str = ""
    entries: list[CalendarEntry] = field(default_factory=list)
    events: list[CalendarEvent] = field(default_factory=list)  # other areas' (sessions, ...)
    total: int = 0  # entries of the day, shown or not
    more_url: str = ""  # the ledger table filtered to this day

    @property
    def more(self) -> int:
        """How many entries the cell leaves to the "还有N项" link."""
        return self.total - len(self.entries)

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    @property
    def label(self) -> str:
        return f"{self.date.month}月{self.date.day}日 {self.weekday_name}"

    @property
    def mark(self) -> str:
        """What the day is, in words: “国庆节”, “国庆节 调休上班”, or ""."""
        if self.kind == "holiday":
            return self.name or "法定节假日"
        if self.kind == "workday":
            return f"{self.name} 调休上班".strip()
        return ""


WARNING_LABELS = {value: label for value, label in Warning.choices}
KIND_LABELS = {"deadline": "截止", "milestone": "节点"}


def _period(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day shown: whole Monday-to-Sunday weeks."""
    if view == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    first = day.replace(day=1)
    last = day.replace(day=pycalendar.monthrange(day.year, day.month)[1])
    return (
        first - datetime.timedelta(days=first.weekday()),
        last + datetime.timedelta(days=6 - last.weekday()),
    )


def _neighbours(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if view == "week":
        return day - datetime.timedelta(days=7), day + datetime.timedelta(days=7)
    first = day.replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return previous, following


def _ledger_day_url(day: datetime.date, unit_id: int | None) -> str:
    query: dict[str, Any] = {"due": day.isoformat()}
    if unit_id:
        query["unit"] = unit_id
    return f"{reverse('ledger:item_list')}?{urlencode(query)}"


def _build_days(
    view: str,
    day: datetime.date,
    entries: DayEntries,
    today: datetime.date,
    provisional_years: set[int],
    unit_id: int | None = None,
    events: dict[datetime.date, list[CalendarEvent]] | None = None,
) -> list[CalendarDay]:
    start, end = _period(view, day)
    events = events or {}
    days = []
    current = start
    while current <= end:
        in_period = view == "week" or current.month == day.month
        cell = CalendarDay(
            current,
            in_period,
            current == today,
            entries=entries.shown.get(current, []),
            events=events.get(current, []),
            total=entries.totals.get(current, 0),
        )
        if cell.more:
            cell.more_url = _ledger_day_url(current, unit_id)
        cell.kind = "weekend" if current.weekday() >= 5 else "normal"
        with provisional_watch() as use:
            name = day_name(current)
            if name:
                cell.kind = "workday" if is_workday(current) else "holiday"
                cell.name = name
        # Said once per year; the few days of next January that close a December grid are not
        # worth a note.
        if in_period:
            provisional_years |= use.years
        days.append(cell)
        current += datetime.timedelta(days=1)
    return days


def _title(view: str, day: datetime.date, days: list[CalendarDay]) -> str:
    if view == "week":
        first, last = days[0].date, days[-1].date
        end = (
            f"{last.month}月{last.day}日"
            if last.year == first.year
            else f"{last:%Y年}{last.month}月{last.day}日"
        )
        return f"{first.year}年{first.month}月{first.day}日—{end}"
    return f"{day.year}年{day.month}月"


@business_required
@require_GET
def calendar_view(request: AuthenticatedRequest) -> HttpResponse:
    """`?view=month|week&date=YYYY-MM-DD&unit=<id>`: the dates of the items the user may see."""
    today = clock.today()
    query = params.Params(request.GET)
    view = query.choice("view", VIEWS, "month")
    raw_date = query.text("date", 20)
    day = today
    if raw_date:
        parsed = params.parse_date(raw_date)
        if parsed is None:
            messages.error(
                request,
                f"日期“{raw_date}”无法识别，请使用“2026-10-01”这样的格式，"
                f"年份在{params.MIN_YEAR}至{params.MAX_YEAR}之间。已显示本月。",
            )
        else:
            day = parsed

    units = list(restrict(Unit.objects.filter(is_active=True), request.user, "view"))
    unit_id: int | None = None
    if query.raw("unit").strip():
        wanted = query.id("unit")
        if any(unit.pk == wanted for unit in units):
            unit_id = wanted
        else:
            messages.error(request, "所选单位不存在，已显示全部单位的事项。")

    start, end = _period(view, day)
    # Only the entries a cell shows are fetched and drawn: the page costs the same for a quiet
    # month and for one with thousands of deadlines.
    entries = calendar_day_entries(
        request.user, start, end, unit_id, per_day=ENTRIES_PER_DAY[view], today=today
    )
    provisional_years: set[int] = set()
    days = _build_days(
        view,
        day,
        entries,
        today,
        provisional_years,
        unit_id,
        calendar_events(request.user, start, end),
    )
    previous, following = _neighbours(view, day)

    def link(**changes: Any) -> str:
        query: dict[str, Any] = {"view": view, "date": day.isoformat()}
        if unit_id:
            query["unit"] = unit_id
        query.update(changes)
        query = {key: value for key, value in query.items() if value not in (None, "")}
        return f"{reverse('ledger:calendar')}?{urlencode(query)}"

    in_period = [cell for cell in days if cell.in_period]
    return render(
        request,
        "ledger/calendar.html",
        {
            "view": view,
            "views": [
                {"key": key, "label": label, "url": link(view=key), "active": key == view}
                for key, label in VIEWS.items()
            ],
            "day": day,
            "title": _title(view, day, days),
            "weeks": [days[n : n + 7] for n in range(0, len(days), 7)],
            "days": days,
            "weekday_names": WEEKDAY_NAMES,
            "previous_url": link(date=previous.isoformat()),
            "next_url": link(date=following.isoformat()),
            "today_url": link(date=today.isoformat()),
            "previous_label": "上一周" if view == "week" else "上个月",
            "next_label": "下一周" if view == "week" else "下个月",
            "units": units,
            "unit_id": unit_id,
            "entry_count": sum(cell.total for cell in in_period),
            "provisional_note": provisional_note(provisional_years) if provisional_years else "",
            "warning_labels": WARNING_LABELS,
            "kind_labels": KIND_LABELS,
        },
    )


# ---------------------------------------------------------------------------------------------
# Subscribing: the settings page, the reset, and the feeds themselves
# ---------------------------------------------------------------------------------------------


def _feed_url(request: HttpRequest, name: str, token: str, unit: Unit | None = None) -> str:
    url = request.build_absolute_uri(reverse(f"ledger:{name}", args=[token]))
    return f"{url}?{urlencode({'unit': unit.pk})}" if unit is not None else url


def _unit_feed_row(
    request: HttpRequest, token: str, unit: Unit, *, explicit: bool
) -> dict[str, Any]:
    return {
        "unit": unit,
        "url": _feed_url(request, "unit_feed", token, unit if explicit else None),
        "field_id": f"feed-url-unit-{unit.pk}",
        "label": f"{unit.name}牵头事项订阅地址",
    }


@business_required
@require_GET
def feed_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's feed addresses, with how to subscribe in Outlook and on a phone."""
    token = feeds.feed_token_for(request.user).token
    own_units = list(feeds.feed_units(request.user, None))
    own_ids = {unit.pk for unit in own_units}
    # With one unit of their own the plain address is enough; with several, each gets its own.
    own_unit_feeds = [
        _unit_feed_row(request, token, unit, explicit=len(own_units) > 1) for unit in own_units
    ]
    other_unit_feeds = [
        _unit_feed_row(request, token, unit, explicit=True)
        for unit in feeds.feed_unit_choices(request.user).order_by("sort_order", "id")
        if unit.pk not in own_ids
    ]
    return render(
        request,
        "ledger/feed_settings.html",
        {
            "person_url": _feed_url(request, "person_feed", token),
            "own_unit_feeds": own_unit_feeds,
            "other_unit_feeds": other_unit_feeds,
            "past_days": feeds.FEED_PAST_DAYS,
            "future_days": feeds.FEED_FUTURE_DAYS,
        },
    )


@business_required
@require_POST
def feed_reset(request: AuthenticatedRequest) -> HttpResponse:
    feeds.feed_token_reset(user=request.user)
    messages.success(
        request,
        "已生成新的订阅地址，原地址已失效。请在 Outlook 或手机日历中删除原订阅，再用新地址重新订阅。",
    )
    return redirect("ledger:feed_settings")


def _calendar_response(
    request: HttpRequest,
    *,
    name: str,
    description: str,
    items: Any,
    filename: str,
    owner: Any = None,
) -> HttpResponse:
    """The feed of `items`; with `owner`, also the other areas' events (sessions, ...) they see."""

    def item_url(pk: int) -> str:
        return request.build_absolute_uri(reverse("ledger:item_detail", args=[pk]))

    events = feeds.feed_events(items, today=clock.today(), item_url=item_url)
    if owner is not None:
        start, end = feeds.feed_window(clock.today())
        for extra in calendar_events(owner, start, end).values():
            events += [
                ical.AllDayEvent(
                    uid=f"{event.uid}@{feeds.UID_DOMAIN}",
                    day=event.day,
                    summary=f"【{event.category}】{event.label}",
                    description=event.description,
                    url=request.build_absolute_uri(event.path),
                    categories=(event.category,),
                )
                for event in extra
            ]
        events.sort(key=lambda event: (event.day, event.uid))
    body = ical.serialize(name=name, description=description, events=events, stamp=clock.now())
    response = downloads.file_download(body, filename, "text/calendar; charset=utf-8", inline=True)
    # The address is a secret: keep the body out of shared caches.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def _owner_or_404(token: str) -> Any:
    owner = feeds.user_for_token(token)
    if owner is None:
        raise Http404("订阅地址无效或已重置。")
    return owner


@login_not_required  # calendar clients cannot sign in: the token is the credential
@require_GET
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = _owner_or_404(token)
    return _calendar_response(
        request,
        name=f"重点工作行事历 · {owner.display_name}",
        description="本人负责、领责督办或跟踪问效的督办事项的办结时限和时间节点",
        items=feeds.person_feed_items(owner),
        filename="person.ics",
        owner=owner,
    )


@login_not_required  # calendar clients cannot sign in: the token is the credential
@require_GET
def unit_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = _owner_or_404(token)
    units = feeds.feed_units(owner, params.Params(request.GET).raw("unit").strip())
    if not units:
        raise Http404("没有可订阅的单位。")
    names = "、".join(unit.short_name for unit in units)
    return _calendar_response(
        request,
        name=f"重点工作行事历 · {names}",
        description=f"{names}牵头的督办事项的办结时限和时间节点",
        items=feeds.unit_feed_items(owner, units),
        filename="unit.ics",
    )
