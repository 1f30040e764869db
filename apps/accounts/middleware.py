from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


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
