"""Pages of party building and publicity. Views parse input and call selectors and services only;
who may see what is decided by `scopes.py` (rows) and `rules.py` (actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import business_required
from apps.accounts.permissions import get_object_for_user_or_404, restrict
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, gates, params
from apps.core.forms import apply_validation_error
from apps.core.outcomes import flash_refusal, reported
from apps.core.types import AuthenticatedRequest

from . import documents, exports, forms, rules, selectors, services
from .choices import (
    ActivityKind,
    AgendaKind,
    ArticleStatus,
    Channel,
    IssueStatus,
    Presence,
    Rating,
    ReviewStatus,
)
from .models import (
    AgendaItem,
    Article,
    BranchActivity,
    HigherReport,
    MajorDecision,
    PartyMeeting,
    PublicationIssue,
    ResponsibilityItem,
    ResponsibilityList,
    Review,
    ReviewSubject,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request: AuthenticatedRequest) -> int:
    return forms.year_from(request.GET.get("year"), clock.today().year)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return downloads.file_download(content, filename, content_type)


def _require_party_records(request: AuthenticatedRequest) -> None:
    gates.check(request.user, "party.records")  # the gate of the 党组会议 link (apps.py)


def _require_office(request: AuthenticatedRequest) -> None:
    if not rules.keeps_party_records(request.user):
        raise PermissionDenied("只有办公室可以办理此项。")


# ---------------------------------------------------------------------------------------------
# Party group meetings
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_party_records(request)
    year = _year(request)
    visible = restrict(PartyMeeting.objects.all(), request.user)
    return render(
        request,
        "party/meeting_list.html",
        {
            "meetings": selectors.meetings(visible, year),
            "reports": selectors.report_register(
                restrict(HigherReport.objects.all(), request.user), year
            ),
            "year": year,
            "can_create": rules.keeps_party_records(request.user),
            "section": "meetings",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_office(request)
    form = forms.MeetingForm(request.POST or None, initial={"recorder": request.user.person_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        members = {p.name: p for p in rules.party_group_on(data["date"])}
        try:
            absent = forms.parse_lines(data["absences"], members, "请假的党组成员")
        except forms.forms.ValidationError as error:
            form.add_error("absences", error)
        else:
            reasons = {p.pk: (rest[0] if rest else "") for p, rest in absent}
            attendees = [
                services.AttendeeSpec(p, Presence.ABSENT, reasons[p.pk])
                if p.pk in reasons
                else services.AttendeeSpec(p, Presence.PRESENT)
                for p in members.values()
            ] + [
                services.AttendeeSpec(p, Presence.NON_VOTING)
                for p in data["non_voting"]
                if p.name not in members
            ]
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    date=data["date"],
                    place=data["place"],
                    presider=data["presider"],
                    recorder=data["recorder"],
                    attendees=attendees,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"已登记{meeting}。")
                return redirect("party:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": "登记党组会议", "section": "meetings"},
    )


def _meeting(request: AuthenticatedRequest, pk: int, action: str = "view") -> PartyMeeting:
    return get_object_for_user_or_404(PartyMeeting.objects.all(), request.user, action, pk=pk)


def _item(request: AuthenticatedRequest, pk: int) -> AgendaItem:
    return get_object_for_user_or_404(
        AgendaItem.objects.select_related("meeting"), request.user, "change", pk=pk
    )


@business_required
@require_GET
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    keeps = services.keeps_meeting(request.user, meeting)
    q = services.quorum(meeting)
    items = list(meeting.items.select_related("ledger_item", "decision").order_by("order"))
    return render(
        request,
        "party/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": meeting.attendances.select_related("person"),
            "items": items,
            "quorum": q,
            "keeps": keeps,
            "can_ledger": keeps and rules.keeps_party_records(request.user),
            "agenda_form": forms.AgendaForm(
                initial={"kind": AgendaKind.MAJOR if items else AgendaKind.FIRST_TOPIC}
            ),
            "ledger_form": forms.LedgerForm(),
            "section": "meetings",
        },
    )


@business_required
@require_POST
def agenda_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "change")
    form = forms.AgendaForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    else:
        with reported(request, "已登记议题。"):
            services.agenda_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("party:meeting_detail", pk=meeting.pk)


@business_required
@require_POST
def agenda_conclude(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.ConclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写议定事项。")
    else:
        with reported(request, "已登记议定事项。"):
            services.agenda_conclude(
                actor=request.user, item=item, conclusion=form.cleaned_data["conclusion"]
            )
    return redirect("party:meeting_detail", pk=item.meeting_id)


@business_required
@require_http_methods(["GET", "POST"])
def decision_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item.kind != AgendaKind.MAJOR:
        raise Http404("该议题不是三重一大事项。")
    meeting = item.meeting
    members = [
        a.person
        for a in meeting.attendances.filter(is_member=True, presence=Presence.PRESENT)
        .select_related("person")
        .order_by("id")
    ]
    form = forms.DecisionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.DecisionSpec(
            category=data["category"],
            matter=data["matter"],
            amount=data["amount"],
            consulted_with=data["consulted_with"],
            consulted_on=data["consulted_on"],
            materials=data["materials"],
            recusals=[services.RecusalSpec(p, reason) for p, reason in data["recusals"]],
            opinions=[services.OpinionSpec(p, v, o) for p, v, o in data["opinions"]],
        )
        try:
            decision = services.decision_record(actor=request.user, item=item, spec=spec)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已记录集体决策：{decision.get_result_display()}。")
            return redirect("party:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "party/decision_form.html",
        {"form": form, "item": item, "meeting": meeting, "members": members, "section": "meetings"},
    )


@business_required
@require_POST
def agenda_to_ledger(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.LedgerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择牵头单位并填写办结时限。")
    else:
        try:
            item = services.agenda_to_ledger(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            assert item.ledger_item is not None
            messages.success(request, f"已交办督办事项{item.ledger_item.serial}。")
    return redirect("party:meeting_detail", pk=item.meeting_id)


@business_required
@require_GET
def meeting_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    record_event(
        action=AuditAction.EXPORT, object_type="party.minutes", detail={"会议": str(meeting)}
    )
    return _file(documents.minutes_docx(meeting), f"{meeting}纪要.docx", DOCX)


@business_required
@require_GET
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_party_records(request)
    year = _year(request)
    decisions = selectors.decision_register(
        restrict(MajorDecision.objects.all(), request.user), year
    )
    return render(
        request,
        "party/decision_list.html",
        {"decisions": decisions, "year": year, "section": "decisions"},
    )


@business_required
@require_GET
def decision_export(request: AuthenticatedRequest) -> HttpResponse:
    _require_party_records(request)
    year = _year(request)
    decisions = selectors.decision_register(
        restrict(MajorDecision.objects.all(), request.user), year
    )
    record_event(action=AuditAction.EXPORT, object_type="party.decisions", detail={"年度": year})
    return _file(exports.decisions_xlsx(decisions, year), f"{year}年三重一大台账.xlsx", XLSX)


@business_required
@require_http_methods(["GET", "POST"])
def report_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_office(request)
    form = forms.ReportForm(request.POST or None, initial={"recipient": "中共市委"})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已登记请示报告。")
            return redirect("party:meeting_list")
    return render(
        request,
        "party/form.html",
        {"form": form, "title": "登记重大事项请示报告", "section": "meetings"},
    )


@business_required
@require_http_methods(["GET", "POST"])
def report_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_object_for_user_or_404(HigherReport.objects.all(), request.user, "change", pk=pk)
    form = forms.ReportDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_draft(
                actor=request.user,
                report=report,
                body=data["body"],
                signer=data["signer"],
                urgency=data["urgency"] or "",
            )
        except ValidationError as error:
            apply_validation_error(form, error, "body")
        else:
            messages.success(request, "已起草发文，请在公文中送审、签发。")
            assert report.outgoing_id is not None
            return redirect("documents:outgoing_detail", report.outgoing_id)
    return render(
        request,
        "party/form.html",
        {
            "form": form,
            "title": f"起草{report.get_kind_display()}发文：{report.title}",
            "section": "meetings",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def report_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_object_for_user_or_404(HigherReport.objects.all(), request.user, "change", pk=pk)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_answer(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, "answer")
        else:
            messages.success(request, "已登记答复，答复来文已进入收文。")
            return redirect("party:meeting_list")
    return render(
        request,
        "party/form.html",
        {"form": form, "title": f"登记答复：{report.title}", "section": "meetings"},
    )


# ---------------------------------------------------------------------------------------------
# Responsibility lists
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def list_index(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    lists = (
        restrict(ResponsibilityList.objects.filter(year=year), request.user)
        .select_related("person")
        .prefetch_related("items")
        .order_by("id")
    )
    return render(
        request,
        "party/list_index.html",
        {
            "lists": lists,
            "year": year,
            "can_create": rules.keeps_party_records(request.user),
            "section": "lists",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def list_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_office(request)
    form = forms.ListForm(request.POST or None)
    year = _year(request)
    if request.method == "POST" and form.is_valid():
        try:
            lst = services.list_create(
                actor=request.user,
                year=year,
                person=form.cleaned_data["person"],
                post=form.cleaned_data["post"],
                items=form.items(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已制定{lst}。")
            return redirect("party:list_detail", pk=lst.pk)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": f"制定{year}年一岗双责责任清单", "section": "lists"},
    )


@business_required
@require_GET
def list_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    lst = get_object_for_user_or_404(
        ResponsibilityList.objects.select_related("person"), request.user, pk=pk
    )
    items = list(lst.items.select_related("ledger_item"))
    return render(
        request,
        "party/list_detail.html",
        {
            "list": lst,
            "items": items,
            "can_evidence": bool(items) and services.may_record_evidence(request.user, items[0]),
            "can_check": rules.keeps_party_records(request.user),
            "check_form": forms.CheckForm(),
            "ledger_form": forms.LedgerForm(),
            "section": "lists",
        },
    )


def _list_item(request: AuthenticatedRequest, pk: int) -> ResponsibilityItem:
    visible = restrict(ResponsibilityList.objects.all(), request.user)
    try:
        return ResponsibilityItem.objects.select_related("responsibility_list").get(
            pk=pk, responsibility_list__in=visible
        )
    except ResponsibilityItem.DoesNotExist:
        raise Http404("未找到该记录，或您无权访问。") from None


@business_required
@require_POST
def item_update(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """履责记实 (the holder), 检查 and 转督办 (the office) of a list item."""
    item = _list_item(request, pk)
    with reported(request, "已保存。"):
        if action == "evidence":
            if not services.may_record_evidence(request.user, item):
                raise PermissionDenied("只有责任人本人或办公室可以填写履责记实。")
            services.item_evidence(
                actor=request.user,
                item=item,
                evidence=params.clean_text(request.POST.get("evidence", ""), 5000),
            )
        elif action == "check":
            _require_office(request)
            form = forms.CheckForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择检查阶段和结果。")
            services.item_check(actor=request.user, item=item, **form.cleaned_data)
        elif action == "ledger":
            _require_office(request)
            ledger_form = forms.LedgerForm(request.POST)
            if not ledger_form.is_valid():
                raise ValidationError("请选择牵头单位并填写办结时限。")
            services.responsibility_to_ledger(
                actor=request.user, item=item, **ledger_form.cleaned_data
            )
        else:
            raise Http404("未知操作。")
    return redirect("party:list_detail", pk=item.responsibility_list_id)


# ---------------------------------------------------------------------------------------------
# The branch secretaries' review
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "party/review_list.html",
        {
            "reviews": restrict(Review.objects.all(), request.user),
            "can_create": rules.keeps_party_records(request.user),
            "section": "reviews",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_office(request)
    year = _year(request)
    form = forms.ReviewForm(
        request.POST or None,
        initial={
            "title": f"{year}年度支部书记抓党建述职评议",
            "criteria": "履行第一责任人职责：30\n党建与业务融合：30\n作风建设和廉政建设：20\n党建品牌和特色活动：20",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已建立{review}。")
            return redirect("party:review_detail", pk=review.pk)
    return render(
        request, "party/form.html", {"form": form, "title": "组织述职评议", "section": "reviews"}
    )


def _results_visible(user: Any, review: Review) -> bool:
    return review.status == ReviewStatus.PUBLISHED or rules.keeps_party_records(user)


@business_required
@require_GET
def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_for_user_or_404(Review.objects.all(), request.user, pk=pk)
    show = _results_visible(request.user, review)
    results = selectors.review_results(review) if show else []
    done = selectors.reviewed_by(review, request.user.person_id)
    chart = {
        "subjects": [
            f"{r.subject.branch.short_name} {r.subject.secretary.name}" for r in results if r.shown
        ],
        "averages": [float(r.average or 0) for r in results if r.shown],
        "ratings": {
            label: [r.ratings.get(value, 0) for r in results if r.shown]
            for value, label in Rating.choices
        },
    }
    return render(
        request,
        "party/review_detail.html",
        {
            "review": review,
            "subjects": review.subjects.select_related("secretary", "branch"),
            "results": results,
            "show_results": show,
            "done": done,
            "may_score": services.may_score(request.user) and review.status == ReviewStatus.OPEN,
            "can_publish": rules.keeps_party_records(request.user)
            and review.status == ReviewStatus.OPEN,
            "min_ballots": services.MIN_BALLOTS_SHOWN,
            "chart": chart,
            "section": "reviews",
        },
    )


@business_required
@require_POST
def review_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_for_user_or_404(Review.objects.all(), request.user, "change", pk=pk)
    with reported(request, "评议结果已公布。"):
        services.review_publish(actor=request.user, review=review)
    return redirect("party:review_detail", pk=review.pk)


@business_required
@require_http_methods(["GET", "POST"])
def subject_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user_or_404(
        ReviewSubject.objects.select_related("review", "secretary"), request.user, pk=pk
    )
    own = subject.secretary_id == request.user.person_id
    form = forms.ReportTextForm(request.POST or None, initial={"report": subject.report})
    if request.method == "POST":
        if not own:
            raise PermissionDenied("只有支部书记本人可以提交述职报告。")
        if form.is_valid():
            try:
                services.report_submit(actor=request.user, subject=subject, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "述职报告已提交。")
                return redirect("party:review_detail", pk=subject.review_id)
    return render(
        request,
        "party/subject_report.html",
        {
            "subject": subject,
            "form": form,
            "own": own and subject.review.status == ReviewStatus.OPEN,
            "section": "reviews",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def subject_score(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user_or_404(
        ReviewSubject.objects.select_related("review", "secretary", "branch"), request.user, pk=pk
    )
    if not services.may_score(request.user):
        raise PermissionDenied("只有机关干部可以参加评议。")
    if subject.secretary_id == request.user.person_id:
        raise PermissionDenied("不能评议自己的述职。")
    criteria = list(subject.review.criteria.all())
    form = forms.score_form(subject.review, criteria)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scores = {c.pk: form.cleaned_data[f"c{c.pk}"] for c in criteria}
        try:
            services.ballot_submit(actor=request.user, subject=subject, scores=scores)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已提交对{subject}的评议，感谢参与。")
            return redirect("party:review_detail", pk=subject.review_id)
    return render(
        request,
        "party/subject_score.html",
        {"subject": subject, "form": form, "section": "reviews"},
    )


# ---------------------------------------------------------------------------------------------
# Branch activities
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    activities = (
        restrict(BranchActivity.objects.filter(date__year=year), request.user)
        .select_related("branch")
        .order_by("-date", "id")
    )
    return render(
        request,
        "party/activity_list.html",
        {
            "page": Paginator(activities, 30).get_page(request.GET.get("page")),
            "counts": selectors.activity_counts(year),
            "labels": ActivityKind.labels,
            "requirements": services.activity_requirements(),
            "year": year,
            "can_create": rules.keeps_party_records(request.user)
            or request.user.role == "unit_head",
            "section": "activities",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthenticatedRequest) -> HttpResponse:
    if not (rules.keeps_party_records(request.user) or request.user.role == "unit_head"):
        raise PermissionDenied("只有办公室或支部所在单位负责人可以登记支部活动。")
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已登记支部活动。")
            return redirect("party:activity_list")
    return render(
        request, "party/form.html", {"form": form, "title": "登记支部活动", "section": "activities"}
    )


# ---------------------------------------------------------------------------------------------
# Publicity
# ---------------------------------------------------------------------------------------------


@business_required
@require_GET
def article_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    visible = restrict(Article.objects.all(), request.user).select_related("unit", "author")
    mine = visible.exclude(status=ArticleStatus.PUBLISHED).order_by("-id")
    published = visible.filter(status=ArticleStatus.PUBLISHED, published_on__year=year).order_by(
        "-published_on", "-id"
    )
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        published = published.filter(channel=channel)
    return render(
        request,
        "party/article_list.html",
        {
            "pending": mine,
            "page": Paginator(published, 30).get_page(request.GET.get("page")),
            "year": year,
            "channel": channel,
            "channels": Channel.choices,
            "can_issue": rules.keeps_party_records(request.user),
            "section": "articles",
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def article_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "稿件已保存为草稿。")
            return redirect("party:article_detail", pk=article.pk)
    return render(
        request, "party/form.html", {"form": form, "title": "起草宣传稿件", "section": "articles"}
    )


@business_required
@require_GET
def article_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    article = get_object_for_user_or_404(
        Article.objects.select_related("unit", "author", "unit_reviewer", "office_reviewer"),
        request.user,
        pk=pk,
    )
    user = request.user
    office = rules.keeps_party_records(user)
    status = article.status
    issues = PublicationIssue.objects.filter(status=IssueStatus.EDITING).order_by("year", "number")
    reviewer = services.current_reviewer(article)
    return render(
        request,
        "party/article_detail.html",
        {
            "article": article,
            "events": article.events.select_related("actor"),
            "can_submit": status == ArticleStatus.DRAFT and article.author_id == user.person_id,
            "can_review": reviewer is not None and reviewer.pk == user.pk,
            "reviewer": reviewer,
            "can_publish": status == ArticleStatus.APPROVED and office,
            "can_adopt": status == ArticleStatus.PUBLISHED and office,
            "issues": issues if office and article.channel == Channel.INTERNAL else [],
            "publish_form": forms.PublishForm(initial={"published_on": clock.today()}),
            "adopt_form": forms.AdoptForm(),
            "return_form": forms.ReturnForm(),
            "section": "articles",
        },
    )


@business_required
@require_POST
def article_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    article = get_object_for_user_or_404(Article.objects.all(), request.user, pk=pk)
    user = request.user
    with reported(request, "已办理。"):
        if action == "submit":
            services.article_submit(actor=user, article=article)
        elif action in {"approve", "return"}:
            services.article_review(
                actor=user,
                article=article,
                approve=action == "approve",
                reason=params.clean_text(request.POST.get("reason", ""), 5000),
            )
        elif action == "publish":
            form = forms.PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写有效的发布日期。")
            issue = None
            if request.POST.get("issue"):
                issue = PublicationIssue.objects.filter(
                    pk=params.parse_id(request.POST["issue"]) or 0
                ).first()
            if rules.keeps_party_records(user) and issue is not None and article.issue_id is None:
                services.issue_plan(actor=user, issue=issue, article=article)
            services.article_publish(
                actor=user,
                article=article,
                published_on=form.cleaned_data["published_on"],
                issue=issue,
            )
        elif action == "adopt":
            adopt = forms.AdoptForm(request.POST)
            if not adopt.is_valid():
                raise ValidationError("请填写采用单位和有效的采用日期。")
            services.article_adopt(actor=user, article=article, **adopt.cleaned_data)
        else:
            raise Http404("未知操作。")
    return redirect("party:article_detail", pk=article.pk)


@business_required
@require_http_methods(["GET", "POST"])
def issue_list(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.IssueForm(request.POST or None)
    if request.method == "POST":
        _require_office(request)
        if form.is_valid():
            planned = form.cleaned_data["planned_on"]
            try:
                issue = services.issue_create(
                    actor=request.user, year=planned.year, planned_on=planned
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"已新建{issue}。")
                return redirect("party:issue_detail", pk=issue.pk)
    return render(
        request,
        "party/issue_list.html",
        {
            "issues": restrict(PublicationIssue.objects.all(), request.user),
            "form": form,
            "can_create": rules.keeps_party_records(request.user),
            "section": "articles",
        },
    )


@business_required
@require_GET
def issue_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    issue = get_object_for_user_or_404(PublicationIssue.objects.all(), request.user, pk=pk)
    office = rules.keeps_party_records(request.user)
    candidates = (
        Article.objects.filter(
            channel=Channel.INTERNAL,
            issue__isnull=True,
            status=ArticleStatus.APPROVED,
        ).select_related("unit")
        if office and issue.status == IssueStatus.EDITING
        else Article.objects.none()
    )
    return render(
        request,
        "party/issue_detail.html",
        {
            "issue": issue,
            "articles": restrict(issue.articles.all(), request.user).select_related(
                "unit", "author"
            )
            if not office
            else issue.articles.select_related("unit", "author"),
            "candidates": candidates,
            "office": office and issue.status == IssueStatus.EDITING,
            "publish_form": forms.PublishForm(initial={"published_on": clock.today()}),
            "section": "articles",
        },
    )


@business_required
@require_POST
def issue_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    issue = get_object_for_user_or_404(
        PublicationIssue.objects.all(), request.user, "change", pk=pk
    )
    with reported(request, "已办理。"):
        if action == "plan":
            article_id = params.parse_id(request.POST.get("article", ""))
            article = Article.objects.filter(pk=article_id or 0).first()
            if article is None:
                raise ValidationError("请选择稿件。")
            services.issue_plan(actor=request.user, issue=issue, article=article)
        elif action == "publish":
            form = forms.PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写有效的出刊日期。")
            services.issue_publish(
                actor=request.user, issue=issue, published_on=form.cleaned_data["published_on"]
            )
        else:
            raise Http404("未知操作。")
    return redirect("party:issue_detail", pk=issue.pk)


@business_required
@require_GET
def issue_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    issue = get_object_for_user_or_404(PublicationIssue.objects.all(), request.user, pk=pk)
    if issue.status != IssueStatus.PUBLISHED and not rules.keeps_party_records(request.user):
        raise Http404("本期尚未出刊。")
    return _file(documents.issue_pdf(issue), f"{issue}.pdf", "application/pdf")


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


def _require_statistics(request: AuthenticatedRequest) -> None:
    gates.check(request.user, "party.statistics")  # the gate of the statistics link (apps.py)


@business_required
@require_GET
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    _require_statistics(request)
    year = _year(request)
    stats = selectors.year_stats(year)
    last = selectors.year_stats(year - 1)
    branches = selectors.activity_counts(year)
    chart = {
        "categories": list(stats.decisions_by_category),
        "categoryCounts": list(stats.decisions_by_category.values()),
        "units": [name for name, _, _ in stats.by_unit],
        "unitPublished": [n for _, n, _ in stats.by_unit],
        "unitAdopted": [a for _, _, a in stats.by_unit],
        "channels": list(stats.by_channel),
        "channelPublished": [n for n, _ in stats.by_channel.values()],
        "channelAdopted": [a for _, a in stats.by_channel.values()],
        "years": [str(year - 1), str(year)],
        "compare": {
            "党组会议": [last.meetings, stats.meetings],
            "三重一大": [last.decisions, stats.decisions],
            "支部活动": [last.activities, stats.activities],
            "宣传发布": [last.articles_published, stats.articles_published],
            "上级采用": [last.articles_adopted, stats.articles_adopted],
        },
    }
    return render(
        request,
        "party/statistics.html",
        {
            "stats": stats,
            "last": last,
            "branches": branches,
            "labels": ActivityKind.labels,
            "chart": chart,
            "year": year,
            "section": "statistics",
        },
    )


@business_required
@require_GET
def statistics_export(request: AuthenticatedRequest) -> HttpResponse:
    _require_statistics(request)
    year = _year(request)
    record_event(action=AuditAction.EXPORT, object_type="party.statistics", detail={"年度": year})
    content = exports.statistics_xlsx(
        selectors.year_stats(year), selectors.activity_counts(year), list(ActivityKind.labels)
    )
    return _file(content, f"{year}年党建宣传统计.xlsx", XLSX)
