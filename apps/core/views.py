from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from apps.accounts.decorators import outsider_view
from apps.core.types import AuthenticatedRequest

from .dashboards import dashboard_for
from .search import clean_query
from .search import search as run_search


@outsider_view  # the panels are chosen per user: outsiders get only those built for them
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role's first screen (apps/core/dashboards.py)."""
    board = dashboard_for(request.user)
    trends = {
        "trends": [
            {
                "key": t["trend"].key,
                "label": t["trend"].label,
                "labels": t["labels"],
                "values": t["values"],
            }
            for t in board.trends
        ]
    }
    return render(
        request,
        "core/home.html",
        {"board": board, "panels": board.panels, "trend_data": trends},
    )


@require_GET
def search(request: AuthenticatedRequest) -> HttpResponse:
    """全局搜索: every registered source the user may use (apps/core/search.py)."""
    query = clean_query(request.GET.get("q", ""))
    return render(
        request,
        "core/search.html",
        {"query": query, "results": run_search(request.user, query)},
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    return redirect(static("img/favicon.svg"))
