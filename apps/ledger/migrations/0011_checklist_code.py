"""清单代码: each list gets a short code ("2026巡察"), which prefixes its items' numbers (issue 10:
two items in different lists both showed as "023")."""

from django.db import migrations, models

SOURCE_CODES = {
    "party_group": "交办",
    "sc_resolution": "决议",
    "leader_instruction": "批示",
    "inspection": "巡察",
    "work_points": "要点",
    "deputy_suggestion": "建议",
    "audit_finding": "审计",
    "other": "其他",
}


def assign_codes(apps, schema_editor):
    Checklist = apps.get_model("ledger", "Checklist")
    taken: set[str] = set()
    for checklist in Checklist.objects.order_by("year", "id"):
        base = f"{checklist.year}{SOURCE_CODES.get(checklist.source, '清单')}"
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}{n}"
        taken.add(code)
        Checklist.objects.filter(pk=checklist.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_suggestion_kind")]

    operations = [
        migrations.AddField(
            model_name="checklist",
            name="code",
            field=models.CharField(
                default="", editable=False, max_length=16, verbose_name="清单代码"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(assign_codes, migrations.RunPython.noop),
    ]
