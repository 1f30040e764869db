"""Background tasks of the ledger (thin: the work is in reminders.py)."""

from django.tasks import task

from apps.core import clock

from .reminders import send_reminders


@task
def send_ledger_reminders() -> dict[str, int]:
    result = send_reminders(clock.today())
    return {"sent": result.sent, "skipped_duplicates": result.skipped_duplicates}
