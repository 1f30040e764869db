"""Pages of the deputies' area: the deputy's phone pages, the handling body's pages and the
office's pages. Outsider pages are marked `outsider_view` and scope their rows to the outsider."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.accounts.decorators import business_required, outsider_view
from apps.accounts.permissions import external_unit_id, get_object_for_user_or_404, restrict
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, gates, params
from apps.core.forms import apply_validation_error
from apps.core.outcomes import flash_refusal, reported
from apps.core.types import AuthenticatedRequest
from apps.ledger.choices import Source
from apps.ledger.models import Checklist

from . import exports, forms, scopes, selectors, services, stations, statistics
from .choices import DutyKind, HandlingRole, Level, SuggestionStatus
from .models import (
    AnswerLetter,
    Deputy,
    Handling,
    ReceptionDay,
    Station,
    StationMatter,
    Suggestion,
)


def _deputy(request: AuthenticatedRequest) -> Deputy:
    gates.check(request.user, "deputies.deputy")  # the gate of the deputy's links (apps.py)
    deputy = scopes.deputy_of(request.user)
    assert deputy is not None
    return deputy


def _body(request: AuthenticatedRequest) -> int:
    body = external_unit_id(request.user)
    if body is None:
        raise PermissionDenied("该页面仅供承办单位联络员使用。")
    return body


def _office_reader(request: AuthenticatedRequest) -> None:
    gates.check(request.user, "deputies.readers")  # the gate of the office's links (apps.py)


# ---------------------------------------------------------------- the deputy's phone pages


@outsider_view
def my_home(request: AuthenticatedRequest) -> HttpResponse:
    deputy = _deputy(request)
    return render(
        request,
        "deputies/my_home.html",
        {
            "deputy": deputy,
            "mandates": deputy.mandates.all(),
            "totals": selectors.duty_totals(deputy),
            "duties": deputy.duties.all()[:20],
            "pending": selectors.pending_letters(deputy),
            "receptions": selectors.duty_days(deputy),
        },
    )


@outsider_view
def my_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    _deputy(request)
    rows = selectors.suggestions_for(request.user)[:200]
    return render(request, "deputies/my_suggestions.html", {"suggestions": rows})


@outsider_view
@require_http_methods(["GET", "POST"])
def my_suggestion_new(request: AuthenticatedRequest) -> HttpResponse:
    deputy = _deputy(request)
    form = forms.SuggestionForm(request.POST or None)
    form.fields["cosigners"].queryset = Deputy.objects.exclude(pk=deputy.pk)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_create(actor=request.user, spec=_spec(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "草稿已保存，确认无误后请提交。")
            return redirect("deputies:my_suggestion", suggestion.pk)
    return render(request, "deputies/my_form.html", {"form": form, "title": "提出建议"})


def _spec(form: forms.SuggestionForm) -> services.SuggestionSpec:
    data = form.cleaned_data
    return services.SuggestionSpec(
        checklist=data["checklist"],
        title=data["title"],
        content=data["content"],
        topic=data["topic"],
        cosigners=list(data["cosigners"]),
    )


@outsider_view
@require_http_methods(["GET", "POST"])
def my_suggestion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deputy = _deputy(request)
    suggestion = get_object_for_user_or_404(Suggestion.objects.all(), request.user, pk=pk)
    form = None
    if suggestion.status == SuggestionStatus.DRAFT and suggestion.proposer_id == deputy.pk:
        initial = {
            "checklist": suggestion.checklist_id,
            "title": suggestion.title,
            "content": suggestion.content,
            "topic": suggestion.topic,
            "cosigners": list(suggestion.signers.exclude(pk=deputy.pk)),
        }
        form = forms.SuggestionForm(request.POST or None, initial=initial)
        form.fields["cosigners"].queryset = Deputy.objects.exclude(pk=deputy.pk)  # type: ignore[attr-defined]
        if request.method == "POST" and form.is_valid():
            try:
                services.suggestion_update_draft(
                    actor=request.user, suggestion=suggestion, spec=_spec(form)
                )
            except (ValidationError, PermissionDenied) as error:
                flash_refusal(request, error)
            else:
                messages.success(request, "草稿已保存。")
                return redirect("deputies:my_suggestion", pk)
    elif request.method == "POST":
        raise PermissionDenied("已提交的建议不能修改。")
    letters = (
        AnswerLetter.objects.filter(answer__suggestion=suggestion, deputy=deputy)
        .select_related("answer", "answer__handling__unit")
        .order_by("answer__answered_at", "id")
    )
    return render(
        request,
        "deputies/my_suggestion.html",
        {
            "suggestion": suggestion,
            "form": form,
            "letters": letters,
            "feedback_form": forms.FeedbackForm(),
            "signers": suggestion.signers.order_by("signatures__order"),
        },
    )


@outsider_view
def my_suggestion_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _deputy(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    suggestion = get_object_for_user_or_404(Suggestion.objects.all(), request.user, pk=pk)
    with reported(
        request, "建议已提交，请等待审查。", refusals=(ValidationError, PermissionDenied)
    ):
        services.suggestion_submit(actor=request.user, suggestion=suggestion)
    return redirect("deputies:my_suggestion", pk)


@outsider_view
def my_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deputy = _deputy(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    letter = get_object_or_404(AnswerLetter.objects.select_related("answer"), pk=pk, deputy=deputy)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择满意、基本满意或不满意。")
    else:
        with reported(
            request, "已提交您的意见，谢谢。", refusals=(ValidationError, PermissionDenied)
        ):
            services.feedback_give(
                actor=request.user,
                letter=letter,
                satisfaction=form.cleaned_data["satisfaction"],
                note=form.cleaned_data["note"],
            )
    return redirect("deputies:my_suggestion", letter.answer.suggestion_id)


# ---------------------------------------------------------------- the handling body's pages


@outsider_view
def body_list(request: AuthenticatedRequest) -> HttpResponse:
    body = _body(request)
    page = Paginator(selectors.body_handlings(body), 50).get_page(request.GET.get("page"))
    return render(request, "deputies/body_list.html", {"page": page})


def _handling_for_body(request: AuthenticatedRequest, pk: int) -> Handling:
    body = _body(request)
    return get_object_or_404(
        Handling.objects.select_related("suggestion", "unit", "item"),
        pk=pk,
        unit_id=body,
        returned_at__isnull=True,
    )


@outsider_view
def body_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    handling = _handling_for_body(request, pk)
    suggestion = handling.suggestion
    co = []
    if handling.role == HandlingRole.MAIN:
        co = list(
            suggestion.handlings.filter(
                role=HandlingRole.CO, returned_at__isnull=True
            ).select_related("unit")
        )
    return render(
        request,
        "deputies/body_detail.html",
        {
            "handling": handling,
            "suggestion": suggestion,
            "signers": suggestion.signers.order_by("signatures__order"),
            "merged": suggestion.merged.all(),
            "co": co,
            "answers": handling.answers.filter(suggestion=suggestion).order_by("id"),
            "answer_form": forms.AnswerForm(),
            "reason_form": forms.ReasonForm(),
            "opinion_form": forms.OpinionForm(),
            "extension_form": forms.ExtensionForm(),
        },
    )


def _body_answer(request: AuthenticatedRequest, handling: Handling) -> None:
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        raise ValidationError("答复内容填写有误，请检查。")
    data = form.cleaned_data
    services.answer_submit(
        actor=request.user,
        handling=handling,
        klass=data["klass"],
        text=data["text"],
        signed_by=data["signed_by"],
        planned_resolution=data["planned_resolution"],
    )


def _body_return(request: AuthenticatedRequest, handling: Handling) -> None:
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.handling_return(actor=request.user, handling=handling, reason=reason)


def _body_opinion(request: AuthenticatedRequest, handling: Handling) -> None:
    form = forms.OpinionForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    services.co_opinion(actor=request.user, handling=handling, text=text)


def _body_extension(request: AuthenticatedRequest, handling: Handling) -> None:
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请填写有效的申请日期。")
    services.extension_request(
        actor=request.user,
        handling=handling,
        new_deadline=form.cleaned_data["new_deadline"],
        reason=form.cleaned_data["reason"],
    )


BODY_ACTIONS: dict[str, tuple[Callable[[AuthenticatedRequest, Handling], Any], str]] = {
    "acknowledge": (
        lambda r, h: services.handling_acknowledge(actor=r.user, handling=h),
        "已签收。",
    ),
    "return": (_body_return, "已退回办公室。"),
    "opinion": (_body_opinion, "协办意见已提交主办单位。"),
    "answer": (_body_answer, "答复已提交，待代表反馈意见。"),
    "extension": (_body_extension, "延期申请已提交办公室。"),
}


@outsider_view
def body_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    _body(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in BODY_ACTIONS:
        raise Http404("未知的操作。")
    handling = _handling_for_body(request, pk)
    run, done = BODY_ACTIONS[action]
    with reported(request, done, refusals=(ValidationError, PermissionDenied)):
        run(request, handling)
    if action == "return" and not Handling.objects.get(pk=pk).is_active:
        return redirect("deputies:body_list")
    return redirect("deputies:body_detail", pk)


# ---------------------------------------------------------------- the office's pages


@business_required
def suggestion_list(request: AuthenticatedRequest) -> HttpResponse:
    _office_reader(request)
    filters = selectors.SuggestionFilters.from_query(request.GET)
    page = Paginator(selectors.suggestions_for(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/suggestion_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": SuggestionStatus.choices,
            "sessions": Checklist.objects.filter(source=Source.DEPUTY_SUGGESTION),
            "can_run": scopes.runs_suggestions(request.user),
        },
    )


@business_required
def suggestion_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _office_reader(request)
    suggestion = get_object_for_user_or_404(
        Suggestion.objects.select_related("proposer", "checklist", "merged_into"),
        request.user,
        pk=pk,
    )
    handlings = list(suggestion.handlings.select_related("unit", "item").order_by("id"))
    return render(
        request,
        "deputies/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "signers": suggestion.signers.order_by("signatures__order"),
            "handlings": handlings,
            "answers": suggestion.answers.select_related("handling__unit")
            .prefetch_related("letters__deputy")
            .order_by("id"),
            "events": suggestion.events.select_related("actor").order_by("created_at", "id"),
            "can_run": scopes.runs_suggestions(request.user),
            "review_form": forms.ReviewForm(suggestion=suggestion),
            "assign_form": forms.AssignForm(),
            "reassign_form": forms.ReassignForm(),
            "resolution_form": forms.ResolutionForm(),
        },
    )


def _office_review(request: AuthenticatedRequest, suggestion: Suggestion) -> None:
    form = forms.ReviewForm(request.POST, suggestion=suggestion)
    if not form.is_valid():
        raise ValidationError("请选择审查结果；并案时请选择同一会议中已立案的建议。")
    services.suggestion_review(
        actor=request.user,
        suggestion=suggestion,
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
        merge_into=form.cleaned_data["merge_into"],
    )


def _office_assign(request: AuthenticatedRequest, suggestion: Suggestion) -> None:
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        raise ValidationError("交办信息填写有误：请选择交办方式和承办单位。")
    data = form.cleaned_data
    services.suggestion_assign(
        actor=request.user,
        suggestion=suggestion,
        mode=data["mode"],
        main=data["main"],
        co=list(data["co"]),
        separate=list(data["separate"]),
        key_leader=data["key_leader"],
    )


def _office_resolution(request: AuthenticatedRequest, suggestion: Suggestion) -> None:
    form = forms.ResolutionForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请选择核实结果。")
    services.resolution_check(
        actor=request.user,
        suggestion=suggestion,
        resolved=form.cleaned_data["resolved"],
        note=form.cleaned_data["note"],
    )


SUGGESTION_ACTIONS = {
    "review": (_office_review, "审查结果已保存。"),
    "assign": (_office_assign, "已交办承办单位。"),
    "resolution": (_office_resolution, "核实结果已保存。"),
}


@business_required
def suggestion_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in SUGGESTION_ACTIONS:
        raise Http404("未知的操作。")
    if not scopes.runs_suggestions(request.user):
        raise PermissionDenied("只有办公室可以办理代表建议。")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    suggestion = get_object_for_user_or_404(Suggestion.objects.all(), request.user, pk=pk)
    run, done = SUGGESTION_ACTIONS[action]
    with reported(request, done, refusals=(ValidationError, PermissionDenied)):
        run(request, suggestion)
    return redirect("deputies:suggestion_detail", pk)


def _office_reassign(request: AuthenticatedRequest, handling: Handling) -> None:
    form = forms.ReassignForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请选择改派的承办单位。")
    services.handling_reassign(
        actor=request.user,
        handling=handling,
        unit=form.cleaned_data["unit"],
        note=form.cleaned_data["note"],
    )


def _note(request: AuthenticatedRequest) -> str:
    form = forms.NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else ""


HANDLING_ACTIONS: dict[str, tuple[Callable[[AuthenticatedRequest, Handling], Any], str]] = {
    "conclude": (
        lambda r, h: services.handling_conclude(actor=r.user, handling=h, note=_note(r)),
        "已确认办理结果。",
    ),
    "rehandle": (
        lambda r, h: services.handling_rehandle(actor=r.user, handling=h, note=_note(r)),
        "已交承办单位重新办理。",
    ),
    "reassign": (_office_reassign, "已改派。"),
}


@business_required
def handling_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in HANDLING_ACTIONS:
        raise Http404("未知的操作。")
    if not scopes.runs_suggestions(request.user):
        raise PermissionDenied("只有办公室可以办理代表建议。")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    handling = get_object_for_user_or_404(Handling.objects.all(), request.user, pk=pk)
    run, done = HANDLING_ACTIONS[action]
    with reported(request, done, refusals=(ValidationError, PermissionDenied)):
        run(request, handling)
    return redirect("deputies:suggestion_detail", handling.suggestion_id)


@business_required
def deputy_list(request: AuthenticatedRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    station = params.Params(request.GET).id("station")
    deputies = restrict(Deputy.objects.all(), request.user).select_related("station")
    if level in Level.values:
        deputies = deputies.filter(mandates__level=level)
    if station is not None:
        deputies = deputies.filter(station_id=station)
    deputies = deputies.prefetch_related("mandates").order_by("name", "id")
    page = Paginator(deputies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/deputy_list.html",
        {
            "page": page,
            "levels": Level.choices,
            "stations": Station.objects.all(),
            "level": level,
            "station": station,
            "sees_contacts": scopes.sees_contacts(request.user),
        },
    )


@business_required
def deputy_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deputy = get_object_for_user_or_404(
        Deputy.objects.select_related("station"), request.user, pk=pk
    )
    return render(
        request,
        "deputies/deputy_detail.html",
        {
            "deputy": deputy,
            "mandates": deputy.mandates.all(),
            "totals": selectors.duty_totals(deputy),
            "duties": deputy.duties.all()[:100],
            "kinds": dict(DutyKind.choices),
            "sees_contacts": scopes.sees_contacts(request.user),
        },
    )


@business_required
def station_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = statistics.station_rows(restrict(Station.objects.all(), request.user))
    return render(request, "deputies/station_list.html", {"stations": rows})


@business_required
def station_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    station = get_object_for_user_or_404(Station.objects.all(), request.user, pk=pk)
    initial_rule = {
        "nth": station.reception_nth or 1,
        "weekday": station.reception_weekday,
        "start": station.reception_start or datetime.time(9, 0),
        "end": station.reception_end or datetime.time(11, 30),
        "first_month": clock.today(),
        "months": 6,
        "topic": "代表接待日",
    }
    can_run = scopes.runs_suggestions(request.user)
    activities = selectors.station_activities(station)
    return render(
        request,
        "deputies/station_detail.html",
        {
            "station": station,
            "activities": activities,
            "activity_form": forms.ActivityForm(
                station=station, initial={"date": clock.today(), "is_reception": True}
            ),
            "members": station.deputies.order_by("name", "id"),
            "upcoming": selectors.reception_days(station, upcoming=True),
            "past": selectors.reception_days(station, upcoming=False),
            "can_run": can_run,
            "rule_form": forms.ReceptionRuleForm(initial=initial_rule),
            "reception_form": forms.ReceptionForm(
                station=station,
                initial={"start": initial_rule["start"], "end": initial_rule["end"]},
            ),
        },
    )


def _station_activity(request: AuthenticatedRequest, station: Station) -> str:
    form = forms.ActivityForm(request.POST, station=station)
    if not form.is_valid():
        raise ValidationError(_form_errors(form, "接待情况填写有误，请检查。"))
    reception = None
    if (wanted := params.Params(request.POST).id("reception")) is not None:
        reception = get_object_or_404(ReceptionDay, pk=wanted, station=station)
    data = form.cleaned_data
    activity = services.activity_record(
        actor=request.user,
        station=station,
        date=data["date"],
        title=data["title"],
        attendees=list(data["attendees"]),
        matters=data["matters"],
        is_reception=data["is_reception"],
        reception=reception,
    )
    return f"已登记接待情况，记录群众反映问题{activity.matter_rows.count()}件。"


def _station_rule(request: AuthenticatedRequest, station: Station) -> str:
    form = forms.ReceptionRuleForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_errors(form, "接待日规则填写有误，请检查。"))
    data = form.cleaned_data
    result = stations.reception_rule_generate(
        actor=request.user,
        station=station,
        spec=stations.RuleSpec(
            nth=data["nth"],
            weekday=data["weekday"],
            start=data["start"],
            end=data["end"],
            first_month=data["first_month"],
            months=data["months"],
            topic=data["topic"],
        ),
    )
    text = f"已生成接待日{result.created}个"
    if result.kept:
        text += f"，{result.kept}个已存在未重复生成"
    if result.moved:
        text += "；" + "；".join(r.note for r in result.moved)
    return text + "。"


def _station_reception(request: AuthenticatedRequest, station: Station) -> str:
    form = forms.ReceptionForm(request.POST, station=station)
    if not form.is_valid():
        raise ValidationError(_form_errors(form, "接待日填写有误，请检查。"))
    reception = None
    if (wanted := params.Params(request.POST).id("reception")) is not None:
        reception = get_object_or_404(ReceptionDay, pk=wanted, station=station)
    data = form.cleaned_data
    stations.reception_day_save(
        actor=request.user,
        station=station,
        reception=reception,
        spec=stations.ReceptionSpec(
            date=data["date"],
            start=data["start"],
            end=data["end"],
            topic=data["topic"],
            on_duty=list(data["on_duty"]),
        ),
    )
    return "接待日已保存。"


def _form_errors(form: Any, fallback: str) -> list[str]:
    found = [str(message) for errors in form.errors.values() for message in errors]
    return [f"{fallback}{'；'.join(found)}"] if found else [fallback]


STATION_ACTIONS: dict[str, Callable[[AuthenticatedRequest, Station], str]] = {
    "rule": _station_rule,
    "reception": _station_reception,
    "activity": _station_activity,
}


@business_required
def station_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in STATION_ACTIONS:
        raise Http404("未知的操作。")
    if not scopes.runs_suggestions(request.user):
        raise PermissionDenied("只有办公室可以安排代表接待日。")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    station = get_object_for_user_or_404(Station.objects.all(), request.user, pk=pk)
    with reported(request, refusals=(ValidationError, PermissionDenied)) as outcome:
        outcome.success = STATION_ACTIONS[action](request, station)
    return redirect("deputies:station_detail", pk)


def _matter_initial(matter: StationMatter) -> tuple[str, str]:
    activity = matter.activity
    text = matter.text.strip()
    origin = f"（{activity.station.name}{activity.date:%Y年%m月%d日}接待群众反映）"
    return text, f"{text}\n{origin}"


def _matter_suggestion(
    request: AuthenticatedRequest, matter: StationMatter
) -> tuple[Any, Callable[[], str]]:
    attendees = matter.activity.attendees.order_by("name", "id")
    text, content = _matter_initial(matter)
    first = attendees.first()
    form = forms.MatterSuggestionForm(
        request.POST or None,
        attendees=attendees,
        initial={
            "proposer": first.pk if first else None,
            "checklist": Checklist.objects.filter(source=Source.DEPUTY_SUGGESTION)
            .order_by("-year", "-id")
            .values_list("pk", flat=True)
            .first(),
            "title": f"关于{text.rstrip('。')[:60]}的建议",
            "content": content,
        },
    )

    def run() -> str:
        data = form.cleaned_data
        suggestion = stations.matter_to_suggestion(
            actor=request.user,
            matter=matter,
            spec=stations.MatterSuggestionSpec(
                proposer=data["proposer"],
                checklist=data["checklist"],
                title=data["title"],
                content=data["content"],
                topic=data["topic"],
            ),
        )
        return f"已以{suggestion.proposer.name}代表名义提出建议，待审查。"

    return form, run


def _matter_item(
    request: AuthenticatedRequest, matter: StationMatter
) -> tuple[Any, Callable[[], str]]:
    text, content = _matter_initial(matter)
    form = forms.MatterItemForm(
        request.POST or None,
        initial={
            "deadline": clock.today() + datetime.timedelta(days=30),
            "title": text[:200],
            "content": content,
        },
    )

    def run() -> str:
        data = form.cleaned_data
        item = stations.matter_to_item(
            actor=request.user,
            matter=matter,
            spec=stations.MatterItemSpec(
                unit=data["unit"],
                deadline=data["deadline"],
                title=data["title"],
                content=data["content"],
            ),
        )
        return f"已交{item.lead_unit.name}办理，办结时限{item.deadline:%Y年%m月%d日}。"

    return form, run


MATTER_ACTIONS = {
    "suggestion": (_matter_suggestion, "转为代表建议"),
    "item": (_matter_item, "交有关单位办理（督办事项）"),
}


@business_required
@require_http_methods(["GET", "POST"])
def matter_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """Turn a matter raised at a station into a suggestion in an attending deputy's name or a
    ledger item for the relevant body (the office): a pre-filled form, then the conversion."""
    if action not in MATTER_ACTIONS:
        raise Http404("未知的操作。")
    if not scopes.runs_suggestions(request.user):
        raise PermissionDenied("只有办公室可以转办群众反映的问题。")
    matter = get_object_for_user_or_404(
        StationMatter.objects.select_related("activity__station", "suggestion", "item"),
        request.user,
        pk=pk,
    )
    build, title = MATTER_ACTIONS[action]
    form, run = build(request, matter)
    if request.method == "POST" and form.is_valid():
        try:
            done = run()
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect("deputies:station_detail", matter.activity.station_id)
    return render(
        request,
        "deputies/matter_convert.html",
        {
            "matter": matter,
            "state": selectors.matter_state(matter),
            "form": form,
            "title": title,
        },
    )


def _statistics_scope(request: AuthenticatedRequest) -> tuple[Checklist | None, str]:
    _office_reader(request)
    checklist_id = params.Params(request.GET).id("checklist")
    sessions = Checklist.objects.filter(source=Source.DEPUTY_SUGGESTION)
    checklist = sessions.filter(pk=checklist_id).first() if checklist_id else None
    return checklist, checklist.name if checklist else "全部会议（批次）的代表建议"


@business_required
def statistics_page(request: AuthenticatedRequest) -> HttpResponse:
    checklist, _ = _statistics_scope(request)
    figures = statistics.suggestion_figures(checklist)
    return render(
        request,
        "deputies/statistics.html",
        {
            "figures": figures,
            "sessions": Checklist.objects.filter(source=Source.DEPUTY_SUGGESTION),
            "checklist": checklist,
            "chart_data": statistics.chart_data(figures),
            "stations": statistics.station_rows(Station.objects.all()),
            "delegations": statistics.delegation_totals(),
        },
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    return downloads.file_download(content, name, kind)


@business_required
def statistics_export(request: AuthenticatedRequest) -> HttpResponse:
    checklist, title = _statistics_scope(request)
    record_event(
        action=AuditAction.EXPORT,
        object_type="deputies.statistics",
        object_repr=title,
        detail={"格式": "xlsx"},
    )
    figures = statistics.suggestion_figures(checklist)
    return _download(exports.statistics_xlsx(figures, title), XLSX, "代表建议办理统计.xlsx")


@business_required
def statistics_report(request: AuthenticatedRequest) -> HttpResponse:
    checklist, title = _statistics_scope(request)
    record_event(
        action=AuditAction.EXPORT,
        object_type="deputies.report",
        object_repr=title,
        detail={"格式": "docx"},
    )
    figures = statistics.suggestion_figures(checklist)
    return _download(
        exports.handling_report_docx(figures, title), DOCX, "关于代表建议办理情况的报告.docx"
    )


def _year(request: AuthenticatedRequest) -> int:
    year = params.Params(request.GET).year("year") or clock.today().year
    return min(max(year, 2000), 2100)


@business_required
def deputy_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deputy = get_object_for_user_or_404(Deputy.objects.all(), request.user, pk=pk)
    year = _year(request)
    return _download(
        exports.annual_report_docx(deputy, year), DOCX, f"{deputy.name}代表{year}年度履职报告.docx"
    )


@outsider_view
def my_report(request: AuthenticatedRequest) -> HttpResponse:
    deputy = _deputy(request)
    year = _year(request)
    return _download(
        exports.annual_report_docx(deputy, year), DOCX, f"{deputy.name}代表{year}年度履职报告.docx"
    )
