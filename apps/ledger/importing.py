"""The ledger's import type: spreadsheets of supervised matters, rectification and key tasks, the
way offices keep them (read, mapped and previewed by `apps.imports`).

Every row is checked first — names of units and people, dates, duplicates, the link of a measure
(整改措施) to its problem — and EVERY bad row is reported with the row number the user sees in
Excel. If any row is bad nothing is imported; otherwise all items are created in one transaction
through `services.item_create`, so an import is all or nothing.

Layouts: one item per row; or problems with their measures, either as a “整改措施” column beside a
“反馈问题” column (the problem merged over its measures, or repeated) or as measure rows pointing to
their problem by “所属问题序号”. A unit written as a group (“各工委”) as the lead unit becomes one
item per unit (measures under the row's problem when there is one); as a co-operating unit, all of
the group become co-units. Columns such as 进展情况/备注 mapped to “备注/进展” are kept in the
item's content.

Each item carries an `import_key`, a hash of the list and the row's 序号 (or its title when there is
no 序号): importing the same file again creates nothing new, the rows already there are skipped.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.core import clock
from apps.imports.layout import SHEET_EMPTY, Field, SheetRow
from apps.imports.reading import FILE_UNREADABLE, human_size
from apps.imports.registry import Applied, Checked, Context, ImportType, PreviewRow, RowErrors
from apps.imports.services import run_import
from apps.imports.values import (
    NUMBER,
    TRAILING_TIME,
    cell_text,
    compact,
    excel_serial,
    nfkc,
    parse_count,
    parse_date_text,
    split_names,
)
from apps.organization.models import Person, Unit
from apps.organization.names import PeopleNames, UnitNames

from . import rules, services
from .choices import EventKind, FeedbackRule, ItemKind, Source, Status
from .deadlines import DeadlineSpec
from .models import Checklist, ItemEvent, TrackedItem

__all__ = [
    "COLUMNS",
    "FILE_UNREADABLE",
    "SHEET_EMPTY",
    "ImportResult",
    "import_workbook",
    "parse_count",
    "parse_deadline",
    "parse_feedback",
]

# ---------------------------------------------------------------------------------------------
# Columns and their names
# ---------------------------------------------------------------------------------------------

COLUMNS: tuple[Field, ...] = (
    Field(
        "serial",
        "序号",
        ("序号", "编号"),
        help="每行唯一；不填时以事项名称识别事项",
        example="1",
        content=False,
    ),
    Field(
        "kind",
        "类型",
        ("类型", "事项类型"),
        help="督办事项、整改问题、整改措施或重点任务；可不填（填了“所属问题序号”的行是整改措施）",
        example="督办事项",
    ),
    Field(
        "title",
        "事项名称",
        (
            "事项名称",
            "事项",
            "问题",
            "任务名称",
            "整改问题",
            "问题名称",
            "督办事项",
            "交办事项",
            "反馈问题",
            "存在问题",
            "巡察反馈问题",
            "工作任务",
            "重点任务",
            "任务",
        ),
        required=True,
        help="必填，不超过200字；整改台账中为问题",
        example="推进基层立法联系点建设",
    ),
    Field(
        "measure",
        "整改措施",
        ("整改措施", "措施", "具体措施", "整改举措", "整改任务"),
        help="整改台账：每行一条措施，问题可合并单元格或逐行重复填写",
    ),
    Field(
        "content",
        "具体内容",
        ("具体内容", "内容", "工作要求", "整改要求", "主要内容", "工作内容"),
        example="年内新建基层立法联系点3个，完善工作制度",
    ),
    Field("category", "类别", ("类别", "分类"), help="自由填写，不超过32字", example="立法工作"),
    Field(
        "source",
        "来源",
        ("来源", "事项来源"),
        help="、".join(Source.labels) + "；不填时取清单的来源",
        example="党组交办",
    ),
    Field(
        "leader",
        "领责领导",
        ("领责领导", "督办领导", "分管领导", "领责督办领导", "责任领导", "牵头领导", "包联领导"),
        help="须为常委会领导；可写姓名或职务（主任、秘书长、分管副主任），重名时写成“姓名（单位简称）”",
    ),
    Field(
        "lead_unit",
        "牵头单位",
        ("牵头单位", "责任单位", "牵头部门", "责任部门", "主责单位", "承办单位"),
        required=True,
        help="必填，单位全称、简称或别名；“各工委”表示每个工作委员会各一项",
        example="法制工作委员会",
    ),
    Field(
        "co_units",
        "配合单位",
        ("配合单位", "协办单位", "配合部门", "协同单位"),
        help="可填多个，用顿号、逗号、分号或空格分隔；“各工委”表示全部工作委员会",
    ),
    Field(
        "responsible",
        "责任人",
        ("责任人", "具体责任人", "经办人"),
        help="重名时写成“姓名（单位简称）”",
    ),
    Field(
        "trackers",
        "跟踪人",
        ("跟踪人", "跟踪问效人员", "跟踪问效人"),
        help="可填多个，分隔方式同配合单位",
    ),
    Field(
        "deadline",
        "办结时限",
        ("办结时限", "完成时限", "时限", "整改时限", "完成时间", "办结时间", "整改期限"),
        required=True,
        help="必填：2026-03-31、2026/3/31、2026.3.31、2026年3月31日、3月31日（清单年度）、"
        "6月底、交办后10个工作日（自导入之日起按工作日计算）",
        example="2026年12月15日",
    ),
    Field(
        "feedback",
        "反馈要求",
        ("反馈要求", "反馈时限", "反馈频次"),
        help="每周、每月、每季度、N个工作日（交办后N个工作日内反馈）；不填为无固定要求",
        example="每月",
    ),
    Field(
        "parent_serial",
        "所属问题序号",
        ("所属问题序号", "所属问题编号", "问题序号"),
        help="仅整改措施填写：其所属整改问题在本表中的序号",
    ),
    Field(
        "note",
        "备注/进展",
        ("备注/进展", "备注", "进展情况", "完成情况", "整改进展", "推进情况", "进展", "落实情况"),
        help="可对应多列；内容保存在事项的具体内容中",
        multiple=True,
        content=False,
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


# ---------------------------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------------------------

_WORKDAYS = re.compile(
    rf"(?:交办后|交办之日起|自交办之日起|收到后)?\s*({NUMBER})\s*个?\s*工作日\s*内?(?:办结|完成|反馈)?"
)
_DEADLINE_SUFFIX = re.compile(r"(?:之前|以前|前|内)?(?:办结|完成|完毕)?$")
DEADLINE_FORMS = (
    "2026-03-31、2026/3/31、2026.3.31、2026年3月31日、3月31日、6月底、交办后10个工作日、长期坚持"
)
STANDING = DeadlineSpec()
"""What parse_deadline returns for a standing task (长期坚持, 持续推进, 常态化)."""
_STANDING_WORDS = re.compile(r"^(长期|持续|常态化|长效)")


def parse_deadline(value: Any, *, year: int, today: datetime.date) -> DeadlineSpec:
    """A 办结时限 cell as a DeadlineSpec; ValueError with the reason in Chinese.

    `year` is the list's year (for “3月31日”); `today` is the import date (for “交办后10个工作日”).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("未填写办结时限")
    if isinstance(value, datetime.datetime):
        return DeadlineSpec(date=value.date())
    if isinstance(value, datetime.date):
        return DeadlineSpec(date=value)
    if isinstance(value, bool):
        raise ValueError(f"办结时限“{value}”不是日期")
    if isinstance(value, int | float):
        if (day := excel_serial(value)) is not None:
            return DeadlineSpec(date=day)
        raise ValueError(f"办结时限“{cell_text(value)}”不是日期（可填写{DEADLINE_FORMS}）")
    raw = str(value).strip()
    text = TRAILING_TIME.sub("", nfkc(raw)).replace(" ", "")
    if _STANDING_WORDS.match(text):
        return STANDING
    if match := _WORKDAYS.fullmatch(text):
        count = parse_count(match[1])
        if not count or count > 250:
            raise ValueError(f"办结时限“{raw}”中的工作日数不正确")
        return DeadlineSpec(workdays=count, base=today)
    # “年内” must be read before the trailing 内 of “3月31日内” is cut off.
    for candidate in dict.fromkeys((text, _DEADLINE_SUFFIX.sub("", text))):
        try:
            day = parse_date_text(candidate, year=year)
        except ValueError:
            raise ValueError(f"办结时限“{raw}”不是有效的日期（该日期不存在）") from None
        if day is not None:
            return DeadlineSpec(date=day)
    raise ValueError(f"无法识别办结时限“{raw}”（可填写{DEADLINE_FORMS}）")


_NO_FEEDBACK = {"", "无", "不限", "无要求", "无固定要求", "不定期", "/", "-"}


def parse_feedback(value: Any) -> tuple[str, int | None]:
    """A 反馈要求 cell as (rule, workdays); ValueError with the reason in Chinese."""
    raw = cell_text(value)
    text = compact(value)
    if text in _NO_FEEDBACK:
        return FeedbackRule.NONE, None
    if "每周" in text or "每星期" in text:
        return FeedbackRule.WEEKLY, None
    if "每月" in text:
        return FeedbackRule.MONTHLY, None
    if "季度" in text or "每季" in text:
        return FeedbackRule.QUARTERLY, None
    if match := re.search(rf"({NUMBER})\s*个?\s*工作日", text):
        count = parse_count(match[1])
        if count and count <= 250:
            return FeedbackRule.WORKDAYS, count
    raise ValueError(f"无法识别反馈要求“{raw}”（可填写：每周、每月、每季度、N个工作日，或不填）")


def parse_source(value: Any, default: str) -> str:
    raw = cell_text(value)
    text = compact(value)
    if not text:
        return default
    for choice in Source:
        if text in {choice.value, choice.label}:
            return choice.value
    # Short forms: “巡察” for 巡察反馈, “领导批示件” for 领导批示.
    candidates = [c for c in Source if len(text) >= 2 and (text in c.label or c.label in text)]
    if len(candidates) == 1:
        return candidates[0].value
    raise ValueError(f"无法识别来源“{raw}”（可填写：{'、'.join(Source.labels)}）")


_KIND_NAMES = {
    "督办事项": ItemKind.MATTER,
    "交办事项": ItemKind.MATTER,
    "事项": ItemKind.MATTER,
    "整改问题": ItemKind.PROBLEM,
    "问题": ItemKind.PROBLEM,
    "整改措施": ItemKind.MEASURE,
    "措施": ItemKind.MEASURE,
    "重点任务": ItemKind.KEY_TASK,
    "任务": ItemKind.KEY_TASK,
}


def parse_kind(value: Any) -> str:
    raw = cell_text(value)
    text = compact(value)
    if not text:
        return ""
    if text in _KIND_NAMES:
        return _KIND_NAMES[text]
    if text in ItemKind.values:
        return text
    raise ValueError(f"无法识别类型“{raw}”（可填写：督办事项、整改问题、整改措施、重点任务）")


def default_kind(checklist: Checklist) -> str:
    """The kind of a row that does not say: rectification lists hold problems, work points tasks."""
    if checklist.source in {Source.INSPECTION, Source.AUDIT_FINDING}:
        return ItemKind.PROBLEM
    if checklist.source == Source.WORK_POINTS:
        return ItemKind.KEY_TASK
    return ItemKind.MATTER


def import_key(checklist: Checklist, serial: str, title: str) -> str:
    """Stable across uploads of the same file: the list and the row's 序号 (or its title)."""
    basis = f"serial:{serial}" if serial else f"title:{title.strip()}"
    return _hash(checklist, basis)


def _hash(checklist: Checklist, basis: str) -> str:
    return hashlib.sha256(f"{checklist.pk}|{basis}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Checking every row
# ---------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one item to be created will be (a sheet row may give several), and what is wrong."""

    number: int
    serial: str
    title: str
    parent_serial: str
    kind_given: str
    key: str
    values: dict[str, Any]  # the parsed fields; a services.ItemSpec once the parent is known
    problems: list[str] = field(default_factory=list)
    existing: TrackedItem | None = None
    parent: RowPlan | TrackedItem | None = None
    generated: bool = False  # a problem or a per-unit item made from a row, not the row itself


@dataclass
class ImportResult:
    """The outcome of one import: counts, or the bad rows (then nothing was imported)."""

    total_rows: int = 0
    created: int = 0
    skipped: int = 0
    assigned: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class _Names:
    """The organ's units and people, loaded once per import."""

    def __init__(self, today: datetime.date) -> None:
        self.units = UnitNames()
        self.people = PeopleNames(today, self.units)


def _note_text(cells: dict[str, Any]) -> str:
    pairs = cells.get("note") or []
    return "\n".join(f"【{header}】{cell_text(value)}" for header, value in pairs)


def _parse_row(
    row: SheetRow,
    checklist: Checklist,
    names: _Names,
    today: datetime.date,
    checked: Checked,
) -> tuple[dict[str, Any], list[str], list[Unit]]:
    """The fields every item made from this row shares; the problems; the lead units (several
    when the row names a group such as “各工委”)."""
    cells = row.cells
    problems: list[str] = []
    content = cell_text(cells.get("content"))
    if note := _note_text(cells):
        content = f"{content}\n{note}" if content else note
    values: dict[str, Any] = {"content": content, "category": cell_text(cells.get("category"))}
    if len(values["category"]) > 32:
        problems.append("类别不能超过32个字")

    def attempt(parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(*args, **kwargs)
        except (ValueError, LookupError) as error:
            problems.append(str(error))
            return None

    values["source"] = attempt(parse_source, cells.get("source"), checklist.source) or ""
    lead_name = cell_text(cells.get("lead_unit"))
    lead_units: list[Unit] = []
    if not lead_name:
        problems.append("未填写牵头单位")
    elif (group := names.units.group(lead_name)) is not None:
        lead_units = group
        checked.notices.append(
            f"第{row.number}行牵头单位“{lead_name}”：拆分为{len(group)}项，每个单位各一项"
            f"（{'、'.join(u.short_name or u.name for u in group)}）"
        )
    elif (unit := attempt(names.units.unit, lead_name, "牵头单位")) is not None:
        lead_units = [unit]
    co_units: list[Unit] = []
    for name in split_names(cells.get("co_units")):
        if (group := names.units.group(name)) is not None:
            co_units.extend(group)
            checked.notices.append(f"第{row.number}行配合单位“{name}”：作为{len(group)}个配合单位")
        elif (unit := attempt(names.units.unit, name, "配合单位")) is not None:
            co_units.append(unit)
    values["co_units"] = list({u.pk: u for u in co_units}.values())
    leader_name = nfkc(cell_text(cells.get("leader")))
    values["leading_leader"] = (
        attempt(names.people.person, leader_name, "领责领导", leader=True) if leader_name else None
    )
    responsible_name = nfkc(cell_text(cells.get("responsible")))
    values["responsible_person"] = (
        attempt(names.people.person, responsible_name, "责任人") if responsible_name else None
    )
    trackers = [
        attempt(names.people.person, nfkc(name), "跟踪人")
        for name in split_names(cells.get("trackers"))
    ]
    values["trackers"] = [person for person in trackers if person is not None]
    values["deadline"] = attempt(
        parse_deadline, cells.get("deadline"), year=checklist.year, today=today
    )
    feedback = attempt(parse_feedback, cells.get("feedback"))
    values["feedback_rule"], values["feedback_workdays"] = feedback or (FeedbackRule.NONE, None)
    values["standing"] = values["deadline"] is STANDING
    if values["standing"]:
        # No final deadline: sorted at the end of the list's year, followed up by feedback.
        values["deadline"] = DeadlineSpec(date=datetime.date(checklist.year, 12, 31))
        if values["feedback_rule"] == FeedbackRule.NONE and feedback is not None:
            values["feedback_rule"] = FeedbackRule.MONTHLY
            checked.notices.append(
                f"第{row.number}行办结时限为“{cell_text(cells.get('deadline'))}”（长期任务），"
                "未填写反馈要求，按每月反馈跟踪"
            )
    return values, problems, lead_units


def _plans_of_row(
    row: SheetRow,
    checklist: Checklist,
    names: _Names,
    today: datetime.date,
    checked: Checked,
    problems_by_identity: dict[tuple[str, str], RowPlan],
) -> list[RowPlan]:
    cells = row.cells
    shared, problems, lead_units = _parse_row(row, checklist, names, today, checked)
    serial = nfkc(cell_text(cells.get("serial")))
    title = cell_text(cells.get("title"))
    measure = cell_text(cells.get("measure"))
    parent_serial = nfkc(cell_text(cells.get("parent_serial")))
    kind_given = ""
    try:
        kind_given = parse_kind(cells.get("kind"))
    except ValueError as error:
        problems.append(str(error))
    if not title:
        problems.append("未填写事项名称")
    if len(serial) > 32:
        problems.append("序号不能超过32个字符")
    plans: list[RowPlan] = []
    parent: RowPlan | None = None
    if measure and title:
        # A problem with its measures side by side: the problem once, whether merged or repeated.
        identity = (serial, title)
        parent = problems_by_identity.get(identity)
        if parent is None:
            parent = RowPlan(
                number=row.number,
                serial=serial,
                title=title,
                parent_serial="",
                kind_given=ItemKind.PROBLEM,
                key=import_key(checklist, serial, title),
                values={
                    **shared,
                    "title": title,
                    "serial": serial,
                    "kind": ItemKind.PROBLEM,
                    "lead_unit": lead_units[0] if lead_units else None,
                    "content": "",
                    "feedback_rule": FeedbackRule.NONE,
                    "feedback_workdays": None,
                    "standing": False,
                },
                problems=list(problems),
                generated=True,
            )
            problems_by_identity[identity] = parent
            plans.append(parent)
        elif shared["deadline"] is not None:
            parent.values["deadline"] = _later(parent.values["deadline"], shared["deadline"])
        base_title, base_serial, base_basis = measure, "", f"measure:{serial or title}|{measure}"
        kind: str = ItemKind.MEASURE
    else:
        base_title, base_serial = title, serial
        base_basis = f"serial:{serial}" if serial else f"title:{title.strip()}"
        kind = ""
    units: list[Unit | None] = list(lead_units) or [None]
    for index, unit in enumerate(units, start=1):
        split = len(units) > 1
        item_serial = base_serial if not split or not base_serial else f"{base_serial}-{index}"
        basis = f"{base_basis}|unit:{unit.pk}" if split and unit is not None else base_basis
        plans.append(
            RowPlan(
                number=row.number,
                serial=item_serial,
                title=base_title,
                parent_serial="" if parent is not None else parent_serial,
                kind_given=kind or kind_given,
                key=_hash(checklist, basis) if (base_title or base_serial) else "",
                values={
                    **shared,
                    "title": base_title,
                    "serial": item_serial,
                    "lead_unit": unit,
                    # A unit of the group is not its own co-unit; a sheet naming the same unit
                    # twice is told so by the service's check.
                    "co_units": [
                        u for u in shared["co_units"] if not (split and unit and u.pk == unit.pk)
                    ],
                },
                problems=list(problems),
                parent=parent,
                generated=split or parent is not None,
            )
        )
    return plans


def _later(first: DeadlineSpec | None, second: DeadlineSpec) -> DeadlineSpec:
    """A problem is due when its last measure is due."""
    if first is None:
        return second
    try:
        return first if first.resolve().date >= second.resolve().date else second
    except ValueError:  # a deadline that cannot be computed: the measure's own check says why
        return first


def _find_duplicates(plans: list[RowPlan]) -> None:
    by_serial: dict[str, RowPlan] = {}
    by_title: dict[str, RowPlan] = {}
    by_key: dict[str, RowPlan] = {}
    for plan in plans:
        if plan.key:
            first = by_key.setdefault(plan.key, plan)
            if first is not plan and plan.generated:
                plan.problems.append(f"与第{first.number}行重复")
                continue
        if plan.generated and plan.parent is not None:
            continue
        if plan.serial:
            first = by_serial.setdefault(plan.serial, plan)
            if first is not plan:
                plan.problems.append(f"序号“{plan.serial}”与第{first.number}行重复")
        elif plan.title and not plan.generated:
            first = by_title.setdefault(plan.title, plan)
            if first is not plan:
                plan.problems.append(
                    f"事项名称与第{first.number}行相同（未填序号的行以事项名称识别，须不重复）"
                )


def _link_measures(plans: list[RowPlan], checklist: Checklist) -> None:
    """Find each measure's problem given by 所属问题序号 (a row of the sheet, or a problem already
    in the list) and settle every plan's kind."""
    by_serial = {plan.serial: plan for plan in plans if plan.serial and not plan.generated}
    referenced: set[int] = set()
    wanted = {
        p.parent_serial for p in plans if p.parent_serial and p.parent_serial not in by_serial
    }
    in_list = {
        item.serial: item
        for item in TrackedItem.objects.filter(checklist=checklist, serial__in=wanted)
    }
    for plan in plans:
        if not plan.parent_serial:
            continue
        if plan.kind_given and plan.kind_given != ItemKind.MEASURE:
            plan.problems.append("填写了“所属问题序号”的行须为整改措施")
            continue
        target = by_serial.get(plan.parent_serial)
        if target is plan:
            plan.problems.append("所属问题序号不能是本行自己的序号")
        elif target is not None:
            if target.parent_serial or target.kind_given == ItemKind.MEASURE:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”（第{target.number}行）是整改措施，不是整改问题"
                )
            elif target.kind_given and target.kind_given != ItemKind.PROBLEM:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”（第{target.number}行）的类型是"
                    f"{ItemKind(target.kind_given).label}，不是整改问题"
                )
            else:
                plan.parent = target
                referenced.add(id(target))
        elif (item := in_list.get(plan.parent_serial)) is not None:
            if item.kind != ItemKind.PROBLEM:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”在清单中对应的事项不是整改问题"
                )
            else:
                plan.parent = item
        else:
            plan.problems.append(f"所属问题序号“{plan.parent_serial}”在表中不存在")
    fallback = default_kind(checklist)
    for plan in plans:
        kind: str
        if plan.parent is not None or plan.parent_serial:
            kind = ItemKind.MEASURE
        elif id(plan) in referenced or plan.kind_given == ItemKind.PROBLEM:
            kind = ItemKind.PROBLEM
        else:
            kind = plan.kind_given or fallback
        plan.values["kind"] = kind


def _item_spec(
    plan: RowPlan, checklist: Checklist, parent: TrackedItem | None
) -> services.ItemSpec:
    v = plan.values
    return services.ItemSpec(
        checklist=checklist,
        title=v["title"],
        lead_unit=v["lead_unit"],
        deadline=v["deadline"],
        source=v["source"],
        kind=v["kind"],
        serial=v["serial"],
        content=v["content"],
        category=v["category"],
        parent=parent,
        leading_leader=v["leading_leader"],
        responsible_person=v["responsible_person"],
        co_units=v["co_units"],
        trackers=v["trackers"],
        feedback_rule=v["feedback_rule"],
        feedback_workdays=v["feedback_workdays"],
        import_key=plan.key,
        standing=v.get("standing", False),
    )


def _messages(error: ValidationError) -> list[str]:
    return [str(m).rstrip("。") for m in error.messages]


def _names_of(people: Iterable[Person | None]) -> str:
    return "、".join(p.name for p in people if p is not None)


def _preview_row(plan: RowPlan) -> PreviewRow:
    v = plan.values
    deadline = v.get("deadline")
    parent = plan.parent
    action = "已存在，跳过" if plan.existing is not None else "新增"
    if plan.problems:
        action = "有错误"
    return PreviewRow(
        number=plan.number,
        values={
            "类型": ItemKind(v["kind"]).label if v.get("kind") in ItemKind.values else "",
            "序号": plan.serial,
            "事项名称": plan.title,
            "所属问题": parent.title if parent is not None else "",
            "牵头单位": v["lead_unit"].name if v.get("lead_unit") else "",
            "配合单位": "、".join(u.short_name or u.name for u in v.get("co_units", [])),
            "领责领导": _names_of([v.get("leading_leader")]),
            "责任人": _names_of([v.get("responsible_person")]),
            "办结时限": "长期" if v.get("standing") else _describe_deadline(deadline),
            "反馈要求": FeedbackRule(v["feedback_rule"]).label
            if v.get("feedback_rule") in FeedbackRule.values
            else "",
        },
        action=action,
    )


def _describe_deadline(deadline: DeadlineSpec | None) -> str:
    if deadline is None:
        return ""
    if deadline.date is not None:
        return f"{deadline.date:%Y-%m-%d}"
    return f"交办后{deadline.workdays}个工作日"


class LedgerImportOptions(forms.Form):
    """Where the items go, and whether they are assigned at once."""

    checklist = forms.ModelChoiceField(
        label="导入到清单", queryset=Checklist.objects.all(), empty_label="请选择清单"
    )
    assign = forms.BooleanField(
        label="导入后直接交办",
        required=False,
        help_text="勾选后，导入的事项立即交办给牵头单位（否则为草稿，可逐项核对后再交办）。",
    )


@dataclass
class LedgerChecked(Checked):
    checklist: Checklist | None = None


class LedgerImport(ImportType):
    """督办台账: supervised matters, rectification problems and measures, key tasks."""

    key = "ledger"
    label = "督办台账"
    fields = COLUMNS
    sheet_title = "督办台账"
    options_form = LedgerImportOptions
    denied_message = "只有办公室可以导入督办台账。"
    format_help = (
        f"办结时限可填写：{DEADLINE_FORMS}。",
        "单位可填全称、简称或别名（如“法制工委”“法工委”），“各工委”表示每个工作委员会；人员填姓名，重名时写成“姓名（单位简称）”。",
        "整改台账可把“反馈问题”合并单元格覆盖其几条“整改措施”，或填写“所属问题序号”。",
        "进展情况、备注等列可对应到“备注/进展”，保存在事项的具体内容中。",
    )

    def can_import(self, user: Any) -> bool:
        return rules.can_manage(user)

    def max_rows(self) -> int:
        return int(settings.LEDGER["MAX_IMPORT_ROWS"])

    def max_bytes(self) -> int:
        return int(settings.LEDGER["MAX_IMPORT_BYTES"])

    def options_to_json(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {"checklist": cleaned["checklist"].pk, "assign": bool(cleaned.get("assign"))}

    def _checklist(self, options: dict[str, Any]) -> Checklist:
        return Checklist.objects.get(pk=options["checklist"])

    def describe_options(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        checklist = Checklist.objects.filter(pk=options.get("checklist") or 0).first()
        return [
            ("导入到清单", checklist.name if checklist else "（已删除）"),
            ("导入后直接交办", "是" if options.get("assign") else "否"),
        ]

    def result_link(self, options: dict[str, Any]) -> tuple[str, str] | None:
        checklist = Checklist.objects.filter(pk=options.get("checklist") or 0).first()
        if checklist is None:
            return None
        return (
            f"{reverse('ledger:item_list')}?checklist={checklist.pk}",
            f"查看“{checklist.name}”的事项",
        )

    def check(self, rows: list[SheetRow], context: Context) -> Checked:
        checklist = self._checklist(context.options)
        checked = LedgerChecked(checklist=checklist)
        names = _Names(context.today)
        by_identity: dict[tuple[str, str], RowPlan] = {}
        plans: list[RowPlan] = []
        for row in rows:
            plans.extend(_plans_of_row(row, checklist, names, context.today, checked, by_identity))
        _find_duplicates(plans)
        existing = {
            item.import_key: item
            for item in TrackedItem.objects.filter(
                checklist=checklist, import_key__in=[p.key for p in plans if p.key]
            )
        }
        for plan in plans:
            plan.existing = existing.get(plan.key)
        _link_measures(plans, checklist)
        total = len(plans)
        for done, plan in enumerate(plans, start=1):
            # Rows already imported are skipped, not checked again: the list may have moved on.
            if not plan.problems and plan.existing is None:
                parent = plan.parent
                if isinstance(parent, RowPlan):
                    # The problem is created in the same import: check against a stand-in of it.
                    parent = parent.existing or TrackedItem(
                        checklist=checklist, kind=ItemKind.PROBLEM, status=Status.DRAFT
                    )
                try:
                    services.validate_item_spec(_item_spec(plan, checklist, parent))
                except ValidationError as error:
                    plan.problems.extend(_messages(error))
            context.report(done, total)
        for plan in plans:
            for problem in plan.problems:
                checked.add_problem(plan.number, problem)
        checked.plans = plans
        checked.preview = [_preview_row(plan) for plan in plans]
        return checked

    def apply(self, checked: Checked, context: Context) -> Applied:
        assert isinstance(checked, LedgerChecked) and checked.checklist is not None
        plans: list[RowPlan] = checked.plans
        actor = context.actor
        applied = Applied(extra={"assigned": 0})
        created: dict[int, TrackedItem] = {}
        # Problems before their measures; otherwise the sheet's order.
        ordered = sorted(plans, key=lambda p: (p.parent is not None, p.number))
        for plan in ordered:
            if plan.existing is not None:
                applied.skipped += 1
                continue
            parent = plan.parent
            if isinstance(parent, RowPlan):
                parent = parent.existing or created.get(id(parent))
                if parent is None:
                    continue  # the problem's own row failed and is reported
            try:
                created[id(plan)] = services.item_create(
                    actor=actor, spec=_item_spec(plan, checked.checklist, parent)
                )
            except ValidationError as error:
                plan.problems.extend(_messages(error))
        by_id = {id(plan): plan for plan in plans}
        if not any(plan.problems for plan in plans) and context.options.get("assign"):
            for key, item in created.items():
                try:
                    services.item_assign(actor=actor, item=item, note="导入后直接交办")
                except ValidationError as error:
                    by_id[key].problems.extend(f"交办失败：{m}" for m in _messages(error))
                else:
                    applied.extra["assigned"] += 1
        if any(plan.problems for plan in plans):
            failed = Checked()
            for plan in plans:
                for problem in plan.problems:
                    failed.add_problem(plan.number, problem)
            raise RowErrors(failed.errors())
        source_name = context.source_name
        ItemEvent.objects.bulk_create(
            ItemEvent(
                item=item,
                kind=EventKind.IMPORTED,
                actor=actor,
                created_at=clock.now(),
                note=f"由《{source_name}》第{by_id[key].number}行导入"
                if source_name
                else "由Excel导入",
                data={"file": source_name, "row": by_id[key].number},
            )
            for key, item in created.items()
        )
        applied.created = len(created)
        return applied

    def example_row(self) -> dict[str, str]:
        """An example row made of this organ's own names, so that it reads like a real row."""
        from apps.organization.choices import UnitKind
        from apps.organization.models import LeadershipPost

        today = clock.today()
        values = super().example_row()
        committee = Unit.objects.filter(is_active=True, kind=UnitKind.COMMITTEE).first()
        if committee is not None:
            values["lead_unit"] = committee.name
        post = LeadershipPost.objects.on(today).select_related("person").first()
        if post is not None:
            values["leader"] = post.person.name
        values["deadline"] = f"{today.year}年12月15日"
        return values

    def template_notes(self) -> list[str]:
        return [
            "1. 第一个工作表为台账：表头可以不在第1行（上方可有标题行），但须在前10行内；列的顺序不限，不认识的列在预览中列出，可对应到“备注/进展”或不导入。",
            "2. 红色列名为必填列。示例行仅供参考，导入前请删除或改为实际内容。",
            "3. 上传后先预览：检查每一行，有任何一行不符合要求时不能导入，并列出每个有问题的行号和原因；确认无误后点击“确认导入”才写入。",
            "4. 同一文件重复导入时，已导入的行（按清单和序号识别，无序号时按事项名称）会被跳过，不会重复登记。",
            "5. 整改台账：问题可合并单元格覆盖其各条整改措施，或在措施行填写“所属问题序号”。",
            f"6. 单次导入最多{self.max_rows()}行，文件不超过{human_size(self.max_bytes())}。",
        ]


LEDGER_IMPORT = LedgerImport()


def import_workbook(
    *,
    actor: User,
    checklist: Checklist,
    fileobj: IO[bytes],
    size: int | None = None,
    assign: bool = False,
    today: datetime.date | None = None,
    source_name: str = "",
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Check the whole sheet, then import it in one transaction (or import nothing), without a
    preview. User errors come back in `result.errors` as {"row": n | None, "reason": str}."""
    if size is not None and size > LEDGER_IMPORT.max_bytes():
        return ImportResult(
            errors=[
                {
                    "row": None,
                    "reason": f"文件大小为{human_size(size)}，超过了{human_size(LEDGER_IMPORT.max_bytes())}"
                    "的上限，请拆分后分批导入。",
                }
            ]
        )
    context = Context(
        actor=actor,
        options={"checklist": checklist.pk, "assign": assign},
        today=today or clock.today(),
        source_name=source_name,
    )
    outcome = run_import(LEDGER_IMPORT, fileobj, context, mapping=mapping)
    result = ImportResult(total_rows=outcome.total_rows, errors=outcome.errors)
    if outcome.applied is not None:
        result.created = outcome.applied.created
        result.skipped = outcome.applied.skipped
        result.assigned = outcome.applied.extra.get("assigned", 0)
    return result


def build_import_template() -> bytes:
    from apps.imports.writing import build_template

    return build_template(LEDGER_IMPORT)
