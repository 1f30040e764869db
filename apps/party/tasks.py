"""Background tasks of party building (thin: the work is in notices.py)."""

from django.tasks import task

from .notices import send_reminders


@task
def send_party_reminders() -> dict[str, int]:
    """Meeting notices of meetings held resolved; 一岗双责 check and 办理时限 notices sent."""
    return send_reminders()
