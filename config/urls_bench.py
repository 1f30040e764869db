"""URLs served under the bench settings: the whole site plus a minimal view as the baseline."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def minimal(request: HttpRequest) -> HttpResponse:
    """The floor: the full middleware stack and a tiny response, no template and no query."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("config.urls")),
]
