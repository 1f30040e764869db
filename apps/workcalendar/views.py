"""Pages of the working-day calendar: the years known, a year's month grids, entering a year
(workcalendar.manage) and a workday calculator for everyone with workcalendar.view."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.permissions import Capability, has_capability
from apps.core import clock
from apps.core.forms import apply_validation_error

from . import selectors, services
from .forms import WorkdayAddForm, WorkdayCheckForm, YearEntryForm
from .models import CalendarYear, DayKind

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
            "missing_next": selectors.next_year_missing(today),
            "missing_this": selectors.this_year_missing(today),
            "notice_season": selectors.notice_season(today),
            "can_manage": has_capability(request.user, Capability.MANAGE_CALENDAR),
        },
    )


@view_required
@require_GET
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    cal_year = get_object_or_404(CalendarYear.objects.select_related("confirmed_by"), year=year)
    months = selectors.year_months(cal_year)
    return render(
        request,
        "workcalendar/year_detail.html",
        {
            "cal_year": cal_year,
            "months": months,
            "weekday_headers": selectors.WEEKDAY_HEADERS,
            "holiday_count": sum(m.holiday_count for m in months),
            "workday_count": sum(m.workday_count for m in months),
            "can_manage": has_capability(request.user, Capability.MANAGE_CALENDAR),
            "previous_year": year - 1 if _year_known(year - 1) else None,
            "next_year": year + 1 if _year_known(year + 1) else None,
        },
    )


def _year_known(year: int) -> bool:
    return CalendarYear.objects.filter(year=year).exists()


def _save_year(request: HttpRequest, form: YearEntryForm) -> CalendarYear | None:
    """Parse the lines, then enter the year; errors go onto the form and nothing is saved."""
    year = form.cleaned_data["year"]
    try:
        parsed = services.parse_day_lines(form.cleaned_data["days"], year=year)
    except ValidationError as error:
        form.add_error("days", error)
        return None
    try:
        cal_year = services.calendar_year_enter(
            actor=request.user,
            year=year,
            notice=form.cleaned_data["notice"],
            holidays=parsed.holidays,
            workdays=parsed.workdays,
        )
    except ValidationError as error:
        apply_validation_error(form, error, default_field="days")
        return None
    stored_holidays = cal_year.days.filter(kind=DayKind.HOLIDAY).count()
    stored_workdays = cal_year.days.filter(kind=DayKind.WORKDAY).count()
    weekend_rest = len(parsed.holidays) - stored_holidays
    text = f"已保存{year}年节假日安排：工作日放假{stored_holidays}天，调休上班{stored_workdays}天。"
    if weekend_rest:
        text += f"另有{weekend_rest}个放假日本为周末，无需单独保存。"
    messages.success(request, text)
    return cal_year


def _entry_page(request: HttpRequest, form: YearEntryForm, **context: Any) -> HttpResponse:
    return render(request, "workcalendar/year_form.html", {"form": form, **context})


@manage_required
@require_http_methods(["GET", "POST"])
def year_enter(request: HttpRequest) -> HttpResponse:
    """A year not entered yet (usually next year, from the State Council notice)."""
    initial_year = request.GET.get("year", "")
    initial = {"year": initial_year if initial_year.isdigit() else clock.today().year + 1}
    form = YearEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if CalendarYear.objects.filter(year=year).exists():
            form.add_error("year", f"{year}年的安排已经存在，请在该年份页面点击“修改”进行更正。")
        elif (cal_year := _save_year(request, form)) is not None:
            return redirect("workcalendar:year_detail", year=cal_year.year)
    return _entry_page(request, form, title="录入年度节假日安排")


@manage_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Correct a known year; the source becomes the administrator's entry."""
    cal_year = get_object_or_404(CalendarYear, year=year)
    initial = {"notice": cal_year.notice, "days": services.format_day_lines(cal_year)}
    form = YearEntryForm(request.POST or None, initial=initial, fixed_year=year)
    if request.method == "POST" and form.is_valid() and _save_year(request, form) is not None:
        return redirect("workcalendar:year_detail", year=year)
    return _entry_page(request, form, title=f"修改{year}年节假日安排", cal_year=cal_year)


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
        try:
            result = services.add_workdays(start, count)
        except services.CalendarYearMissing as missing:
            add_result = {"error": str(missing)}
        else:
            add_result = {
                "start": start,
                "count": count,
                "abs_count": abs(count),
                "result": result,
                "weekday": services.WEEKDAY_NAMES[result.weekday()],
                "calendar_days": (result - start).days,
            }
    if check_form.is_bound and check_form.is_valid():
        day: datetime.date = check_form.cleaned_data["day"]
        try:
            check_result = {
                "day": day,
                "weekday": services.WEEKDAY_NAMES[day.weekday()],
                "is_workday": services.is_workday(day),
                "name": services.day_name(day),
                "adjusted": day.weekday() >= 5 and services.is_workday(day),
            }
        except services.CalendarYearMissing as missing:
            check_result = {"error": str(missing)}
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
