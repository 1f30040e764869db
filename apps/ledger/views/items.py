"""The ledger table, an item's page and every action on it, the user's own items, the lists.

Views parse input and call `services`; who may do what is decided by `rules` (the buttons shown) and
enforced again by the services. A forbidden item reads as a missing one (404); a page of the ledger
refused as a whole (an administrator, a non-office user registering) is 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    current_unit_ids,
    get_object_for_user_or_404,
    is_office,
    restrict,
)
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, gates, params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest
from apps.organization.models import Unit, UnitMembership
from apps.workcalendar.services import add_workdays

from .. import rules, selectors, services
from ..choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    ExtensionStatus,
    ItemKind,
    MilestoneStatus,
    Source,
    Status,
    Warning,
)
from ..figures import FIGURES, figure_q
from ..forms import (
    ChecklistForm,
    CloseForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    FeedbackForm,
    ItemForm,
    NoteForm,
    ReasonForm,
    ReportForm,
    current_leaders,
)
from ..models import Attachment, Checklist, ExtensionRequest, Milestone, TrackedItem
from ..services import NOT_A_DRAFT, TransitionError, item_update_draft

PAGE_SIZE = 30
# A feedback due within this many workdays is listed under “待反馈” before it is late.
FEEDBACK_SOON_WORKDAYS = 3

SORT_COLUMNS = ("serial", "deadline", "warning", "unit", "status")


# --- who may do what ---------------------------------------------------------------------------


def _require_business(user: Any) -> None:
    """The three administrators (三员) have no business in the ledger."""
    gates.check(user, gates.BUSINESS)


def _require_office(user: Any, message: str = "只有办公室可以进行此操作。") -> None:
    _require_business(user)
    if not rules.can_manage(user):
        raise PermissionDenied(message)


def _with_warning(queryset: QuerySet[TrackedItem], today: datetime.date) -> QuerySet[Any]:
    # Typed loosely: the stubs cannot see the `warning` / `warning_rank` annotations.
    return cast("QuerySet[Any]", selectors.with_warning(queryset, today))


def _visible_items(user: Any) -> QuerySet[TrackedItem]:
    return restrict(TrackedItem.objects.all(), user, "view")


def _get_item(request: AuthenticatedRequest, pk: int) -> TrackedItem:
    return get_object_for_user_or_404(
        TrackedItem.objects.select_related(
            "checklist", "parent", "lead_unit", "leading_leader", "responsible_person"
        ),
        request.user,
        "view",
        pk=pk,
    )


@dataclass(frozen=True)
class Action:
    """One state change of an item, as offered on its page."""

    slug: str
    label: str
    form_class: type[forms.Form]
    allowed_from: frozenset[str]
    guard: Callable[[Any, TrackedItem], bool]
    run: Callable[[Any, TrackedItem, dict[str, Any]], Any]
    success: str
    button: str = "btn-primary"
    confirm: str = ""


def _unit(user: Any, item: TrackedItem) -> bool:
    return rules.is_unit_actor(user, item)


def _office(user: Any, item: TrackedItem) -> bool:
    return rules.can_manage(user)


ACTIONS: dict[str, Action] = {
    action.slug: action
    for action in [
        Action(
            "assign",
            "交办",
            NoteForm,
            frozenset({Status.DRAFT}),
            _office,
            lambda u, i, d: services.item_assign(actor=u, item=i, note=d["note"]),
            "事项已交办，已通知牵头单位负责人和责任人。",
            confirm="交办后事项内容不能再修改，确定交办吗？",
        ),
        Action(
            "acknowledge",
            "签收",
            NoteForm,
            frozenset({Status.ASSIGNED}),
            _unit,
            lambda u, i, d: services.item_acknowledge(actor=u, item=i, note=d["note"]),
            "已签收。",
        ),
        Action(
            "start",
            "开始办理",
            NoteForm,
            frozenset({Status.ACKNOWLEDGED}),
            _unit,
            lambda u, i, d: services.item_start(actor=u, item=i, note=d["note"]),
            "已开始办理。",
        ),
        Action(
            "report",
            "报送办结",
            ReportForm,
            frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS}),
            _unit,
            lambda u, i, d: services.item_report_completion(
                actor=u, item=i, text=d["text"], attachments=d["attachments"]
            ),
            "已报送办结，等待办公室核验。",
            button="btn-success",
        ),
        Action(
            "return",
            "退回",
            ReasonForm,
            frozenset({Status.REPORTED, Status.VERIFIED}),
            _office,
            lambda u, i, d: services.item_return(actor=u, item=i, reason=d["reason"]),
            "已退回牵头单位重新办理。",
            button="btn-warning",
        ),
        Action(
            "verify",
            "核验",
            NoteForm,
            frozenset({Status.REPORTED}),
            _office,
            lambda u, i, d: services.item_verify(actor=u, item=i, note=d["note"]),
            "已核验，可以销号。",
            button="btn-success",
        ),
        Action(
            "close",
            "销号",
            CloseForm,
            frozenset({Status.VERIFIED}),
            _office,
            lambda u, i, d: services.item_close(
                actor=u, item=i, evidence=d["evidence"], attachments=d["attachments"]
            ),
            "事项已销号。",
            button="btn-success",
        ),
        Action(
            "cancel",
            "撤销",
            ReasonForm,
            frozenset({Status.DRAFT, *OPEN_STATUSES}),
            _office,
            lambda u, i, d: services.item_cancel(actor=u, item=i, reason=d["reason"]),
            "事项已撤销。",
            button="btn-outline-danger",
            confirm="撤销后事项不再督办，确定撤销吗？",
        ),
    ]
}

FEEDBACK_STATUSES = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS})
EXTENSION_STATUSES = OPEN_STATUSES - {Status.VERIFIED}


def _action_form(action: Action, data: Any = None, files: Any = None) -> forms.Form:
    # Several forms share the page: distinct ids, same field names (the services' names).
    return action.form_class(data, files, auto_id=f"id_{action.slug}_%s")


# --- the ledger table ----------------------------------------------------------------------------


def _decorate(items: list[TrackedItem], today: datetime.date) -> list[TrackedItem]:
    """Days left, days overdue and why a red item is red (超期 / 反馈逾期 / 节点逾期), for the
    template; one query for the late milestones of all the rows."""
    late_nodes = set(
        Milestone.objects.filter(
            item_id__in=[i.pk for i in items if i.status in OPEN_STATUSES],
            status=MilestoneStatus.PENDING,
            deadline__lt=today,
        ).values_list("item_id", flat=True)
    )
    for item in items:
        days = (item.deadline - today).days
        item.days_left = days  # type: ignore[attr-defined]
        item.days_overdue = max(-days, 0) if not item.is_standing else 0  # type: ignore[attr-defined]
        reasons = []
        if item.status in OPEN_STATUSES:
            if not item.is_standing and item.deadline < today:
                reasons.append("超期未办结")
            if item.feedback_due is not None and item.feedback_due < today:
                reasons.append("反馈逾期")
            if item.pk in late_nodes:
                reasons.append("节点逾期")
        item.red_reasons = reasons  # type: ignore[attr-defined]
    return items


def _filter_choices(user: Any) -> dict[str, Any]:
    today = clock.today()
    return {
        "checklists": selectors.checklists_for(user).order_by("-year", "id"),
        "statuses": Status.choices,
        "sources": Source.choices,
        "kinds": ItemKind.choices,
        "warnings": [(w.value, w.label) for w in (Warning.RED, Warning.YELLOW, Warning.GREEN)],
        "units": Unit.objects.filter(is_active=True),
        "leaders": current_leaders(today),
    }


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the sort a click asks for, and the column's aria-sort state."""
    links = {}
    for key in SORT_COLUMNS:
        if key == "deadline":
            # The deadline column alone toggles: earliest first, then latest first.
            next_sort = "-deadline" if current == "deadline" else "deadline"
            state = {"deadline": "ascending", "-deadline": "descending"}.get(current, "none")
        else:
            next_sort, state = key, ("ascending" if current == key else "none")
        links[key] = {"next": next_sort, "state": state}
    return links


@gates.requires(gates.BUSINESS)
@require_GET
def item_list(request: AuthenticatedRequest) -> HttpResponse:
    """The ledger (台账): every visible item, filtered, sorted by a column, 30 a page."""
    _require_business(request.user)
    today = clock.today()
    filters = selectors.LedgerFilters.from_query(request.GET)
    items = selectors.ledger_items(request.user, filters, today)
    # Counted on the ids, not on the annotated (and maybe distinct) rows: a figure's subquery then
    # refers to a plain table.
    summary = TrackedItem.objects.filter(pk__in=items.values("pk")).aggregate(
        total=Count("pk"),
        **{
            key: Count("pk", filter=figure_q(key, today))
            for key in ("red", "yellow", "overdue", "feedback_late", "milestone_late")
        },
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _decorate(list(page.object_list), today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/item_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "summary": summary,
            "sorts": _sort_links(filters.sort),
            "export_query": query.urlencode(),
            "can_manage": rules.can_manage(request.user),
            "today": today,
            "figure": FIGURES.get(filters.figure),
            "whole_organ": selectors.visible_to_whole_organ(request.user),
            "summary_cards": [
                (key, FIGURES[key].label)
                for key in ("overdue", "feedback_late", "milestone_late", "yellow")
            ],
            **_filter_choices(request.user),
        },
    )


# --- my items ------------------------------------------------------------------------------------


def _feedback_soon(today: datetime.date) -> datetime.date:
    return add_workdays(today, FEEDBACK_SOON_WORKDAYS)


def _group(key: str, title: str, icon: str, items: list[Any], empty: str) -> dict[str, Any]:
    return {"key": key, "title": title, "icon": icon, "items": items, "empty": empty}


@gates.requires(gates.BUSINESS)
@require_GET
def my_items(request: AuthenticatedRequest) -> HttpResponse:
    """What the signed-in person has to do next, grouped: sign, report, hurry, verify, decide."""
    user = request.user
    _require_business(user)
    today = clock.today()
    person_id = user.person_id
    office = is_office(user)
    mine = Q(pk__in=[])
    headed_units: list[int] = []
    if person_id:
        mine = Q(responsible_person_id=person_id) | Q(leading_leader_id=person_id)
        if office:
            mine |= Q(trackers=person_id)
        headed_units = list(
            UnitMembership.objects.on(today)
            .filter(person_id=person_id, is_head=True)
            .values_list("unit_id", flat=True)
        )
        if headed_units:
            # A unit head answers for every open item of the unit, led or co-operated on.
            mine |= Q(lead_unit_id__in=headed_units) | Q(co_units__in=headed_units)
    # The join on trackers / co-units can repeat rows: pick the ids first.
    base = _visible_items(user).filter(
        pk__in=TrackedItem.objects.filter(mine).values("pk"), status__in=OPEN_STATUSES
    )
    open_items = _decorate(
        list(
            _with_warning(base, today)
            .select_related("checklist", "lead_unit", "leading_leader", "responsible_person")
            .order_by("warning_rank", "deadline", "id")
        ),
        today,
    )
    co_unit_items: set[int] = set()
    if headed_units:
        co_unit_items = set(
            TrackedItem.co_units.through.objects.filter(  # type: ignore[attr-defined]
                unit_id__in=headed_units, trackeditem_id__in=[i.pk for i in open_items]
            ).values_list("trackeditem_id", flat=True)
        )

    soon = _feedback_soon(today)
    to_acknowledge = [
        i for i in open_items if i.status == Status.ASSIGNED and rules.is_unit_actor(user, i)
    ]
    to_feed_back = [
        i
        for i in open_items
        if i.status in FEEDBACK_STATUSES
        and i.feedback_due is not None
        and i.feedback_due <= soon
        and (rules.is_unit_actor(user, i) or i.pk in co_unit_items)
    ]
    # Each item once: in the first group that asks something of the user, else under 其他在办.
    listed = {i.pk for i in to_acknowledge} | {i.pk for i in to_feed_back}
    urgent = [
        i
        for i in open_items
        if i.warning in (Warning.RED, Warning.YELLOW) and i.pk not in listed  # type: ignore[attr-defined]
    ]
    listed |= {i.pk for i in urgent}

    to_verify: list[TrackedItem] = []
    to_close: list[TrackedItem] = []
    if office:
        office_queue = _decorate(
            list(
                _with_warning(
                    _visible_items(user).filter(status__in=[Status.REPORTED, Status.VERIFIED]),
                    today,
                )
                .select_related("checklist", "lead_unit", "leading_leader", "responsible_person")
                .order_by("reported_at", "id")
            ),
            today,
        )
        to_verify = [i for i in office_queue if i.status == Status.REPORTED]
        to_close = [i for i in office_queue if i.status == Status.VERIFIED]

    extensions: list[ExtensionRequest] = []
    if person_id or office:
        decide = Q(item__leading_leader_id=person_id) if person_id else Q(pk__in=[])
        if office and user.role == Role.UNIT_HEAD:
            # Without a leading leader, the head of the General Office decides (rules).
            decide |= Q(item__leading_leader__isnull=True)
        extensions = list(
            ExtensionRequest.objects.filter(decide, status=ExtensionStatus.PENDING)
            .filter(item__in=_visible_items(user).values("pk"))
            .select_related(
                "item", "item__checklist", "item__lead_unit", "requested_by", "requested_by__person"
            )
            .order_by("requested_at", "id")
        )

    # Signing and feedback are a unit's work: a leader without a unit is not shown empty boxes.
    acts_for_a_unit = bool(current_unit_ids(user)) or bool(to_acknowledge or to_feed_back)
    groups = []
    if acts_for_a_unit:
        groups += [
            _group("acknowledge", "待签收", "inbox", to_acknowledge, "没有待签收的事项。"),
            _group(
                "feedback", "待反馈", "message-report", to_feed_back, "近期没有到期的进展反馈。"
            ),
        ]
    groups.append(_group("urgent", "临期/逾期", "alarm", urgent, "没有临期或逾期的事项。"))
    if office:
        groups += [
            _group("verify", "待核验", "checklist", to_verify, "没有待核验的事项。"),
            _group("close", "待销号", "circle-check", to_close, "没有待销号的事项。"),
        ]
    return render(
        request,
        "ledger/my_items.html",
        {
            "groups": groups,
            "extensions": extensions,
            "show_extensions": bool(extensions) or user.role == Role.LEADER,
            "open_items": [i for i in open_items if i.pk not in listed],
            "today": today,
            "can_manage": office,
        },
    )


# --- an item's page ------------------------------------------------------------------------------


def _available_actions(user: Any, item: TrackedItem) -> list[Action]:
    return [a for a in ACTIONS.values() if item.status in a.allowed_from and a.guard(user, item)]


def _detail_context(
    request: AuthenticatedRequest,
    item: TrackedItem,
    bound: dict[str, forms.Form] | None = None,
) -> dict[str, Any]:
    """Everything the item page shows; `bound` holds a submitted form to show with its errors."""
    user = request.user
    bound = bound or {}
    today = clock.today()
    actions = _available_actions(user, item)
    pending_extension = item.extensions.filter(status=ExtensionStatus.PENDING).first()
    unit_actor = rules.is_unit_actor(user, item)
    can_manage = rules.can_manage(user)
    can_feed_back = item.status in FEEDBACK_STATUSES and rules.can_feed_back(user, item)
    can_request_extension = (
        item.status in EXTENSION_STATUSES and unit_actor and pending_extension is None
    )
    can_decide = pending_extension is not None and rules.can_decide_extension(user, item)
    can_complete_milestone = item.status in OPEN_STATUSES and (unit_actor or can_manage)
    measures: list[TrackedItem] = []
    if item.kind == ItemKind.PROBLEM:
        measures = _decorate(
            list(
                _with_warning(_visible_items(user).filter(parent=item), today).select_related(
                    "checklist", "lead_unit", "responsible_person"
                )
            ),
            today,
        )
    _decorate([item], today)
    extensions = list(
        item.extensions.select_related(
            "requested_by", "requested_by__person", "decided_by", "decided_by__person"
        )
    )
    return {
        "item": item,
        "warning": selectors.item_warning(item, today),
        "co_units": list(item.co_units.all()),
        "trackers": list(item.trackers.all()),
        "milestones": selectors.milestones_with_warning(item, today),
        "measures": measures,
        "reports": list(item.reports.select_related("reporter", "reporter__person")),
        "extensions": extensions,
        "attachments": list(item.attachments.all()),
        "timeline": list(selectors.item_timeline(item)),
        "actions": [{"action": a, "form": bound.get(a.slug) or _action_form(a)} for a in actions],
        "open_panel": next(iter(bound), ""),
        "feedback_form": bound.get("feedback")
        or FeedbackForm(auto_id="id_feedback_%s", initial={"percent": item.progress}),
        "extension_form": bound.get("extension") or ExtensionRequestForm(auto_id="id_ext_%s"),
        "decide_form": bound.get("decide") or ExtensionDecideForm(auto_id="id_decide_%s"),
        "pending_extension": pending_extension,
        "can_feed_back": can_feed_back,
        "can_request_extension": can_request_extension,
        "can_decide": can_decide,
        "can_complete_milestone": can_complete_milestone,
        "can_edit": can_manage and item.status == Status.DRAFT,
        "can_add_measure": can_manage
        and item.kind == ItemKind.PROBLEM
        and item.status not in FINISHED_STATUSES,
        "can_manage": can_manage,
        "MilestoneStatus": MilestoneStatus,
        "today": today,
    }


@require_GET
def item_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    return render(request, "ledger/item_detail.html", _detail_context(request, item))


def _rerender(
    request: AuthenticatedRequest, item: TrackedItem, key: str, form: forms.Form
) -> HttpResponse:
    messages.error(request, "提交的内容有误，请按提示修改后重新提交。")
    return render(request, "ledger/item_detail.html", _detail_context(request, item, {key: form}))


def _refused(
    request: AuthenticatedRequest, item: TrackedItem, error: ValidationError
) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("ledger:item_detail", pk=item.pk)


@require_POST
def item_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """交办/签收/开始办理/报送办结/退回/核验/销号/撤销."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作。")
    item = _get_item(request, pk)
    if not spec.guard(request.user, item):
        raise PermissionDenied(f"您无权对该事项执行“{spec.label}”。")
    form = _action_form(spec, request.POST, request.FILES)
    if not form.is_valid():
        return _rerender(request, item, spec.slug, form)
    try:
        spec.run(request.user, item, form.cleaned_data)
    except TransitionError as error:
        return _refused(request, item, error)
    except ValidationError as error:
        apply_validation_error(form, error)
        return _rerender(request, item, spec.slug, form)
    messages.success(request, spec.success)
    return redirect("ledger:item_detail", pk=item.pk)


@require_POST
def item_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """进展反馈."""
    item = _get_item(request, pk)
    if not rules.can_feed_back(request.user, item):
        raise PermissionDenied("只有牵头单位、配合单位或责任人可以反馈进展。")
    form = FeedbackForm(request.POST, request.FILES, auto_id="id_feedback_%s")
    if not form.is_valid():
        return _rerender(request, item, "feedback", form)
    try:
        report = services.feedback_submit(
            actor=request.user,
            item=item,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            attachments=form.cleaned_data["attachments"],
        )
    except TransitionError as error:
        return _refused(request, item, error)
    except ValidationError as error:
        apply_validation_error(form, error, default_field="text")
        return _rerender(request, item, "feedback", form)
    messages.success(
        request,
        "配合情况已反馈，牵头单位可以看到；事项的状态和反馈时限由牵头单位负责。"
        if report.contribution
        else "进展情况已反馈。",
    )
    return redirect("ledger:item_detail", pk=item.pk)


@require_POST
def extension_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """申请延期 (to the leading leader)."""
    item = _get_item(request, pk)
    if not rules.is_unit_actor(request.user, item):
        raise PermissionDenied("只有牵头单位或责任人可以申请延期。")
    form = ExtensionRequestForm(request.POST, auto_id="id_ext_%s")
    if not form.is_valid():
        return _rerender(request, item, "extension", form)
    try:
        services.extension_request(
            actor=request.user,
            item=item,
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
        )
    except TransitionError as error:
        return _refused(request, item, error)
    except ValidationError as error:
        apply_validation_error(form, error, default_field="new_deadline")
        return _rerender(request, item, "extension", form)
    messages.success(request, "延期申请已提交，等待领责督办领导审批。")
    return redirect("ledger:item_detail", pk=item.pk)


@require_POST
def extension_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The leading leader grants or refuses an extension request."""
    extension = (
        ExtensionRequest.objects.filter(item__in=_visible_items(request.user).values("pk"))
        .select_related("item")
        .filter(pk=pk)
        .first()
    )
    if extension is None:
        raise Http404("未找到该延期申请，或您无权访问。")
    item = _get_item(request, extension.item_id)
    if not rules.can_decide_extension(request.user, item):
        raise PermissionDenied("只有领责督办领导可以审批延期申请。")
    form = ExtensionDecideForm(request.POST, auto_id="id_decide_%s")
    if not form.is_valid():
        return _rerender(request, item, "decide", form)
    try:
        services.extension_decide(
            actor=request.user,
            request=extension,
            grant=form.grant,
            note=form.cleaned_data["note"],
        )
    except TransitionError as error:
        return _refused(request, item, error)
    except ValidationError as error:
        apply_validation_error(form, error, default_field="note")
        return _rerender(request, item, "decide", form)
    if form.grant:
        messages.success(
            request, f"已同意延期，办结时限调整为{extension.new_deadline:%Y年%m月%d日}。"
        )
    else:
        messages.success(request, "已答复不同意延期。")
    return redirect("ledger:item_detail", pk=item.pk)


@require_POST
def milestone_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm a time node (时间节点) done."""
    milestone = (
        Milestone.objects.filter(item__in=_visible_items(request.user).values("pk"), pk=pk)
        .select_related("item")
        .first()
    )
    if milestone is None:
        raise Http404("未找到该时间节点，或您无权访问。")
    item = milestone.item
    try:
        services.milestone_complete(
            actor=request.user,
            milestone=milestone,
            note=params.clean_text(request.POST.get("note", ""), 500),
        )
    except ValidationError as error:
        return _refused(request, item, error)
    messages.success(request, f"时间节点“{milestone.title}”已确认完成。")
    return redirect("ledger:item_detail", pk=item.pk)


@require_GET
def attachment_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Serve an attachment to whoever may see its item; to anyone else it does not exist."""
    attachment = Attachment.objects.filter(
        item__in=_visible_items(request.user).values("pk"), pk=pk
    ).first()
    if attachment is None:
        raise Http404("未找到该附件，或您无权访问。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在，请联系系统管理员。") from None
    record_event(
        action=AuditAction.EXPORT,
        obj=attachment.item,
        detail={"附件下载": attachment.name, "附件ID": attachment.pk},
    )
    return downloads.file_download(handle, attachment.name, "application/octet-stream")


# --- registering and editing ---------------------------------------------------------------------


def _save_item_form(
    request: AuthenticatedRequest,
    form: ItemForm,
    save: Callable[[services.ItemSpec], TrackedItem],
) -> TrackedItem | None:
    """Validate the form, run the service; errors go onto the form and nothing is saved."""
    if not form.is_valid():
        return None
    try:
        return save(form.to_spec())
    except ValidationError as error:
        apply_validation_error(form, error)
        # A deadline given as N workdays shows its errors by the workday inputs.
        if form.cleaned_data.get(
            "deadline_mode"
        ) == ItemForm.DEADLINE_BY_WORKDAYS and form.errors.get("deadline"):
            for message in form.errors.pop("deadline"):
                form.add_error("deadline_workdays", message)
        return None


def _item_form_page(
    request: AuthenticatedRequest, form: ItemForm, *, title: str, item: TrackedItem | None = None
) -> HttpResponse:
    return render(
        request,
        "ledger/item_form.html",
        {"form": form, "title": title, "item": item, "parent": form.parent},
    )


@require_http_methods(["GET", "POST"])
def item_create(request: AuthenticatedRequest) -> HttpResponse:
    """登记事项 (the office): saved as a draft, assigned from its page."""
    _require_office(request.user, "只有办公室可以登记督办事项。")
    initial: dict[str, Any] = {}
    if checklist_id := params.Params(request.GET).id("checklist"):
        initial["checklist"] = checklist_id
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        item = _save_item_form(
            request, form, lambda spec: services.item_create(actor=request.user, spec=spec)
        )
        if item is not None:
            messages.success(request, f"事项“{item.title}”已登记（草稿），核对无误后请交办。")
            return redirect("ledger:item_detail", pk=item.pk)
    return _item_form_page(request, form, title="登记督办事项")


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edit a draft; an assigned item's deadline moves only by an extension request."""
    _require_office(request.user, "只有办公室可以修改督办事项。")
    item = _get_item(request, pk)
    if item.status != Status.DRAFT:
        messages.error(request, NOT_A_DRAFT)
        return redirect("ledger:item_detail", pk=item.pk)
    parent = item.parent if item.kind == ItemKind.MEASURE else None
    form = ItemForm(request.POST or None, initial=ItemForm.initial_from(item), parent=parent)
    if request.method == "POST":
        saved = _save_item_form(
            request, form, lambda spec: item_update_draft(actor=request.user, item=item, spec=spec)
        )
        if saved is not None:
            messages.success(request, "事项已修改。")
            return redirect("ledger:item_detail", pk=item.pk)
    return _item_form_page(request, form, title=f"修改事项 {item.reference}", item=item)


@require_http_methods(["GET", "POST"])
def measure_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """新增整改措施 under a problem (the office)."""
    _require_office(request.user, "只有办公室可以新增整改措施。")
    problem = _get_item(request, pk)
    if problem.kind != ItemKind.PROBLEM:
        messages.error(request, "只有整改问题可以细化为整改措施。")
        return redirect("ledger:item_detail", pk=problem.pk)
    if problem.status in FINISHED_STATUSES:
        messages.error(request, "所属问题已销号或撤销，不能再增加措施。")
        return redirect("ledger:item_detail", pk=problem.pk)
    form = ItemForm(
        request.POST or None, initial=ItemForm.initial_for_measure(problem), parent=problem
    )
    if request.method == "POST":
        measure = _save_item_form(
            request, form, lambda spec: services.item_create(actor=request.user, spec=spec)
        )
        if measure is not None:
            messages.success(request, f"整改措施{measure.serial}已登记（草稿），核对无误后请交办。")
            return redirect("ledger:item_detail", pk=problem.pk)
    return _item_form_page(
        request, form, title=f"新增整改措施 · {problem.reference} {problem.title}"
    )


# --- lists ---------------------------------------------------------------------------------------


@require_GET
def checklist_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every list, with the visible items counted by status, and how many are red."""
    _require_business(request.user)
    today = clock.today()
    checklists = list(selectors.checklists_for(request.user).order_by("-year", "id"))
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in checklists}
    rows = (
        _with_warning(_visible_items(request.user), today)
        .values("checklist_id", "status", "warning")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        bucket = counts.setdefault(row["checklist_id"], {})
        bucket[row["status"]] = bucket.get(row["status"], 0) + row["n"]
        bucket["total"] = bucket.get("total", 0) + row["n"]
        if row["warning"] == Warning.RED:
            bucket["red"] = bucket.get("red", 0) + row["n"]
    shown_statuses = [s for s in Status if s != Status.CANCELLED]
    table = [
        {
            "checklist": c,
            "total": counts[c.pk].get("total", 0),
            "red": counts[c.pk].get("red", 0),
            "by_status": [counts[c.pk].get(s.value, 0) for s in shown_statuses],
            "cancelled": counts[c.pk].get(Status.CANCELLED.value, 0),
        }
        for c in checklists
    ]
    return render(
        request,
        "ledger/checklist_list.html",
        {
            "table": table,
            "statuses": [s.label for s in shown_statuses],
            "can_manage": rules.can_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def checklist_create(request: AuthenticatedRequest) -> HttpResponse:
    """建立清单 (the office)."""
    _require_office(request.user, "只有办公室可以建立清单。")
    form = ChecklistForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            checklist: Checklist = services.checklist_create(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"清单“{checklist.name}”已建立。")
            return redirect(f"{reverse('ledger:item_list')}?checklist={checklist.pk}")
    return render(request, "ledger/checklist_form.html", {"form": form})
