from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import is_outsider


class PasswordExpiryMiddleware:
    """An account whose password is older than the policy allows may only change it or sign out."""

    ALLOWED = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.password_expired():
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                messages.warning(request, "您的密码已超过有效期或为初始密码，请先修改密码。")
                return redirect("accounts:password_change")
        return self.get_response(request)


class OutsiderGateMiddleware:
    """Outsiders (外部单位联络员、人大代表) reach only views marked `@outsider_view`, plus the pages that
    need no sign-in. Closed by default: a new staff page needs no code to stay closed to them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_outsider(getattr(request, "user", None)):
            return None
        if getattr(view_func, "outsider_allowed", False):
            return None
        if getattr(view_func, "login_required", True) is False:  # login_not_required pages
            return None
        raise PermissionDenied("该页面仅限机关工作人员使用。")
