from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.core.types import AuthenticatedRequest

from . import services
from .models import Notification


@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.notification_mark_read(user=request.user, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")
