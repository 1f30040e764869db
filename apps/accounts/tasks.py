"""Background tasks of the accounts area (thin: the work is in services.py)."""

from django.tasks import task

from .services import prune_login_failures


@task
def prune_sign_in_failures() -> dict[str, int]:
    """Daily: forget the throttles' failures older than a day (the audit trail keeps them)."""
    return {"deleted": prune_login_failures()}
