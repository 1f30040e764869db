"""The import engine and its jobs.

`run_import` is the whole thing in one call (read boundedly, find the table, check every row, then
write everything in one transaction or nothing). Jobs split it for people: upload → check in the
background → preview with the column mapping → the user confirms → import in the background. Every
upload is audited, accepted or refused.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.audit.context import acting_as
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock

from .layout import (
    HEADER_SCAN_ROWS,
    IGNORE,
    SHEET_EMPTY,
    Layout,
    Table,
    apply_mapping,
    find_layout,
    header_signature,
    mapping_problems,
    split_rows,
)
from .models import ImportJob, JobStatus, SavedMapping
from .reading import ImportFileError, human_size, read_grids
from .registry import Applied, Checked, Context, ImportType, RowErrors, get_import_type

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 20
"""How many rows the preview shows as they will be imported (every error is shown regardless)."""
SYSTEM_ERROR = "导入时发生系统错误，未导入任何内容。请联系系统管理员。"
COLLISION = "另一个导入任务同时写入了相同的内容，本次未导入任何内容，请稍后重试。"


def file_error(reason: str) -> list[dict[str, Any]]:
    return [{"row": None, "reason": reason}]


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------


def remembered_mapping(import_type: ImportType, layout: Layout) -> dict[str, str]:
    saved = SavedMapping.objects.filter(
        import_type=import_type.key, signature=header_signature(import_type.key, layout.headers)
    ).first()
    return dict(saved.mapping) if saved is not None else {}


def read_table(
    import_type: ImportType, fileobj: IO[bytes], *, mapping: dict[str, str] | None = None
) -> tuple[Table, list[str]]:
    """The first worksheet with a recognisable header, its columns mapped (remembered mapping,
    then `mapping`), and its rows — or the mapping's problems, with no rows read.

    ImportFileError when the file as a whole cannot be used."""
    first_problem = ""
    for grid in read_grids(fileobj, max_bytes=import_type.max_bytes()):
        layout = find_layout(grid, import_type.fields)
        if layout is None:
            if grid.rows and not first_problem:
                names = "、".join(f"“{f.label}”" for f in import_type.fields if f.required)
                first_problem = (
                    f"在工作表“{grid.title}”的前{HEADER_SCAN_ROWS}行中没有找到表头。"
                    f"表头行须包含{names}等列名，请下载导入模板对照填写。"
                )
            continue
        apply_mapping(layout, remembered_mapping(import_type, layout))
        apply_mapping(layout, mapping or {})
        if problems := mapping_problems(layout, import_type.fields):
            return Table(layout), problems
        table = split_rows(grid, layout, import_type.fields, max_rows=import_type.max_rows())
        if not table.rows:
            raise ImportFileError(f"工作表“{grid.title}”的表头下面没有数据行。")
        return table, []
    raise ImportFileError(first_problem or SHEET_EMPTY)


@dataclass
class Outcome:
    """The result of reading, checking and (when asked) importing one file."""

    table: Table | None = None
    checked: Checked | None = None
    applied: Applied | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return len(self.table.rows) if self.table is not None else 0


def check_file(
    import_type: ImportType,
    fileobj: IO[bytes],
    context: Context,
    *,
    mapping: dict[str, str] | None = None,
    on_rows_counted: Callable[[int], None] | None = None,
) -> Outcome:
    """Read and check without writing anything."""
    try:
        table, problems = read_table(import_type, fileobj, mapping=mapping)
    except ImportFileError as error:
        return Outcome(errors=file_error(str(error)))
    outcome = Outcome(table=table)
    if problems:
        outcome.errors = [{"row": None, "reason": problem} for problem in problems]
        return outcome
    if on_rows_counted is not None:
        on_rows_counted(len(table.rows))
    outcome.checked = import_type.check(table.rows, context)
    outcome.errors = outcome.checked.errors()
    return outcome


def run_import(
    import_type: ImportType,
    fileobj: IO[bytes],
    context: Context,
    *,
    mapping: dict[str, str] | None = None,
    on_rows_counted: Callable[[int], None] | None = None,
) -> Outcome:
    """Check every row, then write all of them in one transaction, or nothing."""
    if not import_type.can_import(context.actor):
        return Outcome(errors=file_error(import_type.denied_message))
    outcome = check_file(
        import_type, fileobj, context, mapping=mapping, on_rows_counted=on_rows_counted
    )
    if outcome.errors or outcome.checked is None:
        return outcome
    try:
        with transaction.atomic():
            outcome.applied = import_type.apply(outcome.checked, context)
    except RowErrors as error:
        outcome.errors = error.errors
    except IntegrityError:
        # Another import of the same rows committed between our check and our insert.
        logger.warning("%s import collided on a unique key", import_type.key)
        outcome.errors = file_error(COLLISION)
    except PermissionDenied as error:
        outcome.errors = file_error(str(error))
    if outcome.errors:
        outcome.applied = None
    return outcome


# ---------------------------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------------------------


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """The jobs `user` may see: their own, and every job of a type they may import."""
    jobs = ImportJob.objects.select_related("created_by")
    if not getattr(user, "is_authenticated", False):
        return jobs.none()
    from .registry import import_types

    keys = [t.key for t in import_types() if t.can_import(user)]
    return jobs.filter(Q(created_by=user) | Q(import_type__in=keys))


def check_upload(import_type: ImportType, upload: UploadedFile) -> None:
    """What can be said about an upload before it is stored: its name and its size."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(
            "只支持 .xlsx 格式的Excel文件（旧版 .xls、CSV 请先在Excel或WPS中另存为 .xlsx）。"
        )
    size = upload.size or 0
    if size > import_type.max_bytes():
        raise ValidationError(
            f"文件大小为{human_size(size)}，超过了{human_size(import_type.max_bytes())}的上限，"
            "请拆分后分批导入。"
        )


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def record_upload_refused(
    *, actor: Any, import_type: ImportType, file_name: str, size: int, reason: str
) -> None:
    """An upload turned away before it was stored still leaves an audit row."""
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        object_type=ImportJob._meta.label_lower,
        object_repr=f"{import_type.label}导入：{file_name}"[:200],
        detail={"import_type": import_type.key, "file": file_name, "size": size, "reason": reason},
        success=False,
    )


def job_create(
    *, actor: Any, import_type: ImportType, upload: UploadedFile, options: dict[str, Any]
) -> ImportJob:
    """Store an upload as a job, audit it, and queue the check that builds its preview."""
    from .tasks import check_import_job

    if not import_type.can_import(actor):
        raise PermissionDenied(import_type.denied_message)
    check_upload(import_type, upload)
    job = ImportJob.objects.create(
        import_type=import_type.key,
        options=options,
        file=upload,
        file_name=(upload.name or "导入.xlsx")[:200],
        file_size=upload.size or 0,
        file_sha256=_digest(upload),
        created_by=actor,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=job,
        object_repr=f"{import_type.label}导入：{job.file_name}"[:200],
        detail={
            "import_type": import_type.key,
            "file": job.file_name,
            "size": job.file_size,
            "sha256": job.file_sha256,
            "options": options,
        },
    )
    # The job row is committed before the task is queued (no surrounding transaction in views),
    # so a worker on another connection always finds it.
    check_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _claim(job_id: int, from_status: str, to_status: str) -> bool:
    """Only the worker whose conditional update moves the job on does the work."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status=from_status).update(
            status=to_status, processed_rows=0
        )
    )


def _set(jobs: QuerySet[ImportJob], **values: Any) -> None:
    jobs.update(**values)


def _context(job: ImportJob, import_type: ImportType) -> Context:
    jobs = ImportJob.objects.filter(pk=job.pk)
    return Context(
        actor=job.created_by,
        options=job.options,
        # A job keeps the day of its upload: “交办后10个工作日” counts from then.
        today=timezone.localdate(job.created_at),
        source_name=job.file_name,
        progress=lambda done, total: _set(jobs, processed_rows=done),
    )


def _read_stored(job: ImportJob, import_type: ImportType) -> io.BytesIO:
    with job.file.open("rb") as stored:
        # Read into memory: the size is capped, and openpyxl needs a seekable file.
        return io.BytesIO(stored.read(import_type.max_bytes() + 1))


def _discard_file(job: ImportJob) -> None:
    """The upload is not kept once the job no longer needs it."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _preview(outcome: Outcome, import_type: ImportType) -> dict[str, Any]:
    table, checked = outcome.table, outcome.checked
    preview: dict[str, Any] = {
        "skipped": [vars(row) for row in table.skipped] if table else [],
        "rows": [],
        "notices": [],
        "total": outcome.total_rows,
    }
    if checked is not None:
        shown = checked.preview[:PREVIEW_ROWS]
        preview["rows"] = [vars(row) for row in shown]
        preview["notices"] = checked.notices
        preview["columns"] = list(dict.fromkeys(k for row in shown for k in row.values))
    if table is not None:
        preview["ignored"] = [
            f"{c.letter}列“{c.header}”" for c in table.layout.columns if c.field == IGNORE
        ]
    return preview


def _run_phase(
    job_id: int, from_status: str, to_status: str, step: Callable[..., Outcome]
) -> tuple[ImportJob, ImportType, Outcome] | None:
    """Claim a job for one phase (only the worker whose conditional update moves it on does the
    work, so several workers and retried tasks are safe) and run `step` on its stored file as
    its uploader. A crash fails the job with a plain message and discards the file."""
    if not _claim(job_id, from_status, to_status):
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    import_type = get_import_type(job.import_type)
    assert import_type is not None
    jobs = ImportJob.objects.filter(pk=job_id)
    try:
        with acting_as(job.created_by):
            outcome = step(
                import_type,
                _read_stored(job, import_type),
                _context(job, import_type),
                mapping=job.mapping,
                on_rows_counted=lambda total: _set(jobs, total_rows=total, processed_rows=0),
            )
    except Exception:
        logger.exception("%s import job %s crashed (%s)", job.import_type, job_id, to_status)
        jobs.update(
            status=JobStatus.FAILED, errors=file_error(SYSTEM_ERROR), finished_at=clock.now()
        )
        _discard_file(job)
        raise
    return job, import_type, outcome


def job_check(job_id: int) -> ImportJob | None:
    """Build a job's preview: read, map, check every row; nothing is written."""
    ran = _run_phase(job_id, JobStatus.PENDING, JobStatus.CHECKING, check_file)
    if ran is None:
        return ImportJob.objects.filter(pk=job_id).first()
    job, import_type, outcome = ran
    jobs = ImportJob.objects.filter(pk=job_id)
    if outcome.table is None:  # the file as a whole cannot be used: nothing to preview
        jobs.update(
            status=JobStatus.FAILED, errors=outcome.errors, total_rows=0, finished_at=clock.now()
        )
        _discard_file(job)
    else:
        jobs.update(
            status=JobStatus.PREVIEW,
            layout=outcome.table.layout.to_json(),
            preview=_preview(outcome, import_type),
            errors=outcome.errors,
            total_rows=outcome.total_rows,
            processed_rows=outcome.total_rows,
        )
    job.refresh_from_db()
    return job


def _require_owner(actor: Any, job: ImportJob) -> ImportType:
    import_type = get_import_type(job.import_type)
    if import_type is None or not import_type.can_import(actor):
        raise PermissionDenied("您无权操作该导入任务。")
    if job.status != JobStatus.PREVIEW:
        raise ValidationError(f"该导入任务当前状态为“{job.get_status_display()}”，不能执行此操作。")
    return import_type


def job_set_mapping(*, actor: Any, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """The user's column mapping: checked, remembered for this set of headers, then the preview
    is built again with it."""
    from .tasks import check_import_job

    import_type = _require_owner(actor, job)
    layout = Layout.from_json(job.layout)
    keys = {f.key for f in import_type.fields}
    letters = {c.letter for c in layout.columns}
    if any(letter not in letters or key not in {*keys, IGNORE} for letter, key in mapping.items()):
        raise ValidationError("列对应中有无效的字段，请重新选择。")
    apply_mapping(layout, mapping)
    if problems := mapping_problems(layout, import_type.fields):
        raise ValidationError(problems)
    chosen = {c.letter: c.field for c in layout.columns}
    SavedMapping.objects.update_or_create(
        import_type=import_type.key,
        signature=header_signature(import_type.key, layout.headers),
        defaults={"headers": layout.headers, "mapping": chosen, "updated_by": actor},
    )
    ImportJob.objects.filter(pk=job.pk).update(
        mapping=chosen, status=JobStatus.PENDING, errors=[], preview={}
    )
    check_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """确认导入: queue the import of a previewed job that has no errors."""
    from .tasks import run_import_job

    _require_owner(actor, job)
    if job.errors:
        raise ValidationError("表格中还有错误，请修改后重新上传，或调整列对应后重新检查。")
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(
        status=JobStatus.CONFIRMED
    ):
        raise ValidationError("该导入任务已确认，请勿重复提交。")
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def job_run(job_id: int) -> ImportJob | None:
    """Import a confirmed job: the file is checked again (the organisation may have changed since
    the preview) and written all or nothing."""
    ran = _run_phase(job_id, JobStatus.CONFIRMED, JobStatus.IMPORTING, run_import)
    if ran is None:
        return ImportJob.objects.filter(pk=job_id).first()
    job, _, outcome = ran
    jobs = ImportJob.objects.filter(pk=job_id)
    applied = outcome.applied or Applied()
    jobs.update(
        status=JobStatus.FAILED if outcome.errors else JobStatus.DONE,
        total_rows=outcome.total_rows,
        processed_rows=outcome.total_rows,
        created_count=applied.created,
        updated_count=applied.updated,
        skipped_count=applied.skipped,
        errors=outcome.errors,
        finished_at=clock.now(),
    )
    _discard_file(job)
    job.refresh_from_db()
    return job


STALE_PREVIEW = datetime.timedelta(days=1)
STALE_MESSAGE = "预览超过1天未确认，上传的文件已删除，未导入任何内容。如需导入请重新上传。"


def discard_stale_uploads() -> int:
    """Previews left unconfirmed for a day give up their file: an upload is not kept longer than
    the job needs it. Returns how many jobs were closed."""
    stale = ImportJob.objects.filter(
        status=JobStatus.PREVIEW, created_at__lt=clock.now() - STALE_PREVIEW
    )
    closed = 0
    for job in stale:
        if ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(
            status=JobStatus.FAILED, errors=file_error(STALE_MESSAGE), finished_at=clock.now()
        ):
            _discard_file(job)
            closed += 1
    return closed
