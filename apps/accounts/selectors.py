from django.db.models import Q, QuerySet

from apps.core import clock

from .models import User


def account_list(*, query: str = "", role: str = "", locked_only: bool = False) -> QuerySet[User]:
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
    return queryset
