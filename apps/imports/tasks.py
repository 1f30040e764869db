"""Background tasks of the import framework (thin: the work is in services.py)."""

from django.tasks import task


@task
def check_import_job(job_id: int) -> dict[str, int]:
    """Read and check an uploaded spreadsheet and store its preview."""
    from .services import job_check

    job = job_check(job_id)
    return {"rows": job.total_rows if job else 0, "errors": len(job.errors) if job else 0}


@task
def run_import_job(job_id: int) -> dict[str, int]:
    """Import a confirmed job all or nothing."""
    from .services import job_run

    job = job_run(job_id)
    if job is None:
        return {"created": 0, "updated": 0, "skipped": 0, "errors": 0}
    return {
        "created": job.created_count,
        "updated": job.updated_count,
        "skipped": job.skipped_count,
        "errors": len(job.errors),
    }


@task
def discard_stale_import_uploads() -> dict[str, int]:
    """Daily: delete the files of previews nobody confirmed."""
    from .services import discard_stale_uploads

    return {"closed": discard_stale_uploads()}
