from django.db import models


class StudyKind(models.TextChoices):
    """The four kinds of study the organ keeps a register of; each decides who must attend."""

    ORGAN = "organ", "机关集中学习"
    CENTER_GROUP = "center_group", "党组理论学习中心组学习"
    YOUTH = "youth", "青年理论学习小组学习"
    BRANCH = "branch", "党支部学习"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "按计划举行"
    SKIPPED = "skipped", "节假日停学"
    CANCELLED = "cancelled", "已取消"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    SECRETARY = "secretary", "会务登记"


class Presence(models.TextChoices):
    """A participant's outcome, computed from the sign-in, the recorded reason and the leaves."""

    PRESENT = "present", "出席"
    ON_LEAVE = "on_leave", "请假或公出（已批准）"
    EXCUSED = "excused", "缺席（已说明原因）"
    ABSENT = "absent", "缺席（未说明原因）"
    PENDING = "pending", "尚未签到"


PRESENCE_TONES = {
    Presence.PRESENT: "success",
    Presence.ON_LEAVE: "info",
    Presence.EXCUSED: "warning",
    Presence.ABSENT: "danger",
    Presence.PENDING: "secondary",
}


class PairStatus(models.TextChoices):
    ACTIVE = "active", "结对中"
    FINISHED = "finished", "已结业"


class GuidanceKind(models.TextChoices):
    TALK = "talk", "谈心交流"
    DRAFTING = "drafting", "文稿起草"
    MEETING = "meeting", "会议组织"
    RESEARCH = "research", "调研协调"
    OTHER = "other", "其他任务"


class EvaluationStage(models.TextChoices):
    MIDTERM = "midterm", "中期评价"
    FINAL = "final", "期满评价"


class EvaluatorRole(models.TextChoices):
    MENTOR = "mentor", "导师"
    UNIT_HEAD = "unit_head", "单位负责人"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class TalkKind(models.TextChoices):
    APPOINTMENT = "appointment", "任职谈话"
    REMINDER = "reminder", "提醒谈话"
    ROUTINE = "routine", "日常谈心"
    ADMONITION = "admonition", "诫勉谈话"
    EXIT = "exit", "离岗谈话"


class TrainingKind(models.TextChoices):
    ORGAN = "organ", "机关组织"
    EXTERNAL = "external", "外出参训（凭证书）"


class YouthChange(models.TextChoices):
    JOINED = "joined", "加入"
    LEFT = "left", "退出"
