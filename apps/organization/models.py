"""Who the people and units of the organ are, and who belonged where on any given day."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from .choices import (
    EXTERNAL_UNIT_KINDS,
    ORGAN_UNIT_KINDS,
    Gender,
    LeadershipTitle,
    PartyGroupRole,
    PoliticalStatus,
    Rank,
    TaskGroupRole,
    UnitKind,
)


class PeriodQuerySet(models.QuerySet):
    """Rows with a start date and an optional end date (inclusive)."""

    def on(self, day: datetime.date) -> PeriodQuerySet:
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class UnitQuerySet(models.QuerySet):
    def organ(self) -> UnitQuerySet:
        return self.filter(kind__in=sorted(ORGAN_UNIT_KINDS))

    def external(self) -> UnitQuerySet:
        return self.filter(kind__in=sorted(EXTERNAL_UNIT_KINDS))


class OrganUnitManager(models.Manager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    """`Unit.objects`: the organ's own units only, so no list, form or count of the organ ever
    includes an external body by accident. External bodies are reached through `Unit.everything`."""

    def get_queryset(self) -> UnitQuerySet:
        return super().get_queryset().organ()


class Unit(models.Model):
    """The General Office or one of the working committees of the organ — or, with an external kind,
    a body outside it (一府一委两院 and the government's departments) that the organ works with."""

    name = models.CharField("名称", max_length=64, unique=True)
    short_name = models.CharField("简称", max_length=16, unique=True)
    kind = models.CharField("类别", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级单位",
        help_text="政府部门所属的人民政府；机关内设单位不填。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = OrganUnitManager()
    everything = UnitQuerySet.as_manager()

    class Meta:
        base_manager_name = "everything"
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.kind in EXTERNAL_UNIT_KINDS


class UnitAlias(models.Model):
    """Another name a unit goes by in sheets and documents (法工委, 法制工委), kept by the system
    administrator; imports resolve unit names through these as well as the name and short name."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name="单位"
    )
    name = models.CharField("别名", max_length=64, unique=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit}"


class Person(models.Model):
    """A member of staff or a Standing Committee leader (a person, not an account)."""

    name = models.CharField("姓名", max_length=32)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    rank = models.CharField("职级", max_length=24, choices=Rank.choices)
    political_status = models.CharField(
        "政治面貌", max_length=24, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    # The personal (mobile) number: the address book shows it to leaders and the office only.
    phone = models.CharField("联系电话", max_length=32, blank=True)
    office_phone = models.CharField("办公电话", max_length=32, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("在职", default=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def is_party_member(self) -> bool:
        return self.political_status in {
            PoliticalStatus.CPC_MEMBER,
            PoliticalStatus.CPC_PROBATIONARY,
        }


class UnitMembership(models.Model):
    """A person's posting to a unit for a period; rotation (交流轮岗) closes one and opens another."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="人员"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name="单位"
    )
    post_title = models.CharField("职务", max_length=32, blank=True)
    is_head = models.BooleanField("单位负责人", default=False)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "任职记录"
        verbose_name_plural = "任职记录"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            # A person has at most one open posting at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_open_membership"
            ),
        ]
        indexes = [models.Index(fields=["unit", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.post_title}"


class LeadershipPost(models.Model):
    """A Standing Committee leadership post (主任/副主任/秘书长) held for a period."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="leadership_posts", verbose_name="人员"
    )
    title = models.CharField("职务", max_length=24, choices=LeadershipTitle.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "常委会领导职务"
        verbose_name_plural = "常委会领导职务"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.person}"


class PartyGroupMembership(models.Model):
    """Membership of the organ's party group (党组) for a period."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="party_group_posts", verbose_name="人员"
    )
    role = models.CharField("党组职务", max_length=24, choices=PartyGroupRole.choices)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "党组成员"
        verbose_name_plural = "党组成员"
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"


class TaskGroup(models.Model):
    """An ad-hoc special task group (专项工作小组) drawn across units for a purpose and a period."""

    name = models.CharField("名称", max_length=100)
    purpose = models.TextField("工作任务")
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_task_groups", verbose_name="牵头单位"
    )
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    members = models.ManyToManyField(Person, through="TaskGroupMember", related_name="task_groups")

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "专项工作小组"
        verbose_name_plural = "专项工作小组"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="taskgroup_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskGroupMember(models.Model):
    """A person's place in a special task group."""

    group = models.ForeignKey(
        TaskGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name="小组"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="task_group_memberships", verbose_name="人员"
    )
    role = models.CharField(
        "组内职务", max_length=16, choices=TaskGroupRole.choices, default=TaskGroupRole.MEMBER
    )

    class Meta:
        verbose_name = "小组成员"
        verbose_name_plural = "小组成员"
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="unique_task_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"


class ExternalContact(models.Model):
    """A contact person of an external body (一府一委两院 or a department): the one the organ calls
    about a report, a deliberation opinion or a suggestion. With an account of the 外部单位联络员 role
    (`accounts.User.external_contact`) they sign in and see only their own body's matters."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="external_contacts",
        verbose_name="所在单位",
        limit_choices_to={"kind__in": sorted(EXTERNAL_UNIT_KINDS)},
    )
    name = models.CharField("姓名", max_length=32)
    title = models.CharField("职务", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "外部单位联络人"
        verbose_name_plural = "外部单位联络人"
        ordering = ["unit__sort_order", "unit_id", "id"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.unit_id and not Unit.everything.filter(pk=self.unit_id).external().exists():
            raise ValidationError(
                {"unit": "联络人只能属于机关以外的单位（一府一委两院及政府部门）。"}
            )
