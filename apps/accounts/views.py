from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.core import params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest

from . import selectors, services
from .choices import Role
from .decorators import outsider_view
from .forms import (
    AccountCreateForm,
    AdminChangeRequestForm,
    LoginForm,
    PasswordChangeForm,
    RoleAssignForm,
)
from .models import AdminChangeRequest, User
from .permissions import Capability, has_capability


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except services.LoginRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, result.user)
            services.record_login(user=result.user)
            if result.password_expired:
                messages.warning(request, "您的密码已超过有效期或为初始密码，请先修改密码。")
                return redirect("accounts:password_change")
            target = request.POST.get("next") or request.GET.get("next") or ""
            if local := params.local_path(target, request):
                return HttpResponseRedirect(local)
            return redirect("core:home")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": params.local_path(request.GET.get("next", ""), request) or ""},
    )


@outsider_view
@require_POST
def logout_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_logout(user=request.user)
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@outsider_view
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(
                user=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _can_see_accounts(user) -> bool:
    return has_capability(user, Capability.MANAGE_ACCOUNTS) or has_capability(
        user, Capability.VIEW_SECURITY
    )


@require_http_methods(["GET"])
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    if not _can_see_accounts(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    queryset = selectors.account_list(
        query=params.clean_text(request.GET.get("q", ""), 150),
        role=params.clean_text(request.GET.get("role", ""), 32),
        locked_only=request.GET.get("locked") == "1",
        pending_only=request.GET.get("pending") == "1",
    )
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": page,
            "roles": Role.choices,
            "pending_count": selectors.pending_accounts().count(),
        },
    )


@permission_required(Capability.MANAGE_ACCOUNTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def account_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="initial_password")
        else:
            messages.success(
                request,
                f"账号 {user.username} 已创建，处于“待授权”状态：安全管理员授予角色后才能登录，"
                "首次登录须修改密码。",
            )
            return redirect("accounts:account_detail", pk=user.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@require_http_methods(["GET"])
def account_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not _can_see_accounts(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    account = get_object_or_404(User.objects.select_related("person"), pk=pk)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "role_form": RoleAssignForm(initial={"role": account.role or Role.STAFF}),
            "admin_changes": selectors.admin_changes_for(account)[:10],
        },
    )


@permission_required(Capability.ASSIGN_ROLES, raise_exception=True)
@require_POST
def account_role(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = RoleAssignForm(request.POST)
    if account.is_admin_role:
        messages.error(request, services.TWO_PERSON_RULE)
    elif form.is_valid():
        try:
            services.role_assign(actor=request.user, user=account, role=form.cleaned_data["role"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"已将 {account.username} 的角色设为“{account.role_label}”，账号已启用。"
            )
    else:
        messages.error(request, "请选择有效的业务角色。三员角色须经双人审批授予。")
    return redirect("accounts:account_detail", pk=pk)


@permission_required(Capability.UNLOCK_ACCOUNTS, raise_exception=True)
@require_POST
def account_unlock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    services.account_unlock(actor=request.user, user=account)
    messages.success(request, f"账号 {account.username} 已解锁。")
    return redirect("accounts:account_detail", pk=pk)


@permission_required(Capability.MANAGE_ACCOUNTS, raise_exception=True)
@require_POST
def account_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, user=account, active=active)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"账号 {account.username} 已{'启用' if active else '停用'}。")
    return redirect("accounts:account_detail", pk=pk)


@permission_required(Capability.ADMIN_CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def admin_changes(request: AuthenticatedRequest) -> HttpResponse:
    """三员账号变更: ask for a change to another administrator's account; see what waits for you."""
    form = AdminChangeRequestForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.admin_change_request(
                actor=request.user,
                target=form.cleaned_data["target"],
                kind=form.cleaned_data["kind"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="target")
        else:
            messages.success(request, f"已提出申请（{change}），须由另一名管理员确认后才会生效。")
            return redirect("accounts:admin_changes")
    return render(
        request,
        "accounts/admin_changes.html",
        {
            "form": form,
            "pending": selectors.pending_admin_changes(),
            "history": selectors.decided_admin_changes()[:30],
            "hours": settings.ADMIN_CHANGE_REQUEST_HOURS,
        },
    )


@permission_required(Capability.ADMIN_CHANGE, raise_exception=True)
@require_POST
def admin_change_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(AdminChangeRequest, pk=pk)
    try:
        services.admin_change_confirm(actor=request.user, request=change)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已确认并执行：{change}。")
    return redirect("accounts:admin_changes")


@permission_required(Capability.ADMIN_CHANGE, raise_exception=True)
@require_POST
def admin_change_reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(AdminChangeRequest, pk=pk)
    try:
        change = services.admin_change_reject(
            actor=request.user,
            request=change,
            note=params.clean_text(request.POST.get("note", ""), params.TEXT_MAX_LENGTH),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"申请{change.get_status_display()}：{change}。")
    return redirect("accounts:admin_changes")
