"""Import types: what each area declares to read its spreadsheets through the framework.

An area subclasses `ImportType` (its fields, who may import, how rows are checked and applied) and
registers an instance from its own `AppConfig.ready()`; the framework only iterates the registry,
so adding a roster touches no other area.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.conf import settings

from .layout import Field, SheetRow

Progress = Callable[[int, int], None]


@dataclass
class Context:
    """Who imports, with which options, on which day (a job keeps the day of its upload)."""

    actor: Any
    options: dict[str, Any]
    today: datetime.date
    source_name: str = ""
    progress: Progress | None = None

    def report(self, done: int, total: int) -> None:
        if self.progress is not None and (done % max(1, total // 50) == 0 or done == total):
            self.progress(done, total)


@dataclass
class PreviewRow:
    """A row as it will be imported: its number, the values shown per field label, what happens."""

    number: int
    values: dict[str, str]
    action: str


@dataclass
class Checked:
    """The outcome of checking every row: a plan per row (the type's own objects), the problems
    by row number, what the preview shows, and notices about choices made (e.g. “各工委” split)."""

    plans: list[Any] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)
    preview: list[PreviewRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def add_problem(self, number: int, message: str) -> None:
        self.problems.setdefault(number, []).append(message)

    def errors(self) -> list[dict[str, Any]]:
        return [
            {"row": number, "reason": "；".join(dict.fromkeys(self.problems[number]))}
            for number in sorted(self.problems)
            if self.problems[number]
        ]


@dataclass
class Applied:
    """What an import wrote."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class RowErrors(Exception):
    """Raised by `ImportType.apply` to roll the whole import back, with the bad rows."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class ImportType:
    """One kind of spreadsheet the platform reads. Subclasses set the class attributes and
    implement `can_import`, `check` and `apply`."""

    key: ClassVar[str]
    label: ClassVar[str]  # “督办台账”
    fields: ClassVar[tuple[Field, ...]]
    sheet_title: ClassVar[str] = "导入"
    options_form: ClassVar[type[forms.Form] | None] = None
    denied_message: ClassVar[str] = "您无权导入此类表格。"
    format_help: ClassVar[Sequence[str]] = ()

    def can_import(self, user: Any) -> bool:
        raise NotImplementedError

    def max_rows(self) -> int:
        return int(settings.IMPORTS["MAX_ROWS"])

    def max_bytes(self) -> int:
        return int(settings.IMPORTS["MAX_UPLOAD_BYTES"])

    def options_to_json(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The options form's cleaned data as JSON, kept on the job."""
        return {}

    def describe_options(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        """The options as (label, value) pairs for the job page."""
        return []

    def check(self, rows: list[SheetRow], context: Context) -> Checked:
        raise NotImplementedError

    def apply(self, checked: Checked, context: Context) -> Applied:
        """Write everything (the caller holds the transaction); RowErrors rolls it all back."""
        raise NotImplementedError

    def example_row(self) -> dict[str, str]:
        return {f.key: f.example for f in self.fields}

    def template_notes(self) -> list[str]:
        return []

    def result_link(self, options: dict[str, Any]) -> tuple[str, str] | None:
        """Where to look at what was imported: (url, label)."""
        return None

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


_TYPES: dict[str, ImportType] = {}


def register_import_type(import_type: ImportType) -> ImportType:
    _TYPES[import_type.key] = import_type
    return import_type


def get_import_type(key: str) -> ImportType | None:
    return _TYPES.get(key)


def import_types() -> list[ImportType]:
    return list(_TYPES.values())
