from django.conf import settings

from apps.notifications.selectors import unread_count

from .navigation import navigation_for


def shell(request):
    """What every page of the shell needs: the navigation and the unread-notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_title": SITE_TITLE}
    return {
        "site_title": SITE_TITLE,
        "nav_groups": navigation_for(user),
        "unread_notifications": unread_count(user),
        "debug": settings.DEBUG,
    }


SITE_TITLE = "人大常委会机关“三服务”工作平台"
