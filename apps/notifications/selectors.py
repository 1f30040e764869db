from .models import Notification


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    # The bell counts only what still needs the user: unread, and not about a task already done.
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, resolved_at__isnull=True
    ).count()


def recent_for(user, limit: int = 10):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]
