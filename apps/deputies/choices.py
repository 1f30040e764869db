from django.db import models


class Level(models.TextChoices):
    """The five levels of people's congress deputies living in the city (五级代表)."""

    NATIONAL = "national", "全国人大代表"
    REGION = "region", "自治区人大代表"
    CITY = "city", "市人大代表"
    COUNTY = "county", "县（区）人大代表"
    TOWNSHIP = "township", "乡（镇）人大代表"


class StationKind(models.TextChoices):
    HOME = "home", "代表之家"
    STATION = "station", "代表联络站"


class DutyKind(models.TextChoices):
    """Kinds of duty performance (履职) kept in a deputy's record."""

    SESSION = "session", "出席会议"
    ACTIVITY = "activity", "参加活动"
    INSPECTION = "inspection", "视察调研"
    SUGGESTION = "suggestion", "提出建议"
    RECEPTION = "reception", "进站接待群众"
    TRAINING = "training", "学习培训"


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审查"
    REGISTERED = "registered", "已立案待交办"
    NOT_REGISTERED = "not_registered", "不予立案"
    TO_LETTER = "to_letter", "转为来信"
    HANDLING = "handling", "办理中"
    ANSWERED = "answered", "已答复待反馈"
    FOLLOW_UP = "follow_up", "B类跟踪落实"
    CLOSED = "closed", "办结"


REVIEWED_AWAY = frozenset({SuggestionStatus.NOT_REGISTERED, SuggestionStatus.TO_LETTER})


class HandlingMode(models.TextChoices):
    JOINT = "joint", "主办协办"
    SEPARATE = "separate", "分办"


class HandlingRole(models.TextChoices):
    MAIN = "main", "主办"
    CO = "co", "协办"
    SEPARATE = "separate", "分办"


ANSWERING_ROLES = frozenset({HandlingRole.MAIN, HandlingRole.SEPARATE})


class AnswerClass(models.TextChoices):
    A = "A", "A类 已解决或基本解决"
    B = "B", "B类 正在解决或列入计划逐步解决"
    C = "C", "C类 因条件限制需以后解决"
    D = "D", "D类 留作参考"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ClockRule(models.TextChoices):
    MONTHS = "months", "按月计算（期间届满日遇节假日顺延）"
    WORKDAYS = "workdays", "按工作日计算"
