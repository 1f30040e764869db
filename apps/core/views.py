from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .navigation import home_panels_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": home_panels_for(request.user)})
