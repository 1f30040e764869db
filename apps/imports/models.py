"""Import jobs and remembered column mappings.

A job is one uploaded spreadsheet on its way in: checked in the background, shown as a preview
with its column mapping, imported only when the user confirms. The uploaded file is kept only while
the job may still need it (until it is imported or fails as a whole).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队检查"
    CHECKING = "checking", "正在检查"
    PREVIEW = "preview", "待确认"
    CONFIRMED = "confirmed", "已确认，排队导入"
    IMPORTING = "importing", "正在导入"
    DONE = "done", "已完成"
    FAILED = "failed", "未导入（有错误）"


RUNNING_STATUSES = frozenset(
    {JobStatus.PENDING, JobStatus.CHECKING, JobStatus.CONFIRMED, JobStatus.IMPORTING}
)


class ImportJob(models.Model):
    """An uploaded spreadsheet of one import type, from upload through preview to its result."""

    import_type = models.CharField("导入类型", max_length=32, db_index=True)
    options = models.JSONField("导入选项", default=dict, blank=True)
    file = models.FileField("文件", upload_to="imports/", blank=True)
    file_name = models.CharField("文件名", max_length=200)
    file_size = models.PositiveIntegerField("文件大小（字节）", default=0)
    file_sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    mapping = models.JSONField("列对应（用户选择）", default=dict, blank=True)
    layout = models.JSONField("表头与列", default=dict, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    skipped_count = models.PositiveIntegerField("已存在（跳过）", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导入人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["import_type", "created_by"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES


class SavedMapping(models.Model):
    """The column mapping a user chose for one import type and one set of headers."""

    import_type = models.CharField("导入类型", max_length=32)
    signature = models.CharField("表头特征", max_length=64)
    headers = models.JSONField("表头", default=list)
    mapping = models.JSONField("列对应", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="设置人"
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "列对应方案"
        verbose_name_plural = "列对应方案"
        constraints = [
            models.UniqueConstraint(
                fields=["import_type", "signature"], name="one_mapping_per_header_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.import_type} {self.signature[:8]}"
