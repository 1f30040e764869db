from django.http import HttpRequest

from apps.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that LoginRequiredMiddleware has let through: `user` is a real account."""

    user: User  # type: ignore[assignment]
