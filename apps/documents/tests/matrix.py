"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing.url_matrix import BUSINESS, LEGAL_READERS, OFFICE, Case, fixed
from apps.documents import services
from apps.documents.choices import DocumentType, MaterialKind
from apps.documents.models import DraftingGroup


def objects(p) -> dict[str, object]:
    """Drafts of 法工委 (zhou drafting, zhao signing), one to be countersigned by 财经委, and an
    incoming document proposed to zhao."""

    def draft(title: str, units=()) -> object:
        return services.outgoing_create(
            actor=p.zhou,
            spec=services.DraftSpec(
                title=title,
                doc_type=DocumentType.NOTICE,
                body="一、总体情况\n正文。",
                signer=p.zhao.person,
                countersign_units=list(units),
            ),
        )

    outgoing = draft("关于开展立法调研的通知")
    countersigned = draft("关于联合开展预算审查调研的通知", [p.finance])
    attachment = services.attachment_add(
        actor=p.zhou, document=outgoing, upload=SimpleUploadedFile("方案.txt", "调研方案".encode())
    )
    incoming = services.incoming_register(
        actor=p.sun,
        spec=services.IncomingSpec(
            title="关于报送年度立法计划建议的函",
            source_organ="市人民政府办公室",
            received_on=datetime.date(2026, 12, 1),
        ),
    )
    services.incoming_propose(
        actor=p.sun, document=incoming, proposal="呈赵主任阅示", leader=p.zhao.person
    )
    group = DraftingGroup.objects.create(name="法制文稿组", lead_unit=p.legal, head=p.li.person)
    group.members.add(p.zhou.person)
    material = services.material_create(
        actor=p.zhou,
        spec=services.MaterialSpec(
            group=group,
            title="关于地方立法工作情况的调研报告",
            kind=MaterialKind.RESEARCH,
            leader=p.zhao.person,
            body="一、基本情况\n正文。",
        ),
    )
    return {
        "drafting_group": group,
        "material": material,
        "outgoing": outgoing,
        "countersign": countersigned.countersigns.get(),
        "document_attachment": attachment,
        "incoming": incoming,
    }


DRAFTERS = BUSINESS - {"zhao"}  # the leader belongs to no unit
NOT_LEGAL = {"wu"}

MATRIX = {
    "documents:outgoing_list": Case(fixed("/documents/"), ok=BUSINESS),
    "documents:outgoing_create": Case(
        fixed("/documents/new/"), ok=DRAFTERS, post={"title": "冒名发文"}
    ),
    "documents:outgoing_detail": Case(
        lambda w: f"/documents/{w.outgoing.pk}/", ok=LEGAL_READERS, not_found=NOT_LEGAL
    ),
    "documents:outgoing_action": Case(
        lambda w: f"/documents/{w.outgoing.pk}/do/submit/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "documents:outgoing_revise": Case(
        lambda w: f"/documents/{w.outgoing.pk}/revise/",
        ok=BUSINESS,
        post_only=True,
        post={"body": "冒名修改"},
        allowed_post={"zhou"},
    ),
    "documents:version_comment": Case(
        lambda w: f"/documents/{w.outgoing.pk}/comment/",
        ok=BUSINESS,
        post_only=True,
        post={"paragraph": "0", "text": "意见"},
        allowed_post=LEGAL_READERS,
    ),
    "documents:attachment_add": Case(
        lambda w: f"/documents/{w.outgoing.pk}/attachments/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "documents:outgoing_docx": Case(
        lambda w: f"/documents/{w.outgoing.pk}/document.docx", ok=LEGAL_READERS, not_found=NOT_LEGAL
    ),
    "documents:outgoing_pdf": Case(
        lambda w: f"/documents/{w.outgoing.pk}/document.pdf", ok=LEGAL_READERS, not_found=NOT_LEGAL
    ),
    # No persona heads 财经委: everyone who sees the draft is refused, the others do not find it.
    "documents:countersign_answer": Case(
        lambda w: f"/documents/countersigns/{w.countersign.pk}/",
        ok=BUSINESS,
        post_only=True,
        post={"decision": "agree"},
        allowed_post=set(),
    ),
    "documents:attachment_download": Case(
        lambda w: f"/documents/attachments/{w.document_attachment.pk}/",
        ok=LEGAL_READERS,
        not_found=NOT_LEGAL,
    ),
    "documents:statistics": Case(fixed("/documents/statistics/"), ok=BUSINESS),
    "documents:group_list": Case(fixed("/documents/groups/"), ok=BUSINESS),
    "documents:group_create": Case(
        fixed("/documents/groups/create/"),
        ok=OFFICE,
        post={"name": "冒名小组", "lead_unit": "1", "head": "1", "sort_order": "1"},
    ),
    "documents:group_edit": Case(
        lambda w: f"/documents/groups/{w.drafting_group.pk}/edit/",
        ok=OFFICE,
        post={"name": "改名", "lead_unit": "1", "head": "1", "sort_order": "1"},
    ),
    "documents:material_create": Case(
        lambda w: f"/documents/groups/{w.drafting_group.pk}/new/",
        ok={"li", "zhou"},
        post={"title": "冒名材料"},
    ),
    "documents:material_detail": Case(
        lambda w: f"/documents/materials/{w.material.pk}/", ok=LEGAL_READERS, not_found=NOT_LEGAL
    ),
    "documents:material_action": Case(
        lambda w: f"/documents/materials/{w.material.pk}/do/submit/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "documents:material_revise": Case(
        lambda w: f"/documents/materials/{w.material.pk}/revise/",
        ok=BUSINESS,
        post_only=True,
        post={"body": "冒名修改"},
        allowed_post={"zhou"},
    ),
    "documents:incoming_list": Case(fixed("/documents/incoming/"), ok=BUSINESS),
    "documents:incoming_create": Case(
        fixed("/documents/incoming/new/"), ok=OFFICE, post={"title": "冒名来文"}
    ),
    "documents:incoming_detail": Case(
        lambda w: f"/documents/incoming/{w.incoming.pk}/",
        ok={"zhao"} | OFFICE,
        not_found={"li", "zhou", "wu"},
    ),
    "documents:incoming_action": Case(
        lambda w: f"/documents/incoming/{w.incoming.pk}/do/instruct/",
        ok=BUSINESS,
        post_only=True,
        post={"instruction": "请研办", "handling_unit": ""},
        allowed_post={"zhao"},
    ),
}
