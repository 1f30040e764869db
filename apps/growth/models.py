"""Growing people (能力强起来): study and its register, mentoring pairs, the youth study group,
heart-to-heart talks in confidence, training hours, and the growth file that gathers them.

Attendance at a study session is never typed in as a figure: the required participants follow from
the session's kind (`selectors.required_people`), each signs in (by QR code or through the
secretary) or has an absence row with its reason, and an approved leave from the attendance area
that covers the day excuses them (`selectors.session_roll`).

A talk's summary is stored encrypted with SM4 (`crypto.py`); the key lives outside the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.organization.models import Person, Unit

from .choices import (
    PRESENCE_TONES,
    EvaluationStage,
    EvaluatorRole,
    Grade,
    GuidanceKind,
    PairStatus,
    Presence,
    SessionStatus,
    SignInMethod,
    StudyKind,
    TalkKind,
    TrainingKind,
)

# ---------------------------------------------------------------------------------------------
# Study
# ---------------------------------------------------------------------------------------------


class StudyPlan(models.Model):
    """A recurring study plan for a year, e.g. the 机关集中学习 every Monday afternoon. Its sessions
    are generated on the calendar: a holiday Monday moves to the next workday of that week, or the
    week is skipped (`services.plan_generate`)."""

    name = models.CharField("计划名称", max_length=100)
    kind = models.CharField("学习类型", max_length=16, choices=StudyKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    weekday = models.PositiveSmallIntegerField("每周", default=0, help_text="0 为星期一")
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    host = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主持人",
    )
    requires_reflection = models.BooleanField("须撰写心得体会", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="制定人"
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = "学习计划"
        verbose_name_plural = "学习计划"
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "name"], name="unique_study_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"


class StudySession(models.Model):
    """One study session: when, where, who hosts, its topics and materials."""

    plan = models.ForeignKey(
        StudyPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="所属计划",
    )
    kind = models.CharField("学习类型", max_length=16, choices=StudyKind.choices)
    title = models.CharField("学习主题", max_length=200)
    date = models.DateField("日期")
    # The weekday the plan put the session on, and why it moved (a holiday): kept so that the date
    # can be computed again when the year's holiday arrangement is announced.
    planned_date = models.DateField("计划日期", null=True, blank=True)
    date_note = models.CharField("日期说明", max_length=200, blank=True)
    date_provisional = models.BooleanField("日期按预估日历排定", default=False)
    date_fixed = models.BooleanField("日期经人工调整", default=False)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    host = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_study_sessions",
        verbose_name="主持人",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="党支部所在单位",
        help_text="党支部学习填写；应参加人员为该单位在岗党员。",
    )
    status = models.CharField(
        "状态", max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    requires_reflection = models.BooleanField("须撰写心得体会", default=False)
    # The roll's figures, stored when it is computed (`services.session_roll_compute`), so that the
    # register lists any number of sessions at any size of the organ with a fixed number of queries.
    roll_required = models.PositiveIntegerField("应参加人数", default=0)
    roll_present = models.PositiveIntegerField("出席人数", default=0)
    roll_on_leave = models.PositiveIntegerField("请假人数", default=0)
    roll_excused = models.PositiveIntegerField("说明原因缺席人数", default=0)
    roll_absent = models.PositiveIntegerField("未说明原因缺席人数", default=0)
    roll_computed_at = models.DateTimeField("出勤计算时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "学习活动"
        verbose_name_plural = "学习活动"
        ordering = ["-date", "-start_time", "id"]
        indexes = [models.Index(fields=["kind", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="study_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}：{self.title}"

    @property
    def is_held(self) -> bool:
        return self.status == SessionStatus.SCHEDULED

    @property
    def attendance_rate(self) -> float | None:
        """出席 ÷ (应参加 − 请假): an approved leave is not an absence."""
        expected = self.roll_required - self.roll_on_leave
        return round(100 * self.roll_present / expected, 1) if expected > 0 else None


class StudyTopic(models.Model):
    """A topic of a session; the first topic may be the 第一议题 (the latest important speeches)."""

    session = models.ForeignKey(
        StudySession, on_delete=models.CASCADE, related_name="topics", verbose_name="学习活动"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    title = models.CharField("学习内容", max_length=300)
    is_first_topic = models.BooleanField("第一议题", default=False)
    follow_up = models.CharField(
        "贯彻落实", max_length=300, blank=True, help_text="学习后在何处、以何种方式贯彻落实"
    )

    class Meta:
        verbose_name = "学习议题"
        verbose_name_plural = "学习议题"
        ordering = ["session", "order", "id"]
        indexes = [models.Index(fields=["is_first_topic", "title"])]

    def __str__(self) -> str:
        return self.title


class StudyMaterial(models.Model):
    """A reading of a session: an uploaded file or a link to a page of the platform."""

    session = models.ForeignKey(
        StudySession, on_delete=models.CASCADE, related_name="materials", verbose_name="学习活动"
    )
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("附件", upload_to="growth/materials/%Y/", blank=True)
    link = models.CharField("平台内链接", max_length=300, blank=True)

    class Meta:
        verbose_name = "学习材料"
        verbose_name_plural = "学习材料"
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.title


class StudyAttendance(models.Model):
    """A participant's place on a session's roll: signed in (by QR code or by the secretary), on an
    approved leave that covers the session, absent with a reason, absent without one, or not yet
    signed in. Sign-ins write the row; `services.session_roll_compute` writes the rest."""

    session = models.ForeignKey(
        StudySession, on_delete=models.CASCADE, related_name="attendances", verbose_name="学习活动"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="study_attendances", verbose_name="人员"
    )
    # The unit the person was posted to on the session's day: statistics count a rotated cadre
    # where they worked then, as the attendance area's daily results do.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在单位",
    )
    presence = models.CharField("出勤情况", max_length=16, choices=Presence.choices)
    method = models.CharField("签到方式", max_length=16, choices=SignInMethod.choices, blank=True)
    signed_at = models.DateTimeField("签到时间", null=True, blank=True)
    reason = models.CharField("缺席原因", max_length=200, blank=True)
    leave_note = models.CharField("请假依据", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)

    class Meta:
        verbose_name = "学习出勤"
        verbose_name_plural = "学习出勤"
        ordering = ["session", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_roll_row_per_session")
        ]
        indexes = [models.Index(fields=["person", "session"])]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.person_id} · {self.get_presence_display()}"

    @property
    def tone(self) -> str:
        return PRESENCE_TONES.get(Presence(self.presence), "secondary")


class StudyReflection(models.Model):
    """A participant's 心得体会 on a session that asks for one."""

    session = models.ForeignKey(
        StudySession, on_delete=models.CASCADE, related_name="reflections", verbose_name="学习活动"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="study_reflections", verbose_name="人员"
    )
    text = models.TextField("心得体会")
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "心得体会"
        verbose_name_plural = "心得体会"
        ordering = ["-submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_reflection_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person} 的心得体会（{self.session_id}）"


# ---------------------------------------------------------------------------------------------
# Mentoring (传帮带)
# ---------------------------------------------------------------------------------------------


class MentorPair(models.Model):
    """An experienced cadre (导师) guiding a section-level or young cadre for a period."""

    mentor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentees_guided", verbose_name="导师"
    )
    mentee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name="培养对象"
    )
    start_date = models.DateField("结对起始日期")
    end_date = models.DateField("结对结束日期")
    goals = models.TextField("培养目标")
    status = models.CharField(
        "状态", max_length=16, choices=PairStatus.choices, default=PairStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "传帮带结对"
        verbose_name_plural = "传帮带结对"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="pair_end_after_start"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="pair_not_self"),
        ]
        indexes = [models.Index(fields=["mentee", "start_date"])]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.mentee}"


class GuidanceEntry(models.Model):
    """One piece of guidance in a pair's log: a talk or a task, on a date, by whom."""

    pair = models.ForeignKey(
        MentorPair, on_delete=models.CASCADE, related_name="guidance", verbose_name="结对"
    )
    date = models.DateField("日期")
    kind = models.CharField("形式", max_length=16, choices=GuidanceKind.choices)
    content = models.TextField("内容")
    by_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮带记录"
        verbose_name_plural = "帮带记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class MentorEvaluation(models.Model):
    """A mid-term or final evaluation of a pair, by the mentor or by the mentee's unit head."""

    pair = models.ForeignKey(
        MentorPair, on_delete=models.CASCADE, related_name="evaluations", verbose_name="结对"
    )
    stage = models.CharField("阶段", max_length=16, choices=EvaluationStage.choices)
    role = models.CharField("评价人身份", max_length=16, choices=EvaluatorRole.choices)
    grade = models.CharField("评价等次", max_length=16, choices=Grade.choices)
    comment = models.TextField("评价意见")
    evaluator = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="评价人"
    )
    evaluated_at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "帮带评价"
        verbose_name_plural = "帮带评价"
        ordering = ["pair", "stage", "role"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "stage", "role"], name="one_evaluation_each")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}·{self.get_role_display()}"


class MenteeSummary(models.Model):
    """The mentee's own summary at the end of the period."""

    pair = models.OneToOneField(
        MentorPair, on_delete=models.CASCADE, related_name="summary", verbose_name="结对"
    )
    text = models.TextField("个人总结")
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "培养对象总结"
        verbose_name_plural = "培养对象总结"

    def __str__(self) -> str:
        return f"{self.pair} 个人总结"


# ---------------------------------------------------------------------------------------------
# The youth study group (青年理论学习小组)
# ---------------------------------------------------------------------------------------------


class YouthMembership(models.Model):
    """A period in the youth group: joined when under the age limit on a reference date, left when
    over it (or when leaving the organ). The rows are the record of joins and leaves."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="youth_memberships", verbose_name="人员"
    )
    joined_on = models.DateField("加入日期")
    join_note = models.CharField("加入说明", max_length=200, blank=True)
    left_on = models.DateField("退出日期", null=True, blank=True)
    leave_note = models.CharField("退出说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "青年理论学习小组成员"
        verbose_name_plural = "青年理论学习小组成员"
        ordering = ["-joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="one_open_youth_period"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="youth_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.joined_on:%Y-%m-%d}"


# ---------------------------------------------------------------------------------------------
# Heart-to-heart talks (谈心谈话), confidential
# ---------------------------------------------------------------------------------------------


class Talk(models.Model):
    """A one-to-one talk. Only the two parties and the party group secretary read it; the audit
    administrator sees that it exists, the office counts per leader (`scopes.py`). The summary is
    SM4-encrypted (`crypto.py`). Not tracked field by field: the audit rows would copy the parties
    into a trail the audit administrator reads; the services record content-free events instead."""

    talker = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="talks_held", verbose_name="谈话人"
    )
    talkee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="talks_received", verbose_name="谈话对象"
    )
    date = models.DateField("谈话日期")
    kind = models.CharField("谈话类型", max_length=16, choices=TalkKind.choices)
    place = models.CharField("地点", max_length=100, blank=True)
    summary_cipher = models.BinaryField("谈话摘要（SM4 密文）")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "谈心谈话记录"
        verbose_name_plural = "谈心谈话记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(talker=models.F("talkee")), name="talk_not_self")
        ]
        indexes = [models.Index(fields=["talker", "date"]), models.Index(fields=["talkee", "date"])]

    def __str__(self) -> str:
        # Content-free on purpose: this text is what audit events and logs carry.
        return f"谈心谈话记录 #{self.pk}"


class TalkDuty(models.Model):
    """A leader's annual duty to talk with every member of the units in their charge (分管联系)."""

    year = models.PositiveSmallIntegerField("年度")
    leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="talk_duties", verbose_name="谈话责任人"
    )
    units = models.ManyToManyField(Unit, related_name="+", verbose_name="分管联系单位")

    class Meta:
        verbose_name = "谈心谈话责任"
        verbose_name_plural = "谈心谈话责任"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "leader"], name="one_talk_duty_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.leader}"


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


class TrainingRequirement(models.Model):
    """The hours of training each cadre must reach in a year (configurable by the office)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    hours = models.DecimalField("年度应完成学时", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "年度培训学时要求"
        verbose_name_plural = "年度培训学时要求"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.hours}学时"


class TrainingRecord(models.Model):
    """Hours of training a person completed: a course the organ ran, or an external one proved by
    a certificate."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_records", verbose_name="人员"
    )
    kind = models.CharField("类型", max_length=16, choices=TrainingKind.choices)
    title = models.CharField("培训名称", max_length=200)
    organiser = models.CharField("主办单位", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    certificate_no = models.CharField("结业证书编号", max_length=64, blank=True)
    certificate = models.FileField("结业证书", upload_to="growth/certificates/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")), name="training_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="training_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"


# ---------------------------------------------------------------------------------------------
# The growth file (干部成长档案)
# ---------------------------------------------------------------------------------------------


class CadreFile(Person):
    """A person seen as the subject of a growth file: its own row scope (the person, their unit
    head, leaders and the office) is registered with the one permission mechanism."""

    class Meta:
        proxy = True
        verbose_name = "干部成长档案"
        verbose_name_plural = "干部成长档案"
