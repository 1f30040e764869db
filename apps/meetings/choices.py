from django.db import models


class MemberTitle(models.TextChoices):
    """A Standing Committee member's post (常委会组成人员)."""

    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    MEMBER = "member", "委员"


# The 主任会议: the director, the deputy directors and the secretary-general.
DIRECTORS_MEETING_TITLES = frozenset(
    {MemberTitle.DIRECTOR, MemberTitle.DEPUTY_DIRECTOR, MemberTitle.SECRETARY_GENERAL}
)


class SessionStatus(models.TextChoices):
    """A session's way from the 主任会议's draft to the 会议纪要."""

    DRAFT = "draft", "拟定议程"
    AGENDA_DECIDED = "agenda_decided", "主任会议已决定议程"
    NOTIFIED = "notified", "已发会议通知"
    OPEN = "open", "会议进行中"
    CLOSED = "closed", "已闭会"


class ItemType(models.TextChoices):
    WORK_REPORT = "work_report", "工作报告"
    INSPECTION = "inspection", "执法检查报告"
    REGULATION = "regulation", "法规草案"
    APPOINTMENT = "appointment", "任免案"
    INQUIRY = "inquiry", "专题询问"
    DECISION = "decision", "决定"


class Reading(models.TextChoices):
    """Which reading of a draft regulation (审议次数)."""

    NONE = "", "—"
    FIRST = "first", "一审"
    SECOND = "second", "二审"
    THIRD = "third", "三审"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"


class SignInMethod(models.TextChoices):
    SECRETARIAT = "secretariat", "会务人员代签"
    SELF = "self", "本人签到"


class VoteMode(models.TextChoices):
    """How a vote is recorded. The 表决器 gives the counts, and the organ's rules publish only them
    (无记名): counts-only is the default; the per-member record is for votes the organ records
    member by member (e.g. a 记名表决, or when the 表决器 fails and votes are taken by roll call)."""

    COUNTS = "counts", "只记票数"
    ROLL = "roll", "逐人记录"


class MemberChoice(models.TextChoices):
    """One member's vote in a per-member record. 缺席: not signed in as present (请假 or absent);
    an absent member can be neither 赞成, 反对 nor 弃权."""

    YES = "yes", "赞成"
    NO = "no", "反对"
    ABSTAIN = "abstain", "弃权"
    NOT_VOTED = "not_voted", "未按"
    ABSENT = "absent", "缺席"


# The choices only a member present at the session can make.
CAST = frozenset({MemberChoice.YES, MemberChoice.NO, MemberChoice.ABSTAIN})


class OpinionStatus(models.TextChoices):
    """审议意见: compiled, signed, sent to the reporting body (a ledger item), reported on, rated."""

    DRAFT = "draft", "整理中"
    SIGNED = "signed", "已签发"
    SENT = "sent", "已交办"
    REPORTED = "reported", "已报送处理情况"
    ACCEPTED = "accepted", "已办结"
    REHANDLE = "rehandle", "重新办理"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class SessionEventKind(models.TextChoices):
    CREATED = "created", "拟定"
    AGENDA_DECIDED = "agenda_decided", "主任会议决定议程"
    NOTIFIED = "notified", "发出会议通知"
    LATE_NOTICE_CONFIRMED = "late_notice", "确认逾期发出通知"
    OPENED = "opened", "开会"
    ITEM_STARTED = "item_started", "议题开始"
    ITEM_ENDED = "item_ended", "议题结束"
    VOTED = "voted", "表决"
    CLOSED = "closed", "闭会"
    MINUTES = "minutes", "会议纪要"
