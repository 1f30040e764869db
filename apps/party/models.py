"""Party building and publicity (形象树起来): the party group's meetings with their 第一议题 and
三重一大 decisions, requests and reports to the higher party organisation, the responsibility lists
(一岗双责), the branch secretaries' annual review, branch activities, and publicity with the organ's
own publication.

What is decided is followed up in the ledger: an agenda item or a list item keeps a link to the
ledger item that the ledger's own services created (`services.agenda_to_ledger`), never a status of
its own. Review scores are kept per ballot so that they can be aggregated, and no page shows a
ballot (`scopes.ballot_scope` lets nobody read one).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import EventRow
from apps.ledger.models import TrackedItem
from apps.organization.models import Person, Unit

from .choices import (
    ActivityKind,
    AgendaKind,
    ArticleKind,
    ArticleStatus,
    Channel,
    CheckResult,
    DecisionResult,
    IssueStatus,
    MajorCategory,
    Presence,
    Rating,
    ReportKind,
    ResponsibilityKind,
    ReviewerKind,
    ReviewMode,
    ReviewStatus,
    Vote,
)

USER = settings.AUTH_USER_MODEL

# ---------------------------------------------------------------------------------------------
# Party group meetings and 三重一大
# ---------------------------------------------------------------------------------------------


class PartyMeeting(models.Model):
    """A party group meeting (党组会议), numbered in its year (第N次)."""

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("次数")
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=100)
    presider = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="主持人"
    )
    recorder = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    members_total = models.PositiveSmallIntegerField("党组成员应到人数", default=0)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "党组会议"
        verbose_name_plural = "党组会议"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="party_meeting_number"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}次党组会议"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        PartyMeeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="会议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    presence = models.CharField("出席情况", max_length=16, choices=Presence.choices)
    is_member = models.BooleanField("党组成员", default=False)
    reason = models.CharField("请假原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "党组会议出席情况"
        verbose_name_plural = "党组会议出席情况"
        ordering = ["meeting", "presence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="party_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_presence_display()}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        PartyMeeting, on_delete=models.CASCADE, related_name="items", verbose_name="会议"
    )
    order = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("议题类型", max_length=16, choices=AgendaKind.choices)
    title = models.CharField("议题", max_length=200)
    conclusion = models.TextField("议定事项", blank=True)
    ledger_item = models.ForeignKey(
        TrackedItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办事项",
    )

    class Meta:
        verbose_name = "党组会议议题"
        verbose_name_plural = "党组会议议题"
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="party_agenda_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class MajorDecision(models.Model):
    """The record of a 三重一大 matter decided collectively at a meeting (its agenda item)."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision", verbose_name="议题"
    )
    category = models.CharField("类别", max_length=16, choices=MajorCategory.choices)
    matter = models.CharField("事项", max_length=200)
    amount = models.DecimalField(
        "金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    consulted_with = models.CharField("会前酝酿对象", max_length=200)
    consulted_on = models.DateField("会前酝酿日期")
    materials = models.TextField("会议材料")
    result = models.CharField("表决结果", max_length=16, choices=DecisionResult.choices)
    agree = models.PositiveSmallIntegerField("同意", default=0)
    disagree = models.PositiveSmallIntegerField("不同意", default=0)
    abstain = models.PositiveSmallIntegerField("弃权", default=0)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "三重一大决策"
        verbose_name_plural = "三重一大决策"
        ordering = ["-item__meeting__date", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.matter}"


class DecisionOpinion(models.Model):
    """One member's opinion, in speaking order; the secretary speaks last (末位表态)."""

    decision = models.ForeignKey(
        MajorDecision, on_delete=models.CASCADE, related_name="opinions", verbose_name="决策"
    )
    order = models.PositiveSmallIntegerField("发言顺序")
    member = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="成员"
    )
    vote = models.CharField("表态", max_length=16, choices=Vote.choices)
    opinion = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "表态意见"
        verbose_name_plural = "表态意见"
        ordering = ["decision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="party_opinion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_vote_display()}"


class DecisionRecusal(models.Model):
    decision = models.ForeignKey(
        MajorDecision, on_delete=models.CASCADE, related_name="recusals", verbose_name="决策"
    )
    member = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="成员"
    )
    reason = models.CharField("回避原因", max_length=200)

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="party_recusal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member}回避"


class HigherReport(models.Model):
    """A request or report to the higher party organisation (重大事项请示报告) and its answer."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=16, choices=ReportKind.choices)
    title = models.CharField("标题", max_length=200)
    recipient = models.CharField("报送对象", max_length=100, default="中共市委")
    submitted_on = models.DateField("报送日期")
    due_date = models.DateField("办理时限", null=True, blank=True)
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    # The documents area carries the paper: the 请示/报告 goes out as a 发文 (its 文号, 签发 and the
    # 公文 engine) and the higher organisation's answer comes in as a 收文.
    outgoing = models.OneToOneField(
        "documents.OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发文",
    )
    answer_document = models.OneToOneField(
        "documents.IncomingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复来文",
    )
    responsible = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "重大事项请示报告"
        verbose_name_plural = "重大事项请示报告"
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


# ---------------------------------------------------------------------------------------------
# Responsibility lists (一岗双责)
# ---------------------------------------------------------------------------------------------


class ResponsibilityList(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="responsibility_lists", verbose_name="责任人"
    )
    post = models.CharField("职务", max_length=64)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="制定人"
    )

    class Meta:
        verbose_name = "一岗双责责任清单"
        verbose_name_plural = "一岗双责责任清单"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "person"], name="party_list_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.person}责任清单"


class ResponsibilityItem(models.Model):
    responsibility_list = models.ForeignKey(
        ResponsibilityList, on_delete=models.CASCADE, related_name="items", verbose_name="清单"
    )
    order = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类别", max_length=16, choices=ResponsibilityKind.choices)
    content = models.CharField("责任内容", max_length=300)
    evidence = models.TextField("履责记实", blank=True)
    midyear = models.CharField("年中检查", max_length=16, choices=CheckResult.choices, blank=True)
    year_end = models.CharField("年终检查", max_length=16, choices=CheckResult.choices, blank=True)
    ledger_item = models.ForeignKey(
        TrackedItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办事项",
    )

    class Meta:
        verbose_name = "责任清单事项"
        verbose_name_plural = "责任清单事项"
        ordering = ["responsibility_list", "order"]

    def __str__(self) -> str:
        return self.content


# ---------------------------------------------------------------------------------------------
# Branch secretaries' review (述职评议)
# ---------------------------------------------------------------------------------------------


class Review(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=100)
    mode = models.CharField("评价方式", max_length=16, choices=ReviewMode.choices)
    status = models.CharField(
        "状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="组织人"
    )

    class Meta:
        verbose_name = "支部书记抓党建述职评议"
        verbose_name_plural = "支部书记抓党建述职评议"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class ReviewCriterion(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="criteria", verbose_name="评议"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("评议内容", max_length=100)
    max_points = models.PositiveSmallIntegerField("满分", default=100)

    class Meta:
        verbose_name = "评议指标"
        verbose_name_plural = "评议指标"
        ordering = ["review", "order"]

    def __str__(self) -> str:
        return self.name


class ReviewSubject(models.Model):
    """A branch secretary reviewed, with the written report (述职报告)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="subjects", verbose_name="评议"
    )
    secretary = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="支部书记"
    )
    branch = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="支部"
    )
    report = models.TextField("述职报告", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "述职对象"
        verbose_name_plural = "述职对象"
        ordering = ["review", "branch__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "secretary"], name="party_subject_once"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.short_name}党支部书记{self.secretary}"


class ReviewBallot(models.Model):
    """One reviewer's scores of one secretary. Confidential: read only to aggregate."""

    subject = models.ForeignKey(
        ReviewSubject, on_delete=models.CASCADE, related_name="ballots", verbose_name="述职对象"
    )
    reviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="评议人"
    )
    reviewer_kind = models.CharField("评议人类别", max_length=16, choices=ReviewerKind.choices)
    total = models.DecimalField("得分", max_digits=6, decimal_places=2)
    rating = models.CharField("总体评价", max_length=16, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField("评议时间")

    class Meta:
        verbose_name = "评议票"
        verbose_name_plural = "评议票"
        constraints = [
            models.UniqueConstraint(fields=["subject", "reviewer"], name="party_ballot_once"),
        ]

    def __str__(self) -> str:
        return "评议票"


class ReviewScore(models.Model):
    ballot = models.ForeignKey(
        ReviewBallot, on_delete=models.CASCADE, related_name="scores", verbose_name="评议票"
    )
    criterion = models.ForeignKey(
        ReviewCriterion, on_delete=models.CASCADE, related_name="+", verbose_name="指标"
    )
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    rating = models.CharField("等次", max_length=16, choices=Rating.choices, blank=True)

    class Meta:
        verbose_name = "评议得分"
        verbose_name_plural = "评议得分"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "criterion"], name="party_score_once"),
        ]

    def __str__(self) -> str:
        return "评议得分"


# ---------------------------------------------------------------------------------------------
# Branch activities and the party-building brand
# ---------------------------------------------------------------------------------------------


class BranchActivity(models.Model):
    branch = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    date = models.DateField("日期")
    title = models.CharField("主题", max_length=200)
    expected = models.PositiveSmallIntegerField("应到人数")
    present = models.PositiveSmallIntegerField("实到人数")
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "支部活动"
        verbose_name_plural = "支部活动"
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["branch", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("expected")), name="party_present_le_expected"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


# ---------------------------------------------------------------------------------------------
# Publicity (宣传) and the internal publication
# ---------------------------------------------------------------------------------------------


class PublicationIssue(models.Model):
    """An issue (期) of the organ's internal publication."""

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("刊名", max_length=60, default="人大机关工作")
    planned_on = models.DateField("计划出刊日期")
    published_on = models.DateField("出刊日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=IssueStatus.choices, default=IssueStatus.EDITING
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="编辑"
    )

    class Meta:
        verbose_name = "内部刊物期刊"
        verbose_name_plural = "内部刊物期刊"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="party_issue_number"),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》{self.year}年第{self.number}期"


class Article(models.Model):
    """A publicity piece or information report, drafted by its author and reviewed three times
    (三审: the author submits, then the unit head and the office decide it in the approvals
    engine, flow "party.article") before it is published."""

    kind = models.CharField(
        "类型", max_length=16, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="供稿单位"
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="作者"
    )
    channel = models.CharField("发布渠道", max_length=16, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    unit_reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位审核人",
    )
    office_reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办公室审核人",
    )
    approval = models.OneToOneField(
        "approvals.ApprovalRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核流程",
    )
    issue = models.ForeignKey(
        PublicationIssue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="刊发期刊",
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    adopted_by = models.CharField("采用单位", max_length=100, blank=True)
    adopted_on = models.DateField("采用日期", null=True, blank=True)
    created_at = models.DateTimeField("起草时间", auto_now_add=True)

    class Meta:
        verbose_name = "宣传稿件"
        verbose_name_plural = "宣传稿件"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["status", "published_on"])]

    def __str__(self) -> str:
        return self.title


class ArticleEvent(EventRow):
    """A step of the three reviews, for the record: always by someone, always a change of state."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events", verbose_name="稿件"
    )
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    from_status = models.CharField("原状态", max_length=16, choices=ArticleStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=ArticleStatus.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta(EventRow.Meta):
        verbose_name = "稿件审核记录"
        verbose_name_plural = "稿件审核记录"
        ordering = ["article", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
