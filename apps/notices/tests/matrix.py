"""What every role gets from each URL of the notices (see apps/core/testing/url_matrix.py).

A draft by sun (the office's only); a notice to 法工委 (li, zhou) with an attachment, whose
receipts the leader and the office read (li, its head, his unit's line); a whole-organ notice to
acknowledge (需确认)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing.url_matrix import BUSINESS, LEGAL_READERS, OFFICE, Case, fixed

from .factories import make_notice

RECEIPT_READERS = {"zhao", "qian", "sun"}


def objects(p) -> dict[str, object]:
    from apps.notices import services

    draft = make_notice(p, title="草稿通知")
    legal = make_notice(
        p,
        title="关于法工委立法调研的通知",
        units=[p.legal],
        attachments=[SimpleUploadedFile("调研提纲.docx", b"PK")],
    )
    services.notice_publish(actor=p.sun, notice=legal)
    organ = make_notice(p, title="关于规范公文处理的通知", requires_confirmation=True)
    services.notice_publish(actor=p.sun, notice=organ)
    return {
        "notice_draft": draft,
        "notice_legal": legal,
        "notice_organ": organ,
        "notice_attachment": legal.attachments.get(),
    }


MATRIX = {
    "notices:notice_list": Case(fixed("/notices/"), ok=BUSINESS),
    "notices:notice_create": Case(fixed("/notices/new/"), ok=OFFICE, post={}),
    "notices:notice_detail": Case(
        lambda w: f"/notices/{w.notice_legal.pk}/", ok=LEGAL_READERS, not_found={"wu"}
    ),
    "notices:notice_edit": Case(
        lambda w: f"/notices/{w.notice_draft.pk}/edit/", ok=OFFICE, post={"title": "伪造"}
    ),
    "notices:notice_publish": Case(
        lambda w: f"/notices/{w.notice_draft.pk}/publish/", ok=OFFICE, post_only=True, post={}
    ),
    "notices:notice_withdraw": Case(
        lambda w: f"/notices/{w.notice_organ.pk}/withdraw/",
        ok=OFFICE,
        post_only=True,
        post={"reason": "伪造撤回"},
    ),
    "notices:notice_confirm": Case(
        lambda w: f"/notices/{w.notice_organ.pk}/confirm/", ok=BUSINESS, post_only=True, post={}
    ),
    "notices:notice_receipts": Case(
        lambda w: f"/notices/{w.notice_legal.pk}/receipts/",
        ok=RECEIPT_READERS | {"li"},  # li: his own unit's line only
        not_found={"wu"},
    ),
    "notices:notice_remind": Case(
        lambda w: f"/notices/{w.notice_legal.pk}/remind/",
        ok=BUSINESS,
        post_only=True,
        post={},
        allowed_post=RECEIPT_READERS,
    ),
    "notices:attachment_download": Case(
        lambda w: f"/notices/attachments/{w.notice_attachment.pk}/",
        ok=LEGAL_READERS,
        not_found={"wu"},
    ),
}
