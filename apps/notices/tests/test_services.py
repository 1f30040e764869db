import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.permissions import restrict
from apps.audit.models import AuditEvent
from apps.core import clock
from apps.core.testing.factories import MembershipFactory, UserFactory
from apps.notices import rules, selectors, services
from apps.notices.choices import EventKind, NoticeStatus
from apps.notices.models import Notice, NoticeEvent, Receipt
from apps.notifications.models import Notification

from .factories import make_notice, spec

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-10")]
D = datetime.date


def usernames(notice) -> set[str]:
    return set(notice.receipts.values_list("recipient__username", flat=True))


# --- who may publish --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["qian", "sun"])
def test_the_office_drafts_and_publishes(personas, name):
    actor = getattr(personas, name)
    notice = make_notice(personas, actor=actor)
    services.notice_publish(actor=actor, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.published_by == actor
    assert list(notice.events.values_list("kind", flat=True)) == [
        EventKind.DRAFTED,
        EventKind.PUBLISHED,
    ]
    # The transition goes through the audit trail like every other one.
    assert AuditEvent.objects.filter(
        object_type="notices.notice", object_id=str(notice.pk), action="update"
    ).exists()


@pytest.mark.parametrize(
    "name", ["zhao", "li", "zhou", "sysadmin", "secadmin", "auditadmin", "gov"]
)
def test_nobody_else_drafts_or_publishes(personas, name, notice):
    actor = getattr(personas, name)
    with pytest.raises(PermissionDenied):
        make_notice(personas, actor=actor)
    draft = notice(publish=False)
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=actor, notice=draft)
    assert Notice.objects.filter(status=NoticeStatus.PUBLISHED).count() == 0


# --- the audience and who sees what ----------------------------------------------------------


def test_a_whole_organ_notice_reaches_every_business_account_and_no_outsider(personas, notice):
    published = notice()
    assert usernames(published) == {"zhao", "qian", "sun", "li", "zhou", "wu"}
    units = dict(published.receipts.values_list("recipient__username", "unit__short_name"))
    assert units["zhao"] is None and units["zhou"] == "法工委" and units["qian"] == "办公室"


def test_a_unit_notice_reaches_that_unit_and_is_hidden_from_the_others(personas, notice):
    published = notice(units=[personas.legal])
    assert usernames(published) == {"li", "zhou"}
    for name in ("zhao", "qian", "sun", "li", "zhou"):  # the leader and the office see them all
        assert restrict(Notice.objects.all(), getattr(personas, name)).filter(pk=published.pk)
    for name in ("wu", "sysadmin", "secadmin", "auditadmin", "gov", "dai"):
        assert not restrict(Notice.objects.all(), getattr(personas, name)).exists()


def test_a_draft_is_the_offices_only(personas, notice):
    draft = notice(publish=False)
    assert restrict(Notice.objects.all(), personas.qian).filter(pk=draft.pk).exists()
    for name in ("zhao", "li", "zhou", "wu"):
        assert not restrict(Notice.objects.all(), getattr(personas, name)).exists()


def test_someone_who_joins_a_unit_later_reads_its_notice(personas, notice):
    published = notice(units=[personas.legal])
    newcomer = UserFactory(
        person=MembershipFactory(unit=personas.legal, start_date=D(2026, 12, 10)).person
    )
    assert restrict(Notice.objects.all(), newcomer).filter(pk=published.pk).exists()
    receipt = services.notice_read(reader=newcomer, notice=published)
    assert receipt is not None and receipt.unit == personas.legal


# --- bad input: a clear message and nothing saved ---------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "请填写标题"),
        ({"title": "长" * 121}, "title", "标题不能超过120字"),
        ({"body": ""}, "body", "请填写正文"),
        ({"body": "字" * 20_001}, "body", "正文不能超过20000字"),
        ({"units": []}, "units", "请选择发送范围"),
        ({"pinned": True, "pinned_until": D(2026, 12, 9)}, "pinned_until", "置顶截止日期"),
        ({"pinned_until": D(2026, 12, 20)}, "pinned_until", "须同时勾选“置顶”"),
        ({"valid_until": D(2026, 1, 1)}, "valid_until", "有效期"),
        ({"issuer": None}, "issuer", "请选择发布单位"),
        ({"category": "memo"}, "category", "请选择通知类别"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    personas, changes, field, message
):
    with pytest.raises(ValidationError) as caught:
        make_notice(personas, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Notice.objects.exists()
    assert not NoticeEvent.objects.exists()


def test_an_external_body_is_no_audience(personas):
    with pytest.raises(ValidationError, match="机关在用的单位"):
        make_notice(personas, units=[personas.government])
    assert not Notice.objects.exists()


def test_a_forbidden_attachment_type_saves_nothing(personas):
    upload = SimpleUploadedFile("脚本.exe", b"MZ")
    with pytest.raises(ValidationError) as caught:
        make_notice(personas, attachments=[upload])
    assert "不允许上传" in " ".join(caught.value.message_dict["attachments"])
    assert not Notice.objects.exists()


def test_a_pin_that_expired_before_publication_is_refused(personas, notice):
    draft = notice(publish=False, pinned=True, pinned_until=D(2026, 12, 12))
    with (
        time_machine.travel(datetime.datetime(2026, 12, 14, 2, 0, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError, match="置顶截止日期"),
    ):
        services.notice_publish(actor=personas.sun, notice=draft)
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.DRAFT and not draft.receipts.exists()


def test_a_published_notice_cannot_be_edited_or_published_again(personas, notice):
    published = notice()
    with pytest.raises(ValidationError, match="撤回后重新发布"):
        services.notice_update(actor=personas.sun, notice=published, spec=spec(personas))
    with pytest.raises(ValidationError, match="不能再发布"):
        services.notice_publish(actor=personas.sun, notice=published)


# --- receipts -----------------------------------------------------------------------------


def test_reading_records_the_first_time_once(personas, notice):
    published = notice()
    first = services.notice_read(reader=personas.zhou, notice=published)
    assert first is not None and first.read_at is not None
    with time_machine.travel(clock.now() + datetime.timedelta(hours=3)):
        again = services.notice_read(reader=personas.zhou, notice=published)
    assert again is not None and again.read_at == first.read_at
    assert Receipt.objects.filter(notice=published, recipient=personas.zhou).count() == 1


def test_a_leader_opening_a_units_notice_leaves_no_receipt(personas, notice):
    published = notice(units=[personas.legal])
    assert services.notice_read(reader=personas.zhao, notice=published) is None
    assert usernames(published) == {"li", "zhou"}


def test_publication_notifies_every_recipient_and_reading_resolves_only_ones_own(
    personas, notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = notice()
    sent = Notification.objects.filter(category="notices")
    assert set(sent.values_list("recipient__username", flat=True)) == usernames(published)
    services.notice_read(reader=personas.zhou, notice=published)
    assert sent.get(recipient=personas.zhou).resolved_at is not None
    assert sent.filter(resolved_at__isnull=True).count() == 5


def test_a_notice_to_confirm_resolves_on_confirmation_only(
    personas, notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = notice(requires_confirmation=True)
    mine = Notification.objects.get(category="notices", recipient=personas.wu)
    services.notice_read(reader=personas.wu, notice=published)
    mine.refresh_from_db()
    assert mine.resolved_at is None
    receipt = services.notice_confirm(reader=personas.wu, notice=published)
    first = receipt.confirmed_at
    assert first is not None
    mine.refresh_from_db()
    assert mine.resolved_at is not None
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=5)):
        assert services.notice_confirm(reader=personas.wu, notice=published).confirmed_at == first


def test_confirming_a_notice_that_asks_for_none_is_refused(personas, notice):
    with pytest.raises(ValidationError, match="不需要确认"):
        services.notice_confirm(reader=personas.wu, notice=notice())


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_needs_a_reason_keeps_it_and_clears_the_tasks(
    personas, notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = notice()
    with pytest.raises(ValidationError, match="撤回须说明原因"):
        services.notice_withdraw(actor=personas.sun, notice=published, reason=" ")
    with pytest.raises(PermissionDenied):
        services.notice_withdraw(actor=personas.zhao, notice=published, reason="有误")
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_withdraw(actor=personas.qian, notice=published, reason="放假时间有误")
    published.refresh_from_db()
    assert published.status == NoticeStatus.WITHDRAWN
    event = published.events.get(kind=EventKind.WITHDRAWN)
    assert (event.note, event.from_status, event.actor) == (
        "放假时间有误",
        "published",
        personas.qian,
    )
    assert not Notification.objects.filter(category="notices", resolved_at__isnull=True).exists()
    # The readers no longer owe it, and opening it records nothing.
    assert services.notice_read(reader=personas.wu, notice=published) is None
    assert not selectors.unread_receipts(personas.wu).exists()
    with pytest.raises(ValidationError, match="不能撤回"):
        services.notice_withdraw(actor=personas.sun, notice=published, reason="再撤")


# --- reminders ------------------------------------------------------------------------------


def test_remind_the_unread_once_an_hour(personas, notice, django_capture_on_commit_callbacks):
    published = notice(units=[personas.legal])
    services.notice_read(reader=personas.li, notice=published)
    with pytest.raises(PermissionDenied):
        services.notice_remind(actor=personas.li, notice=published)
    with (
        time_machine.travel(clock.now(), tick=False) as traveller,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.notice_remind(actor=personas.sun, notice=published) == 1
        with pytest.raises(ValidationError, match="一小时内只能提醒一次"):
            services.notice_remind(actor=personas.zhao, notice=published)
        traveller.shift(datetime.timedelta(minutes=61))
        assert services.notice_remind(actor=personas.zhao, notice=published) == 1
    reminders = Notification.objects.filter(title__startswith="请及时阅读")
    assert set(reminders.values_list("recipient__username", flat=True)) == {"zhou"}
    assert reminders.count() == 2
    services.notice_read(reader=personas.zhou, notice=published)
    assert not reminders.filter(resolved_at__isnull=True).exists()
    assert published.events.filter(kind=EventKind.REMINDED).count() == 2


def test_nobody_to_remind(personas, notice):
    published = notice(units=[personas.legal])
    for reader in (personas.li, personas.zhou):
        services.notice_read(reader=reader, notice=published)
    with pytest.raises(ValidationError, match="都已阅读"):
        services.notice_remind(actor=personas.sun, notice=published)


# --- the list and the counts -----------------------------------------------------------------


def test_the_list_puts_pinned_on_top_then_the_unread(personas, notice):
    old = notice(title="旧通知")
    read = notice(title="已读通知")
    pinned = notice(title="置顶通知", pinned=True, pinned_until=D(2026, 12, 31))
    unread = notice(title="未读通知")
    services.notice_read(reader=personas.wu, notice=read)
    services.notice_read(reader=personas.wu, notice=pinned)
    rows = list(selectors.notices_for(personas.wu))
    assert [n.title for n in rows] == ["置顶通知", "未读通知", "旧通知", "已读通知"]
    assert [n.is_unread for n in rows] == [False, True, True, False]
    assert old.pk and unread.pk


def test_the_receipts_by_unit(personas, notice):
    published = notice(requires_confirmation=True)
    services.notice_read(reader=personas.zhou, notice=published)
    services.notice_confirm(reader=personas.sun, notice=published)
    summary = selectors.receipt_summary(published)
    lines = {u.name: u for u in summary.units}
    assert [u.name for u in summary.units] == ["常委会领导", "办公室", "法工委", "财经委"]
    assert (summary.total, summary.read, summary.confirmed) == (6, 2, 1)
    assert (lines["法工委"].read, lines["法工委"].unread_names) == (1, ["李主任"])
    assert lines["法工委"].unconfirmed_names == ["周科员"]
    assert lines["办公室"].unread_names == ["钱主任"]
    assert lines["常委会领导"].unread_names == ["赵主任"]
    assert summary.percent == 33


def test_a_unit_head_follows_only_his_units_receipts(personas, notice):
    published = notice()
    assert rules.own_receipt_units(personas.li, published) == {personas.legal.pk}
    assert rules.own_receipt_units(personas.zhou, published) == frozenset()
    assert rules.own_receipt_units(personas.li, notice(units=[personas.finance])) == frozenset()
    summary = selectors.receipt_summary(published, rules.own_receipt_units(personas.li, published))
    assert [u.name for u in summary.units] == ["法工委"] and summary.total == 2
