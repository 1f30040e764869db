"""The staff roster (机关人员花名册) through the import framework."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports.models import ImportJob, JobStatus
from apps.organization.choices import PoliticalStatus, Rank
from apps.organization.models import Person, UnitMembership

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_URL = reverse("imports:upload", args=["roster"])
TODAY = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


def roster(rows) -> bytes:
    """A roster as the office keeps it: merged title, header on row 2, a footnote at the end."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["市人大常委会机关人员花名册"])
    sheet.merge_cells("A1:J1")
    sheet.append(["序号", "姓名", "性别", "出生年月", "所在单位", "现任职务", "职级",
                  "政治面貌", "手机号码", "到岗时间"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.append(["注：出生年月按档案填写。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows(personas):
    return [
        [1, "王新", "女", "1996.03", "法制工委", "科员", "科员", "中共预备党员", "13800000001", None],
        [2, "周科员", "男", "1985.06", "财经委", "科员", "副科", "党员", "13800000002", "2026-06-01"],
    ]  # fmt: skip


def import_roster(client, user, content):
    client.force_login(user)
    client.post(UPLOAD_URL, {"file": SimpleUploadedFile("花名册.xlsx", content, XLSX)})
    job = ImportJob.objects.latest("id")
    if job.status == JobStatus.PREVIEW and not job.errors:
        client.post(reverse("imports:job_confirm", args=[job.pk]))
        job.refresh_from_db()
    return job


@time_machine.travel(TODAY, tick=False)
def test_a_roster_creates_updates_and_moves_people_idempotently(client, personas):
    zhou = personas.zhou.person  # 法制工委 needs no alias: 工委 ↔ 工作委员会
    job = import_roster(client, personas.sysadmin, roster(rows(personas)))
    assert job.status == JobStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 1, 0)
    wang = Person.objects.get(name="王新")
    assert (wang.birth_date, wang.political_status, wang.phone) == (
        datetime.date(1996, 3, 1),
        PoliticalStatus.CPC_PROBATIONARY,
        "13800000001",
    )
    posting = UnitMembership.objects.get(person=wang)
    assert (posting.unit, posting.post_title, posting.start_date) == (
        personas.legal,
        "科员",
        datetime.date(2026, 6, 15),
    )
    # 周科员 moved: a new dated posting; the old one ends the day before and stays.
    zhou.refresh_from_db()
    assert zhou.rank == Rank.SECTION_DEPUTY and zhou.phone == "13800000002"
    postings = list(UnitMembership.objects.filter(person=zhou).order_by("start_date"))
    assert [(p.unit, p.end_date) for p in postings] == [
        (personas.legal, datetime.date(2026, 5, 31)),
        (personas.finance, None),
    ]
    # The same roster again changes nothing.
    again = import_roster(client, personas.sysadmin, roster(rows(personas)))
    assert (again.created_count, again.updated_count, again.skipped_count) == (0, 0, 2)
    assert Person.objects.filter(name="王新").count() == 1
    assert UnitMembership.objects.filter(person=zhou).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_bad_rows_are_listed_and_nothing_is_written(client, personas):
    content = roster(
        [
            [1, "王新", None, "1996.03", "法工委", "科员", "科员", "群众", None, None],
            [2, "李四", "男", "1990-02-30", "宣传委", "科员", "科员", "群众", None, None],
            [3, "赵六", "男", "1990-01-01", "法工委", "科员", "处长", "群众", None, None],
        ]
    )
    job = import_roster(client, personas.sysadmin, content)
    reasons = {error["row"]: error["reason"] for error in job.errors}
    assert "新增人员须填写性别" in reasons[3]
    assert "不是有效的日期" in reasons[4] and "单位“宣传委”不存在" in reasons[4]
    assert "无法识别职级“处长”" in reasons[5]
    assert job.status == JobStatus.PREVIEW
    assert not Person.objects.filter(name__in=["王新", "李四", "赵六"]).exists()


@pytest.mark.parametrize(
    "name", ["zhao", "qian", "sun", "li", "zhou", "wu", "secadmin", "auditadmin"]
)
def test_only_the_system_administrator_imports_a_roster(client, personas, name):
    client.force_login(getattr(personas, name))
    assert client.get(UPLOAD_URL).status_code == 403
    response = client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("花名册.xlsx", roster(rows(personas)), XLSX)}
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    assert not Person.objects.filter(name="王新").exists()


def test_the_roster_template(client, personas):
    client.force_login(personas.sysadmin)
    response = client.get(UPLOAD_URL + "?template=1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["姓名", "性别", "出生日期", "单位"]
