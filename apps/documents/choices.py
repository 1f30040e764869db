from django.db import models


class DocumentType(models.TextChoices):
    """The 15 kinds of 公文 of 《党政机关公文处理工作条例》 (article 8)."""

    NOTICE = "notice", "通知"
    BULLETIN = "bulletin", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
    OPINION = "opinion", "意见"
    DECISION = "decision", "决定"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    RESOLUTION = "resolution", "决议"
    ORDER = "order", "命令（令）"
    COMMUNIQUE = "communique", "公报"
    MOTION = "motion", "议案"


# Documents to a higher body (上行文) show their 签发人 in the header.
UPWARD_TYPES = frozenset({DocumentType.REPORT, DocumentType.REQUEST, DocumentType.MOTION})


class Secrecy(models.TextChoices):
    NONE = "", "非密"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"


class Urgency(models.TextChoices):
    NONE = "", "普通"
    URGENT = "urgent", "加急"
    EXTRA = "extra", "特急"


class OutgoingStatus(models.TextChoices):
    """拟稿 → 部门核稿 → 办公室核稿 → 会签 → 签发（编号）→ 用印 → 印发."""

    DRAFT = "draft", "拟稿"
    UNIT_REVIEW = "unit_review", "部门核稿"
    OFFICE_REVIEW = "office_review", "办公室核稿"
    COUNTERSIGN = "countersign", "会签"
    SIGN_OFF = "sign_off", "待签发"
    SIGNED = "signed", "已签发"
    SEALED = "sealed", "已用印"
    ISSUED = "issued", "已印发"
    VOIDED = "voided", "已作废"


# The states in which someone other than the drafter holds the document.
REVIEW_STATUSES = frozenset(
    {
        OutgoingStatus.UNIT_REVIEW,
        OutgoingStatus.OFFICE_REVIEW,
        OutgoingStatus.COUNTERSIGN,
        OutgoingStatus.SIGN_OFF,
    }
)


class CountersignStatus(models.TextChoices):
    PENDING = "pending", "待会签"
    AGREED = "agreed", "同意"
    OPINION = "opinion", "有意见"
    CLOSED = "closed", "已结束"


class IncomingStatus(models.TextChoices):
    """签收登记 → 拟办 → 批办 → 承办 → 办结 → 归档."""

    REGISTERED = "registered", "已登记"
    PROPOSED = "proposed", "已拟办"
    INSTRUCTED = "instructed", "已批办"
    HANDLING = "handling", "承办中"
    DONE = "done", "已办结"
    ARCHIVED = "archived", "已归档"


class MaterialKind(models.TextChoices):
    """The major materials the drafting groups own."""

    WORK_REPORT = "work_report", "工作报告"
    SC_REPORT = "sc_report", "常委会工作报告"
    SPEECH = "speech", "领导讲话"
    RESEARCH = "research", "调研报告"
    SUMMARY = "summary", "工作总结"
    INFORMATION = "information", "信息简报"


class MaterialStatus(models.TextChoices):
    """起草 → 审核（可多轮）→ 领导签批."""

    DRAFTING = "drafting", "起草中"
    REVIEW = "review", "审核中"
    SIGN_OFF = "sign_off", "待签批"
    APPROVED = "approved", "已签批"


class EventKind(models.TextChoices):
    """The steps of both flows: each is one event row (who, when, how long the step took)."""

    DRAFTED = "drafted", "拟稿"
    REVISED = "revised", "修改稿件"
    SUBMITTED = "submitted", "送审"
    WITHDRAWN = "withdrawn", "撤回"
    UNIT_APPROVED = "unit_approved", "部门核稿"
    OFFICE_APPROVED = "office_approved", "办公室核稿"
    COUNTERSIGNED = "countersigned", "会签"
    RETURNED = "returned", "退回"
    SIGNED = "signed", "签发"
    NUMBERED = "numbered", "编号"
    SEALED = "sealed", "用印"
    ISSUED = "issued", "印发"
    READ = "read", "阅读"
    CIRCULATED = "circulated", "传阅"
    REMINDED = "reminded", "催办"
    VOIDED = "voided", "作废"
    REGISTERED = "registered", "签收登记"
    PROPOSED = "proposed", "拟办"
    INSTRUCTED = "instructed", "批办"
    TO_LEDGER = "to_ledger", "转督办"
    HANDLED = "handled", "承办"
    DONE = "done", "办结"
    ARCHIVED = "archived", "归档"
    REVIEWED = "reviewed", "审核意见"
    SENT_FOR_SIGN_OFF = "sent_for_sign_off", "呈送签批"
    APPROVED = "approved", "签批"
