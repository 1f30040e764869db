from django.db import models


class Source(models.TextChoices):
    """Where an assigned matter comes from."""

    PARTY_GROUP = "party_group", "党组交办"
    SC_RESOLUTION = "sc_resolution", "常委会决议决定"
    LEADER_INSTRUCTION = "leader_instruction", "领导批示"
    INSPECTION = "inspection", "巡察反馈"
    WORK_POINTS = "work_points", "年度工作要点"
    DEPUTY_SUGGESTION = "deputy_suggestion", "代表建议"
    AUDIT_FINDING = "audit_finding", "审计发现问题"
    OTHER = "other", "其他"


# The short name of a source in a list's code (清单代码 "2026巡察"), which prefixes its items'
# numbers: "023" alone is ambiguous when two lists each have one (issue 10).
SOURCE_CODES: dict[str, str] = {
    Source.PARTY_GROUP: "交办",
    Source.SC_RESOLUTION: "决议",
    Source.LEADER_INSTRUCTION: "批示",
    Source.INSPECTION: "巡察",
    Source.WORK_POINTS: "要点",
    Source.DEPUTY_SUGGESTION: "建议",
    Source.AUDIT_FINDING: "审计",
    Source.OTHER: "其他",
}


def checklist_code_base(year: int, source: str) -> str:
    return f"{year}{SOURCE_CODES.get(source, '清单')}"


class ItemKind(models.TextChoices):
    MATTER = "matter", "督办事项"
    PROBLEM = "problem", "整改问题"
    MEASURE = "measure", "整改措施"
    KEY_TASK = "key_task", "重点任务"
    SUGGESTION = "suggestion", "代表建议"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    ASSIGNED = "assigned", "已交办"
    ACKNOWLEDGED = "acknowledged", "已签收"
    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "已报办结"
    VERIFIED = "verified", "已核验"
    CLOSED = "closed", "已销号"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATUSES = frozenset(
    {Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REPORTED, Status.VERIFIED}
)
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class FeedbackRule(models.TextChoices):
    """How often the unit must report progress (限时反馈)."""

    NONE = "none", "无固定要求"
    WEEKLY = "weekly", "每周反馈"
    MONTHLY = "monthly", "每月反馈"
    QUARTERLY = "quarterly", "每季度反馈"
    WORKDAYS = "workdays", "交办后N个工作日内反馈"


class Warning(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "临期"
    RED = "red", "逾期"
    NONE = "none", "已结束"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    TRANSITION = "transition", "状态变更"
    RETURNED = "returned", "退回"
    FEEDBACK = "feedback", "进展反馈"
    CONTRIBUTION = "contribution", "配合单位反馈"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_GRANTED = "extension_granted", "同意延期"
    EXTENSION_REFUSED = "extension_refused", "不同意延期"
    EXTENSION_WITHDRAWN = "extension_withdrawn", "撤回延期申请"
    MILESTONE_DONE = "milestone_done", "节点完成"
    EDITED = "edited", "修改"
    IMPORTED = "imported", "导入"
    RECALCULATED = "recalculated", "按节假日安排调整日期"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    GRANTED = "granted", "已同意"
    REFUSED = "refused", "不同意"
    WITHDRAWN = "withdrawn", "已撤回"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", "未完成"
    DONE = "done", "已完成"
