"""Platform machinery shared by every area."""

from django.db import models


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
