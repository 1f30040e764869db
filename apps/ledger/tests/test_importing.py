import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile

from apps.core.testing.factories import MembershipFactory, PersonFactory
from apps.imports.models import ImportJob, JobStatus
from apps.imports.services import job_check, job_confirm
from apps.ledger import importing
from apps.ledger.choices import EventKind, FeedbackRule, ItemKind, Status
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.importing import (
    import_workbook,
    parse_count,
    parse_deadline,
    parse_feedback,
)
from apps.ledger.models import ItemEvent, TrackedItem
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import add_workdays, clear_cache

from .data import HEADER, good_rows, xlsx

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def run(personas, checklist, content: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    return import_workbook(
        actor=kwargs.pop("actor", personas.sun),
        checklist=checklist,
        fileobj=io.BytesIO(content),
        size=len(content),
        **kwargs,
    )


def reasons(result) -> dict:
    return {error["row"]: error["reason"] for error in result.errors}


# --- parsing cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2026, 3, 31, 0, 0), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)),
        ("2026-03-31", datetime.date(2026, 3, 31)),
        ("2026/3/31", datetime.date(2026, 3, 31)),
        ("2026.3.31", datetime.date(2026, 3, 31)),
        ("2026年3月31日", datetime.date(2026, 3, 31)),
        ("２０２６年３月３１日前", datetime.date(2026, 3, 31)),
        ("2026-03-31 00:00:00", datetime.date(2026, 3, 31)),
        ("3月31日", datetime.date(2026, 3, 31)),
        ("6月底", datetime.date(2026, 6, 30)),
        ("年底前", datetime.date(2026, 12, 31)),
        (46112, datetime.date(2026, 3, 31)),  # an Excel day serial in a cell formatted as a number
    ],
)
def test_deadlines_in_the_usual_forms(value, expected):
    assert parse_deadline(value, year=2026, today=TODAY) == DeadlineSpec(date=expected)


@pytest.mark.parametrize("text", ["交办后10个工作日", "10个工作日内", "交办后十个工作日内办结"])
def test_a_deadline_in_workdays_counts_from_the_import_date(text):
    spec = parse_deadline(text, year=2026, today=TODAY)
    assert spec == DeadlineSpec(workdays=10, base=TODAY)
    assert spec.resolve().date == add_workdays(TODAY, 10)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "不是有效的日期"),
        ("13月底", "不是有效的日期"),
        ("尽快", "无法识别办结时限“尽快”"),
        (None, "未填写办结时限"),
        (3.5, "不是日期"),
    ],
)
def test_a_bad_deadline_says_why(value, message):
    with pytest.raises(ValueError, match=message):
        parse_deadline(value, year=2026, today=TODAY)


def test_feedback_rules_and_chinese_numbers():
    assert parse_feedback("每周") == (FeedbackRule.WEEKLY, None)
    assert parse_feedback("每月反馈一次") == (FeedbackRule.MONTHLY, None)
    assert parse_feedback("每季度反馈") == (FeedbackRule.QUARTERLY, None)
    assert parse_feedback("按季度") == (FeedbackRule.QUARTERLY, None)
    assert parse_feedback("交办后5个工作日内反馈") == (FeedbackRule.WORKDAYS, 5)
    assert parse_feedback(None) == (FeedbackRule.NONE, None)
    with pytest.raises(ValueError, match="无法识别反馈要求"):
        parse_feedback("随时")
    assert [parse_count(t) for t in ("十", "十五", "二十", "二十五", "7", "百")] == [
        10,
        15,
        20,
        25,
        7,
        None,
    ]


# --- a good sheet -------------------------------------------------------------------------------


def test_a_good_sheet_is_imported_with_measures_linked(personas, checklist):
    result = run(personas, checklist, xlsx(good_rows()))
    assert result.errors == []
    assert (result.total_rows, result.created, result.skipped) == (5, 5, 0)
    items = {item.serial: item for item in TrackedItem.objects.filter(checklist=checklist)}
    assert set(items) == {"1", "2", "2-1", "2-2", "3"}
    matter, problem = items["1"], items["2"]
    assert matter.kind == ItemKind.MATTER
    assert matter.status == Status.DRAFT
    assert matter.created_by == personas.sun
    assert matter.leading_leader == personas.zhao.person
    assert matter.lead_unit == personas.legal
    assert set(matter.co_units.all()) == {personas.finance, personas.office}
    assert matter.responsible_person == personas.zhou.person
    assert list(matter.trackers.all()) == [personas.sun.person]
    assert matter.deadline == datetime.date(2026, 12, 15)
    assert matter.feedback_rule == FeedbackRule.MONTHLY
    assert problem.kind == ItemKind.PROBLEM
    assert problem.deadline == datetime.date(2026, 12, 20)
    assert {m.serial for m in problem.children.all()} == {"2-1", "2-2"}
    assert all(m.kind == ItemKind.MEASURE for m in problem.children.all())
    assert items["2-1"].deadline == datetime.date(2026, 12, 10)
    assert items["2-1"].feedback_workdays == 5
    assert items["2-2"].deadline == datetime.date(2026, 12, 18)
    assert set(items["2-2"].trackers.all()) == {personas.sun.person, personas.qian.person}
    assert items["3"].deadline == datetime.date(2026, 12, 25)  # “12月25日”: the list's year
    assert items["3"].feedback_rule == FeedbackRule.WORKDAYS
    # The timeline says where each item came from.
    event = ItemEvent.objects.get(item=matter, kind=EventKind.IMPORTED)
    assert event.data == {"file": "", "row": 3}


def test_importing_the_same_file_again_creates_nothing(personas, checklist):
    content = xlsx(good_rows())
    run(personas, checklist, content)
    result = run(personas, checklist, content)
    assert result.errors == []
    assert (result.created, result.skipped) == (0, 5)
    assert TrackedItem.objects.filter(checklist=checklist).count() == 5


def test_a_grown_file_adds_only_the_new_rows(personas, checklist):
    run(personas, checklist, xlsx(good_rows()[:3]))
    result = run(personas, checklist, xlsx(good_rows()))
    assert (result.created, result.skipped) == (2, 3)
    assert TrackedItem.objects.get(checklist=checklist, serial="2-2").parent.serial == "2"


def test_header_synonyms_a_header_further_down_and_no_serial(personas, checklist):
    content = xlsx(
        [["督办件一", "法工委", "2026-12-01", "领导批示"], ["督办件二", "财经委", "12月2日", None]],
        header=["事项", "责任单位", "完成时限（格式：2026-03-31）", "来源"],
        titles=("2026年领导批示件督办清单", "填报单位：办公室"),
    )
    result = run(personas, checklist, content)
    assert result.errors == []
    first = TrackedItem.objects.get(title="督办件一")
    assert first.source == "leader_instruction"
    assert first.serial  # numbered by the service
    assert TrackedItem.objects.get(title="督办件二").source == checklist.source
    # Without 序号 the title identifies the row: a second import skips both.
    assert run(personas, checklist, content).skipped == 2


def test_import_then_assign(personas, checklist):
    result = run(personas, checklist, xlsx(good_rows()[:1]), assign=True)
    assert (result.created, result.assigned) == (1, 1)
    item = TrackedItem.objects.get(checklist=checklist)
    assert item.status == Status.ASSIGNED
    assert item.feedback_due is not None


def test_a_person_qualified_by_unit_resolves_a_shared_name(personas, checklist):
    MembershipFactory(person=PersonFactory(name="周科员"), unit=personas.finance)
    rows = [[1, "事项", None, None, "法工委", None, "周科员（法工委）", None, "2026-12-01"]]
    result = run(personas, checklist, xlsx(rows))
    assert result.errors == []
    assert TrackedItem.objects.get().responsible_person == personas.zhou.person


# --- bad rows -----------------------------------------------------------------------------------


def test_three_bad_rows_are_all_reported_and_nothing_is_imported(personas, checklist):
    rows = good_rows()
    rows[0][1] = None  # row 3: no title
    rows[2][4] = "宣传委"  # row 5: unknown unit
    rows[4][8] = "2026-02-30"  # row 7: no such date
    result = run(personas, checklist, xlsx(rows))
    assert result.created == 0
    assert sorted(reasons(result)) == [3, 5, 7]
    assert "未填写事项名称" in reasons(result)[3]
    assert "牵头单位“宣传委”不存在" in reasons(result)[5]
    assert "不是有效的日期" in reasons(result)[7]
    assert not TrackedItem.objects.exists()


def test_row_checks(personas, checklist):
    MembershipFactory(person=PersonFactory(name="周科员"), unit=personas.finance)
    CalendarYear.objects.filter(year=2027).delete()
    clear_cache()
    rows = [
        [1, "正常事项", None, None, "法工委", None, None, None, "2026-12-01"],
        [1, "序号重复", None, None, "法工委", None, None, None, "2026-12-01"],
        [2, "重名", None, None, "法工委", None, "周科员", None, "2026-12-01"],
        [3, "非领导领责", None, "李主任", "法工委", None, None, None, "2026-12-01"],
        [4, "预估年度", None, None, "法工委", None, None, None, "2027-03-31"],
        [5, "措施", None, None, "法工委", None, None, None, "2026-12-01", None, 99],
        [6, "未知人员", None, None, "法工委", "宣传委", "王五", None, "2026-12-01"],
        [7, "牵头配合相同", None, None, "法工委", "法制工作委员会", None, None, "2026-12-01"],
        [8, "反馈", None, None, "法工委", None, None, None, "2026-12-01", "半月一次"],
    ]
    result = run(personas, checklist, xlsx(rows))
    found = reasons(result)
    assert result.created == 0
    assert 3 not in found
    assert "序号“1”与第3行重复" in found[4]
    assert "“周科员”有2人重名" in found[5]
    assert "法工委" in found[5] and "财经委" in found[5]
    assert "“李主任”不是常委会领导" in found[6]
    assert 7 not in found  # a deadline in a year not announced yet is provisional, not refused
    assert "所属问题序号“99”在表中不存在" in found[8]
    assert "配合单位“宣传委”不存在" in found[9] and "责任人“王五”不存在" in found[9]
    assert "牵头单位不能同时作为配合单位" in found[10]
    assert "无法识别反馈要求" in found[11]
    assert not TrackedItem.objects.exists()


def test_a_serial_already_used_by_another_item_of_the_list(personas, checklist, make_item):
    make_item(serial="1")
    rows = [[1, "新事项", None, None, "法工委", None, None, None, "2026-12-01"]]
    result = run(personas, checklist, xlsx(rows))
    assert "清单中已有编号为1的事项" in reasons(result)[3]


def test_a_measure_may_point_to_a_problem_already_in_the_list(personas, checklist):
    run(personas, checklist, xlsx(good_rows()[1:2]))  # the problem, serial 2, alone: a matter
    TrackedItem.objects.filter(serial="2").update(kind=ItemKind.PROBLEM)
    rows = [["2-3", "新增措施", None, None, "法工委", None, None, None, "2026-12-01", None, 2]]
    result = run(personas, checklist, xlsx(rows))
    assert result.errors == []
    assert TrackedItem.objects.get(serial="2-3").parent.serial == "2"


# --- the file as a whole ------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx(personas, checklist):
    result = run(personas, checklist, b"\xd0\xcf\x11\xe0 an old .xls, or anything else")
    assert result.errors == [{"row": None, "reason": importing.FILE_UNREADABLE}]


def test_an_oversized_file(personas, checklist, settings):
    settings.LEDGER = {**settings.LEDGER, "MAX_IMPORT_BYTES": 1000}
    result = run(personas, checklist, xlsx(good_rows()))
    assert "超过了1000字节的上限" in result.errors[0]["reason"]
    assert not TrackedItem.objects.exists()


def test_an_empty_sheet(personas, checklist):
    result = run(personas, checklist, xlsx([], header=None, titles=()))
    assert result.errors == [{"row": None, "reason": importing.SHEET_EMPTY}]


def test_a_sheet_without_a_header(personas, checklist):
    content = xlsx([["张三", "李四"], ["1", "2"]], header=None, titles=("随便写的表",))
    result = run(personas, checklist, content)
    assert "没有找到表头" in result.errors[0]["reason"]


def test_a_header_missing_needed_columns(personas, checklist):
    content = xlsx([[1, "事项"]], header=["序号", "事项名称", "责任人"])
    result = run(personas, checklist, content)
    assert "表头缺少必需的列：牵头单位、办结时限" in result.errors[0]["reason"]


def test_a_header_without_data(personas, checklist):
    result = run(personas, checklist, xlsx([]))
    assert "没有数据行" in result.errors[0]["reason"]


def test_too_many_rows(personas, checklist, settings):
    settings.LEDGER = {**settings.LEDGER, "MAX_IMPORT_ROWS": 4}
    result = run(personas, checklist, xlsx(good_rows()))
    assert "超过4行" in result.errors[0]["reason"]
    assert not TrackedItem.objects.exists()


def test_the_ledger_may_be_on_a_later_sheet_and_blank_lines_are_skipped(personas, checklist):
    # A blank line, and a line with nothing but a pre-filled 序号, between two items.
    rows = [*good_rows()[:1], [None] * 11, [9, *[None] * 10], *good_rows()[1:2]]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx(rows)))
    workbook.create_sheet("封面", 0).append(["督办台账"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(personas, checklist, buffer.getvalue())
    assert result.errors == []
    assert result.created == 2


def test_only_the_office_imports(personas, checklist):
    result = run(personas, checklist, xlsx(good_rows()), actor=personas.zhou)
    assert "只有办公室" in result.errors[0]["reason"]
    assert not TrackedItem.objects.exists()


# --- the background job -------------------------------------------------------------------------


def make_job(personas, checklist, content: bytes, assign: bool = False) -> ImportJob:
    return ImportJob.objects.create(
        import_type="ledger",
        options={"checklist": checklist.pk, "assign": assign},
        file=ContentFile(content, name="台账.xlsx"),
        file_name="台账.xlsx",
        created_by=personas.sun,
    )


def run_import_job(pk: int) -> ImportJob:
    """The job's two steps as the pages drive them: check (preview), then confirm and import."""
    job = job_check(pk)
    if job.status == JobStatus.PREVIEW and not job.errors:
        job = job_confirm(actor=job.created_by, job=job)
    job.refresh_from_db()
    return job


def test_the_job_records_progress_and_result(personas, checklist):
    job = run_import_job(make_job(personas, checklist, xlsx(good_rows())).pk)
    assert job is not None
    assert job.status == JobStatus.DONE
    assert (job.total_rows, job.processed_rows, job.percent) == (5, 5, 100)
    assert (job.created_count, job.skipped_count, job.errors) == (5, 0, [])
    assert job.finished_at is not None
    assert ItemEvent.objects.filter(kind=EventKind.IMPORTED, data__file="台账.xlsx").count() == 5


def test_a_failed_job_keeps_the_bad_rows(personas, checklist):
    rows = good_rows()
    rows[1][4] = "宣传委"
    job = run_import_job(make_job(personas, checklist, xlsx(rows)).pk)
    assert job.status == JobStatus.PREVIEW  # shown in the preview; cannot be confirmed
    assert job.errors == [
        {"row": 4, "reason": "牵头单位“宣传委”不存在（请填写单位全称、简称或别名）"}
    ]
    assert job.created_count == 0
    assert not TrackedItem.objects.exists()


def test_a_job_runs_once(personas, checklist):
    job = make_job(personas, checklist, xlsx(good_rows()))
    run_import_job(job.pk)
    again = run_import_job(job.pk)  # a second worker, or a retried task
    assert again.created_count == 5
    assert TrackedItem.objects.count() == 5


def test_the_task_runs_the_job(personas, checklist):
    from apps.imports.tasks import check_import_job
    from apps.imports.tasks import run_import_job as run_task

    job = make_job(personas, checklist, xlsx(good_rows()), assign=True)
    assert check_import_job.enqueue(job.pk).return_value == {"rows": 5, "errors": 0}
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CONFIRMED)
    result = run_task.enqueue(job.pk)
    assert result.return_value == {"created": 5, "updated": 0, "skipped": 0, "errors": 0}
    assert set(TrackedItem.objects.values_list("status", flat=True)) == {Status.ASSIGNED}


def test_the_template_reads_back_and_lists_every_column(personas):
    workbook = openpyxl.load_workbook(io.BytesIO(importing.build_import_template()))
    assert workbook.sheetnames == ["督办台账", "说明"]
    header = [cell.value for cell in workbook["督办台账"][1]]
    assert header == [column.label for column in importing.COLUMNS]
    assert set(HEADER) <= set(header)
    example = dict(zip(header, (cell.value for cell in workbook["督办台账"][2]), strict=True))
    assert example["牵头单位"] == personas.legal.name
    assert example["领责领导"] == personas.zhao.person.name
    assert workbook["说明"]["A1"].value == "列名"
