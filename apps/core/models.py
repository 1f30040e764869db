"""Platform machinery shared by every area."""

from typing import Any, Self

from django.conf import settings
from django.db import models

from . import clock


class ScheduledRun(models.Model):
    """One row per daily job and day: inserting it is how one scheduler (of several) claims the run."""

    job = models.CharField("任务", max_length=100)
    run_date = models.DateField("日期")
    enqueued_at = models.DateTimeField("入队时间", auto_now_add=True)
    task_result_id = models.CharField("任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        ordering = ["-run_date", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "run_date"], name="one_run_per_job_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_date}"


class EventRow(models.Model):
    """One entry of an object's own timeline (建议、会议、稿件、事项、公文的办理动态): who did what,
    when, from which state to which, and why. Each area's event model inherits it, adds the foreign
    key to the object whose timeline it is (`related_name="events"`) and what it records besides
    (`kind` with its choices, an agenda item, data), and overrides a field only where its column
    really differs (a required actor, status choices, an index on the time). Its `Meta` inherits
    `EventRow.Meta` for the ordering; a long timeline adds an index on (object, created_at).

    Not the audit trail: `apps.audit` keeps the tamper-evident record of who read or changed what;
    these rows are the business history shown on the object's page and counted in figures."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("时间")
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @classmethod
    def record(cls, **fields: Any) -> Self:
        """Write one row, stamped now by the platform clock unless `created_at` is given; the
        fields left out (`from_status`, `to_status`, `note`) are empty."""
        fields.setdefault("created_at", clock.now())
        return cls._default_manager.create(**fields)
