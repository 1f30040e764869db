"""Attachment uploads and downloads leave audit rows (the probe: they were not audited)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditAction, AuditEvent
from apps.ledger import services
from apps.ledger.models import Attachment

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-16")]


def test_an_attachment_upload_and_its_download_are_audited(client, personas, make_item):
    item = services.item_assign(actor=personas.sun, item=make_item())
    services.feedback_submit(
        actor=personas.zhou,
        item=item,
        text="进展",
        percent=20,
        attachments=[SimpleUploadedFile("调研报告.txt", "内容".encode())],
    )
    attachment = Attachment.objects.get()
    upload = AuditEvent.objects.get(action=AuditAction.CREATE, detail__附件ID=attachment.pk)
    assert upload.actor_username == "zhou" and upload.detail["附件上传"] == "调研报告.txt"

    client.force_login(personas.sun)
    response = client.get(reverse("ledger:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    download = AuditEvent.objects.get(action=AuditAction.EXPORT, detail__附件ID=attachment.pk)
    assert download.actor_username == "sun" and download.detail["附件下载"] == "调研报告.txt"
