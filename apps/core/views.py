from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from apps.accounts.decorators import outsider_view
from apps.core.types import AuthenticatedRequest

from .navigation import home_panels_for


@outsider_view  # the panels are chosen per user: outsiders get only those built for them
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": home_panels_for(request.user)})


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    return redirect(static("img/favicon.svg"))
