"""Background tasks of the ledger (thin: the work is in reminders.py)."""

from django.tasks import task

from apps.core import clock

from .reminders import send_reminders


@task
def send_ledger_reminders() -> dict[str, int]:
    result = send_reminders(clock.today())
    return {"sent": result.sent, "skipped_duplicates": result.skipped_duplicates}


@task
def import_ledger_sheet(job_id: int, assign: bool = False) -> dict[str, int]:
    """Check and import one uploaded ledger spreadsheet (an ImportJob); see importing.py."""
    # Imported here: importing.py queues this task, and openpyxl is only needed when a job runs.
    from .importing import run_import_job

    job = run_import_job(job_id, assign=assign)
    if job is None:
        return {"created": 0, "skipped": 0, "errors": 0}
    return {"created": job.created_count, "skipped": job.skipped_count, "errors": len(job.errors)}
