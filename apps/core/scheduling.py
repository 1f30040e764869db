"""Daily jobs (e.g. the ledger's workday-morning reminders) on Django's tasks framework.

`manage.py run_scheduler` wakes every minute and enqueues each job that is due today; the database
worker (`manage.py db_worker`) runs it. Any number of schedulers may run: a `ScheduledRun` row,
unique per job and day, is the claim, so each job is enqueued once a day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import clock
from apps.workcalendar.services import is_workday

from .models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: Any  # a django.tasks Task
    at: datetime.time
    workdays_only: bool = True


_JOBS: dict[str, DailyJob] = {}


def register_daily_job(job: DailyJob) -> None:
    _JOBS[job.name] = job


def daily_jobs() -> list[DailyJob]:
    return list(_JOBS.values())


def enqueue_due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job due by `now` that no scheduler has enqueued today; returns their names."""
    now = timezone.localtime(now or clock.now())
    today = now.date()
    enqueued = []
    for job in _JOBS.values():
        if now.time() < job.at:
            continue
        # In a year whose arrangement is not announced yet the provisional calendar decides
        # (statutory holidays and weekends rest), so the jobs keep running every December.
        if job.workdays_only and not is_workday(today):
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, run_date=today)
                result = job.task.enqueue()
                run.task_result_id = str(getattr(result, "id", ""))
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler claimed today's run
        enqueued.append(job.name)
    return enqueued
