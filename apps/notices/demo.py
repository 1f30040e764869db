"""The notices' part of the demo organ: a notice a month over the demo year, published by the
office through the services on its own day (`clock.use_today`), and read by most of the organ —
nearly everyone for the old ones, fewer for the last few days' (the receipt pages have something
to chase)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.notifications.models import Notification
from apps.organization.choices import UnitKind
from apps.organization.models import Unit

from . import services
from .choices import NoticeCategory as C
from .models import Receipt

OFFICE_ACCOUNT = "bgs_ganshi"


@dataclass(frozen=True)
class Planned:
    title: str
    category: str
    body: tuple[str, ...]
    committees_only: bool = False
    confirm: bool = False


# One notice for each month of the year, as an organ's office writes them ({y}: the year).
BY_MONTH: dict[int, Planned] = {
    1: Planned(
        "关于{y}年春节期间值班安排的通知",
        C.NOTICE,
        (
            "根据国务院办公厅关于{y}年部分节假日安排的通知，结合机关工作实际，现将春节期间值班安排通知如下。",
            "一、值班时间为春节放假期间每日8:30至次日8:30，值班人员须在岗在位，保持通讯畅通。",
            "二、遇有重要情况，值班人员应及时向带班领导报告，并做好值班记录。",
            "三、各单位请于放假前完成安全检查，关闭门窗和用电设备。",
        ),
    ),
    2: Planned(
        "关于开展机关作风建设专项检查的通报",
        C.BULLETIN,
        (
            "为持续深化机关作风建设，办公室会同各工作委员会于近期开展了作风建设专项检查。",
            "检查发现，机关整体工作作风良好，但仍存在个别同志迟到早退、文件流转不及时等问题。",
            "请各单位对照检查情况认真整改，于本月底前将整改情况报办公室。",
        ),
        confirm=True,
    ),
    3: Planned(
        "关于召开{y}年机关党建工作会议的通知",
        C.MEETING,
        (
            "经机关党组研究，定于本月中旬召开{y}年机关党建工作会议。",
            "参会人员：机关党组成员、各支部书记、各单位主要负责人。",
            "请参会人员提前10分钟到达常委会第一会议室，会议期间将手机调至静音。",
        ),
    ),
    4: Planned(
        "关于{y}年度干部职工健康体检的通知",
        C.NOTICE,
        (
            "为关心干部职工身体健康，机关定于下月组织年度健康体检。",
            "请各单位按附件安排的时段分批前往，体检前一日晚餐后禁食。",
        ),
    ),
    5: Planned(
        "关于办公楼消防安全演练的公告",
        C.ANNOUNCEMENT,
        (
            "为提高机关干部职工消防安全意识和应急处置能力，定于本月下旬在机关办公楼开展消防安全演练。",
            "演练期间请听从现场工作人员指挥，有序疏散至办公楼前广场。",
        ),
    ),
    6: Planned(
        "关于做好常委会会议服务保障工作的通知",
        C.NOTICE,
        (
            "常委会会议即将召开，请各工作委员会按照会议议程做好审议材料报送和会务服务保障工作。",
            "审议材料请于会前十日报送办公室，逾期报送的须说明理由。",
        ),
        committees_only=True,
    ),
    7: Planned(
        "关于{y}年上半年考勤情况的通报",
        C.BULLETIN,
        (
            "现将机关{y}年上半年考勤情况通报如下：机关干部职工总体能够遵守考勤制度，出勤率较高。",
            "个别同志存在多次缺卡的情况，请所在单位负责人提醒督促。考勤情况将作为年底评优加减分依据。",
        ),
    ),
    8: Planned(
        "关于开展“三服务”主题调研活动的通知",
        C.NOTICE,
        (
            "为深入践行“三服务”工作要求，经研究，决定在各工作委员会开展“三服务”主题调研活动。",
            "各工作委员会须围绕职责确定一个调研课题，形成调研报告，于下月底前报办公室。",
        ),
        committees_only=True,
    ),
    9: Planned(
        "关于进一步规范公文处理工作的通知",
        C.NOTICE,
        (
            "为提高公文处理质量和效率，现就进一步规范机关公文处理工作通知如下。",
            "一、严格执行公文格式标准，文稿报送前须经部门核稿。",
            "二、收文须在规定时限内办理，不得积压延误。",
            "请各位同志认真阅读并确认知悉。",
        ),
        confirm=True,
    ),
    10: Planned(
        "关于机关干部参加网络安全和保密知识培训的通知",
        C.NOTICE,
        (
            "根据年度培训计划，定于本月组织机关干部参加网络安全和保密知识培训。",
            "培训为全员必修，请合理安排工作按时参加，确因公务不能参加的须向办公室请假。",
        ),
        confirm=True,
    ),
    11: Planned(
        "关于报送{y}年度工作总结和{n}年工作要点的通知",
        C.NOTICE,
        (
            "为做好年度工作总结和谋划，请各工作委员会认真总结{y}年工作，提出{n}年工作要点。",
            "材料请于12月20日前报送办公室，电子版同时发送至办公室邮箱。",
        ),
        committees_only=True,
    ),
    12: Planned(
        "关于{n}年元旦放假安排的通知",
        C.NOTICE,
        (
            "根据国务院办公厅通知精神，现将{n}年元旦放假安排通知如下：1月1日放假，共1天。",
            "放假期间，各单位要妥善安排值班，做好安全保卫工作，遇有重大突发事件及时报告。",
        ),
    ),
}


def _month_start(day: datetime.date, back: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def generate_notices(*, seed: int, today: datetime.date) -> tuple[int, int, int]:
    """Returns (notices, receipts, read)."""
    rng = random.Random(seed * 31 + 7)
    office = User.objects.get(username=OFFICE_ACCOUNT)
    issuer = Unit.objects.get(kind=UnitKind.OFFICE)
    committees = list(Unit.objects.filter(kind=UnitKind.COMMITTEE, is_active=True))
    made = receipts = read = 0
    for back in range(11, -1, -1):
        start = _month_start(today, back)
        day = min(start + datetime.timedelta(days=rng.randint(2, 17)), today)
        plan = BY_MONTH[day.month]
        words = {"y": day.year, "n": day.year + 1}
        pinned_until = valid_until = None
        if day.month == 12:
            pinned_until = datetime.date(day.year + 1, 1, 3)
        if day.month == 11 and datetime.date(day.year, 12, 20) >= day:
            valid_until = datetime.date(day.year, 12, 20)
        with clock.use_today(day):
            notice = services.notice_create(
                actor=office,
                spec=services.NoticeSpec(
                    title=plan.title.format(**words),
                    body="\n\n".join(p.format(**words) for p in plan.body),
                    issuer=issuer,
                    category=plan.category,
                    whole_organ=not plan.committees_only,
                    units=committees if plan.committees_only else [],
                    requires_confirmation=plan.confirm,
                    pinned=pinned_until is not None or valid_until is not None,
                    pinned_until=pinned_until,
                    valid_until=valid_until,
                ),
            )
            services.notice_publish(actor=office, notice=notice)
        made += 1
        age = (today - day).days
        share = 0.96 if age > 30 else 0.35 + 0.02 * age
        rows = list(Receipt.objects.filter(notice=notice))
        receipts += len(rows)
        done = []
        for row in rows:
            if rng.random() > share:
                continue
            when = day + datetime.timedelta(days=rng.randint(0, min(age, 4)))
            moment = timezone.make_aware(
                datetime.datetime.combine(when, datetime.time(8, 30))
                + datetime.timedelta(minutes=rng.randint(0, 540))
            )
            row.read_at = min(moment, clock.now())
            if plan.confirm and rng.random() < 0.9:
                row.confirmed_at = row.read_at + datetime.timedelta(minutes=rng.randint(1, 30))
            done.append(row)
        # Bulk readings, as a year of clicks would have left them; their notifications resolved.
        Receipt.objects.bulk_update(done, ["read_at", "confirmed_at"], batch_size=500)
        keys = [
            services.task_key(notice.pk, r.recipient_id)
            for r in done
            if r.confirmed_at or not plan.confirm
        ]
        Notification.objects.filter(task_key__in=keys).update(
            read_at=clock.now(), resolved_at=clock.now()
        )
        read += len(done)
    return made, receipts, read


def demo_step(context: DemoContext) -> str:
    """The notices' part of `seed_demo` (registered in `apps.py`)."""
    from apps.audit.models import AuditAction
    from apps.audit.registry import summarised_load
    from apps.audit.services import record_event

    if not User.objects.filter(username=OFFICE_ACCOUNT).exists():
        return "没有办公室演示账号，跳过通知公告演示数据。"
    with summarised_load():
        notices, receipts, read = generate_notices(seed=context.seed, today=context.today)
    record_event(
        action=AuditAction.CREATE,
        object_type="notices.demo",
        object_repr="通知公告演示数据（批量导入）",
        actor_username="seed_demo",
        detail={"通知公告": notices, "接收": receipts, "已读": read},
    )
    return f"已发布通知公告 {notices} 条，发送 {receipts} 人次，已读 {read} 人次。"
