"""A rectification sheet as an office keeps it, through upload, preview, mapping and confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.testing.factories import UnitFactory
from apps.imports.models import ImportJob, JobStatus, SavedMapping
from apps.ledger import services
from apps.ledger.choices import FeedbackRule, ItemKind, Source
from apps.ledger.models import TrackedItem
from apps.organization.models import Unit
from apps.organization.services import unit_alias_add

from .data import rectification_sheet, xlsx

# The sheets are dated for a 2026 list: the clock is set to match.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_URL = reverse("imports:upload", args=["ledger"])


@pytest.fixture
def inspection_list(personas):
    return services.checklist_create(
        actor=personas.sun, name="2026年巡察反馈问题整改台账", year=2026, source=Source.INSPECTION
    )


@pytest.fixture
def organ(personas):
    """The personas' organ, plus a third committee and the aliases the office uses."""
    personnel = UnitFactory(name="人事代表选举任免联络工作委员会", short_name="人代联工委")
    unit_alias_add(unit=personas.finance, name="财经工委")
    return personnel


def upload(client, checklist, content, name="整改台账.xlsx"):
    data = {"checklist": checklist.pk, "file": SimpleUploadedFile(name, content, XLSX)}
    response = client.post(UPLOAD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_an_office_sheet_imports_after_one_preview(client, personas, inspection_list, organ):
    client.force_login(personas.sun)
    job = upload(client, inspection_list, rectification_sheet())
    assert job.status == JobStatus.PREVIEW
    assert job.errors == []
    assert not TrackedItem.objects.exists()  # the preview writes nothing
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    # The header was found below the merged title, each column mapped by its synonym.
    assert "第 3 行为表头" in page
    fields = {c["header"]: c["field"] for c in job.layout["columns"]}
    assert fields["反馈问题"] == "title" and fields["整改措施"] == "measure"
    assert fields["责任单位"] == "lead_unit" and fields["整改时限"] == "deadline"
    assert fields["责任领导"] == "leader"
    assert fields["进展情况"] == "note" and fields["备注"] == "note"
    # The footnote is listed, not dropped silently; 各工委 says what it became.
    assert "第 11 行" in page and "说明行，不导入" in page
    assert "拆分为3项" in page
    assert "长期任务" in page and "按每月反馈跟踪" in page
    assert "确认导入" in page
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.errors
    problems = {p.title: p for p in TrackedItem.objects.filter(kind=ItemKind.PROBLEM)}
    assert set(problems) == {
        "理论学习与业务工作结合不紧",
        "督办事项跟踪问效不到位",
        "调研成果转化不充分",
    }
    first = problems["理论学习与业务工作结合不紧"]
    assert [m.title for m in first.children.order_by("id")] == [
        "制定年度学习计划",
        "每月开展一次集体学习",
        "建立学习档案",
    ]
    measures = {m.title: m for m in first.children.all()}
    assert measures["每月开展一次集体学习"].lead_unit == personas.legal
    assert measures["建立学习档案"].lead_unit == personas.finance  # through the alias 财经工委
    # The merged leader applies to every measure under it.
    assert {m.leading_leader for m in first.children.all()} == {personas.zhao.person}
    assert first.deadline.isoformat() == "2026-12-31"  # the last of its measures
    assert "【进展情况】已完成初稿" in measures["制定年度学习计划"].content
    assert "【备注】长期" in measures["每月开展一次集体学习"].content
    standing = measures["每月开展一次集体学习"]
    assert standing.is_standing and standing.feedback_rule == FeedbackRule.MONTHLY
    assert standing.deadline_note == "长期坚持"
    second = problems["督办事项跟踪问效不到位"]
    assert {m.lead_unit for m in second.children.all()} == {personas.office, organ}
    third = problems["调研成果转化不充分"]
    assert {m.lead_unit for m in third.children.all()} == {personas.legal, personas.finance, organ}
    assert third.leading_leader == personas.zhao.person  # “主任”: the one director
    assert job.created_count == 3 + 3 + 2 + 3
    # Importing the same sheet again adds nothing.
    again = upload(client, inspection_list, rectification_sheet())
    client.post(reverse("imports:job_confirm", args=[again.pk]))
    again.refresh_from_db()
    assert (again.created_count, again.skipped_count) == (0, 11)
    assert TrackedItem.objects.count() == 11


def test_a_changed_mapping_is_remembered_for_the_next_sheet(client, personas, checklist):
    content = xlsx(
        [[1, "推进立法联系点建设", "法工委", "2026-12-01", "法工委"]],
        header=["序号", "事项名称", "承办处室", "完成时限", "备注"],
    )
    client.force_login(personas.sun)
    job = upload(client, checklist, content)
    # 承办处室 is not a known name: the required 牵头单位 has no column yet.
    assert "表头缺少必需的列：牵头单位" in job.errors[0]["reason"]
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'name="col_C"' in page and "不导入" in page and "确认导入" not in page
    # Two columns on one field are refused, and nothing is remembered.
    response = client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {
            "col_A": "serial",
            "col_B": "title",
            "col_C": "lead_unit",
            "col_D": "deadline",
            "col_E": "lead_unit",
        },
        follow=True,
    )
    assert "“牵头单位”对应了2列" in response.content.decode()
    assert not SavedMapping.objects.exists()
    client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {
            "col_A": "serial",
            "col_B": "title",
            "col_C": "lead_unit",
            "col_D": "deadline",
            "col_E": "",
        },
    )
    job.refresh_from_db()
    assert (job.status, job.errors) == (JobStatus.PREVIEW, [])
    # Next month's sheet with the same headers maps itself.
    following = upload(client, checklist, content, name="下月台账.xlsx")
    assert following.errors == []
    assert {c["header"]: c["field"] for c in following.layout["columns"]}["承办处室"] == "lead_unit"
    client.post(reverse("imports:job_confirm", args=[following.pk]))
    assert TrackedItem.objects.get().lead_unit == personas.legal


def test_a_leader_written_as_an_ambiguous_post_echoes_the_users_words(client, personas, checklist):
    from apps.core.testing.factories import PersonFactory
    from apps.organization.choices import LeadershipTitle
    from apps.organization.models import LeadershipPost

    for name in ("钱副主任", "孙副主任"):
        LeadershipPost.objects.create(
            person=PersonFactory(name=name),
            title=LeadershipTitle.DEPUTY_DIRECTOR,
            start_date="2022-01-01",
        )
    content = xlsx([[1, "事项", None, "分管副主任", "法工委", None, None, None, "2026-12-01"]])
    client.force_login(personas.sun)
    job = upload(client, checklist, content)
    assert job.errors == [
        {
            "row": 3,
            "reason": "领责领导“分管副主任”对应2位副主任（钱副主任、孙副主任），请填写领导姓名",
        }
    ]
    assert not TrackedItem.objects.exists()


def test_a_unit_name_shared_by_two_units_names_both(client, personas, checklist):
    unit_alias_add(unit=personas.legal, name="立法委")
    other = UnitFactory(name="立法工作委员会", short_name="立法工委")
    unit_alias_add(unit=other, name="市人大常委会立法委员会")
    content = xlsx([[1, "事项", None, None, "立法工委", None, None, None, "2026-12-01"]])
    client.force_login(personas.sun)
    assert upload(client, checklist, content).errors == []
    from apps.organization.names import UnitNames

    # Two aliases that read the same after the usual equivalences cannot both exist:
    with pytest.raises(Exception, match="已是法制工作委员会的名称或别名"):
        unit_alias_add(unit=other, name="立法委")
    names = UnitNames()
    names.index.setdefault("法工委", {})[other.pk] = Unit.objects.get(pk=other.pk)  # a shared name
    with pytest.raises(LookupError, match="同时对应2个单位（法制工作委员会、立法工作委员会）"):
        names.unit("法工委", "牵头单位")
