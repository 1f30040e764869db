"""The deputies' roster (代表名册) as an import type of `apps.imports`: preview, column mapping and
the framework's aliases. A deputy is recognised by name and phone, so importing the same roster
again changes nothing but the details. Levels may be written in full or short (“市”、“市人大代表”),
several in one cell (“全国、市”); an unknown level or station refuses the row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.imports.layout import Field, SheetRow
from apps.imports.registry import Applied, Checked, Context, ImportType, PreviewRow, RowErrors
from apps.imports.values import cell_text, nfkc

from . import scopes, services
from .choices import Level
from .models import Deputy, Station

COLUMNS: tuple[Field, ...] = (
    Field("name", "姓名", ("姓名", "代表姓名"), required=True, example="张明"),
    Field("gender", "性别", ("性别",), example="男"),
    Field(
        "levels",
        "代表层级",
        ("代表层级", "层级", "代表级别"),
        required=True,
        help="全国、自治区、市、县（区）、乡（镇），多个层级用顿号分隔",
        example="市、县",
    ),
    Field("delegation", "代表团", ("代表团", "选区", "选举单位"), example="城区代表团"),
    Field("term", "届次", ("届次", "任期"), example="第十七届"),
    Field("sector", "界别", ("界别", "行业", "代表构成"), example="工人"),
    Field(
        "work_unit",
        "工作单位及职务",
        ("工作单位及职务", "工作单位", "单位职务"),
        example="市第一中学教师",
    ),
    Field("phone", "联系电话", ("联系电话", "手机", "电话"), example="13800000000"),
    Field(
        "station",
        "代表之家（联络站）",
        ("代表之家（联络站）", "联络站", "代表之家", "所属联络站"),
        example="城东代表之家",
    ),
)

LEVEL_WORDS = {
    "全国": Level.NATIONAL,
    "全国人大": Level.NATIONAL,
    "全国人大代表": Level.NATIONAL,
    "自治区": Level.REGION,
    "自治区人大": Level.REGION,
    "自治区人大代表": Level.REGION,
    "市": Level.CITY,
    "市人大": Level.CITY,
    "市人大代表": Level.CITY,
    "县": Level.COUNTY,
    "区": Level.COUNTY,
    "县区": Level.COUNTY,
    "县（区）": Level.COUNTY,
    "县（区）人大代表": Level.COUNTY,
    "县人大代表": Level.COUNTY,
    "区人大代表": Level.COUNTY,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP,
    "乡（镇）": Level.TOWNSHIP,
    "乡（镇）人大代表": Level.TOWNSHIP,
    "乡镇人大代表": Level.TOWNSHIP,
}


def parse_levels(text: str) -> list[str]:
    """“全国、市” → [national, city]; an unknown word raises ValueError naming it."""
    words = [w.strip() for w in re.split(r"[、，,；;/\s]+", text) if w.strip()]
    if not words:
        raise ValueError("未填写代表层级")
    levels: list[str] = []
    for word in words:
        level = LEVEL_WORDS.get(word.replace("(", "（").replace(")", "）"))
        if level is None:
            raise ValueError(f"未知的代表层级“{word}”（可填全国、自治区、市、县（区）、乡（镇））")
        if level not in levels:
            levels.append(level)
    return levels


@dataclass
class Plan:
    number: int
    spec: services.DeputySpec | None = None
    deputy: Deputy | None = None
    problems: list[str] = field(default_factory=list)


class DeputyRosterImport(ImportType):
    key = "deputies"
    label = "代表名册"
    fields = COLUMNS
    sheet_title = "代表名册"
    denied_message = "只有办公室可以导入代表名册。"
    format_help = (
        "代表按“姓名 + 联系电话”识别：同一份名册重复导入不会重复新增。",
        "代表层级可填：全国、自治区、市、县（区）、乡（镇），一人多级用顿号分隔。",
        "代表之家（联络站）须是系统中已有的名称。",
    )

    def can_import(self, user: Any) -> bool:
        return scopes.runs_suggestions(user)

    def result_link(self, options: dict[str, Any]) -> tuple[str, str] | None:
        return reverse("deputies:deputy_list"), "查看代表名册"

    def template_notes(self) -> list[str]:
        return [f"{n}. {line}" for n, line in enumerate(self.format_help, start=1)]

    def check(self, rows: list[SheetRow], context: Context) -> Checked:
        checked = Checked()
        stations = {s.name: s for s in Station.objects.all()}
        known = {(d.name, d.phone): d for d in Deputy.objects.all()}
        for done, row in enumerate(rows, start=1):
            plan = self._plan(row, stations, known)
            for problem in plan.problems:
                checked.add_problem(row.number, problem)
            checked.plans.append(plan)
            spec = plan.spec
            checked.preview.append(
                PreviewRow(
                    number=row.number,
                    values={
                        "姓名": spec.name if spec else "",
                        "代表层级": "、".join(Level(m.level).label for m in spec.mandates)
                        if spec
                        else "",
                        "代表之家（联络站）": spec.station.name if spec and spec.station else "",
                    },
                    action="更新" if plan.deputy else "新增",
                )
            )
            context.report(done, len(rows))
        return checked

    def _plan(
        self, row: SheetRow, stations: dict[str, Station], known: dict[tuple[str, str], Deputy]
    ) -> Plan:
        cells = row.cells
        plan = Plan(number=row.number)
        name = nfkc(cell_text(cells.get("name")))
        if not name:
            plan.problems.append("未填写姓名")
        try:
            levels = parse_levels(nfkc(cell_text(cells.get("levels"))))
        except ValueError as error:
            plan.problems.append(str(error))
            levels = []
        station_name = nfkc(cell_text(cells.get("station")))
        station = stations.get(station_name) if station_name else None
        if station_name and station is None:
            plan.problems.append(f"未找到代表之家（联络站）“{station_name}”")
        phone = nfkc(cell_text(cells.get("phone")))
        delegation = nfkc(cell_text(cells.get("delegation")))
        term = nfkc(cell_text(cells.get("term")))
        plan.spec = services.DeputySpec(
            name=name,
            mandates=[services.MandateSpec(level, delegation, term) for level in levels],
            gender=nfkc(cell_text(cells.get("gender")))[:4],
            sector=nfkc(cell_text(cells.get("sector")))[:50],
            work_unit=nfkc(cell_text(cells.get("work_unit")))[:200],
            phone=phone[:32],
            station=station,
        )
        plan.deputy = known.get((name, phone[:32]))
        return plan

    def apply(self, checked: Checked, context: Context) -> Applied:
        applied = Applied()
        errors = Checked()
        for plan in checked.plans:
            assert plan.spec is not None
            try:
                services.deputy_save(actor=context.actor, spec=plan.spec, deputy=plan.deputy)
            except ValidationError as error:
                for message in error.messages:
                    errors.add_problem(plan.number, str(message).rstrip("。"))
                continue
            if plan.deputy is None:
                applied.created += 1
            else:
                applied.updated += 1
        if errors.problems:
            raise RowErrors(errors.errors())
        return applied


ROSTER_IMPORT = DeputyRosterImport()
