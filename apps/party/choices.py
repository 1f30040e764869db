from django.db import models


class AgendaKind(models.TextChoices):
    FIRST_TOPIC = "first_topic", "第一议题"
    MAJOR = "major", "三重一大"
    IMPORTANT = "important", "重要工作"
    PERSONNEL = "personnel", "人事"
    OTHER = "other", "其他"


class Presence(models.TextChoices):
    PRESENT = "present", "出席"
    ABSENT = "absent", "请假"
    NON_VOTING = "non_voting", "列席"


class MajorCategory(models.TextChoices):
    """The four kinds of 三重一大 matters."""

    DECISION = "decision", "重大决策"
    APPOINTMENT = "appointment", "重要人事任免"
    PROJECT = "project", "重大项目安排"
    FUNDS = "funds", "大额资金使用"


class Vote(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    ABSTAIN = "abstain", "弃权"


class DecisionResult(models.TextChoices):
    PASSED = "passed", "通过"
    REJECTED = "rejected", "未通过"


class ReportKind(models.TextChoices):
    REQUEST = "request", "请示"
    REPORT = "report", "报告"


class ResponsibilityKind(models.TextChoices):
    PARTY = "party", "党建和党风廉政建设责任"
    WORK = "work", "业务工作责任"


class CheckResult(models.TextChoices):
    DONE = "done", "已完成"
    ON_TRACK = "on_track", "推进中"
    BEHIND = "behind", "滞后"


class CheckStage(models.TextChoices):
    MIDYEAR = "midyear", "年中检查"
    YEAR_END = "year_end", "年终检查"


class ReviewMode(models.TextChoices):
    RATING = "rating", "按等次评价（好/较好/一般/差）"
    POINTS = "points", "按分值打分"


class Rating(models.TextChoices):
    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


RATING_POINTS = {Rating.GOOD: 100, Rating.FAIRLY_GOOD: 80, Rating.AVERAGE: 60, Rating.POOR: 40}


class ReviewStatus(models.TextChoices):
    OPEN = "open", "评议中"
    PUBLISHED = "published", "结果已公布"


class ReviewerKind(models.TextChoices):
    PARTY_GROUP = "party_group", "党组成员"
    MEMBER = "member", "党员代表"
    STAFF = "staff", "职工代表"


class ActivityKind(models.TextChoices):
    THEME_DAY = "theme_day", "主题党日"
    GENERAL_MEETING = "general_meeting", "支部党员大会"
    COMMITTEE = "committee", "支部委员会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    BRAND = "brand", "党建品牌活动"


class Channel(models.TextChoices):
    WEBSITE = "website", "机关网站"
    WECHAT = "wechat", "微信公众号"
    NEWSPAPER = "newspaper", "上级报刊"
    INTERNAL = "internal", "内部刊物"


class ArticleKind(models.TextChoices):
    ARTICLE = "article", "宣传稿件"
    INFORMATION = "information", "信息报送"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "审核中"
    APPROVED = "approved", "审核通过（待发布）"
    PUBLISHED = "published", "已发布"


class IssueStatus(models.TextChoices):
    EDITING = "editing", "编辑中"
    PUBLISHED = "published", "已出刊"


ARTICLE_FLOW = "party.article"
"""The approvals flow of the three reviews: the author's unit head, then the office's head."""
