"""Pages of the working-day calendar: the years known, a year's month grids, entering a year
(workcalendar.manage) and a workday calculator for everyone with workcalendar.view."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.permissions import Capability, has_capability
from apps.core import clock, params

from . import selectors, services
from .forms import NoticeForm, WorkdayAddForm, WorkdayCheckForm, YearEntryForm
from .models import CalendarYear, DayKind
from .notice import parse_notice

view_required = permission_required(Capability.VIEW_CALENDAR, raise_exception=True)
manage_required = permission_required(Capability.MANAGE_CALENDAR, raise_exception=True)


@view_required
@require_GET
def year_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    return render(
        request,
        "workcalendar/year_list.html",
        {
            "years": selectors.year_list(),
            "provisional_years": selectors.provisional_years(today),
            "notice_season": selectors.notice_season(today),
            "can_manage": has_capability(request.user, Capability.MANAGE_CALENDAR),
        },
    )


@view_required
@require_GET
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """A year's month grids: as entered, or provisional (预估) when it is not known yet."""
    if not services.EARLIEST_YEAR <= year <= services.LATEST_SHOWN_YEAR:
        raise Http404
    cal_year = CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()
    data = services.year_data(year)
    months = selectors.year_months(year, data)
    return render(
        request,
        "workcalendar/year_detail.html",
        {
            "year": year,
            "cal_year": cal_year,
            "provisional_note": services.provisional_note([year]) if data.provisional else "",
            "months": months,
            "weekday_headers": selectors.WEEKDAY_HEADERS,
            "holiday_count": sum(m.holiday_count for m in months),
            "workday_count": sum(m.workday_count for m in months),
            "can_manage": has_capability(request.user, Capability.MANAGE_CALENDAR),
            "can_enter": year <= services.latest_enterable_year(),
            "previous_year": year - 1 if year > services.EARLIEST_YEAR else None,
            "next_year": year + 1 if year < services.LATEST_SHOWN_YEAR else None,
        },
    )


def _year_param(request: HttpRequest) -> int | None:
    return params.Params(request.GET).year("year")


def _preview_or_save(
    request: HttpRequest,
    *,
    year: int,
    notice: str,
    holidays: services.DayList,
    workdays: services.DayList,
    reach_neighbours: bool = False,
) -> tuple[CalendarYear | None, dict[str, Any]]:
    """Saves when the administrator confirmed a preview with no problems; otherwise returns what
    the preview shows: the problems, the days that change and the year as it would be."""
    neighbours = services.entered_neighbours(year) if reach_neighbours else frozenset()
    problems = services.arrangement_problems(
        year=year, notice=notice, holidays=holidays, workdays=workdays, neighbours=neighbours
    )
    if not problems and request.POST.get("confirm") == "1":
        try:
            cal_year = services.calendar_year_enter(
                actor=request.user,
                year=year,
                notice=notice,
                holidays=holidays,
                workdays=workdays,
                reach_neighbours=reach_neighbours,
            )
        except ValidationError as error:
            problems = error.message_dict
        else:
            _saved_message(request, cal_year, holidays)
            return cal_year, {}
    in_year = [(day, name) for day, name in holidays if day.year == year]
    in_year_workdays = [(day, name) for day, name in workdays if day.year == year]
    exists = CalendarYear.objects.filter(year=year).exists()
    return None, {
        "preview": True,
        "year": year,
        "problems": [message for messages_ in problems.values() for message in messages_],
        "difference": services.arrangement_difference(year, in_year, in_year_workdays),
        "replaces": "已公布的安排" if exists else "预估安排",
        "bridging": sorted(
            [(day, name, "放假") for day, name in holidays if day.year != year]
            + [(day, name, "上班") for day, name in workdays if day.year != year]
        ),
        "months": selectors.year_months(year, services.arrangement_data(in_year, in_year_workdays)),
        "weekday_headers": selectors.WEEKDAY_HEADERS,
    }


def _saved_message(
    request: HttpRequest, cal_year: CalendarYear, holidays: services.DayList
) -> None:
    stored_holidays = cal_year.days.filter(kind=DayKind.HOLIDAY).count()
    stored_workdays = cal_year.days.filter(kind=DayKind.WORKDAY).count()
    weekend_rest = sum(1 for day, _ in holidays if day.year == cal_year.year and day.weekday() >= 5)
    text = (
        f"已保存{cal_year.year}年节假日安排：工作日放假{stored_holidays}天，"
        f"调休上班{stored_workdays}天。"
    )
    if weekend_rest:
        text += f"另有{weekend_rest}个放假日本为周末，无需单独保存。"
    text += "此前按预估计算的办结时限、反馈日期和考勤结果已按新安排重新计算。"
    messages.success(request, text)


def _entry(request: HttpRequest, form: YearEntryForm, **context: Any) -> HttpResponse:
    """The line-by-line entry: parse, preview with the difference, save once confirmed."""
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            parsed = services.parse_day_lines(form.cleaned_data["days"], year=year)
        except ValidationError as error:
            form.add_error("days", error)
        else:
            cal_year, preview = _preview_or_save(
                request,
                year=year,
                notice=form.cleaned_data["notice"],
                holidays=parsed.holidays,
                workdays=parsed.workdays,
            )
            if cal_year is not None:
                return redirect("workcalendar:year_detail", year=cal_year.year)
            context.update(preview)
    return render(request, "workcalendar/year_form.html", {"form": form, **context})


@manage_required
@require_http_methods(["GET", "POST"])
def year_enter(request: HttpRequest) -> HttpResponse:
    """A year not entered yet (usually next year, from the State Council notice)."""
    initial_year = _year_param(request)
    initial = {"year": initial_year or clock.today().year + 1}
    form = YearEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if CalendarYear.objects.filter(year=year).exists():
            form.add_error("year", f"{year}年的安排已经存在，请在该年份页面点击“修改”进行更正。")
    return _entry(request, form, title="录入年度节假日安排")


@manage_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Correct a known year; the source becomes the administrator's entry."""
    cal_year = get_object_or_404(CalendarYear, year=year)
    initial = {"notice": cal_year.notice, "days": services.format_day_lines(cal_year)}
    form = YearEntryForm(request.POST or None, initial=initial, fixed_year=year)
    return _entry(request, form, title=f"修改{year}年节假日安排", cal_year=cal_year)


@manage_required
@require_http_methods(["GET", "POST"])
def notice_paste(request: HttpRequest) -> HttpResponse:
    """Paste the State Council notice as published; see the year it gives, then confirm."""
    form = NoticeForm(request.POST or None, initial={"year": _year_param(request)})
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        parsed = parse_notice(form.cleaned_data["text"], year=form.cleaned_data["year"])
        context["parsed"] = parsed
        if parsed.errors or parsed.year is None:
            context["problems"] = parsed.errors
        else:
            cal_year, preview = _preview_or_save(
                request,
                year=parsed.year,
                notice=parsed.notice_reference[: services.NOTICE_MAX_LENGTH],
                holidays=parsed.days("holiday"),
                workdays=parsed.days("workday"),
                reach_neighbours=True,
            )
            if cal_year is not None:
                return redirect("workcalendar:year_detail", year=cal_year.year)
            context.update(preview)
    return render(request, "workcalendar/notice_form.html", context)


@view_required
@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    add_form = WorkdayAddForm(request.GET if {"start", "n"} & request.GET.keys() else None)
    check_form = WorkdayCheckForm(request.GET if "day" in request.GET else None)
    add_result: dict[str, Any] | None = None
    check_result: dict[str, Any] | None = None
    if add_form.is_bound and add_form.is_valid():
        start: datetime.date = add_form.cleaned_data["start"]
        count: int = add_form.cleaned_data["n"]
        with services.provisional_watch() as use:
            result = services.add_workdays(start, count)
        add_result = {
            "start": start,
            "count": count,
            "abs_count": abs(count),
            "result": result,
            "weekday": services.WEEKDAY_NAMES[result.weekday()],
            "calendar_days": (result - start).days,
            "provisional_note": use.note,
        }
    if check_form.is_bound and check_form.is_valid():
        day: datetime.date = check_form.cleaned_data["day"]
        with services.provisional_watch() as use:
            workday = services.is_workday(day)
            name = services.day_name(day)
        check_result = {
            "day": day,
            "weekday": services.WEEKDAY_NAMES[day.weekday()],
            "is_workday": workday,
            "name": name,
            "adjusted": day.weekday() >= 5 and workday,
            "provisional_note": use.note,
        }
    return render(
        request,
        "workcalendar/calculator.html",
        {
            "add_form": add_form,
            "check_form": check_form,
            "add_result": add_result,
            "check_result": check_result,
        },
    )
