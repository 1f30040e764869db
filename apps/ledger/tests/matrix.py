"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing.url_matrix import (
    ADMINS,
    BUSINESS,
    EVERYONE,
    LEGAL_READERS,
    OFFICE,
    SIGNED_IN,
    Case,
    fixed,
)
from apps.imports.models import ImportJob, JobStatus
from apps.ledger import services
from apps.ledger.choices import ItemKind, Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.feeds import feed_token_for
from apps.ledger.models import Attachment
from apps.ledger.services import ItemSpec, MilestoneSpec


def objects(p) -> dict[str, object]:
    """Items led by 法工委 (zhou responsible, zhao leading): a draft, a problem, and one assigned
    with a pending extension request and a completion report with an attachment."""
    checklist = services.checklist_create(
        actor=p.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )

    def spec(**kw) -> ItemSpec:
        return ItemSpec(
            checklist=checklist,
            title=kw.pop("title", "推进立法联系点建设"),
            lead_unit=kw.pop("lead_unit", p.legal),
            deadline=DeadlineSpec(date=datetime.date(2026, 12, 15)),
            leading_leader=p.zhao.person,
            responsible_person=kw.pop("responsible_person", p.zhou.person),
            trackers=[p.sun.person],
            milestones=[MilestoneSpec("完成调研", datetime.date(2026, 12, 1))],
            **kw,
        )

    item = services.item_create(actor=p.sun, spec=spec())
    problem = services.item_create(actor=p.sun, spec=spec(title="问题", kind=ItemKind.PROBLEM))
    assigned = services.item_create(actor=p.sun, spec=spec(title="已交办事项"))
    assigned = services.item_assign(actor=p.sun, item=assigned)
    assigned = services.item_acknowledge(actor=p.zhou, item=assigned)
    extension = services.extension_request(
        actor=p.zhou, item=assigned, new_deadline=datetime.date(2026, 12, 28), reason="需协调"
    )
    services.item_report_completion(
        actor=p.zhou,
        item=assigned,
        text="完成",
        attachments=[SimpleUploadedFile("材料.txt", "办结材料".encode())],
    )
    # A plain item assigned to 市人民政府: gov (its contact) signs for it on the body pages.
    gov_item = services.item_assign(
        actor=p.sun,
        item=services.item_create(
            actor=p.sun,
            spec=spec(title="市政府督办事项", lead_unit=p.government, responsible_person=None),
        ),
    )
    services.feedback_submit(
        actor=p.gov,
        item=gov_item,
        text="已制定方案",
        percent=30,
        attachments=[SimpleUploadedFile("方案.txt", "方案".encode())],
    )
    return {
        "item": item,
        "ledger_gov_item": gov_item,
        "ledger_gov_attachment": Attachment.objects.get(item=gov_item),
        "problem": problem,
        "extension": extension,
        "attachment": Attachment.objects.get(item=assigned),
        "milestone": item.milestones.get(),
        "feed_token": feed_token_for(p.sun).token,
        "import_job": ImportJob.objects.create(
            import_type="ledger",
            options={"checklist": checklist.pk, "assign": False},
            file_name="x.xlsx",
            created_by=p.sun,
            status=JobStatus.PREVIEW,
        ),
    }


MATRIX = {
    # the closed-loop ledger
    "ledger:item_list": Case(fixed("/ledger/"), ok=BUSINESS),
    "ledger:my_items": Case(fixed("/ledger/mine/"), ok=BUSINESS),
    "ledger:checklist_list": Case(fixed("/ledger/checklists/"), ok=BUSINESS),
    "ledger:item_create": Case(fixed("/ledger/new/"), ok=OFFICE, post={"title": "冒名事项"}),
    "ledger:checklist_create": Case(
        fixed("/ledger/checklists/new/"),
        ok=OFFICE,
        post={"name": "冒名清单", "year": "2026", "source": "other"},
    ),
    "ledger:item_detail": Case(
        lambda w: f"/ledger/items/{w.item.pk}/", ok=LEGAL_READERS, not_found={"wu"} | ADMINS
    ),
    "ledger:item_edit": Case(
        lambda w: f"/ledger/items/{w.item.pk}/edit/", ok=OFFICE, post={"title": "改名"}
    ),
    "ledger:measure_create": Case(
        lambda w: f"/ledger/items/{w.problem.pk}/measures/new/", ok=OFFICE, post={"title": "措施"}
    ),
    "ledger:attachment_download": Case(
        lambda w: f"/ledger/attachments/{w.attachment.pk}/",
        ok=LEGAL_READERS,
        not_found={"wu"} | ADMINS,
    ),
    # POST-only views check the method first: every signed-in role gets 405 on GET.
    "ledger:item_action": Case(
        lambda w: f"/ledger/items/{w.item.pk}/do/assign/",
        ok=EVERYONE,
        post_only=True,
        post={"note": ""},
        allowed_post=OFFICE,
    ),
    "ledger:item_feedback": Case(
        lambda w: f"/ledger/items/{w.item.pk}/feedback/",
        ok=EVERYONE,
        post_only=True,
        post={"text": "进展", "percent": "30"},
        allowed_post={"li", "zhou"},
    ),
    "ledger:extension_request": Case(
        lambda w: f"/ledger/items/{w.item.pk}/extension/",
        ok=EVERYONE,
        post_only=True,
        post={"new_deadline": "2026-12-28", "reason": "需协调"},
        allowed_post={"li", "zhou"},
    ),
    "ledger:extension_decide": Case(
        lambda w: f"/ledger/extensions/{w.extension.pk}/decide/",
        ok=EVERYONE,
        post_only=True,
        post={"decision": "grant", "note": "同意"},
        allowed_post={"zhao"},
    ),
    "ledger:milestone_done": Case(
        lambda w: f"/ledger/milestones/{w.milestone.pk}/done/",
        ok=EVERYONE,
        post_only=True,
        post={},
        allowed_post={"li", "zhou", "qian", "sun"},
    ),
    "ledger:calendar": Case(fixed("/ledger/calendar/"), ok=BUSINESS),
    "ledger:feed_settings": Case(fixed("/ledger/calendar/feeds/"), ok=BUSINESS),
    "ledger:feed_reset": Case(fixed("/ledger/calendar/feeds/reset/"), ok=BUSINESS, post_only=True),
    # The feed's token is its credential (calendar clients cannot sign in): sun's feed, for anyone.
    "ledger:person_feed": Case(
        lambda w: f"/ledger/ical/{w.feed_token}/person.ics", public=True, ok=SIGNED_IN
    ),
    "ledger:unit_feed": Case(
        lambda w: f"/ledger/ical/{w.feed_token}/unit.ics", public=True, ok=SIGNED_IN
    ),
    # An external body's contact: its own body's plain items only (OutsiderGate lets the view
    # answer; everyone else is refused by the view itself).
    "ledger:body_list": Case(fixed("/ledger/body/"), ok={"gov"}),
    "ledger:body_item": Case(lambda w: f"/ledger/body/{w.ledger_gov_item.pk}/", ok={"gov"}),
    "ledger:body_action": Case(
        lambda w: f"/ledger/body/{w.ledger_gov_item.pk}/acknowledge/",
        ok={"gov"},
        post_only=True,
        post={"note": "冒名签收"},
        allowed_post={"gov"},
    ),
    "ledger:body_attachment": Case(
        lambda w: f"/ledger/body/attachments/{w.ledger_gov_attachment.pk}/", ok={"gov"}
    ),
    "ledger:statistics": Case(fixed("/ledger/statistics/"), ok=BUSINESS),
    "ledger:export_xlsx": Case(fixed("/ledger/export.xlsx"), ok=BUSINESS),
    "ledger:notice_docx": Case(
        lambda w: f"/ledger/checklists/{w.item.checklist_id}/notice.docx", ok={"zhao"} | OFFICE
    ),
}
