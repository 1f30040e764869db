from django.db import models


class ClockKind(models.TextChoices):
    IN = "in", "上班打卡"
    OUT = "out", "下班打卡"


class ClockSource(models.TextChoices):
    TAP = "tap", "本人打卡"
    CORRECTION = "correction", "补卡（经审批）"
    IMPORT = "import", "演示数据"


class RequestKind(models.TextChoices):
    LEAVE = "leave", "请假"
    TRIP = "trip", "出差"
    OUTING = "outing", "公出"
    CORRECTION = "correction", "补卡"


class LeaveType(models.TextChoices):
    ANNUAL = "annual", "年休假"
    SICK = "sick", "病假"
    PERSONAL = "personal", "事假"
    MARRIAGE = "marriage", "婚假"
    MATERNITY = "maternity", "产假"
    PATERNITY = "paternity", "陪产假"
    BEREAVEMENT = "bereavement", "丧假"
    FAMILY_VISIT = "family_visit", "探亲假"
    COMPENSATORY = "compensatory", "调休假"


class DayPart(models.TextChoices):
    """A single-day request may cover the morning or the afternoon only."""

    FULL = "full", "全天"
    AM = "am", "上午"
    PM = "pm", "下午"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    WITHDRAWN = "withdrawn", "已撤回"


ACTIVE_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.APPROVED)

# The approval flow of each kind of request (created by migration 0002, edited as data afterwards).
FLOW_CODES = {
    RequestKind.LEAVE: "attendance.leave",
    RequestKind.TRIP: "attendance.trip",
    RequestKind.OUTING: "attendance.outing",
    RequestKind.CORRECTION: "attendance.correction",
}


class DayStatus(models.TextChoices):
    """The headline of a day's result; the flags on DailyResult carry the details."""

    NORMAL = "normal", "正常"
    LATE = "late", "迟到"
    EARLY = "early", "早退"
    LATE_AND_EARLY = "late_early", "迟到且早退"
    MISSING_IN = "missing_in", "上班缺卡"
    MISSING_OUT = "missing_out", "下班缺卡"
    ABSENT = "absent", "旷工"
    LEAVE = "leave", "请假"
    TRIP = "trip", "出差"
    OUTING = "outing", "公出"
    REST = "rest", "休息日"
    HOLIDAY = "holiday", "法定节假日"
    IN_PROGRESS = "in_progress", "当日未结束"


# Days that count against attendance (a notice lists them; points deduct for them).
PROBLEM_STATUSES = (
    DayStatus.LATE,
    DayStatus.EARLY,
    DayStatus.LATE_AND_EARLY,
    DayStatus.MISSING_IN,
    DayStatus.MISSING_OUT,
    DayStatus.ABSENT,
)

STATUS_TONES = {
    DayStatus.NORMAL: "success",
    DayStatus.LATE: "warning",
    DayStatus.EARLY: "warning",
    DayStatus.LATE_AND_EARLY: "warning",
    DayStatus.MISSING_IN: "orange",
    DayStatus.MISSING_OUT: "orange",
    DayStatus.ABSENT: "danger",
    DayStatus.LEAVE: "info",
    DayStatus.TRIP: "purple",
    DayStatus.OUTING: "purple",
    DayStatus.REST: "secondary",
    DayStatus.HOLIDAY: "secondary",
    DayStatus.IN_PROGRESS: "azure",
}


class PointBasis(models.TextChoices):
    """What a year-end point rule counts."""

    FULL_ATTENDANCE = "full_attendance", "全勤（全年无迟到、早退、缺卡、旷工）"
    LATE = "late", "每次迟到"
    EARLY = "early", "每次早退"
    ABSENCE = "absence", "每天旷工"
    MISSING_CLOCK = "missing_clock", "每次缺卡"
