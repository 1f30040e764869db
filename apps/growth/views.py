"""Pages of growing people. Views parse input and call selectors and services only."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import business_required
from apps.accounts.permissions import (
    get_object_for_user_or_404,
    is_office,
    restrict,
    sees_whole_organ,
)
from apps.audit.context import client_ip
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, gates, params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest
from apps.organization.models import Person

from . import exports, forms, selectors, services
from .choices import PRESENCE_TONES, Presence, SessionStatus, StudyKind, TrainingKind
from .documents import growth_file_docx
from .models import (
    CadreFile,
    MentorPair,
    StudyAttendance,
    StudyReflection,
    StudySession,
    StudyTopic,
    Talk,
    TalkDuty,
    TrainingRecord,
)
from .scopes import is_party_secretary, organises

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request: AuthenticatedRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


def _year(request: AuthenticatedRequest) -> int:
    return forms.year_from(request.GET.get("year"), clock.today().year)


def _session(request: AuthenticatedRequest, pk: int, action: str = "view") -> StudySession:
    return get_object_for_user_or_404(StudySession.objects.all(), request.user, action, pk=pk)


def _can_export(user: Any) -> bool:
    return sees_whole_organ(user) or user.role == "unit_head"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return downloads.file_download(content, filename, downloads.XLSX)


# ---------------------------------------------------------------------------------------------
# Study
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def study_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    kind = request.GET.get("kind", "")
    if kind not in StudyKind.values:
        kind = ""
    sessions = selectors.register(
        restrict(StudySession.objects.all(), request.user), year=year, kind=kind
    )
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "growth/study_list.html",
        {
            "page": page,
            "year": year,
            "kind": kind,
            "kinds": StudyKind.choices,
            "can_create": is_office(request.user) or request.user.role == "unit_head",
            "can_plan": is_office(request.user),
            "can_export": _can_export(request.user),
            "section": "study",
        },
    )


@business_required
@require_GET
def study_export(request: AuthenticatedRequest) -> HttpResponse:
    if not _can_export(request.user):
        raise PermissionDenied("只有领导、办公室和单位负责人可以导出学习台账。")
    year = _year(request)
    sessions = selectors.register(restrict(StudySession.objects.all(), request.user), year=year)
    record_event(
        action=AuditAction.EXPORT, object_type="growth.study_register", detail={"年度": year}
    )
    return _xlsx(exports.register_xlsx(sessions, year), f"{year}年学习台账.xlsx")


def _session_spec(data: dict[str, Any]) -> services.SessionSpec:
    lines = [line.strip() for line in data["topics"].splitlines() if line.strip()]
    topics = [
        services.TopicSpec(title=line, is_first_topic=data["first_topic"] and n == 0)
        for n, line in enumerate(lines)
    ]
    materials = []
    if data.get("material_file") or data.get("material_link"):
        materials.append(
            (
                data.get("material_title") or "",
                data.get("material_link") or "",
                data.get("material_file"),
            )
        )
    return services.SessionSpec(
        kind=data["kind"],
        title=data["title"],
        date=data["date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        place=data["place"],
        host=data["host"],
        unit=data["unit"],
        requires_reflection=data["requires_reflection"],
        topics=topics,
        materials=materials,
    )


@business_required
@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedRequest) -> HttpResponse:
    if not (is_office(request.user) or request.user.role == "unit_head"):
        raise PermissionDenied("只有办公室和单位负责人（党支部学习）可以安排学习。")
    form = forms.SessionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                user=request.user, spec=_session_spec(form.cleaned_data)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已安排学习：{session}。")
            return redirect("growth:session_detail", session.pk)
    return render(
        request, "growth/form.html", {"form": form, "title": "安排学习", "section": "study"}
    )


@business_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("学习计划由办公室制定。")
    form = forms.PlanForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            skipped = plan.sessions.filter(status=SessionStatus.SKIPPED).count()
            messages.success(
                request,
                f"已按工作日历生成{plan.sessions.count()}次学习（节假日顺延，{skipped}周停学）。",
            )
            return redirect(f"{reverse('growth:study_list')}?year={plan.year}")
    return render(
        request, "growth/form.html", {"form": form, "title": "制定每周学习计划", "section": "study"}
    )


@business_required
@require_GET
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    own = (
        StudyAttendance.objects.filter(session=session, person_id=request.user.person_id).first()
        if request.user.person_id
        else None
    )
    reflection = (
        StudyReflection.objects.filter(session=session, person_id=request.user.person_id).first()
        if request.user.person_id
        else None
    )
    can_organise = organises(request.user, session)
    return render(
        request,
        "growth/session_detail.html",
        {
            "session": session,
            "topics": session.topics.order_by("order", "id"),
            "materials": session.materials.all(),
            "own": own,
            "tones": PRESENCE_TONES,
            "reflection": reflection,
            "reflection_form": forms.ReflectionForm(
                initial={"text": reflection.text if reflection else ""}
            ),
            "reflections": selectors.reflections_for(
                restrict(StudyReflection.objects.all(), request.user), session
            ),
            "can_organise": can_organise,
            "move_form": forms.MoveForm(initial={"date": session.date}),
            "window": selectors.session_window(session),
            "section": "study",
        },
    )


@business_required
@require_GET
def session_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The QR code the host shows on screen; it carries a signed, expiring sign-in link."""
    session = _session(request, pk)
    if not organises(request.user, session):
        raise PermissionDenied("只有会务人员和主持人可以显示签到二维码。")
    url = request.build_absolute_uri(
        reverse("growth:sign_in", args=[session.pk]) + f"?t={services.sign_in_token(session)}"
    )
    svg = segno.make(url, error="m").svg_inline(scale=8, title="扫码签到", light="#fff")
    return render(
        request,
        "growth/session_qr.html",
        {
            "session": session,
            "sign_url": url,
            "qr_svg": svg,
            "refresh_seconds": max(30, services.settings.GROWTH["QR_TOKEN_SECONDS"] // 2),
            "window": selectors.session_window(session),
            "section": "study",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def sign_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Where the QR code leads: a confirmation page (GET) and the sign-in itself (POST)."""
    session = _session(request, pk)
    token = params.clean_text(request.POST.get("t") or request.GET.get("t", ""), 200)
    if request.method == "POST":
        raw_person = params.clean_text(request.POST.get("person", ""), 100)
        person_id = (params.parse_id(raw_person) or -1) if raw_person else None
        try:
            _row, created = services.qr_sign_in(
                user=request.user,
                session=session,
                token=token,
                ip_address=client_ip(request),
                person_id=person_id,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request,
                "；".join(error.messages) if isinstance(error, ValidationError) else str(error),
            )
        else:
            stamp = clock.localtime().strftime("%H:%M:%S")
            if created:
                messages.success(request, f"签到成功（{stamp}）：{session.title}。")
            else:
                messages.info(request, "您已签到，无需重复签到。")
            return redirect("growth:session_detail", session.pk)
    return render(
        request,
        "growth/sign_in.html",
        {
            "session": session,
            "token": token,
            "window": selectors.session_window(session),
            "section": "study",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def session_roll(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if not organises(request.user, session):
        raise PermissionDenied("只有会务人员、主持人和支部所在单位负责人可以查看和登记签到表。")
    if request.method == "POST":
        form = forms.RollForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择出席或缺席，缺席须填写原因。")
        else:
            person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
            try:
                if person is None:
                    raise ValidationError("未找到该人员。")
                services.roll_record(
                    user=request.user,
                    session=session,
                    person=person,
                    present=form.cleaned_data["present"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, f"已登记：{person.name}。")
        return redirect("growth:session_roll", session.pk)
    session = services.session_roll_compute(session=session)
    return render(
        request,
        "growth/session_roll.html",
        {
            "session": session,
            "rows": selectors.session_roll(session),
            "tones": PRESENCE_TONES,
            "pending": Presence.PENDING,
            "present": Presence.PRESENT,
            "section": "study",
        },
    )


@business_required
@require_POST
def session_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写调整后的日期和原因。")
    else:
        try:
            services.session_move(user=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"学习日期已调整为 {session.date:%Y-%m-%d}。")
    return redirect("growth:session_detail", session.pk)


@business_required
@require_POST
def reflection_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = forms.ReflectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写心得体会。")
        services.reflection_submit(
            user=request.user, session=session, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "心得体会已提交。")
    return redirect("growth:session_detail", session.pk)


@business_required
@require_POST
def topic_follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = (
        StudyTopic.objects.select_related("session")
        .filter(pk=pk, session__in=restrict(StudySession.objects.all(), request.user))
        .first()
    )
    if topic is None:
        raise Http404("未找到该记录，或您无权访问。")
    form = forms.FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写贯彻落实情况。")
        services.topic_follow_up(user=request.user, topic=topic, text=form.cleaned_data["text"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "已登记贯彻落实情况。")
    return redirect("growth:session_detail", topic.session_id)


@business_required
@require_GET
def first_topics(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "growth/first_topics.html",
        {
            "rows": selectors.first_topic_register(year, request.user),
            "year": year,
            "section": "first_topics",
        },
    )


# ---------------------------------------------------------------------------------------------
# Mentoring
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def pair_list(request: AuthenticatedRequest) -> HttpResponse:
    pairs = selectors.pairs_with_progress(restrict(MentorPair.objects.all(), request.user))
    rows = [(pair, *selectors.pair_progress_label(pair)) for pair in pairs]
    return render(
        request,
        "growth/pair_list.html",
        {"rows": rows, "can_create": is_office(request.user), "section": "mentoring"},
    )


@business_required
@require_http_methods(["GET", "POST"])
def pair_create(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("传帮带结对由办公室安排。")
    form = forms.PairForm(request.POST or None)
    candidates = selectors.mentee_candidates()
    form.fields[
        "mentee"
    ].help_text = f"培养对象候选（科级干部和40岁以下年轻干部）共 {len(candidates)} 人。"
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已结对：{pair}。")
            return redirect("growth:pair_detail", pair.pk)
    return render(
        request,
        "growth/form.html",
        {"form": form, "title": "安排传帮带结对", "section": "mentoring"},
    )


@business_required
@require_GET
def pair_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pair = get_object_for_user_or_404(
        MentorPair.objects.select_related("mentor", "mentee"), request.user, pk=pk
    )
    party = request.user.person_id in {pair.mentor_id, pair.mentee_id}
    return render(
        request,
        "growth/pair_detail.html",
        {
            "pair": pair,
            "guidance": pair.guidance.select_related("by_person"),
            "evaluations": pair.evaluations.select_related("evaluator"),
            "summary": getattr(pair, "summary", None) if hasattr(pair, "summary") else None,
            "can_log": party,
            "can_evaluate": bool(services.evaluator_role(request.user, pair)),
            "is_mentee": request.user.person_id == pair.mentee_id,
            "guidance_form": forms.GuidanceForm(initial={"date": clock.today()}),
            "evaluation_form": forms.EvaluationForm(),
            "summary_form": forms.SummaryForm(),
            "section": "mentoring",
        },
    )


def _pair_post(
    request: AuthenticatedRequest, pk: int, form_class: Any, action: Any, done: str
) -> HttpResponse:
    pair = get_object_for_user_or_404(MentorPair.objects.all(), request.user, pk=pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                "；".join(str(e) for errors in form.errors.values() for e in errors)
            )
        action(user=request.user, pair=pair, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return redirect("growth:pair_detail", pair.pk)


@business_required
@require_POST
def guidance_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _pair_post(request, pk, forms.GuidanceForm, services.guidance_add, "已添加帮带记录。")


@business_required
@require_POST
def evaluation_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _pair_post(request, pk, forms.EvaluationForm, services.evaluation_submit, "评价已提交。")


@business_required
@require_POST
def summary_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _pair_post(request, pk, forms.SummaryForm, services.summary_submit, "个人总结已提交。")


# ---------------------------------------------------------------------------------------------
# The youth group
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def youth(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    sessions = selectors.register(
        restrict(StudySession.objects.all(), request.user), year=year, kind=StudyKind.YOUTH
    )
    return render(
        request,
        "growth/youth.html",
        {
            "year": year,
            "roster": selectors.youth_roster(year),
            "reference": selectors.youth_reference_date(year),
            "limit": services.settings.GROWTH["YOUTH_AGE_LIMIT"],
            "sessions": sessions[:30],
            "can_manage": is_office(request.user),
            "add_form": forms.YouthAddForm(),
            "section": "youth",
        },
    )


@business_required
@require_POST
def youth_add(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("只有办公室可以登记青年理论学习小组成员。")
    form = forms.YouthAddForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择人员。")
        membership = services.youth_member_add(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"{membership.person.name}已加入青年理论学习小组。")
    return redirect("growth:youth")


@business_required
@require_POST
def youth_recompute(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("只有办公室可以更新青年理论学习小组成员。")
    result = services.youth_group_recompute()
    messages.success(
        request, f"已按年龄基准日更新：加入 {result['joined']} 人，退出 {result['left']} 人。"
    )
    return redirect("growth:youth")


# ---------------------------------------------------------------------------------------------
# Heart-to-heart talks
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def talk_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    talks = list(
        restrict(Talk.objects.all(), request.user, "view")
        .filter(date__year=year)
        .select_related("talker", "talkee")
        .order_by("-date", "-id")[:200]
    )
    services.talks_listed(user=request.user, talks=talks)
    counts_visible = restrict(Talk.objects.all(), request.user, "count")
    duties = restrict(TalkDuty.objects.all(), request.user)
    coverage = selectors.talk_coverage(duties, year)
    # Who is missing is shown to the leader of the duty and to the party group secretary; the
    # office sees the numbers only.
    names_for = (
        {c.duty.leader_id for c in coverage}
        if is_party_secretary(request.user)
        else {request.user.person_id}
    )
    return render(
        request,
        "growth/talk_list.html",
        {
            "year": year,
            "talks": talks,
            "counts": selectors.talk_counts_per_leader(counts_visible, year),
            "show_counts": is_office(request.user) or is_party_secretary(request.user),
            "coverage": coverage,
            "names_for": names_for,
            "can_duty": is_office(request.user),
            "section": "talks",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def talk_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.person_id:
        raise PermissionDenied("您的账号未关联人员。")
    form = forms.TalkForm(
        request.POST or None, initial={"talker": request.user.person_id, "date": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.talk_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已登记{talk}，摘要已加密保存。")
            return redirect("growth:talk_detail", talk.pk)
    return render(
        request, "growth/form.html", {"form": form, "title": "登记谈心谈话", "section": "talks"}
    )


@business_required
@require_GET
def talk_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    talk, summary = services.talk_read(user=request.user, talk_id=pk)
    return render(
        request, "growth/talk_detail.html", {"talk": talk, "summary": summary, "section": "talks"}
    )


@require_GET
def talk_registry(request: AuthenticatedRequest) -> HttpResponse:
    """The audit administrator's view: that records exist (number and date entered), nothing else."""
    if request.user.role != "audit_admin":
        raise PermissionDenied("该页面仅供审计管理员核对谈心谈话记录是否存在。")
    rows = (
        restrict(Talk.objects.all(), request.user, "exist").only("pk", "created_at").order_by("-pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "growth/talk_registry.html", {"page": page})


@business_required
@require_http_methods(["GET", "POST"])
def duty_edit(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("谈心谈话责任由办公室登记。")
    form = forms.DutyForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.duty_set(
                user=request.user,
                year=data["year"],
                leader=data["leader"],
                units=list(data["units"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已保存谈心谈话责任。")
            return redirect(f"{reverse('growth:talk_list')}?year={data['year']}")
    return render(
        request,
        "growth/form.html",
        {"form": form, "title": "谈心谈话责任（分管联系单位）", "section": "talks"},
    )


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def training(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    required = selectors.training_requirement(year)
    people = restrict(CadreFile.objects.all(), request.user)
    rows = selectors.training_hours(Person.objects.filter(pk__in=people.values("pk")), year)
    short_only = request.GET.get("short") == "1"
    if short_only:
        rows = rows.filter(hours__lt=required)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    own = TrainingRecord.objects.filter(person=request.user.person).order_by("-start_date")
    return render(
        request,
        "growth/training.html",
        {
            "year": year,
            "required": required,
            "page": page,
            "short_only": short_only,
            "own": own,
            "can_manage": is_office(request.user),
            "requirement_form": forms.RequirementForm(initial={"year": year, "hours": required}),
            "section": "training",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def training_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.TrainingForm(
        request.POST or None,
        request.FILES or None,
        initial={"person": request.user.person_id, "kind": TrainingKind.EXTERNAL},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.training_record_add(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已登记培训：{record.title}（{record.hours}学时）。")
            return redirect("growth:training")
    return render(
        request, "growth/form.html", {"form": form, "title": "登记培训", "section": "training"}
    )


@business_required
@require_POST
def requirement_set(request: AuthenticatedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("年度培训学时要求由办公室设置。")
    form = forms.RequirementForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写年度和学时。")
        services.requirement_set(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "已保存年度培训学时要求。")
    return redirect("growth:training")


# ---------------------------------------------------------------------------------------------
# Growth files
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def file_list(request: AuthenticatedRequest) -> HttpResponse:
    people = restrict(CadreFile.objects.all(), request.user).filter(is_active=True)
    query = params.clean_text(request.GET.get("q", ""), 32)
    if query:
        people = people.filter(name__icontains=query)
    page = Paginator(people.order_by("name", "id"), 30).get_page(request.GET.get("page"))
    return render(request, "growth/file_list.html", {"page": page, "q": query, "section": "files"})


@business_required
@require_GET
def file_detail(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_for_user_or_404(CadreFile.objects.all(), request.user, pk=person_id)
    record_event(
        action=services.READ_ACTION, obj=person, object_type="growth.cadre_file", detail={}
    )
    return render(
        request,
        "growth/file_detail.html",
        {"file": selectors.growth_file(person), "tones": PRESENCE_TONES, "section": "files"},
    )


@business_required
@require_GET
def file_docx(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The growth file as a Word document (the 公文 engine), for the same readers as the page."""
    person = get_object_for_user_or_404(CadreFile.objects.all(), request.user, pk=person_id)
    record_event(
        action=AuditAction.EXPORT,
        obj=person,
        object_type="growth.cadre_file",
        detail={"格式": "docx"},
    )
    return downloads.file_download(
        growth_file_docx(selectors.growth_file(person)),
        f"{person.name}同志成长档案.docx",
        downloads.DOCX,
    )


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


def _statistics_allowed(user: Any) -> None:
    gates.check(user, "growth.statistics")


@business_required
@require_GET
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    _statistics_allowed(request.user)
    year = _year(request)
    data = exports.statistics_data(request.user, year)
    return render(
        request, "growth/statistics.html", {**data, "year": year, "section": "statistics"}
    )


@business_required
@require_GET
def statistics_export(request: AuthenticatedRequest) -> HttpResponse:
    _statistics_allowed(request.user)
    year = _year(request)
    record_event(action=AuditAction.EXPORT, object_type="growth.statistics", detail={"年度": year})
    return _xlsx(exports.statistics_xlsx(request.user, year), f"{year}年队伍建设统计.xlsx")
