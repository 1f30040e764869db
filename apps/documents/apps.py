from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav

        from . import rules  # noqa: F401  (registers the data scopes)
        from .demo import demo_step
        from .models import Countersign, IncomingDocument, NumberSequence, OutgoingDocument
        from .panels import documents_panel

        # Versions, comments, distribution and events are append-only rows written by services;
        # the documents, their countersigns and the number sequences are what changes.
        # Drafting groups: `group_save` writes the office's changes itself (the demo loads them in bulk).
        for model in (OutgoingDocument, IncomingDocument, Countersign, NumberSequence):
            track(model)
        register_nav(
            NavItem(
                "发文",
                "documents:outgoing_list",
                ServiceGroup.ORGAN,
                gate="business",
                icon="file-text",
                order=30,
            )
        )
        register_nav(
            NavItem(
                "收文",
                "documents:incoming_list",
                ServiceGroup.ORGAN,
                gate="business",
                icon="inbox",
                order=31,
            )
        )
        register_nav(
            NavItem(
                "公文统计",
                "documents:statistics",
                ServiceGroup.ORGAN,
                gate="business",
                icon="chart-dots",
                order=32,
            )
        )
        register_home_panel(documents_panel)

        from apps.approvals.registry import register_own_pages, register_step_listener

        from .services import MATERIAL_FLOW, OUTGOING_FLOW, on_outgoing_step

        register_step_listener(OUTGOING_FLOW, on_outgoing_step)
        register_own_pages(OUTGOING_FLOW, "公文页面")
        register_own_pages(MATERIAL_FLOW, "材料页面")
        register_demo_step(DemoStep("documents", "公文", demo_step, order=25))
