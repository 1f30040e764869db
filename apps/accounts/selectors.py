from django.db.models import Q, QuerySet

from apps.core import clock

from .choices import AdminChangeStatus
from .models import AdminChangeRequest, User


def account_list(
    *, query: str = "", role: str = "", locked_only: bool = False, pending_only: bool = False
) -> QuerySet[User]:
    queryset = User.objects.select_related("person").order_by("id")
    if query:
        queryset = queryset.filter(
            Q(username__icontains=query)
            | Q(person__name__icontains=query)
            | Q(first_name__icontains=query)
        )
    if role:
        queryset = queryset.filter(role=role)
    if locked_only:
        queryset = queryset.filter(locked_until__gt=clock.now())
    if pending_only:
        queryset = queryset.filter(role="")
    return queryset


def pending_accounts() -> QuerySet[User]:
    """Accounts the system administrator opened that wait for the security administrator."""
    return User.objects.filter(role="").select_related("person").order_by("date_joined", "id")


def pending_admin_changes() -> QuerySet[AdminChangeRequest]:
    return AdminChangeRequest.objects.filter(status=AdminChangeStatus.PENDING).select_related(
        "target", "requested_by"
    )


def decided_admin_changes() -> QuerySet[AdminChangeRequest]:
    return AdminChangeRequest.objects.exclude(status=AdminChangeStatus.PENDING).select_related(
        "target", "requested_by", "decided_by"
    )


def admin_changes_for(account: User) -> QuerySet[AdminChangeRequest]:
    return AdminChangeRequest.objects.filter(target=account).select_related(
        "requested_by", "decided_by"
    )
