"""The staff roster (机关人员花名册) as an import type of `apps.imports`.

A person is recognised by name and birth date (年月 when the sheet gives only 出生年月), so
importing the same roster again changes nothing. A new person is created with their posting; a
known one has their own details updated; a person whose unit differs gets a new dated posting from
the 到岗日期 (or the upload day) through `membership_transfer`, the old one ending the day before —
history is never overwritten. Only the system administrator, who maintains the organisation's
data (三员分立), imports rosters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.permissions import Capability, has_capability
from apps.imports.layout import Field, SheetRow
from apps.imports.registry import Applied, Checked, Context, ImportType, PreviewRow, RowErrors
from apps.imports.values import cell_text, compact, nfkc, parse_birth_date

from . import services
from .choices import Gender, PoliticalStatus, Rank
from .models import Person, Unit, UnitMembership
from .names import UnitNames

COLUMNS: tuple[Field, ...] = (
    Field("name", "姓名", ("姓名", "名字"), required=True, example="张明"),
    Field("gender", "性别", ("性别",), help="男或女；新增人员必填", example="男"),
    Field(
        "birth_date",
        "出生日期",
        ("出生日期", "出生年月", "出生时间", "生日"),
        required=True,
        help="1985-06-15、1985年6月15日，或出生年月1985.06；与姓名一起识别人员",
        example="1985-06-15",
    ),
    Field(
        "unit",
        "单位",
        ("单位", "所在单位", "工作单位", "部门", "所在部门", "处室", "现工作单位"),
        required=True,
        help="单位全称、简称或别名",
        example="法制工作委员会",
    ),
    Field(
        "post_title",
        "职务",
        ("职务", "现任职务", "岗位", "职位"),
        example="科员",
        help="新增人员必填",
    ),
    Field(
        "rank",
        "职级",
        ("职级", "级别", "职级（级别）"),
        help="、".join(Rank.labels),
        example="科员",
    ),
    Field(
        "political_status",
        "政治面貌",
        ("政治面貌", "党派", "政治身份"),
        help="、".join(PoliticalStatus.labels),
        example="中共党员",
    ),
    Field(
        "phone",
        "联系电话",
        ("联系电话", "电话", "手机", "手机号", "手机号码", "办公电话"),
        example="0478-0000000",
    ),
    Field(
        "start_date",
        "到岗日期",
        ("到岗日期", "到岗时间", "任职时间", "任现职时间", "调入时间"),
        help="新增或调往其他单位时的起始日期；不填为导入当天",
    ),
)

_RANK_WORDS = (
    ("试用", Rank.PROBATION),
    ("正厅", Rank.BUREAU_CHIEF),
    ("副厅", Rank.BUREAU_DEPUTY),
    ("正处", Rank.DIVISION_CHIEF),
    ("副处", Rank.DIVISION_DEPUTY),
    ("正科", Rank.SECTION_CHIEF),
    ("副科", Rank.SECTION_DEPUTY),
    ("科员", Rank.CLERK),
)
_POLITICAL_WORDS = (
    ("预备", PoliticalStatus.CPC_PROBATIONARY),
    ("党员", PoliticalStatus.CPC_MEMBER),
    ("中共", PoliticalStatus.CPC_MEMBER),
    ("团员", PoliticalStatus.LEAGUE_MEMBER),
    ("群众", PoliticalStatus.MASSES),
    ("无党派", PoliticalStatus.MASSES),
    *(
        (party, PoliticalStatus.DEMOCRATIC_PARTY)
        for party in ("民主党派", "民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟")
    ),
)


def _word_choice(value: Any, words: Any, label: str, choices: Any) -> str:
    text = compact(value)
    if not text:
        return ""
    for choice in choices:
        if text in {choice.value, choice.label}:
            return str(choice.value)
    for word, choice in words:
        if word in text:
            return str(choice)
    raise ValueError(f"无法识别{label}“{cell_text(value)}”（可填写：{'、'.join(choices.labels)}）")


def parse_gender(value: Any) -> str:
    text = compact(value)
    if not text:
        return ""
    if text in {"男", "男性", "M"}:
        return Gender.MALE
    if text in {"女", "女性", "F"}:
        return Gender.FEMALE
    raise ValueError(f"无法识别性别“{cell_text(value)}”（可填写：男、女）")


def _birth_text(value: Any) -> bool:
    """Whether the sheet gives the birth date to the day (or only 年月)."""
    if isinstance(value, datetime.date):
        return True
    text = nfkc(cell_text(value))
    return sum(ch.isdigit() for ch in text) > 6


@dataclass
class RosterPlan:
    """What one roster row will do."""

    number: int
    name: str
    values: dict[str, Any]
    person: Person | None = None
    current: UnitMembership | None = None
    changes: list[str] = field(default_factory=list)
    transfer: bool = False
    problems: list[str] = field(default_factory=list)


class RosterImport(ImportType):
    """机关人员花名册: people, their details and their current unit."""

    key = "roster"
    label = "机关人员花名册"
    fields = COLUMNS
    sheet_title = "人员花名册"
    denied_message = "只有系统管理员可以导入人员花名册。"
    format_help = (
        "人员按“姓名 + 出生日期”识别：同一份花名册重复导入不会重复新增。",
        "单位与系统中不同的人员视为交流轮岗：自“到岗日期”（不填为导入当天）起在新单位任职，原任职记录保留。",
        "职级可填："
        + "、".join(Rank.labels)
        + "；政治面貌可填："
        + "、".join(PoliticalStatus.labels)
        + "。",
    )

    def can_import(self, user: Any) -> bool:
        return has_capability(user, Capability.MANAGE_ORGANIZATION)

    def result_link(self, options: dict[str, Any]) -> tuple[str, str] | None:
        return reverse("organization:person_list"), "查看人员"

    def template_notes(self) -> list[str]:
        return [
            "1. 第一个工作表为花名册，表头须在前10行内；列的顺序不限。",
            "2. 红色列名为必填列；新增人员还须填写性别、职务和职级。",
            *[f"{n}. {line}" for n, line in enumerate(self.format_help, start=3)],
        ]

    def check(self, rows: list[SheetRow], context: Context) -> Checked:
        checked = Checked()
        units = UnitNames()
        people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(is_active=True):
            people.setdefault(person.name, []).append(person)
        open_postings = {
            m.person_id: m
            for m in UnitMembership.objects.filter(end_date__isnull=True).select_related("unit")
        }
        seen: dict[tuple[str, str], int] = {}
        for done, row in enumerate(rows, start=1):
            plan = self._plan(row, context, units, people, open_postings)
            identity = (plan.name, str(plan.values.get("birth_date")))
            if identity in seen and plan.name:
                plan.problems.append(f"与第{seen[identity]}行是同一人（姓名和出生日期相同）")
            seen.setdefault(identity, row.number)
            for problem in plan.problems:
                checked.add_problem(row.number, problem)
            checked.plans.append(plan)
            checked.preview.append(self._preview(plan))
            context.report(done, len(rows))
        return checked

    def _plan(
        self,
        row: SheetRow,
        context: Context,
        units: UnitNames,
        people: dict[str, list[Person]],
        open_postings: dict[int, UnitMembership],
    ) -> RosterPlan:
        cells = row.cells
        plan = RosterPlan(number=row.number, name=nfkc(cell_text(cells.get("name"))), values={})
        v = plan.values

        def attempt(parse: Any, *args: Any) -> Any:
            try:
                return parse(*args)
            except (ValueError, LookupError) as error:
                plan.problems.append(str(error))
                return None

        if not plan.name:
            plan.problems.append("未填写姓名")
        birth_cell = cells.get("birth_date")
        v["birth_date"] = attempt(parse_birth_date, birth_cell) if cell_text(birth_cell) else None
        if not cell_text(birth_cell):
            plan.problems.append("未填写出生日期")
        to_the_day = _birth_text(birth_cell)
        v["gender"] = attempt(parse_gender, cells.get("gender")) or ""
        v["rank"] = attempt(_word_choice, cells.get("rank"), _RANK_WORDS, "职级", Rank) or ""
        v["political_status"] = (
            attempt(
                _word_choice,
                cells.get("political_status"),
                _POLITICAL_WORDS,
                "政治面貌",
                PoliticalStatus,
            )
            or ""
        )
        v["phone"] = cell_text(cells.get("phone"))
        v["post_title"] = cell_text(cells.get("post_title"))
        unit_name = cell_text(cells.get("unit"))
        v["unit"] = attempt(units.unit, unit_name, "单位") if unit_name else None
        if not unit_name:
            plan.problems.append("未填写单位")
        start = cells.get("start_date")
        v["start_date"] = (
            attempt(parse_birth_date, start, "到岗日期") if cell_text(start) else context.today
        )
        if plan.problems or v["birth_date"] is None:
            return plan
        birth: datetime.date = v["birth_date"]
        matches = [
            p
            for p in people.get(plan.name, [])
            if (p.birth_date == birth)
            or (
                not to_the_day
                and (p.birth_date.year, p.birth_date.month) == (birth.year, birth.month)
            )
        ]
        if len(matches) > 1:
            plan.problems.append(
                f"系统中有{len(matches)}位“{plan.name}”出生于该年月，请填写完整的出生日期"
            )
            return plan
        if not matches:
            missing = [
                label
                for key, label in (("gender", "性别"), ("rank", "职级"), ("post_title", "职务"))
                if not v[key]
            ]
            if missing:
                plan.problems.append(f"新增人员须填写{'、'.join(missing)}")
            return plan
        person = plan.person = matches[0]
        plan.current = open_postings.get(person.pk)
        labels = {
            "gender": "性别",
            "rank": "职级",
            "political_status": "政治面貌",
            "phone": "联系电话",
        }
        for key, label in labels.items():
            if v[key] and v[key] != getattr(person, key):
                plan.changes.append(label)
        if to_the_day and person.birth_date != birth:
            plan.changes.append("出生日期")
        unit: Unit = v["unit"]
        if plan.current is None or plan.current.unit_id != unit.pk:
            plan.transfer = True
            if plan.current is not None and v["start_date"] <= plan.current.start_date:
                plan.problems.append(
                    f"到岗日期须晚于其在“{plan.current.unit.name}”任职的起始日期"
                    f"（{plan.current.start_date:%Y-%m-%d}）"
                )
        return plan

    def _preview(self, plan: RosterPlan) -> PreviewRow:
        v = plan.values
        unit = v.get("unit")
        if plan.problems:
            action = "有错误"
        elif plan.person is None:
            action = "新增"
        else:
            parts = []
            if plan.changes:
                parts.append(f"更新{'、'.join(plan.changes)}")
            if plan.transfer:
                origin = plan.current.unit.short_name if plan.current else "无任职"
                parts.append(
                    f"调动：{origin} → {unit.short_name if unit else ''}（自{v['start_date']:%Y-%m-%d}）"
                )
            elif v["post_title"] and plan.current and v["post_title"] != plan.current.post_title:
                parts.append(
                    f"职务与系统中不同（系统：{plan.current.post_title}），本次不修改，"
                    "同单位内职务调整请在人员页面办理"
                )
            action = "；".join(parts) or "无变化"
        return PreviewRow(
            number=plan.number,
            values={
                "姓名": plan.name,
                "单位": unit.name if unit else "",
                "职务": v.get("post_title", ""),
                "职级": Rank(v["rank"]).label if v.get("rank") else "",
                "出生日期": f"{v['birth_date']:%Y-%m-%d}" if v.get("birth_date") else "",
            },
            action=action,
        )

    def apply(self, checked: Checked, context: Context) -> Applied:
        applied = Applied()
        errors = Checked()
        for plan in checked.plans:
            v = plan.values
            try:
                if plan.person is None:
                    services.person_create(
                        name=plan.name,
                        gender=v["gender"],
                        birth_date=v["birth_date"],
                        rank=v["rank"],
                        political_status=v["political_status"] or PoliticalStatus.MASSES,
                        phone=v["phone"],
                        unit=v["unit"],
                        post_title=v["post_title"],
                        start_date=v["start_date"],
                    )
                    applied.created += 1
                    continue
                person = plan.person
                if plan.changes:
                    services.person_update(
                        person=person,
                        name=person.name,
                        gender=v["gender"] or person.gender,
                        birth_date=v["birth_date"]
                        if "出生日期" in plan.changes
                        else person.birth_date,
                        rank=v["rank"] or person.rank,
                        political_status=v["political_status"] or person.political_status,
                        phone=v["phone"] or person.phone,
                        email=person.email,
                    )
                if plan.transfer:
                    services.membership_transfer(
                        person=person,
                        to_unit=v["unit"],
                        on_date=v["start_date"],
                        post_title=v["post_title"]
                        or (plan.current.post_title if plan.current else ""),
                        note=f"由花名册《{context.source_name}》导入"
                        if context.source_name
                        else "",
                    )
                if plan.changes or plan.transfer:
                    applied.updated += 1
                else:
                    applied.skipped += 1
            except ValidationError as error:
                for message in error.messages:
                    errors.add_problem(plan.number, str(message).rstrip("。"))
        if errors.problems:
            raise RowErrors(errors.errors())
        return applied


ROSTER_IMPORT = RosterImport()
