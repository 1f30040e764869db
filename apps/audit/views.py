from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Capability
from apps.core.types import AuthenticatedRequest

from . import selectors


@permission_required(Capability.VIEW_AUDIT, raise_exception=True)
@require_GET
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.AuditFilters.from_query(request.GET)
    page = Paginator(selectors.event_list(filters), 50).get_page(request.GET.get("page"))
    labels = selectors.object_labels(list(page.object_list))
    rows = [(event, labels.get(event.pk)) for event in page.object_list]
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "rows": rows, "filters": filters, "actions": selectors.ACTIONS},
    )


@permission_required(Capability.VIEW_AUDIT, raise_exception=True)
@require_GET
def chain_status(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "audit/chain_status.html", {"result": selectors.chain_summary()})
