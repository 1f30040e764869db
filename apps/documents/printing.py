"""An outgoing document as the layout engine's `OfficialDocument`: the printed 公文.

The drafter writes plain paragraphs; a paragraph that starts like a heading (一、 （一） 1. （1）)
becomes one, and the engine numbers it again, so a renumbered draft never prints stale numbers.
"""

from __future__ import annotations

import re

from django.utils import timezone

from .choices import UPWARD_TYPES, DocumentType, OutgoingStatus, Secrecy, Urgency
from .layout import Attachment, DocumentFormat, Heading, OfficialDocument, Paragraph
from .layout.model import Block
from .models import DocumentVersion, OutgoingDocument

ORGAN = "市人大常委会办公室"
"""The issuing organ's name on the mark, the signature and the imprint."""

_HEADINGS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、\s*")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）\s*")),
    (3, re.compile(r"^\d+[.．]\s*")),
    (4, re.compile(r"^（\d+）\s*")),
)
_SENTENCE_END = re.compile(r"^(.{1,30}?[。：])(.*)$")


def paragraphs(body: str) -> list[str]:
    """The non-empty paragraphs of a draft, in order (comments point at these indexes)."""
    return [line.strip() for line in body.splitlines() if line.strip()]


def body_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for text in paragraphs(body):
        for level, pattern in _HEADINGS:
            match = pattern.match(text)
            if match:
                rest = text[match.end() :]
                # A short first sentence is the heading; the rest of the paragraph runs on.
                sentence = _SENTENCE_END.match(rest) if level > 1 else None
                if sentence and sentence.group(2):
                    blocks.append(Heading(level, sentence.group(1), run_in=sentence.group(2)))
                else:
                    blocks.append(Heading(level, rest))
                break
        else:
            blocks.append(Paragraph(text))
    return blocks


def official_document(
    document: OutgoingDocument, version: DocumentVersion | None = None
) -> OfficialDocument:
    """The printed form of `document`: the signed version once signed, else the latest draft
    (marked as a draft in its header line, with no number)."""
    version = version or document.signed_version or document.versions.order_by("-number").first()
    assert version is not None
    signed = document.status in {
        OutgoingStatus.SIGNED,
        OutgoingStatus.SEALED,
        OutgoingStatus.ISSUED,
        OutgoingStatus.VOIDED,
    }
    attachment_titles = [
        line.strip() for line in version.attachments_note.splitlines() if line.strip()
    ]
    attachment_titles += [a.name for a in document.attachments.all()]
    number = document.number if signed else "（未编号）"
    if document.status == OutgoingStatus.VOIDED:
        number += "（作废）"
    formats = {
        DocumentType.LETTER: DocumentFormat.LETTER,
        DocumentType.MINUTES: DocumentFormat.MINUTES,
    }
    doc_format = formats.get(DocumentType(document.doc_type), DocumentFormat.FILE)
    mark = {
        DocumentFormat.FILE: f"{ORGAN}文件",
        DocumentFormat.LETTER: ORGAN,
        DocumentFormat.MINUTES: f"{ORGAN}会议纪要",
    }[doc_format]
    day = timezone.localdate(document.signed_at) if document.signed_at else None
    issued = timezone.localdate(document.issued_at) if document.issued_at else day
    signer = document.signer.name if document.doc_type in UPWARD_TYPES else ""
    return OfficialDocument(
        title=document.title,
        format=doc_format,
        copy_number=f"{document.pk:06d}" if document.secrecy == Secrecy.SECRET else "",
        secrecy="秘密" if document.secrecy == Secrecy.SECRET else "",
        urgency=Urgency(document.urgency).label if document.urgency else "",
        issuer_mark=mark,
        number=number,
        signers=(signer,) if signer else (),
        recipients=document.recipients,
        body=body_blocks(version.body),
        attachments=[Attachment(title) for title in attachment_titles],
        signature=ORGAN,
        date=day,
        seal=signed,
        note="此件公开发布" if document.public else "",
        copy_to=document.copy_to,
        printer=ORGAN,
        print_date=issued,
        author=document.drafter.display_name,
        created=version.created_at,
        subject=f"{document.get_doc_type_display()} {document.number}".strip(),
        keywords=(document.get_doc_type_display(),),
    )
