"""Pages of the Standing Committee's sessions. Views parse input and call selectors and services.

Most pages are the organ's. Three kinds of outsider reach this area (each view marked
`@outsider_view` scopes its rows itself): a member of the Standing Committee signed in with a
deputy's account reads the sessions of their term and signs in; a reporting body's contact reaches
only the `body_*` pages, scoped to their own body's items and opinions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import business_required, outsider_view
from apps.accounts.permissions import is_business
from apps.attendance.models import AttendancePolicy
from apps.attendance.services import network_refusal
from apps.audit.context import client_ip
from apps.core import clock, downloads, gates, params
from apps.core.forms import apply_validation_error
from apps.core.outcomes import flash_refusal, reported
from apps.core.types import AuthenticatedRequest

from . import forms, scopes, selectors, services
from .choices import (
    AttendanceStatus,
    ItemType,
    OpinionStatus,
    Rating,
    SessionStatus,
    SignInMethod,
    VoteMode,
)
from .models import (
    AgendaItem,
    CommitteeMember,
    DirectorsMeeting,
    Material,
    Opinion,
    Session,
    Vote,
)


def _require_viewer(request: AuthenticatedRequest) -> None:
    gates.check(request.user, "meetings.readers")  # the gate of the sessions link (apps.py)


def _require_runner(request: AuthenticatedRequest) -> None:
    if not scopes.can_run(request.user):
        raise PermissionDenied("只有办公室（会务）可以执行此操作。")


def _session(request: AuthenticatedRequest, pk: int) -> Session:
    _require_viewer(request)
    return get_object_or_404(scopes.visible_sessions(request.user), pk=pk)


def _item(request: AuthenticatedRequest, pk: int) -> AgendaItem:
    _require_viewer(request)
    return get_object_or_404(
        AgendaItem.objects.filter(session__in=scopes.visible_sessions(request.user)).select_related(
            "session", "reporting_body", "committee"
        ),
        pk=pk,
    )


def _to_session(session_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:session_detail", args=[session_id]) + anchor)


# ---------------------------------------------------------------------------------------------
# Sessions


@outsider_view
@require_GET
def session_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_viewer(request)
    sessions = scopes.visible_sessions(request.user).select_related("directors_meeting")
    directors = DirectorsMeeting.objects.all()[:30] if is_business(request.user) else []
    return render(
        request,
        "meetings/session_list.html",
        {
            "sessions": sessions.order_by("-date")[:60],
            "directors_meetings": directors,
            "can_run": scopes.can_run(request.user),
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_runner(request)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                date=data["date"],
                end_date=data["end_date"],
                place=data["place"],
                notice_days=data["notice_days"],
                materials_workdays=data["materials_workdays"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已拟定{session}，请编排议程。")
            return redirect("meetings:session_detail", session.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "拟定常委会会议"})


@business_required
@require_http_methods(["GET", "POST"])
def directors_meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_runner(request)
    form = forms.DirectorsMeetingForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.directors_meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已登记{meeting}。")
            return redirect("meetings:session_list")
    return render(request, "meetings/form.html", {"form": form, "title": "登记主任会议"})


@outsider_view
@require_GET
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    can_run = scopes.can_run(request.user)
    member = scopes.member_of(request.user)
    own = None
    if member is not None:
        own = session.attendance.filter(member=member).first()
    return render(
        request,
        "meetings/session_detail.html",
        {
            "session": session,
            "items": selectors.session_items(session),
            "quorum": services.quorum_of(session),
            "observers": list(session.observers.all()),
            "events": list(
                session.events.select_related("actor", "item").order_by("-created_at")[:20]
            ),
            "can_run": can_run,
            "staff": is_business(request.user),
            "member": member,
            "own": own,
            "item_form": forms.ItemForm() if can_run else None,
            "decide_form": forms.DecideForm() if can_run else None,
            "notice_form": forms.NoticeForm() if can_run else None,
            "minutes_form": forms.MinutesForm(initial={"minutes": session.minutes}),
            "notice_deadline": services.notice_deadline(session),
            "materials_due": services.materials_due_for(session),
        },
    )


@business_required
@require_POST
def item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    session = _session(request, pk)
    form = forms.ItemForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label}：{e[0]}"
                for f, e in form.errors.items()
                if f in form.fields
            )
            or "请检查填写的内容。",
        )
        return _to_session(session.pk, "#agenda")
    data = form.cleaned_data
    spec = services.ItemSpec(
        title=data["title"],
        item_type=data["item_type"],
        committee=data["committee"],
        planned_minutes=data["planned_minutes"],
        reporting_body=data["reporting_body"],
        presenter=data["presenter"],
        reading=data["reading"] or "",
    )
    with reported(request) as outcome:
        item = services.item_add(actor=request.user, session=session, spec=spec)
        outcome.success = f"已加入议程：{item.title}。"
    return _to_session(session.pk, "#agenda")


@business_required
@require_POST
def item_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    item = _item(request, pk)
    with reported(request, f"已从议程中删除：{item.title}。"):
        services.item_remove(actor=request.user, item=item)
    return _to_session(item.session_id, "#agenda")


@business_required
@require_POST
def agenda_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    session = _session(request, pk)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择决定议程的主任会议。")
        return _to_session(session.pk)
    with reported(request, "议程已由主任会议决定；各报告单位的材料报送已交办。"):
        services.agenda_decide(
            actor=request.user,
            session=session,
            directors_meeting=form.cleaned_data["directors_meeting"],
        )
    return _to_session(session.pk)


@business_required
@require_POST
def notice_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    session = _session(request, pk)
    form = forms.NoticeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.notice_send(
            actor=request.user,
            session=session,
            confirm_late=bool(data.get("confirm_late")),
            late_reason=data.get("late_reason") or "",
        )
    except services.LateNotice as warning:
        messages.warning(request, "；".join(warning.messages))
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "会议通知已发出。")
    return _to_session(session.pk)


@business_required
@require_GET
def notice_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from .documents import notice_document

    session = _session(request, pk)
    if session.status == SessionStatus.DRAFT:
        raise Http404("议程尚未决定。")
    return downloads.file_download(
        notice_document(session),
        f"{session}会议通知.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@outsider_view
@require_GET
def minutes_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """会议纪要 (.docx through the 公文 engine), for whoever reads the session, once it is closed."""
    from .documents import minutes_document

    session = _session(request, pk)
    if session.status != SessionStatus.CLOSED:
        raise Http404("会议尚未闭会，还没有会议纪要。")
    return downloads.file_download(minutes_document(session), f"{session}纪要.docx", downloads.DOCX)


@business_required
@require_POST
def session_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    session = _session(request, pk)
    try:
        services.session_open(actor=request.user, session=session)
    except ValidationError as error:
        flash_refusal(request, error)
        return _to_session(session.pk)
    messages.success(request, "已开会。")
    return redirect("meetings:live", session.pk)


@business_required
@require_POST
def session_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    session = _session(request, pk)
    form = forms.MinutesForm(request.POST)
    form.is_valid()
    try:
        if session.status == SessionStatus.CLOSED:
            services.minutes_save(
                actor=request.user, session=session, minutes=form.cleaned_data.get("minutes", "")
            )
            messages.success(request, "会议纪要已保存。")
        else:
            services.session_close(
                actor=request.user, session=session, minutes=form.cleaned_data.get("minutes", "")
            )
            messages.success(request, "已闭会。")
    except ValidationError as error:
        flash_refusal(request, error)
    return _to_session(session.pk)


# ---------------------------------------------------------------------------------------------
# Attendance


@business_required
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The sign-in desk: every member, 签到 or 请假 with one form each, the quorum on top."""
    _require_runner(request)
    session = _session(request, pk)
    if request.method == "POST":
        if request.POST.get("observer"):
            observer_form = forms.ObserverForm(request.POST)
            if observer_form.is_valid():
                try:
                    services.observer_add(
                        actor=request.user, session=session, **observer_form.cleaned_data
                    )
                except ValidationError as error:
                    flash_refusal(request, error)
            else:
                messages.error(request, "请填写列席人员姓名。")
            return redirect("meetings:attendance", session.pk)
        form = forms.AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择组成人员和出席情况。")
            return redirect("meetings:attendance", session.pk)
        data = form.cleaned_data
        try:
            if data["status"] == "clear":
                services.attendance_clear(
                    actor=request.user, session=session, member=data["member"]
                )
            else:
                services.attendance_record(
                    actor=request.user,
                    session=session,
                    member=data["member"],
                    status=data["status"],
                    reason=data["reason"],
                )
        except ValidationError as error:
            flash_refusal(request, error)
        return redirect(
            reverse("meetings:attendance", args=[session.pk]) + f"#m{data['member'].pk}"
        )
    return render(
        request,
        "meetings/attendance.html",
        {
            "session": session,
            "rows": selectors.roll(session),
            "quorum": services.quorum_of(session),
            "observers": list(session.observers.all()),
            "observer_form": forms.ObserverForm(),
            "open": session.status in services.ATTENDANCE_OPEN,
        },
    )


@outsider_view
@require_POST
def self_sign_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A member signs in on their own device, from the network the organ allows."""
    session = _session(request, pk)
    member = scopes.member_of(request.user)
    if member is None:
        raise PermissionDenied("只有常委会组成人员可以本人签到。")
    refusal = network_refusal(AttendancePolicy.current(), client_ip(request))
    if refusal:
        messages.error(request, refusal.replace("打卡", "签到"))
        return _to_session(session.pk)
    with reported(request, "签到成功。"):
        services.attendance_record(
            actor=request.user,
            session=session,
            member=member,
            status=AttendanceStatus.PRESENT,
            method=SignInMethod.SELF,
        )
    return _to_session(session.pk)


# ---------------------------------------------------------------------------------------------
# The 会中 screen and the items


@business_required
@require_GET
def live(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """会中: a phone or tablet screen; one tap starts an item, the next tap ends it."""
    _require_runner(request)
    session = _session(request, pk)
    items = list(session.items.order_by("order"))
    running = next((i for i in items if i.actual_start and not i.actual_end), None)
    return render(
        request,
        "meetings/live.html",
        {
            "session": session,
            "items": items,
            "running": running,
            "quorum": services.quorum_of(session),
            "now": clock.now(),
        },
    )


@business_required
@require_POST
def item_tap(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    item = _item(request, pk)
    try:
        item = services.item_tap(actor=request.user, item=item)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        verb = "结束" if item.actual_end else "开始"
        messages.success(request, f"{item.title}：{verb}于{clock.localtime():%H:%M}。")
    return redirect("meetings:live", item.session_id)


@outsider_view
@require_GET
def item_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    can_run = scopes.can_run(request.user)
    opinion = Opinion.objects.filter(item=item).select_related("tracked_item").first()
    members = list(CommitteeMember.objects.on(clock.today()).order_by("sort_order", "id"))
    ratings = selectors.ratings_by_member(opinion) if opinion else {}
    opinion_initial = (
        {
            "text": opinion.text,
            "deadline_months": opinion.deadline_months,
            "threshold_percent": opinion.threshold_percent,
            "needs_rating": opinion.needs_rating,
        }
        if opinion
        else None
    )
    return render(
        request,
        "meetings/item_detail.html",
        {
            "item": item,
            "session": item.session,
            "materials": list(item.materials.select_related("uploaded_by")),
            "speeches": list(item.speeches.all()),
            "votes": selectors.item_votes(item),
            "roll_rows": selectors.roll(item.session) if can_run else [],
            "member_choices": forms.MEMBER_CHOICES,
            "roll_form": forms.RollVoteForm(),
            "opinion": opinion,
            "can_run": can_run,
            "can_compile": scopes.can_compile_opinion(request.user, item),
            "times_form": forms.TimesForm(
                initial={"start": item.actual_start, "end": item.actual_end}
            ),
            "speech_form": forms.SpeechForm(),
            "vote_form": forms.VoteForm(),
            "opinion_form": forms.OpinionForm(initial=opinion_initial),
            "quorum": services.quorum_of(item.session),
            "rating_rows": [(m, ratings.get(m.pk, "")) for m in members],
            "rating_choices": forms.RATING_CHOICES,
            "satisfaction": services.satisfaction(opinion) if opinion else (0, 0),
        },
    )


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label}：{errors[0]}" if name in form.fields else errors[0]
        for name, errors in form.errors.items()
    )


def _to_item(item: AgendaItem, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:item_detail", args=[item.pk]) + anchor)


@business_required
@require_POST
def item_times(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    item = _item(request, pk)
    form = forms.TimesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_item(item)
    with reported(request, "已更正议题时间。"):
        services.item_set_times(
            actor=request.user,
            item=item,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return _to_item(item)


@business_required
@require_POST
def speech_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    item = _item(request, pk)
    form = forms.SpeechForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_item(item, "#speeches")
    with reported(request, "已登记审议发言。"):
        services.speech_add(actor=request.user, item=item, **form.cleaned_data)
    return _to_item(item, "#speeches")


def _member_choices(request: AuthenticatedRequest, session: Session) -> dict[Any, str]:
    """Each member's vote as posted (m<member id> → choice); the service judges the choices."""
    members = {str(m.pk): m for m in CommitteeMember.objects.on(session.date)}
    read = params.Params(request.POST)
    return {
        members[key[1:]]: read.text(key, max_length=16)
        for key in request.POST
        if key.startswith("m") and key[1:] in members and read.text(key, max_length=16)
    }


def _vote_done(request: AuthenticatedRequest, vote: Vote) -> None:
    messages.success(
        request,
        f"表决结果：赞成{vote.yes}票，{'通过' if vote.passed else '未通过'}"
        f"（全体组成人员{vote.members_total}人，须超过半数）。",
    )


@business_required
@require_POST
def vote_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A vote, counts only (the default) or, with mode=roll, each member's vote."""
    _require_runner(request)
    item = _item(request, pk)
    roll = params.Params(request.POST).choice("mode", VoteMode.values) == VoteMode.ROLL
    form = forms.RollVoteForm(request.POST) if roll else forms.VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_item(item, "#votes")
    try:
        if roll:
            vote = services.vote_record_roll(
                actor=request.user,
                item=item,
                subject=form.cleaned_data["subject"],
                choices=_member_choices(request, item.session),
            )
        else:
            vote = services.vote_record(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        _vote_done(request, vote)
    return _to_item(item, "#votes")


@business_required
@require_POST
def member_votes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record or correct members' votes on a per-member vote."""
    _require_runner(request)
    vote = get_object_or_404(
        Vote.objects.filter(item__session__in=scopes.visible_sessions(request.user)).select_related(
            "item__session"
        ),
        pk=pk,
    )
    try:
        vote = services.member_votes_record(
            actor=request.user, vote=vote, choices=_member_choices(request, vote.item.session)
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        _vote_done(request, vote)
    return _to_item(vote.item, f"#vote{vote.pk}")


@business_required
@require_POST
def materials_receive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    item = _item(request, pk)
    with reported(request, "已确认收到材料，材料报送事项已销号。"):
        services.materials_receive(actor=request.user, item=item)
    return _to_item(item)


@outsider_view
@require_GET
def material_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Members and the organ read every material; a body's contact only its own."""
    material = get_object_or_404(Material.objects.select_related("item__session"), pk=pk)
    body = scopes.body_of(request.user)
    if body is not None:
        if material.item.reporting_body_id != body:
            raise Http404
    else:
        _require_viewer(request)
        if not scopes.visible_sessions(request.user).filter(pk=material.item.session_id).exists():
            raise Http404
    if not material.file:
        raise Http404("该材料没有上传文件。")
    name = str(material.file.name or "material").rsplit("/", 1)[-1]
    response: Any = FileResponse(material.file.open("rb"), as_attachment=True, filename=name)
    return response


# ---------------------------------------------------------------------------------------------
# Opinions


@business_required
@require_POST
def opinion_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not scopes.can_compile_opinion(request.user, item):
        raise PermissionDenied("只有办公室或承办工作委员会可以整理审议意见。")
    form = forms.OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_item(item, "#opinion")
    with reported(request, "审议意见已保存。"):
        services.opinion_save(actor=request.user, item=item, **form.cleaned_data)
    return _to_item(item, "#opinion")


OPINION_ACTIONS = {
    "sign": (services.opinion_sign, "审议意见已签发。"),
    "send": (services.opinion_send, "审议意见已交办报告单位，纳入督办台账跟踪。"),
    "conclude": (services.opinion_conclude, "已作出测评结论。"),
}


@business_required
@require_POST
def opinion_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    _require_runner(request)
    opinion = get_object_or_404(Opinion.objects.select_related("item"), pk=pk)
    if action not in OPINION_ACTIONS:
        raise Http404
    service, done = OPINION_ACTIONS[action]
    try:
        opinion = service(actor=request.user, opinion=opinion)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if action == "conclude" and opinion.status == OpinionStatus.REHANDLE:
            messages.warning(
                request,
                f"满意度{opinion.satisfied_percent}%，低于{opinion.threshold_percent}%：已退回报告单位重新办理。",
            )
        else:
            messages.success(request, done)
    return _to_item(opinion.item, "#opinion")


@business_required
@require_POST
def opinion_rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_runner(request)
    opinion = get_object_or_404(Opinion.objects.select_related("item"), pk=pk)
    members = {str(m.pk): m for m in CommitteeMember.objects.on(clock.today())}
    ratings = {}
    for key, value in request.POST.items():
        if key.startswith("m") and key[1:] in members and value:
            if value not in Rating.values:
                messages.error(request, "测评结果无法识别，未登记。")
                return _to_item(opinion.item, "#opinion")
            ratings[members[key[1:]]] = value
    with reported(request, f"已登记{len(ratings)}位组成人员的测评。"):
        services.opinion_rate(actor=request.user, opinion=opinion, ratings=ratings)
    return _to_item(opinion.item, "#opinion")


# ---------------------------------------------------------------------------------------------
# The reporting body's pages (外部单位联络员)


def _require_body(request: AuthenticatedRequest) -> int:
    body = scopes.body_of(request.user)
    if body is None:
        raise PermissionDenied("该页面供报告单位联络员使用。")
    return body


@outsider_view
@require_GET
def body_home(request: AuthenticatedRequest) -> HttpResponse:
    _require_body(request)
    items = (
        scopes.body_items(request.user)
        .select_related("session", "materials_item", "committee")
        .order_by("-session__date", "order")
    )
    opinions = (
        scopes.body_opinions(request.user)
        .select_related("item__session", "tracked_item")
        .order_by("-sent_at")
    )
    return render(
        request,
        "meetings/body_home.html",
        {"items": list(items[:100]), "opinions": list(opinions[:100]), "today": clock.today()},
    )


@outsider_view
@require_http_methods(["GET", "POST"])
def body_item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A body's agenda item: its material deadline, its versions, and a new upload."""
    _require_body(request)
    item = get_object_or_404(
        scopes.body_items(request.user).select_related("session", "materials_item"), pk=pk
    )
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_upload(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已报送《{material.title}》（第{material.version}版）。")
            return redirect("meetings:body_item", item.pk)
    return render(
        request,
        "meetings/body_item.html",
        {"item": item, "materials": list(item.materials.all()), "form": form},
    )


@outsider_view
@require_http_methods(["GET", "POST"])
def body_opinion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A body's deliberation opinions: the text, the deadline and its 研究处理情况的报告."""
    _require_body(request)
    opinion = get_object_or_404(
        scopes.body_opinions(request.user).select_related("item__session", "tracked_item"), pk=pk
    )
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_report(actor=request.user, opinion=opinion, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "研究处理情况的报告已报送。")
            return redirect("meetings:body_opinion", opinion.pk)
    return render(
        request,
        "meetings/body_opinion.html",
        {
            "opinion": opinion,
            "form": form,
            "can_report": opinion.status in {OpinionStatus.SENT, OpinionStatus.REHANDLE},
        },
    )


# ---------------------------------------------------------------------------------------------
# Measures


@business_required
@require_GET
def measures(request: AuthenticatedRequest) -> HttpResponse:
    first, last = selectors.year_range()
    read = params.Params(request.GET)
    year = min(max(read.year("year") or last, first), last)
    session_id = read.id("session") or 0
    item_type = read.choice("type", ItemType.values)
    data = selectors.measures(year)
    drill = None
    if session_id or item_type:
        drill = list(selectors.drill_items(year, session_id=session_id, item_type=item_type)[:200])
    chart = {
        "sessions": [f"第{s.number}次" for s in data.current.sessions],
        "planned": [s.planned for s in data.current.sessions],
        "actual": [s.actual for s in data.current.sessions],
        "types": [t.label for t in data.current.by_type],
        "type_average": [t.average for t in data.current.by_type],
    }
    return render(
        request,
        "meetings/measures.html",
        {
            "data": data,
            "year": year,
            "years": list(range(last, first - 1, -1)),
            "drill": drill,
            "drill_type": ItemType(item_type).label if item_type else "",
            "drill_session": session_id,
            "chart": chart,
        },
    )
