import datetime
import io
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditAction, AuditEvent
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.imports.models import ImportJob, JobStatus
from apps.ledger import services
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import TrackedItem

from .data import good_rows, xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_URL = reverse("imports:upload", args=["ledger"])
EXPORT_URL = reverse("ledger:export_xlsx")


def upload(client, checklist, content: bytes, name="台账.xlsx", follow=False, **fields):
    data = {"checklist": checklist.pk, "file": SimpleUploadedFile(name, content, XLSX), **fields}
    return client.post(UPLOAD_URL, data, follow=follow)


def confirm(client, job):
    """确认导入 on the preview page (the import runs at once with the test task backend)."""
    return client.post(reverse("imports:job_confirm", args=[job.pk]))


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["qian", "sun"])
def test_the_office_sees_the_upload_page(client, personas, checklist, name):
    client.force_login(getattr(personas, name))
    response = client.get(UPLOAD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入督办台账" in html and "导入后直接交办" in html and "?template=1" in html
    assert_no_external_refs(html)
    assert_csp_safe(html)


@pytest.mark.parametrize("name", ["zhao", "li", "zhou", "wu", "sysadmin", "secadmin", "auditadmin"])
def test_only_the_office_uploads(client, personas, checklist, name):
    client.force_login(getattr(personas, name))
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.get(UPLOAD_URL + "?template=1").status_code == 403
    assert upload(client, checklist, xlsx(good_rows())).status_code == 403
    assert not ImportJob.objects.exists()
    assert not TrackedItem.objects.exists()


def test_the_template_download(client, personas):
    client.force_login(personas.sun)
    response = client.get(UPLOAD_URL + "?template=1")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert unquote(response["Content-Disposition"].split("''")[1]) == "督办台账导入模板.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "事项名称" in [cell.value for cell in workbook.worksheets[0][1]]
    assert "说明" in workbook.sheetnames


def test_uploading_a_good_sheet_imports_it(client, personas, checklist):
    client.force_login(personas.sun)
    response = upload(client, checklist, xlsx(good_rows()), assign="on")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == JobStatus.PREVIEW  # nothing is written before 确认导入
    assert not TrackedItem.objects.exists()
    assert confirm(client, job).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count, job.file_name) == (JobStatus.DONE, 5, "台账.xlsx")
    assert job.created_by == personas.sun
    assert TrackedItem.objects.filter(checklist=checklist, status="assigned").count() == 5
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "导入完成" in html and "新增 <strong>5</strong> 项" in html
    assert "hx-get" not in html  # finished: no more polling
    assert_csp_safe(html)
    # The same file again: nothing new.
    upload(client, checklist, xlsx(good_rows()))
    confirm(client, ImportJob.objects.latest("id"))
    assert ImportJob.objects.latest("id").skipped_count == 5
    assert TrackedItem.objects.count() == 5


def test_a_sheet_with_bad_rows_shows_each_row_and_imports_nothing(client, personas, checklist):
    rows = good_rows()
    rows[0][1] = None
    rows[2][4] = "宣传委"
    rows[4][8] = "2026-02-30"
    client.force_login(personas.sun)
    response = upload(client, checklist, xlsx(rows), follow=True)
    html = response.content.decode()
    assert "发现 3 处问题，不能导入" in html
    for number in (3, 5, 7):
        assert f"第 {number} 行" in html
    assert "牵头单位“宣传委”不存在" in html
    assert "确认导入" not in html
    job = ImportJob.objects.get()
    assert job.status == JobStatus.PREVIEW
    assert confirm(client, job).status_code == 302  # refused: the errors stand
    assert ImportJob.objects.get().status == JobStatus.PREVIEW
    assert not TrackedItem.objects.exists()


def test_a_file_with_the_wrong_extension_is_refused_on_the_form(client, personas, checklist):
    client.force_login(personas.sun)
    response = upload(client, checklist, b"a,b,c", name="台账.csv")
    assert response.status_code == 200
    assert "只支持 .xlsx 格式的Excel文件" in response.content.decode()
    refused = AuditEvent.objects.get(object_type="imports.importjob")
    assert (refused.success, refused.detail["file"]) == (False, "台账.csv")
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused_on_the_form(client, personas, checklist, settings):
    settings.LEDGER = {**settings.LEDGER, "MAX_IMPORT_BYTES": 2048}
    client.force_login(personas.sun)
    response = upload(client, checklist, xlsx(good_rows()))
    assert response.status_code == 200
    assert "超过了2KB的上限" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_corrupt_file_fails_with_a_clear_message(client, personas, checklist):
    client.force_login(personas.sun)
    response = upload(client, checklist, b"PK\x03\x04 broken zip", follow=True)
    assert "文件无法读取" in response.content.decode()
    assert "整个文件" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert not job.file  # not kept once it is known to be useless
    assert not TrackedItem.objects.exists()


def make_job(personas, checklist, status=JobStatus.CHECKING) -> ImportJob:
    return ImportJob.objects.create(
        import_type="ledger",
        options={"checklist": checklist.pk},
        file_name="x.xlsx",
        created_by=personas.sun,
        status=status,
        total_rows=40,
        processed_rows=10,
    )


def test_the_progress_fragment_polls_while_running(client, personas, checklist):
    job = make_job(personas, checklist)
    client.force_login(personas.sun)
    url = reverse("imports:job", args=[job.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert "已处理 10 / 40 行" in html and "25%" in html
    assert '<progress class="progress" value="10" max="40"' in html
    page = client.get(url).content.decode()
    assert "<html" in page and 'id="import-progress"' in page
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, processed_rows=40)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in done and "导入完成" in done


@pytest.mark.parametrize("name", ["qian", "sun"])
def test_the_uploader_and_the_office_see_a_job(client, personas, checklist, name):
    job = make_job(personas, checklist)
    client.force_login(getattr(personas, name))
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("name", ["zhao", "li", "zhou", "wu", "sysadmin", "secadmin", "auditadmin"])
def test_nobody_else_sees_a_job(client, personas, checklist, name):
    job = make_job(personas, checklist)
    client.force_login(getattr(personas, name))
    url = reverse("imports:job", args=[job.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


# --- export -------------------------------------------------------------------------------------


@pytest.fixture
def two_units(personas, make_item):
    legal = make_item(title="法工委事项", milestones=[])
    finance = make_item(
        title="财经委事项",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        milestones=[],
    )
    services.item_assign(actor=personas.sun, item=legal)
    return legal, finance


def exported_titles(response) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    return [row[3] for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_export_is_the_filtered_ledger_in_the_users_scope(client, personas, two_units):
    client.force_login(personas.sun)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("filename*=utf-8''")[1]) == (
        f"督办台账_{timezone.localdate():%Y%m%d}.xlsx"
    )
    assert sorted(exported_titles(response)) == ["法工委事项", "财经委事项"]
    assert exported_titles(client.get(EXPORT_URL + "?status=assigned")) == ["法工委事项"]
    client.force_login(personas.wu)
    assert exported_titles(client.get(EXPORT_URL)) == ["财经委事项"]


def test_the_export_writes_an_audit_row(client, personas, two_units):
    client.force_login(personas.zhou)
    client.get(EXPORT_URL + "?status=assigned")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == personas.zhou
    assert event.object_type == "ledger.trackeditem"
    assert event.detail == {"filters": {"status": "assigned", "sort": "warning"}, "rows": 1}


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_do_not_export(client, personas, two_units, name):
    client.force_login(getattr(personas, name))
    assert client.get(EXPORT_URL).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- the supervision notice ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zhao", "qian", "sun"])
def test_the_office_and_leaders_download_the_notice(client, personas, checklist, make_item, name):
    make_item(title="按期事项", milestones=[])
    make_item(
        title="逾期事项", deadline=DeadlineSpec(date=datetime.date(2026, 1, 30)), milestones=[]
    )
    client.force_login(getattr(personas, name))
    response = client.get(reverse("ledger:notice_docx", args=[checklist.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert unquote(response["Content-Disposition"].split("''")[1]).startswith(
        f"{checklist.name}督办通报_"
    )
    document = docx.Document(io.BytesIO(response.content))
    assert document.core_properties.title == f"关于{checklist.name}办理情况的督办通报"
    assert len(document.tables[0].rows) == 3  # zhao leads both items
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.object_type, event.object_id) == ("ledger.checklist", str(checklist.pk))
    assert event.detail == {"document": "督办通报", "rows": 2}


@pytest.mark.parametrize("name", ["li", "zhou", "wu", "sysadmin", "secadmin", "auditadmin"])
def test_others_do_not_get_the_notice(client, personas, checklist, name):
    client.force_login(getattr(personas, name))
    assert client.get(reverse("ledger:notice_docx", args=[checklist.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_notice_of_a_missing_list_is_404(client, personas):
    client.force_login(personas.sun)
    assert client.get(reverse("ledger:notice_docx", args=[999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, personas, checklist):
    job = make_job(personas, checklist)
    for url in (
        UPLOAD_URL,
        reverse("imports:job", args=[job.pk]),
        EXPORT_URL,
        reverse("ledger:notice_docx", args=[checklist.pk]),
    ):
        assert client.get(url).status_code == 302
