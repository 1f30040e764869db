from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("organization/", include("apps.organization.urls")),
    path("calendar/", include("apps.workcalendar.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("audit/", include("apps.audit.urls")),
    path("imports/", include("apps.imports.urls")),
    path("ledger/", include("apps.ledger.urls")),
    path("approvals/", include("apps.approvals.urls")),
    path("attendance/", include("apps.attendance.urls")),
    path("documents/", include("apps.documents.urls")),
    path("growth/", include("apps.growth.urls")),
    path("meetings/", include("apps.meetings.urls")),
    path("deputies/", include("apps.deputies.urls")),
    path("party/", include("apps.party.urls")),
    path("notices/", include("apps.notices.urls")),
]
