"""Load the years that the chinesecalendar package covers into the holiday table."""

from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar

    from apps.workcalendar.services import _zh

    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    SpecialDay = apps.get_model("workcalendar", "SpecialDay")
    years = sorted({d.year for d in chinese_calendar.holidays})
    for year in years:
        cal_year, _ = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": "chinesecalendar", "notice": "chinesecalendar"}
        )
        rows = [
            SpecialDay(date=d, kind="holiday", name=_zh(str(n)), year=cal_year)
            for d, n in chinese_calendar.holidays.items()
            if d.year == year and d.weekday() < 5
        ] + [
            SpecialDay(date=d, kind="workday", name=_zh(str(n)), year=cal_year)
            for d, n in chinese_calendar.workdays.items()
            if d.year == year and d.weekday() >= 5
        ]
        SpecialDay.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
