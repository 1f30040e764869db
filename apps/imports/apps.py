from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The spreadsheet import framework; areas register their import types from their ready()."""

    name = "apps.imports"
    label = "imports"
    verbose_name = "数据导入"

    def ready(self) -> None:
        import datetime

        from apps.core.scheduling import DailyJob, register_daily_job

        from .tasks import discard_stale_import_uploads

        register_daily_job(
            DailyJob(
                "清理未确认的导入文件",
                discard_stale_import_uploads,
                at=datetime.time(2, 30),
                workdays_only=False,
            )
        )
