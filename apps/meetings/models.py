"""The Standing Committee's sessions (常委会会议) and what the organ does to serve them.

- `CommitteeMember`: a member of the Standing Committee (常委会组成人员) for a dated term; those
  whose term covers a session's date are "all members" for its quorum and its votes.
- `DirectorsMeeting`: a 主任会议, which decides a session's agenda.
- `Session` and its `AgendaItem`s, each with a type, a reporting body (an external `Unit`), a
  responsible committee, a planned duration and, once deliberated, its actual start and end.
- `Material`: a version of an item's material uploaded by the reporting body. The deadline for it
  is a tracked item of the ledger (`AgendaItem.materials_item`), assigned to the body.
- `Attendance`: one row per member and session, present (签到) or on leave (请假): one row, so a
  member can never be both. `Observer`: a non-member attending (列席).
- `Speech`: a turn in group deliberation (分组审议). `Vote`: a vote's counts and stored result;
  `MemberVote`: each member's vote where the organ records them (the counts then computed).
- `Opinion`: the deliberation opinions (审议意见) on an item, followed up as a ledger item with the
  reporting body; `OpinionRating`: a member's 满意度测评 of the body's report.
- `SessionEvent`: the session's timeline (who, when, what), raw material of the measures.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.core.models import EventRow
from apps.organization.models import Person, Unit

from .choices import (
    AttendanceStatus,
    ItemType,
    MemberChoice,
    MemberTitle,
    OpinionStatus,
    Rating,
    Reading,
    SessionEventKind,
    SessionStatus,
    SignInMethod,
    VoteMode,
)


class MemberQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> MemberQuerySet:
        """The members whose term covers `day`."""
        return self.filter(Q(term_start__lte=day), Q(term_end__isnull=True) | Q(term_end__gte=day))


class CommitteeMember(models.Model):
    """A member of the Standing Committee (主任、副主任、秘书长、委员) for a dated term."""

    name = models.CharField("姓名", max_length=32)
    title = models.CharField("职务", max_length=24, choices=MemberTitle.choices)
    # The organ's leaders are people of the organ too; most members are not.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_terms",
        verbose_name="机关人员",
    )
    # An account lets the member sign in on their own device and read the materials.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_terms",
        verbose_name="账号",
    )
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "常委会组成人员"
        verbose_name_plural = "常委会组成人员"
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="member_term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.name}"


class DirectorsMeeting(models.Model):
    """A 主任会议 (director, deputy directors, secretary-general): prepares the sessions."""

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("次数")
    date = models.DateField("日期", db_index=True)
    topics = models.TextField("研究事项", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "主任会议"
        verbose_name_plural = "主任会议"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_directors_meeting_number")
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}次主任会议"


class Session(models.Model):
    """A session of the Standing Committee (常委会第N次会议)."""

    term_label = models.CharField("届次", max_length=32, default="第十七届")
    number = models.PositiveSmallIntegerField("会议次数", unique=True)
    date = models.DateField("会议日期", db_index=True)
    end_date = models.DateField("结束日期")
    place = models.CharField("会议地点", max_length=64, default="常委会会议室")
    status = models.CharField(
        "状态", max_length=16, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    notice_days = models.PositiveSmallIntegerField("提前通知天数", default=7)
    materials_workdays = models.PositiveSmallIntegerField("材料提前报送工作日数", default=5)
    directors_meeting = models.ForeignKey(
        DirectorsMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="决定议程的主任会议",
    )
    notice_sent_at = models.DateTimeField("通知发出时间", null=True, blank=True)
    notice_late_reason = models.CharField("逾期通知说明", max_length=200, blank=True)
    opened_at = models.DateTimeField("开会时间", null=True, blank=True)
    closed_at = models.DateTimeField("闭会时间", null=True, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="拟定人"
    )
    created_at = models.DateTimeField("拟定时间", auto_now_add=True)

    class Meta:
        verbose_name = "常委会会议"
        verbose_name_plural = "常委会会议"
        ordering = ["-date", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("date")), name="session_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term_label}常委会第{self.number}次会议"

    @property
    def title(self) -> str:
        return str(self)


class AgendaItem(models.Model):
    """An item on a session's agenda, with its presenter, its committee and its timing."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="items", verbose_name="会议"
    )
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)
    item_type = models.CharField("类型", max_length=16, choices=ItemType.choices)
    reading = models.CharField(
        "审次", max_length=8, choices=Reading.choices, default=Reading.NONE, blank=True
    )
    reporting_body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_agenda_items",
        verbose_name="报告单位",
    )
    presenter = models.CharField("报告人", max_length=64, blank=True)
    committee = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name="承办工作委员会",
    )
    planned_minutes = models.PositiveSmallIntegerField("计划时长（分钟）")
    actual_start = models.DateTimeField("实际开始", null=True, blank=True)
    actual_end = models.DateTimeField("实际结束", null=True, blank=True)
    materials_due = models.DateField("材料报送时限", null=True, blank=True)
    materials_item = models.ForeignKey(
        "ledger.TrackedItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="材料报送督办事项",
    )

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="one_item_per_order"),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gt=F("actual_start")),
                name="item_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return round((self.actual_end - self.actual_start).total_seconds() / 60)


def material_path(instance: Material, filename: str) -> str:
    return f"meetings/{instance.item_id}/{filename}"


class Material(models.Model):
    """One version of an agenda item's material, with its length (pages, characters)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="materials", verbose_name="议题"
    )
    version = models.PositiveSmallIntegerField("版本")
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=material_path, blank=True)
    pages = models.PositiveIntegerField("页数")
    characters = models.PositiveIntegerField("字数")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "会议材料"
        verbose_name_plural = "会议材料"
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="one_material_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class Attendance(models.Model):
    """A member at a session: present (签到) or on leave (请假) — never both, one row each."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name="会议"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="attendance", verbose_name="成员"
    )
    status = models.CharField("出席情况", max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField("请假事由", max_length=200, blank=True)
    method = models.CharField("签到方式", max_length=16, choices=SignInMethod.choices, blank=True)
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        ordering = ["session", "member__sort_order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_status_display()}"


class Observer(models.Model):
    """A non-member attending a session (列席)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="observers", verbose_name="会议"
    )
    name = models.CharField("姓名", max_length=32)
    affiliation = models.CharField("单位职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "列席人员"
        verbose_name_plural = "列席人员"
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.name


class Speech(models.Model):
    """A speaker's turn in group deliberation (分组审议): who, from when to when, what in short."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speeches", verbose_name="议题"
    )
    group = models.CharField("审议小组", max_length=16)
    speaker = models.CharField("发言人", max_length=32)
    started_at = models.DateTimeField("开始")
    ended_at = models.DateTimeField("结束")
    note = models.CharField("发言要点", max_length=500, blank=True)

    class Meta:
        verbose_name = "审议发言"
        verbose_name_plural = "审议发言"
        ordering = ["item", "group", "started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=F("started_at")), name="speech_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.speaker}"


class Vote(models.Model):
    """表决 on an item (or on one person of a 任免案): the counts, and the result computed against
    all members of the Standing Committee, not against those present."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="votes", verbose_name="议题"
    )
    subject = models.CharField("表决对象", max_length=100, blank=True)
    # Counts only, or each member's vote (`MemberVote`), from which the counts are computed.
    mode = models.CharField(
        "记录方式", max_length=8, choices=VoteMode.choices, default=VoteMode.COUNTS
    )
    yes = models.PositiveSmallIntegerField("赞成")
    no = models.PositiveSmallIntegerField("反对")
    abstain = models.PositiveSmallIntegerField("弃权")
    not_voted = models.PositiveSmallIntegerField("未按")
    members_total = models.PositiveSmallIntegerField("组成人员总数")
    present = models.PositiveSmallIntegerField("出席人数")
    passed = models.BooleanField("通过")
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "表决结果"
        verbose_name_plural = "表决结果"
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "subject"], name="one_vote_per_subject"),
            models.CheckConstraint(
                condition=Q(
                    present=F("yes") + F("no") + F("abstain") + F("not_voted"),
                ),
                name="vote_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.subject} {'通过' if self.passed else '未通过'}"


class MemberVote(models.Model):
    """One member's vote in a per-member record: one row per member of the session's day and
    vote. The vote's counts are computed from these rows."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="member_votes", verbose_name="表决"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="+", verbose_name="成员"
    )
    choice = models.CharField("表决情况", max_length=16, choices=MemberChoice.choices)
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "组成人员表决情况"
        verbose_name_plural = "组成人员表决情况"
        ordering = ["vote", "member__sort_order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="one_member_vote_per_vote")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_choice_display()}"


class Opinion(models.Model):
    """The deliberation opinions (审议意见) on an item, followed up with the reporting body."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="opinion", verbose_name="议题"
    )
    text = models.TextField("审议意见")
    status = models.CharField(
        "状态", max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    deadline_months = models.PositiveSmallIntegerField("办理期限（月）", default=3)
    # The share of 满意 and 基本满意 that accepts the body's report, in percent.
    threshold_percent = models.PositiveSmallIntegerField("满意度通过线（%）", default=60)
    needs_rating = models.BooleanField("开展满意度测评", default=True)
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    sent_at = models.DateTimeField("交办时间", null=True, blank=True)
    deadline = models.DateField("办理时限", null=True, blank=True, db_index=True)
    tracked_item = models.ForeignKey(
        "ledger.TrackedItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办事项",
    )
    report = models.TextField("研究处理情况的报告", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    rating_round = models.PositiveSmallIntegerField("测评轮次", default=1)
    satisfied_percent = models.PositiveSmallIntegerField("满意率（%）", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "审议意见"
        verbose_name_plural = "审议意见"
        ordering = ["item"]

    def __str__(self) -> str:
        return f"关于{self.item}的审议意见"


class OpinionRating(models.Model):
    """A member's 满意度测评 of the reporting body's report, one per member and round."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="ratings", verbose_name="审议意见"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="+", verbose_name="成员"
    )
    round = models.PositiveSmallIntegerField("轮次")
    rating = models.CharField("评价", max_length=16, choices=Rating.choices)
    rated_at = models.DateTimeField("测评时间")

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["opinion", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "member", "round"], name="one_rating_per_member_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_rating_display()}"


class SessionEvent(EventRow):
    """One entry of a session's timeline: who did what, when."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="events", verbose_name="会议"
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="议题",
    )
    kind = models.CharField("类别", max_length=24, choices=SessionEventKind.choices)

    class Meta(EventRow.Meta):
        verbose_name = "会议动态"
        verbose_name_plural = "会议动态"

    def __str__(self) -> str:
        return f"{self.session_id} {self.get_kind_display()}"
