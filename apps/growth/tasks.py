"""Background tasks of growing people (thin: the work is in services.py)."""

from django.tasks import task

from .services import rolls_compute_recent, youth_group_recompute


@task
def compute_study_rolls() -> dict[str, int]:
    """Turn last week's missing sign-ins into absences and pick up leaves approved late."""
    return {"sessions": rolls_compute_recent()}


@task
def recompute_youth_group() -> dict[str, int]:
    """Joins and leaves of the youth group against this year's reference date (idempotent)."""
    return youth_group_recompute()
