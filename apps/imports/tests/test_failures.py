"""Every way a file can be unusable: a clear Chinese message, nothing written, nothing kept."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports.models import ImportJob, JobStatus
from apps.imports.reading import FILE_ENCRYPTED, FILE_UNREADABLE
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.models import TrackedItem
from apps.ledger.tests.data import good_rows, xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_URL = reverse("imports:upload", args=["ledger"])


@pytest.fixture
def checklist(personas):
    return services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )


def upload(client, personas, checklist, content: bytes, name: str = "台账.xlsx") -> str:
    client.force_login(personas.sun)
    response = client.post(
        UPLOAD_URL,
        {"checklist": checklist.pk, "file": SimpleUploadedFile(name, content, XLSX)},
        follow=True,
    )
    assert response.status_code == 200
    assert not TrackedItem.objects.exists()
    return response.content.decode()


def failed_job() -> ImportJob:
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert not job.file  # the upload is not kept
    return job


def encrypted_workbook() -> bytes:
    """The start of an OLE2 container holding an encrypted package, as Excel writes it."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, FILE_UNREADABLE),  # an old .xls
        (encrypted_workbook(), FILE_ENCRYPTED),
        ("序号,事项名称\n1,事项\n".encode("gbk"), FILE_UNREADABLE),  # a CSV renamed .xlsx
        (b"PK\x03\x04" + b"\x00" * 100, FILE_UNREADABLE),  # a corrupt workbook
    ],
    ids=["xls", "password", "csv-renamed", "corrupt"],
)
def test_a_file_that_is_no_usable_xlsx(client, personas, checklist, content, message):
    html = upload(client, personas, checklist, content)
    assert message in html
    assert failed_job().errors == [{"row": None, "reason": message}]


def test_a_zip_that_is_no_workbook(client, personas, checklist):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert FILE_UNREADABLE in upload(client, personas, checklist, buffer.getvalue())
    failed_job()


@pytest.mark.parametrize("name", ["台账.xls", "台账.csv"])
def test_a_wrong_file_type_is_refused_on_the_form_and_audited(client, personas, checklist, name):
    from apps.audit.models import AuditEvent

    html = upload(client, personas, checklist, b"whatever", name=name)
    assert "只支持 .xlsx 格式的Excel文件" in html
    assert not ImportJob.objects.exists()
    refused = AuditEvent.objects.get(object_type="imports.importjob")
    assert (refused.success, refused.detail["file"]) == (False, name)


def test_an_empty_sheet(client, personas, checklist):
    assert "表格是空的" in upload(client, personas, checklist, xlsx([], header=None, titles=()))
    failed_job()


def test_more_rows_than_the_limit(client, personas, checklist, settings):
    settings.LEDGER = {**settings.LEDGER, "MAX_IMPORT_ROWS": 4}
    html = upload(client, personas, checklist, xlsx(good_rows()))
    assert "表格的数据超过4行（单次导入的上限）" in html
    failed_job()


def test_more_row_elements_than_the_limit(client, personas, checklist, settings):
    settings.IMPORTS = {**settings.IMPORTS, "MAX_SHEET_ROWS": 50}
    rows = [*good_rows(), *([["x"]] * 60)]
    assert "行数过多（含空行超过50行）" in upload(client, personas, checklist, xlsx(rows))
    failed_job()


def test_two_columns_on_one_field_and_a_required_field_unmapped(client, personas, checklist):
    content = xlsx(
        [[1, "事项", "法工委", "财经委", "2026-12-01"]],
        header=["序号", "事项名称", "责任单位", "牵头单位", "完成时限"],
    )
    html = upload(client, personas, checklist, content)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.PREVIEW and job.errors == []
    # 责任单位 came first and took 牵头单位; the second column is shown as not imported.
    assert "D列“牵头单位”：不导入" in html
    url = reverse("imports:job_mapping", args=[job.pk])
    both = {"col_A": "serial", "col_B": "title", "col_C": "lead_unit", "col_D": "lead_unit"}
    response = client.post(url, {**both, "col_E": "deadline"}, follow=True)
    assert (
        "“牵头单位”对应了2列（C列“责任单位”、D列“牵头单位”），请只保留一列"
        in response.content.decode()
    )
    response = client.post(url, {**both, "col_D": "", "col_E": ""}, follow=True)
    assert "表头缺少必需的列：办结时限" in response.content.decode()
    job.refresh_from_db()
    assert job.mapping == {}  # neither mapping was taken
    assert not TrackedItem.objects.exists()


def test_the_framework_imports_no_business_area():
    root = Path(__file__).resolve().parents[1]
    for path in root.glob("*.py"):
        source = path.read_text()
        for area in ("apps.ledger", "apps.organization", "apps.attendance", "apps.approvals"):
            assert area not in source, f"{path.name} imports {area}"


def test_the_template_lists_the_fields(client, personas):
    client.force_login(personas.sun)
    response = client.get(UPLOAD_URL + "?template=1")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "备注/进展" in [cell.value for cell in workbook.worksheets[0][1]]


def test_an_unconfirmed_preview_gives_up_its_file_after_a_day(client, personas, checklist):
    import datetime

    import time_machine

    from apps.imports.services import discard_stale_uploads

    upload(client, personas, checklist, xlsx(good_rows()))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.PREVIEW and job.file
    assert discard_stale_uploads() == 0
    with time_machine.travel(job.created_at + datetime.timedelta(days=1, minutes=1)):
        assert discard_stale_uploads() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert "预览超过1天未确认" in job.errors[0]["reason"]
    assert not TrackedItem.objects.exists()
