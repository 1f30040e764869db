from django.urls import path

from .views import body, calendar, io, items, stats

app_name = "ledger"
urlpatterns = [
    # the ledger table and items
    path("", items.item_list, name="item_list"),
    path("mine/", items.my_items, name="my_items"),
    path("new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/measures/new/", items.measure_create, name="measure_create"),
    path("items/<int:pk>/feedback/", items.item_feedback, name="item_feedback"),
    path("items/<int:pk>/extension/", items.extension_request, name="extension_request"),
    # assign / acknowledge / start / report / return / verify / close / cancel
    path("items/<int:pk>/do/<slug:action>/", items.item_action, name="item_action"),
    path("extensions/<int:pk>/decide/", items.extension_decide, name="extension_decide"),
    path("milestones/<int:pk>/done/", items.milestone_done, name="milestone_done"),
    path("attachments/<int:pk>/", items.attachment_download, name="attachment_download"),
    path("checklists/", items.checklist_list, name="checklist_list"),
    path("checklists/new/", items.checklist_create, name="checklist_create"),
    # the key-work calendar and its iCalendar feeds
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/feeds/", calendar.feed_settings, name="feed_settings"),
    path("calendar/feeds/reset/", calendar.feed_reset, name="feed_reset"),
    path("ical/<str:token>/person.ics", calendar.person_feed, name="person_feed"),
    path("ical/<str:token>/unit.ics", calendar.unit_feed, name="unit_feed"),
    # an external body's own items (外部单位联络员)
    path("body/", body.body_list, name="body_list"),
    path("body/<int:pk>/", body.body_item, name="body_item"),
    path("body/<int:pk>/<slug:action>/", body.body_action, name="body_action"),
    path("body/attachments/<int:pk>/", body.body_attachment, name="body_attachment"),
    # statistics
    path("statistics/", stats.statistics_view, name="statistics"),
    # Excel out, the supervision notice (imports go through apps.imports)
    path("export.xlsx", io.export_xlsx, name="export_xlsx"),
    path("checklists/<int:pk>/notice.docx", io.notice_docx, name="notice_docx"),
]
