"""The approval flow of the three reviews of a publicity piece (三审): after the author submits,
the unit head and then the head of the General Office. Administrators edit it as data.

Written with the historical models (the same get-or-create as approvals.services.flow_ensure)."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

STEPS = [("单位负责人审核", "unit_head"), ("办公室审核", "office_head")]


def forwards(apps, schema_editor):
    ApprovalFlow = apps.get_model("approvals", "ApprovalFlow")
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    flow, created = ApprovalFlow.objects.get_or_create(
        code="party.article", defaults={"name": "宣传稿件三审"}
    )
    if created:
        for order, (name, kind) in enumerate(STEPS, start=1):
            ApprovalStep.objects.create(
                flow=flow, order=order, name=name, approver_kind=kind, min_amount=Decimal(0)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("party", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="approval",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="approvals.approvalrequest",
                verbose_name="审核流程",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "审核中"),
                    ("approved", "审核通过（待发布）"),
                    ("published", "已发布"),
                ],
                default="draft",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="articleevent",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "审核中"),
                    ("approved", "审核通过（待发布）"),
                    ("published", "已发布"),
                ],
                max_length=16,
                verbose_name="原状态",
            ),
        ),
        migrations.AlterField(
            model_name="articleevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "审核中"),
                    ("approved", "审核通过（待发布）"),
                    ("published", "已发布"),
                ],
                max_length=16,
                verbose_name="新状态",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
