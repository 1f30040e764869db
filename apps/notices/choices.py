from django.db import models


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    BULLETIN = "bulletin", "通报"
    MEETING = "meeting", "会议通知"
    OTHER = "other", "其他"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class EventKind(models.TextChoices):
    DRAFTED = "drafted", "起草"
    EDITED = "edited", "修改"
    PUBLISHED = "published", "发布"
    WITHDRAWN = "withdrawn", "撤回"
    REMINDED = "reminded", "提醒未读"
