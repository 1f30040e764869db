from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The spreadsheet import framework; areas register their import types from their ready()."""

    name = "apps.imports"
    label = "imports"
    verbose_name = "数据导入"
