from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core import params
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
    ids = params.parse_ids(request.POST.getlist("id"))
    services.notification_mark_read(user=request.user, notification_ids=ids or None)
    if target := params.local_path(request.POST.get("next", ""), request):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")
