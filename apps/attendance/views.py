"""Pages of attendance. Views parse input and call selectors and services only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import Capability, get_object_for_user_or_404, is_office
from apps.audit.context import client_ip
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock as organ_clock
from apps.core import downloads, params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest
from apps.organization.models import Person, Unit

from . import exports, selectors, services
from .choices import STATUS_TONES, DayStatus, RequestKind, RequestStatus
from .forms import PointRuleForm, PolicyForm, RequestForm, ScheduleForm
from .models import AttendancePolicy, AttendanceRequest, DailyResult, PointRule, Schedule
from .scopes import attendance_people, notice_unit_ids, sees_all_attendance

manage_required = permission_required(Capability.MANAGE_ORGANIZATION, raise_exception=True)


def business_required(view: Any) -> Any:
    """Attendance is business data: the three administrators are refused (403)."""

    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_admin_role:
            raise PermissionDenied("系统管理员、安全管理员和审计管理员不查看考勤业务数据。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _month_from_query(request: AuthenticatedRequest) -> selectors.Period:
    today = organ_clock.today()
    period, error = selectors.parse_period("month", request.GET.get("month", ""), today)
    if error:
        messages.warning(request, error)
    return period


# ---------------------------------------------------------------------------------------------
# Clocking in
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    state = selectors.today_state(person) if person else None
    covering = (
        selectors.approved_absences(state.day, [person.pk]).get(person.pk)
        if state and person
        else None
    )
    policy = AttendancePolicy.current()
    return render(
        request,
        "attendance/home.html",
        {
            "state": state,
            # After a clock-out refused for want of confirmation (the message says why).
            "confirm_out": request.GET.get("confirm") == "out" and bool(state and state.clocks),
            "covering": covering[0] if covering else None,
            "networks": policy.network_lines(),
            "window": policy.duplicate_window_seconds,
            "your_ip": client_ip(request),
            "pending": selectors.pending_count(request.user) if person else 0,
        },
    )


@business_required
@require_POST
def clock(request: AuthenticatedRequest) -> HttpResponse:
    # Whatever time the client sends is ignored: the server's clock is the time of record.
    confirmed = request.POST.get("confirm") == "out"
    try:
        outcome = services.clock_tap(
            user=request.user, ip_address=client_ip(request), confirmed=confirmed
        )
    except services.ClockOutNeedsConfirmation as question:
        # Nothing was written: the clock page asks again, with a button that confirms.
        messages.warning(request, "；".join(question.messages))
        return redirect(f"{reverse('attendance:home')}?confirm=out")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("attendance:home")
    at = timezone.localtime(outcome.record.at)
    if outcome.created:
        messages.success(
            request, f"已记录{outcome.record.get_kind_display()}：{at:%Y-%m-%d %H:%M:%S}。"
        )
    else:
        messages.info(
            request,
            f"您在 {at:%H:%M:%S} 已打卡，短时间内重复点击只记一次。",
        )
    return redirect("attendance:home")


# ---------------------------------------------------------------------------------------------
# Month views and single results
# ---------------------------------------------------------------------------------------------


def _month_page(request: AuthenticatedRequest, person: Person, own: bool) -> HttpResponse:
    period = _month_from_query(request)
    today = organ_clock.today()
    # A person's month is judged afresh when opened (one person, a handful of queries): the page
    # never shows a stale result after a late clock-out or a correction.
    if period.start <= today:
        services.results_compute_range(
            start=period.start, end=min(period.end, today), person_ids=[person.pk]
        )
    view = selectors.month_view(person, period, today)
    return render(
        request,
        "attendance/month.html",
        {"view": view, "own": own, "weekdays": "一二三四五六日"},
    )


@business_required
@require_GET
def my_month(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.person:
        raise Http404("您的账号未关联人员。")
    return _month_page(request, request.user.person, own=True)


@business_required
@require_GET
def person_month(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(attendance_people(request.user), pk=person_id)
    return _month_page(request, person, own=person.pk == request.user.person_id)


@business_required
@require_GET
def result_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    result = get_object_for_user_or_404(
        DailyResult.objects.select_related("person", "unit", "schedule"),
        request.user,
        "view",
        pk=pk,
    )
    request_ids = [r["id"] for r in result.explanation.get("requests", [])]
    return render(
        request,
        "attendance/result_detail.html",
        {
            "result": result,
            "tone": STATUS_TONES.get(DayStatus(result.status), "secondary"),
            "clocks": result.explanation.get("clocks", []),
            "requests": AttendanceRequest.objects.filter(pk__in=request_ids),
        },
    )


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    can_see_others = sees_all_attendance(request.user) or request.user.role == "unit_head"
    mine = scope != "all" or not can_see_others
    requests = selectors.requests_for(request.user, mine=mine)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/request_list.html",
        {
            "page": page,
            "mine": mine,
            "can_see_others": can_see_others,
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def request_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.person_id:
        raise PermissionDenied("您的账号未关联人员，不能提交考勤申请。")
    query = params.Params(request.GET)
    initial: dict[str, object] = {
        "kind": query.choice("kind", RequestKind.values, RequestKind.LEAVE)
    }
    if day := query.date("day"):
        initial["start_date"] = day
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_submit(
                user=request.user,
                kind=data["kind"],
                leave_type=data["leave_type"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                day_part=data["day_part"],
                destination=data["destination"],
                reason=data["reason"],
                correction_kind=data["correction_kind"],
                correction_time=data["correction_time"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已提交{created.label}申请，等待审批。")
            return redirect("attendance:request_detail", pk=created.pk)
    return render(request, "attendance/request_form.html", {"form": form})


@business_required
@require_GET
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attendance_request = get_object_for_user_or_404(
        AttendanceRequest.objects.select_related("person", "approval"),
        request.user,
        "view",
        pk=pk,
    )
    stages = (
        attendance_request.approval.stages.select_related("approver__person").order_by("order")
        if attendance_request.approval
        else []
    )
    return render(
        request,
        "attendance/request_detail.html",
        {
            "item": attendance_request,
            "stages": stages,
            "can_withdraw": attendance_request.status == RequestStatus.PENDING
            and attendance_request.applicant_id == request.user.pk,
        },
    )


@business_required
@require_POST
def request_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attendance_request = get_object_for_user_or_404(
        AttendanceRequest.objects.select_related("approval"), request.user, "change", pk=pk
    )
    try:
        services.request_withdraw(user=request.user, request=attendance_request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "申请已撤回。")
    return redirect("attendance:request_detail", pk=pk)


# ---------------------------------------------------------------------------------------------
# Notices (考勤通报)
# ---------------------------------------------------------------------------------------------


def _notice(request: AuthenticatedRequest) -> selectors.Notice:
    allowed = notice_unit_ids(request.user)
    if allowed is not None and not allowed:
        raise PermissionDenied("考勤通报面向单位负责人、办公室和常委会领导。")
    kind = "week" if request.GET.get("period") == "week" else "month"
    period, error = selectors.parse_period(
        kind,
        request.GET.get("week" if kind == "week" else "month", ""),
        organ_clock.today(),
        settled=True,
    )
    if error:
        messages.warning(request, error)
    units = selectors.notice_units(request.user)
    unit: Unit | None = None
    if request.GET.get("unit", ""):
        unit_id = params.Params(request.GET).id("unit")
        unit = next((u for u in units if u.pk == unit_id), None)
        if unit is None:
            raise Http404("未找到该单位，或您无权查看其考勤。")
    elif allowed is not None:
        unit = units[0] if units else None  # a unit head reads their own unit's notice
        if unit is None:
            raise PermissionDenied("您当前不是任何单位的负责人。")
    return selectors.build_notice(period, unit, units)


@business_required
@require_http_methods(["GET", "POST"])
def notice(request: AuthenticatedRequest) -> HttpResponse:
    data = _notice(request)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("只有办公室可以重新计算考勤结果。")
        count = services.results_compute_range(start=data.period.start, end=data.period.end)
        messages.success(request, f"已重新计算 {count} 条考勤结果。")
        return redirect(request.get_full_path())
    # The summary covers the whole scope; the search and the filter narrow the people table only.
    search = params.Params(request.GET).text("q", 50)
    issues_only = request.GET.get("issues") == "1"
    people = selectors.notice_people(
        data, search=search, issues_only=issues_only, issues_first=True
    )
    page = Paginator(people, selectors.NOTICE_PAGE_SIZE).get_page(request.GET.get("page"))
    # The exports always carry every person of the scope, whatever the table shows.
    export_query = request.GET.copy()
    for key in ("q", "issues", "page"):
        export_query.pop(key, None)
    return render(
        request,
        "attendance/notice.html",
        {
            "notice": data,
            "page": page,
            "search": search,
            "issues_only": issues_only,
            "chart": data.chart_data(),
            "export_query": export_query.urlencode(),
            "can_recompute": is_office(request.user),
            "organ_wide": notice_unit_ids(request.user) is None,
        },
    )


def _export(
    request: AuthenticatedRequest, data: selectors.Notice, content: bytes, ext: str, mime: str
) -> HttpResponse:
    filename = f"{data.title}.{ext}"
    record_event(
        action=AuditAction.EXPORT,
        object_type="attendance.notice",
        object_repr=data.title,
        detail={
            "格式": ext,
            "期间": data.period.value,
            "单位": data.unit.name if data.unit else "机关",
            "人数": data.totals["staff"],
        },
    )
    return downloads.file_download(content, filename, mime)


@business_required
@require_GET
def notice_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    data = _notice(request)
    return _export(
        request,
        data,
        exports.notice_xlsx(data),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@business_required
@require_GET
def notice_docx(request: AuthenticatedRequest) -> HttpResponse:
    data = _notice(request)
    return _export(
        request,
        data,
        exports.notice_docx(data),
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# ---------------------------------------------------------------------------------------------
# Year-end points
# ---------------------------------------------------------------------------------------------


def _year(request: AuthenticatedRequest) -> int:
    year = params.Params(request.GET).integer("year", minimum=2000, maximum=2100)
    return year if year is not None else organ_clock.today().year


@business_required
@require_http_methods(["GET", "POST"])
def points(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("只有办公室可以计算年度考勤加减分。")
        count = services.points_compute(year=year)
        messages.success(request, f"已按现行规则计算 {year} 年 {count} 人的考勤加减分。")
        return redirect(f"{request.path}?year={year}")
    rows = selectors.points_for(request.user, year)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/points.html",
        {
            "year": year,
            "page": page,
            "rules": PointRule.objects.filter(is_active=True),
            "cap": AttendancePolicy.current().points_total_cap,
            "can_compute": is_office(request.user),
        },
    )


@business_required
@require_GET
def points_person(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(attendance_people(request.user), pk=person_id)
    year = _year(request)
    year_points = person.attendance_points.filter(year=year).first()
    entries = selectors.point_entries(year_points) if year_points else []
    return render(
        request,
        "attendance/points_person.html",
        {"person": person, "year": year, "year_points": year_points, "entries": entries},
    )


# ---------------------------------------------------------------------------------------------
# Settings (system administrator)
# ---------------------------------------------------------------------------------------------


@manage_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    policy = AttendancePolicy.current()
    form = PolicyForm(
        request.POST or None,
        initial={
            "allowed_networks": policy.allowed_networks,
            "duplicate_window_seconds": policy.duplicate_window_seconds,
            "points_total_cap": policy.points_total_cap,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(
                allowed_networks=form.cleaned_data["allowed_networks"],
                duplicate_window_seconds=form.cleaned_data["duplicate_window_seconds"],
                points_total_cap=form.cleaned_data["points_total_cap"] or Decimal("0"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "考勤设置已保存。")
            return redirect("attendance:settings")
    return render(
        request,
        "attendance/settings.html",
        {
            "form": form,
            "schedules": Schedule.objects.select_related("unit", "person"),
            "rules": PointRule.objects.all(),
            "flows": [f"attendance.{k}" for k in ("leave", "trip", "outing", "correction")],
        },
    )


@manage_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk) if pk else None
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_save(schedule=form.instance)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"作息“{form.instance.name}”已保存。")
            return redirect("attendance:settings")
    return render(
        request,
        "attendance/form.html",
        {"form": form, "title": "编辑作息时间" if schedule else "新增作息时间", "obj": schedule},
    )


@manage_required
@require_POST
def schedule_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk)
    services.schedule_delete(schedule=schedule)
    messages.success(request, f"作息“{schedule.name}”已删除。")
    return redirect("attendance:settings")


@manage_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(PointRule, pk=pk) if pk else None
    form = PointRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_rule_save(rule=form.instance)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"加减分规则“{form.instance.name}”已保存。")
            return redirect("attendance:settings")
    return render(
        request,
        "attendance/form.html",
        {"form": form, "title": "编辑加减分规则" if rule else "新增加减分规则", "obj": rule},
    )
