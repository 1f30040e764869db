"""Background task of the working-day calendar (thin: the work is in services.py)."""

from django.tasks import task

from .services import import_package_years


@task
def load_package_years() -> dict[str, list[int]]:
    """Daily: pick up the years of an upgraded `chinesecalendar` package (writes nothing when the
    stored years already match it), and recompute what was provisional."""
    return {"covered": import_package_years()}
