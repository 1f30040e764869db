"""Pages of 机构与人员: look-ups for every business role within its scope, upkeep for the system
administrator (organization.manage). Views parse input and call selectors and services only."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import (
    Capability,
    get_object_for_user_or_404,
    has_capability,
    restrict,
)
from apps.core import clock, gates, params
from apps.core.forms import apply_validation_error

from . import selectors, services
from .choices import Rank
from .forms import (
    LeadershipPostForm,
    LeaveForm,
    PartyGroupForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
    TaskGroupForm,
    TaskGroupMemberForm,
    TransferForm,
    UnitAliasForm,
)
from .models import Person, TaskGroup, Unit, UnitMembership

view_required = permission_required(Capability.VIEW_ORGANIZATION, raise_exception=True)
manage_required = permission_required(Capability.MANAGE_ORGANIZATION, raise_exception=True)

PEOPLE_PER_PAGE = 30
BAD_DATE = "日期“{value}”无法识别，请按 年-月-日 格式填写，例如 2026-03-01。已显示今天的情况。"


def _date_from_query(request: HttpRequest, name: str = "on") -> tuple[datetime.date, str]:
    """The `?on=YYYY-MM-DD` date of a look-up page, or today with a message saying why."""
    value = params.Params(request.GET).text(name, 20)
    today = clock.today()
    if not value:
        return today, ""
    day = params.parse_date(value)
    if day is None:
        return today, BAD_DATE.format(value=value)
    return day, ""


def _visible_people(request: HttpRequest) -> QuerySet[Person]:
    return restrict(Person.objects.all(), request.user, "view")


def _visible_ids(request: HttpRequest, ids: set[int]) -> set[int]:
    return set(_visible_people(request).filter(pk__in=ids).values_list("pk", flat=True))


def _can_manage(request: HttpRequest) -> bool:
    return has_capability(request.user, Capability.MANAGE_ORGANIZATION)


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "organization/form.html", {"form": form, **context})


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


@view_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    overview = selectors.organ_overview()
    return render(
        request,
        "organization/unit_list.html",
        {"overview": overview, "can_manage": _can_manage(request), "section": "units"},
    )


@view_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_for_user_or_404(Unit.objects.all(), request.user, "view", pk=pk)
    day, date_error = _date_from_query(request)
    members = list(selectors.unit_members(unit, on=day))
    # The organ's structure (who holds which post where) is known to everyone in it; a person's
    # own record opens only for those whose scope covers that person.
    visible = _visible_ids(request, {m.person_id for m in members})
    return render(
        request,
        "organization/unit_detail.html",
        {
            "unit": unit,
            "on": day,
            "is_today": day == clock.today(),
            "date_error": date_error,
            "members": members,
            "visible_ids": visible,
            "section": "units",
            "can_manage": _can_manage(request),
        },
    )


@manage_required
@require_http_methods(["GET", "POST"])
def unit_aliases(request: HttpRequest, pk: int) -> HttpResponse:
    """The names a unit goes by in sheets (法工委, 法制工委), kept by the system administrator."""
    unit = get_object_for_user_or_404(Unit.objects.all(), request.user, "change", pk=pk)
    form = UnitAliasForm()
    if request.method == "POST":
        if remove := request.POST.get("remove", ""):
            alias = unit.aliases.filter(pk=params.parse_id(remove) or 0).first()
            if alias is not None:
                services.unit_alias_remove(alias=alias)
                messages.success(request, f"已删除别名“{alias.name}”。")
            return redirect("organization:unit_aliases", pk=unit.pk)
        form = UnitAliasForm(request.POST)
        if form.is_valid():
            try:
                alias = services.unit_alias_add(unit=unit, name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"已添加别名“{alias.name}”。")
                return redirect("organization:unit_aliases", pk=unit.pk)
    return render(
        request,
        "organization/unit_aliases.html",
        {"unit": unit, "aliases": unit.aliases.all(), "form": form, "section": "units"},
    )


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@view_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    filters = PersonFilterForm(request.GET or None)
    query, unit, rank, inactive = "", None, "", False
    if filters.is_valid():
        query = filters.cleaned_data["q"].strip()
        unit = filters.cleaned_data["unit"]
        rank = filters.cleaned_data["rank"]
        inactive = filters.cleaned_data["inactive"]
    people = selectors.person_search(
        _visible_people(request), query=query, unit=unit, rank=rank, include_inactive=inactive
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organization/person_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_error": bool(request.GET) and not filters.is_valid(),
            "can_manage": _can_manage(request),
            "section": "people",
        },
    )


@view_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "view", pk=pk)
    leadership, party = selectors.person_posts(person)
    task_groups = list(selectors.person_task_groups(person))
    visible_groups = set(
        restrict(TaskGroup.objects.all(), request.user, "view")
        .filter(pk__in=[m.group_id for m in task_groups])
        .values_list("pk", flat=True)
    )
    today = clock.today()
    return render(
        request,
        "organization/person_detail.html",
        {
            "person": person,
            "age": person.age_on(today),
            "current": selectors.person_unit_on(person, today),
            "history": selectors.membership_history(person),
            "leadership": leadership,
            "party": party,
            "task_groups": task_groups,
            "visible_groups": visible_groups,
            "today": today,
            "can_manage": _can_manage(request),
            "section": "people",
        },
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(**form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已新增人员：{person.name}。")
            return redirect("organization:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title="新增人员",
        submit_label="保存",
        cancel_url=reverse("organization:person_list"),
        section="people",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=pk)
    initial = {
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "rank": person.rank,
        "political_status": person.political_status,
        "phone": person.phone,
        "office_phone": person.office_phone,
        "email": person.email,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存{person.name}的信息。")
            return redirect("organization:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=f"修改人员信息：{person.name}",
        intro="任职变动请使用“交流轮岗”或“离岗”，以保留任职历史。",
        submit_label="保存",
        cancel_url=reverse("organization:person_detail", args=[person.pk]),
        section="people",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=pk)
    current = UnitMembership.objects.filter(person=person, end_date__isnull=True).first()
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_transfer(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{person.name}自{membership.start_date:%Y-%m-%d}起到{membership.unit.name}任"
                f"{membership.post_title}，原任职记录已保留。",
            )
            return redirect("organization:person_detail", pk=person.pk)
    intro = (
        f"现任：{current.unit.name} {current.post_title}（{current.start_date:%Y-%m-%d}起）。"
        if current is not None
        else "该人员目前没有在岗任职，保存后将安排到所选单位。"
    )
    return _form_page(
        request,
        form,
        title=f"交流轮岗：{person.name}",
        intro=intro,
        submit_label="确认调任",
        cancel_url=reverse("organization:person_detail", args=[person.pk]),
        section="people",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_leave(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已为{person.name}办理离岗，任职历史已保留。")
            return redirect("organization:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=f"离岗：{person.name}",
        intro="调出机关或退休时使用：现任职务于最后在岗日结束，人员标记为不在职。",
        submit_label="确认离岗",
        danger=True,
        cancel_url=reverse("organization:person_detail", args=[person.pk]),
        section="people",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_leadership(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=pk)
    form = LeadershipPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.leadership_post_set(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if post is None:
                messages.success(request, f"已免去{person.name}的常委会领导职务。")
            else:
                messages.success(request, f"已任命{person.name}为{post.get_title_display()}。")
            return redirect("organization:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=f"常委会领导职务：{person.name}",
        submit_label="保存",
        cancel_url=reverse("organization:person_detail", args=[person.pk]),
        section="leadership",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def person_party_group(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=pk)
    form = PartyGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.party_group_member_set(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if post is None:
                messages.success(request, f"已免去{person.name}的党组职务。")
            else:
                messages.success(request, f"已任命{person.name}为{post.get_role_display()}。")
            return redirect("organization:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=f"党组职务：{person.name}",
        submit_label="保存",
        cancel_url=reverse("organization:person_detail", args=[person.pk]),
        section="leadership",
    )


# ---------------------------------------------------------------------------------------------
# Leadership and figures
# ---------------------------------------------------------------------------------------------


@view_required
@require_GET
def leadership(request: HttpRequest) -> HttpResponse:
    day, date_error = _date_from_query(request)
    board = selectors.leadership_on(on=day)
    ids = {p.person_id for p in board.leaders} | {p.person_id for p in board.party_group}
    return render(
        request,
        "organization/leadership.html",
        {
            "board": board,
            "on": day,
            "is_today": day == clock.today(),
            "date_error": date_error,
            "visible_ids": _visible_ids(request, ids),
            "section": "leadership",
        },
    )


OVERVIEW_ROWS = 50


@view_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    day, date_error = _date_from_query(request)
    people = _visible_people(request)
    # The lists show the first OVERVIEW_ROWS (the figures above them count everyone), so that the
    # page costs the same for 90 staff as for 5,000.
    youth_all = selectors.youth_staff(on=day, people=people)
    youth = list(youth_all[:OVERVIEW_ROWS])
    for person in youth:
        person.age = person.age_on(day)  # type: ignore[attr-defined]
    cadres_all = selectors.section_level_cadres(on=day, people=people)
    return render(
        request,
        "organization/overview.html",
        {
            "overview": selectors.organ_overview(on=day),
            "youth": youth,
            "youth_total": youth_all.count(),
            "cadres": cadres_all[:OVERVIEW_ROWS],
            "cadres_total": cadres_all.count(),
            "overview_rows": OVERVIEW_ROWS,
            "on": day,
            "date_error": date_error,
            "section": "overview",
            "ranks": Rank,
        },
    )


# ---------------------------------------------------------------------------------------------
# Special task groups
# ---------------------------------------------------------------------------------------------


@view_required
@require_GET
def taskgroup_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    groups = selectors.task_group_list(
        restrict(TaskGroup.objects.all(), request.user, "view"), running_only=not show_all
    )
    page = Paginator(groups, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organization/taskgroup_list.html",
        {
            "page": page,
            "show_all": show_all,
            "today": clock.today(),
            "can_manage": _can_manage(request),
            "section": "taskgroups",
        },
    )


@view_required
@require_GET
def taskgroup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_for_user_or_404(
        TaskGroup.objects.select_related("lead_unit"), request.user, "view", pk=pk
    )
    members = list(selectors.task_group_members(group))
    return render(
        request,
        "organization/taskgroup_detail.html",
        {
            "group": group,
            "members": members,
            "visible_ids": _visible_ids(request, {m.person_id for m in members}),
            "today": clock.today(),
            "can_manage": _can_manage(request),
            "section": "taskgroups",
        },
    )


@manage_required
@require_http_methods(["GET", "POST"])
def taskgroup_create(request: HttpRequest) -> HttpResponse:
    form = TaskGroupForm(request.POST or None, initial={"start_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            group = services.task_group_create(**form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已成立专项工作小组：{group.name}。请继续添加成员。")
            return redirect("organization:taskgroup_detail", pk=group.pk)
    return _form_page(
        request,
        form,
        title="成立专项工作小组",
        submit_label="保存",
        cancel_url=reverse("organization:taskgroup_list"),
        section="taskgroups",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def taskgroup_update(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_for_user_or_404(TaskGroup.objects.all(), request.user, "change", pk=pk)
    initial = {
        "name": group.name,
        "purpose": group.purpose,
        "lead_unit": group.lead_unit_id,
        "start_date": group.start_date,
        "end_date": group.end_date,
    }
    form = TaskGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_group_update(group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存专项工作小组：{group.name}。")
            return redirect("organization:taskgroup_detail", pk=group.pk)
    return _form_page(
        request,
        form,
        title=f"修改专项工作小组：{group.name}",
        intro="小组工作结束时，填写结束日期即可；成员与历史记录均保留。",
        submit_label="保存",
        cancel_url=reverse("organization:taskgroup_detail", args=[group.pk]),
        section="taskgroups",
    )


@manage_required
@require_http_methods(["GET", "POST"])
def taskgroup_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_for_user_or_404(TaskGroup.objects.all(), request.user, "change", pk=pk)
    candidates = selectors.person_search(Person.objects.exclude(task_groups=group))
    form = TaskGroupMemberForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.task_group_add_member(group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"已将{member.person.name}加入“{group.name}”（{member.get_role_display()}）。",
            )
            return redirect("organization:taskgroup_detail", pk=group.pk)
    return _form_page(
        request,
        form,
        title=f"添加小组成员：{group.name}",
        intro="成员可从机关各单位抽调；已离岗人员不在可选范围内。",
        submit_label="添加",
        cancel_url=reverse("organization:taskgroup_detail", args=[group.pk]),
        section="taskgroups",
    )


@manage_required
@require_POST
def taskgroup_member_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    group = get_object_for_user_or_404(TaskGroup.objects.all(), request.user, "change", pk=pk)
    person = get_object_for_user_or_404(Person.objects.all(), request.user, "change", pk=person_pk)
    try:
        services.task_group_remove_member(group=group, person=person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已将{person.name}移出“{group.name}”。")
    return redirect("organization:taskgroup_detail", pk=group.pk)


# ---------------------------------------------------------------------------------------------
# Address book (通讯录)
# ---------------------------------------------------------------------------------------------


@gates.requires("cap:organization.view")
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    from . import directory as book

    units = book.units()
    read = params.Params(request.GET)
    unit_id = read.id("unit")
    unit = next((u for u in units if u.pk == unit_id), None)
    query = read.text("q", 50)
    return render(
        request,
        "organization/directory.html",
        {
            "rows": book.entries(
                request.user, clock.today(), unit_id=unit.pk if unit else None, query=query
            ),
            "units": units,
            "unit": unit,
            "query": query,
            "mobiles_visible": book.sees_mobiles(request.user),
        },
    )
