from django.db import models


class ApproverKind(models.TextChoices):
    """How a step finds its approver when a request is submitted."""

    UNIT_HEAD = "unit_head", "申请人所在单位负责人"
    OFFICE_HEAD = "office_head", "办公室负责人"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    DIRECTOR = "director", "常委会主任"
    PERSON = "person", "指定人员"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "退回修改"
    CANCELLED = "cancelled", "已终止"


class StageStatus(models.TextChoices):
    WAITING = "waiting", "未到"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"
    SKIPPED = "skipped", "免审"
    CANCELLED = "cancelled", "已撤回"
    RETURNED = "returned", "已退回"
    TRANSFERRED = "transferred", "已转办"


class EventKind(models.TextChoices):
    """One row per action on a request: who, when, on which step, and how long the step waited."""

    SUBMITTED = "submitted", "提交"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"
    RETURNED = "returned", "退回"
    RECALLED = "recalled", "撤回"
    RESUBMITTED = "resubmitted", "重新提交"
    WITHDRAWN = "withdrawn", "撤销申请"
    ADDED = "added", "加签"
    TRANSFERRED = "transferred", "转办"
    REMINDED = "reminded", "催办"
    CANCELLED = "cancelled", "终止"
