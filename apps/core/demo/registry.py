"""The steps of the demo organ: each area registers how it fills the demo from its `AppConfig.ready()`.

`manage.py seed_demo` builds the organ itself (units, people, accounts: `organ.py`), then runs every
registered step in order. A step receives the seed and the demo's "today" and returns the sentence
that reports what it made. Any step can be skipped by its key (`seed_demo --skip attendance`, e.g.
in tests, where a year of attendance takes too long).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoContext:
    seed: int
    today: datetime.date


@dataclass(frozen=True)
class DemoStep:
    key: str  # used by --skip, e.g. "attendance"
    label: str  # what the command says it is doing, e.g. "督办台账"
    run: Callable[[DemoContext], str]  # returns the report line
    order: int = 100


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    """Register (or replace, by key, so that a reloaded app never registers twice) a step."""
    _STEPS[step.key] = step


def demo_steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.key))
