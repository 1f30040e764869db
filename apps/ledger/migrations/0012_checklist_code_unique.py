"""清单代码 unique, once 0011 has given every list its code (a migration of its own: on PostgreSQL
the rows updated in 0011 must be committed before the table is altered)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0011_checklist_code")]

    operations = [
        migrations.AlterField(
            model_name="checklist",
            name="code",
            field=models.CharField(
                editable=False, max_length=16, unique=True, verbose_name="清单代码"
            ),
        ),
    ]
