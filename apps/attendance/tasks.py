"""Background tasks of attendance (thin: the work is in services.py)."""

from django.tasks import task

from .services import compute_yesterday


@task
def compute_yesterday_results() -> dict[str, int]:
    """Judge yesterday for everyone: a forgotten clock-out becomes "missing" here, never closed."""
    return {"results": compute_yesterday()}
