"""Fill a freshly migrated bench database: the organ at a scale, audit events, notifications, the
ledger (督查督办台账) and a month of attendance results.

Run by bench/run.py as `python -m bench.populate --scale N --out FILE` with
DJANGO_SETTINGS_MODULE=config.settings.bench and DATABASE_URL set; it writes a JSON summary
(row counts, timings and the sample ids that page paths may use) to FILE.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime
import json
import math
import random
import time
from pathlib import Path
from typing import Any

import django

# Everything grows with the organ: at scale 50, ~5000 staff with an account each, 100k audit rows,
# 100k notifications, and the demo personas' own inboxes 50 times longer.
AUDIT_EVENTS_PER_SCALE = 2000
NOTIFICATIONS_PER_ACCOUNT = 20
PERSONA_NOTIFICATIONS_PER_SCALE = 20
BATCH_SIZE = 5000

# The ledger: apps.ledger.demo writes 157 items per copy (22 matters, 24 problems with their
# measures, 60 key tasks) with their events, milestones and progress reports. 6.4 copies per scale
# gives ~1,000 items at scale 1 and ≥ 50,000 at scale 50 (issue 3 asks for the list at ≥ 50k).
LEDGER_COPIES_PER_SCALE = 6.4
LEDGER_MIN_COPIES = 6

# Attendance (issue 4): one full month of daily results for everyone, read by the monthly notice.
ATTENDANCE_MONTH = (2026, 10)

# Accounts the runner signs in to clock in concurrently (each its own person, so that taps from
# different clients do not queue on one person's row lock); they get the demo password.
CLOCK_ACCOUNTS = 50
# Years of Standing Committee sessions (six a year): the session and measures pages at ten years.
MEETING_YEARS = 10
BENCH_PASSWORD = "Renda@2026demo"


def organ_parameters(scale: int) -> dict[str, Any]:
    """generate_organ's arguments for a scale: 1 is the demo organ itself (10 units, 90 staff).

    Larger scales grow both ways, about 10·√scale units of 10·√scale staff: scale 10 gives 32 units
    of 32 (1024 staff), scale 50 gives 71 units of 71 (5041 staff).
    """
    if scale <= 1:
        return {}
    units = round(10 * math.sqrt(scale))
    return {"extra_units": units - 10, "staff_per_unit": math.ceil(100 * scale / units)}


def generate_accounts() -> dict[str, Any]:
    """An account for every person who has none (the demo only signs in a few), as in production.

    They share one password hash (computing Argon2 5000 times would take minutes) and nobody
    signs in with them; they make the account list and every per-user table realistically long.
    """
    from django.contrib.auth.hashers import make_password
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from apps.accounts.choices import Role
    from apps.accounts.models import User
    from apps.organization.models import LeadershipPost, Person

    password = make_password(None)  # unusable: these accounts cannot sign in
    now = timezone.now()
    people = Person.objects.filter(account__isnull=True).annotate(
        leader=Exists(LeadershipPost.objects.filter(person=OuterRef("pk")))
    )
    created = User.objects.bulk_create(
        (
            User(
                username=f"p{person.pk:05d}",
                first_name=person.name,
                role=Role.LEADER if person.leader else Role.STAFF,
                person=person,
                password=password,
                password_changed_at=now,
            )
            for person in people.iterator()
        ),
        batch_size=BATCH_SIZE,
    )
    return {"accounts_added": len(created)}


def ledger_copies(scale: int) -> int:
    return max(LEDGER_MIN_COPIES, round(LEDGER_COPIES_PER_SCALE * scale))


def generate_ledger(*, scale: int, seed: int) -> dict[str, Any]:
    """The demo ledger repeated `ledger_copies(scale)` times, through the ledger's own generator.

    It needs an office-staff account (the demo's `bgs_ganshi`) and the working-day calendar (2026 is
    loaded by the migrations); today's date decides which items are closed, open or overdue.
    """
    from apps.ledger.demo import generate_ledger as write_ledger

    summary = write_ledger(seed=seed, copies=ledger_copies(scale))
    return dataclasses.asdict(summary)


DOCUMENTS_PER_SCALE = 2000  # outgoing documents: 100,000 at scale 50
INCOMING_PER_SCALE = 1000
TEN_PAGES = 10


def generate_documents(*, scale: int, seed: int) -> dict[str, Any]:
    """A year of outgoing and incoming documents through the documents' own demo generator, and one
    document whose signed text fills ten pages (for the PDF rendering time)."""
    from apps.core import clock
    from apps.documents.choices import OutgoingStatus
    from apps.documents.demo import PARAGRAPHS
    from apps.documents.demo import generate_documents as write_documents
    from apps.documents.models import DocumentVersion, OutgoingDocument

    summary = write_documents(
        seed=seed, outgoing=DOCUMENTS_PER_SCALE * scale, incoming=INCOMING_PER_SCALE * scale
    )
    document = OutgoingDocument.objects.filter(status=OutgoingStatus.ISSUED).order_by("id").first()
    if document is not None:
        # Lines on the 22 × 28 grid: each paragraph starts indented two characters. The first
        # page's header (mark, number, title) takes about twelve lines.
        body, lines, paragraph = [], 12, 0
        while lines < TEN_PAGES * 22 - 22:  # the last page keeps room for the signature
            text = PARAGRAPHS[paragraph % len(PARAGRAPHS)].replace("{verb}", "通知")
            body.append(text)
            lines += -(-(len(text) + 2) // 28)
            paragraph += 1
        version = DocumentVersion.objects.create(
            document=document,
            number=document.versions.count() + 1,
            body="\n".join(body),
            author=document.drafter,
            step=OutgoingStatus.SIGN_OFF,
            note="十页长文（基准测试）",
            created_at=clock.now(),
        )
        document.signed_version = version
        document.save(update_fields=["signed_version"])
    return {
        **dataclasses.asdict(summary),
        "ten_page_document_id": document.pk if document else None,
    }


def generate_clock_accounts(*, count: int) -> list[str]:
    """Give `count` ordinary staff accounts (one person each, spread over the units) the demo
    password, for the clock-in throughput run. One Argon2 hash, shared."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from apps.accounts.choices import Role
    from apps.accounts.models import User
    from apps.organization.models import UnitMembership

    today = timezone.localdate()
    posted = UnitMembership.objects.on(today).values("person_id")
    candidates = list(
        User.objects.filter(
            role=Role.STAFF, is_active=True, username__startswith="p", person_id__in=posted
        )
        .order_by("id")
        .values_list("id", "username")
    )
    step = max(1, len(candidates) // max(count, 1))
    chosen = candidates[::step][:count]
    User.objects.filter(pk__in=[pk for pk, _ in chosen]).update(
        password=make_password(BENCH_PASSWORD),
        password_changed_at=timezone.now(),
        must_change_password=False,
    )
    return [username for _, username in chosen]


def generate_attendance_month(*, year: int, month: int, seed: int) -> dict[str, Any]:
    """One month of `DailyResult` rows for everyone posted in the organ, in bulk.

    The monthly notice (考勤通报) aggregates these rows in SQL and never reads the clocks, so no
    clocks are written: each row carries its status, flags, times, day counts and the reasons a
    computed result would show, in a plausible mix (mostly normal; some late, early, missing
    clocks, rare absences; leave, trips and outings). Rest days and holidays follow the calendar.
    """
    import calendar

    from django.utils import timezone

    from apps.attendance.choices import DayStatus
    from apps.attendance.models import DailyResult, Schedule
    from apps.attendance.services import calendar_fact
    from apps.organization.models import UnitMembership

    rng = random.Random(seed)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    facts = {day: calendar_fact(day) for day in days}
    schedule = Schedule.objects.filter(person=None, unit=None).order_by("id").first()
    postings: dict[int, list[tuple[datetime.date, datetime.date | None, int]]] = {}
    for person_id, unit_id, since, until in (
        UnitMembership.objects.filter(start_date__lte=last)
        .exclude(end_date__lt=first)
        .order_by("start_date")
        .values_list("person_id", "unit_id", "start_date", "end_date")
    ):
        postings.setdefault(person_id, []).append((since, until, unit_id))
    tz = timezone.get_current_timezone()
    now = timezone.now()
    weights = [
        (DayStatus.NORMAL, 880),
        (DayStatus.LATE, 40),
        (DayStatus.EARLY, 15),
        (DayStatus.LATE_AND_EARLY, 3),
        (DayStatus.MISSING_OUT, 15),
        (DayStatus.MISSING_IN, 5),
        (DayStatus.ABSENT, 3),
        (DayStatus.LEAVE, 25),
        (DayStatus.TRIP, 10),
        (DayStatus.OUTING, 4),
    ]
    statuses = [status for status, _ in weights]
    cumulative = [sum(w for _, w in weights[: n + 1]) for n in range(len(weights))]

    def at(day: datetime.date, base: datetime.time, minutes: int) -> datetime.datetime:
        return datetime.datetime.combine(day, base, tzinfo=tz) + datetime.timedelta(
            minutes=minutes, seconds=rng.randrange(60)
        )

    batch: list[DailyResult] = []
    total = 0
    by_status: dict[str, int] = {}
    for person_id, spans in postings.items():
        for day in days:
            unit_id = next(
                (
                    u
                    for since, until, u in reversed(spans)
                    if since <= day and (until or day) >= day
                ),
                None,
            )
            if unit_id is None:
                continue
            fact = facts[day]
            row = DailyResult(
                person_id=person_id,
                day=day,
                unit_id=unit_id,
                schedule=schedule,
                computed_at=now,
                explanation={"bench": True, "clocks": [], "requests": []},
            )
            if not fact.is_workday:
                holiday = bool(fact.name)
                row.status = DayStatus.HOLIDAY if holiday else DayStatus.REST
                what = f"法定节假日（{fact.name}）" if holiday else "休息日"
                row.reasons = [f"工作日历：{day:%Y-%m-%d} 为{what}，不计考勤。"]
            else:
                start, end, _ = (
                    schedule.hours_on(day)
                    if schedule
                    else (datetime.time(9), datetime.time(17), "")
                )
                row.is_workday = True
                row.expected_start, row.expected_end = start, end
                status = statuses[bisect.bisect(cumulative, rng.randrange(cumulative[-1]))]
                row.status = status
                reasons = [f"工作日历：{day:%Y-%m-%d} 为工作日。"]
                if status in {DayStatus.LEAVE, DayStatus.TRIP, DayStatus.OUTING}:
                    if status == DayStatus.LEAVE:
                        row.leave_days = 1
                    else:
                        row.away_days = 1
                    reasons.append(f"已批准的{row.get_status_display()}申请覆盖当日全天。")
                elif status == DayStatus.ABSENT:
                    row.absence_days = 1
                    reasons.append("工作日无打卡且无已批准的请假、出差或公出：计旷工1天。")
                else:
                    late_early = DayStatus.LATE_AND_EARLY
                    late = rng.randint(6, 90) if status in {DayStatus.LATE, late_early} else 0
                    early = rng.randint(6, 60) if status in {DayStatus.EARLY, late_early} else 0
                    if status != DayStatus.MISSING_IN:
                        row.first_in = at(day, start, late or -rng.randint(0, 25))
                        row.late_minutes, row.is_late = late, bool(late)
                    else:
                        row.missing_in = True
                        reasons.append("上班缺卡：当日没有上班打卡记录（可申请补卡）。")
                    if status != DayStatus.MISSING_OUT:
                        row.last_out = at(day, end, -early if early else rng.randint(0, 40))
                        row.early_minutes, row.is_early = early, bool(early)
                    else:
                        row.missing_out = True
                        reasons.append(
                            "下班缺卡：当日没有下班打卡记录。系统不会自动补全，请申请补卡。"
                        )
                    if late:
                        reasons.append(f"上班打卡晚于应到时间 {start:%H:%M}，迟到 {late} 分钟。")
                    if early:
                        reasons.append(f"下班打卡早于应退时间 {end:%H:%M}，早退 {early} 分钟。")
                    if status == DayStatus.NORMAL:
                        reasons.append("结论：正常。")
                row.reasons = reasons
            by_status[row.status] = by_status.get(row.status, 0) + 1
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                total += len(DailyResult.objects.bulk_create(batch))
                batch = []
    if batch:
        total += len(DailyResult.objects.bulk_create(batch))
    return {"daily_results_added": total, "by_status": by_status}


def generate_audit_events(*, count: int, seed: int) -> dict[str, Any]:
    """Append `count` rows to the audit chain, MAC'd and chained as the service would, in bulk.

    `record_event` saves one row at a time and the appender chains them in steps (too slow for
    100k rows), and AuditEvent.save refuses writes that do not come from it; bulk_create does not
    call save, so the rows are built here already in the chain: each with its `uid` and `row_mac`,
    the next `seq`, prev_hash = the previous entry_hash, entry_hash = `entry_mac`, and the chain
    head is moved to the last row and signed.
    """
    import uuid

    from django.db import transaction

    from apps.accounts.models import User
    from apps.audit import macs
    from apps.audit.models import AuditAction, AuditChainHead, AuditEvent
    from apps.audit.services import chain_pending

    rng = random.Random(seed)
    accounts = list(User.objects.values_list("id", "username"))
    actions = [
        AuditAction.LOGIN,
        AuditAction.LOGOUT,
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.UPDATE,
        AuditAction.EXPORT,
        AuditAction.LOGIN_FAILED,
    ]
    end = datetime.datetime.now(datetime.UTC)
    step = datetime.timedelta(days=180) / max(count, 1)
    chain_pending()  # the organ's own events first, so the bulk rows follow them
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(id=1)
        seq, prev_hash = head.last_seq, head.last_hash
        last = None
        batch: list[AuditEvent] = []
        for index in range(count):
            actor_id, username = rng.choice(accounts)
            action = rng.choice(actions)
            event = AuditEvent(
                created_at=end - step * (count - index),
                actor_id=actor_id,
                actor_username=username,
                ip_address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                action=str(action),
                object_type="organization.person",
                object_id=str(rng.randrange(1, 10_000)),
                object_repr=f"人员 {index}",
                detail={"bench": True, "n": index},
                success=action != AuditAction.LOGIN_FAILED,
                uid=uuid.UUID(int=rng.getrandbits(128)),
            )
            seq += 1
            event.row_mac = macs.row_mac(event)
            event.seq, event.prev_hash = seq, prev_hash
            event.entry_hash = prev_hash = macs.entry_mac(seq, prev_hash, event.row_mac)
            batch.append(event)
            if len(batch) >= BATCH_SIZE:
                last = AuditEvent.objects.bulk_create(batch)[-1]
                batch = []
        if batch:
            last = AuditEvent.objects.bulk_create(batch)[-1]
        if last is not None:
            head.last_seq, head.last_hash, head.last_event_id = seq, prev_hash, last.pk
            head.sign()
            head.save()
    return {"audit_events_added": count}


def generate_notifications(*, per_account: int, per_demo_account: int, seed: int) -> dict[str, Any]:
    """Notifications for every account with a person, about a third of them unread.

    The demo accounts (the personas that sign in) get `per_demo_account`, the others `per_account`.
    """
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.demo.organ import DEMO_USERNAMES
    from apps.notifications.models import Notification

    rng = random.Random(seed)
    now = timezone.now()
    recipients = User.objects.filter(person__isnull=False).values_list("id", "username")
    batch: list[Notification] = []
    total = 0
    for recipient_id, username in recipients.iterator():
        count = per_demo_account if username in DEMO_USERNAMES else per_account
        for index in range(count):
            batch.append(
                Notification(
                    recipient_id=recipient_id,
                    title=f"待办提醒 第{index + 1}项：请按期办理",
                    body="这是基准测试生成的通知。",
                    url="/",
                    category=rng.choice(["general", "deadline", "calendar"]),
                    read_at=None if rng.random() < 0.35 else now,
                )
            )
            if len(batch) >= BATCH_SIZE:
                total += len(Notification.objects.bulk_create(batch))
                batch = []
    if batch:
        total += len(Notification.objects.bulk_create(batch))
    return {"notifications_added": total}


def generate_growth(*, seed: int) -> dict[str, Any]:
    """A year of growing people through the area's own demo generator, at whatever size the organ
    has: every Monday's roll covers every person posted (≈ 250,000 roll rows at scale 50)."""
    from apps.growth.demo import generate_growth as write_growth

    return dataclasses.asdict(write_growth(seed=seed))


def generate_meetings(*, seed: int, years: int = MEETING_YEARS) -> dict[str, Any]:
    """Ten years of Standing Committee sessions (six a year, with their 主任会议, attendance, timed
    items, votes and opinions followed up on the ledger) through the area's demo generator."""
    from apps.meetings.demo import generate_meetings as write_meetings

    return dataclasses.asdict(write_meetings(seed=seed, years=years))


def sample_ids() -> dict[str, Any]:
    """Ids that page paths in bench/pages.py may name as {placeholders}."""
    from django.db.models import Count, Q

    from apps.documents.models import DocumentVersion, OutgoingDocument
    from apps.growth.models import MentorPair
    from apps.ledger.models import TrackedItem
    from apps.organization.models import Person, TaskGroup, Unit

    largest = (
        Unit.objects.annotate(
            open_members=Count("memberships", filter=Q(memberships__end_date=None))
        )
        .order_by("-open_members", "id")
        .first()
    )
    person = Person.objects.filter(memberships__unit=largest).order_by("id").first()
    group = TaskGroup.objects.annotate(size=Count("memberships")).order_by("-size", "id").first()
    # The item with the longest timeline (most ItemEvent rows): its page at its worst.
    item = TrackedItem.objects.annotate(n=Count("events")).order_by("-n", "id").first()
    # The outgoing document with the longest timeline, and the one whose text fills ten pages.
    document = OutgoingDocument.objects.annotate(n=Count("events")).order_by("-n", "id").first()
    ten_pages = (
        DocumentVersion.objects.filter(note="十页长文（基准测试）")
        .values_list("document_id", flat=True)
        .first()
    )
    # The growth file at its fullest: a mentee with the longest guidance log.
    pair = MentorPair.objects.annotate(n=Count("guidance")).order_by("-n", "id").first()
    from apps.meetings.models import Session

    # The latest closed session: a full agenda with materials, votes and opinions.
    session = Session.objects.filter(status="closed").order_by("-date").first()
    return {
        "session_id": session.pk if session else None,
        "outgoing_document_id": document.pk if document else None,
        "ten_page_document_id": ten_pages,
        "growth_person_id": pair.mentee_id if pair else None,
        "ledger_item_id": item.pk if item else None,
        "largest_unit_id": largest.pk if largest else None,
        "person_id": person.pk if person else None,
        "largest_task_group_id": group.pk if group else None,
    }


def row_counts() -> dict[str, int]:
    from apps.accounts.models import User
    from apps.attendance.models import DailyResult
    from apps.audit.models import AuditEvent
    from apps.documents.models import DocumentEvent, IncomingDocument, OutgoingDocument
    from apps.growth.models import StudyAttendance, StudySession
    from apps.ledger.models import ItemEvent, TrackedItem
    from apps.notifications.models import Notification
    from apps.organization.models import Person, Unit, UnitMembership

    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "memberships": UnitMembership.objects.count(),
        "accounts": User.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "ledger_items": TrackedItem.objects.count(),
        "ledger_events": ItemEvent.objects.count(),
        "daily_results": DailyResult.objects.count(),
        "outgoing_documents": OutgoingDocument.objects.count(),
        "incoming_documents": IncomingDocument.objects.count(),
        "document_events": DocumentEvent.objects.count(),
        "study_sessions": StudySession.objects.count(),
        "study_roll_rows": StudyAttendance.objects.count(),
    }


def populate(*, scale: int, seed: int, meeting_years: int = MEETING_YEARS) -> dict[str, Any]:
    from apps.core.demo.organ import generate_organ

    timings: dict[str, float] = {}
    started = time.perf_counter()
    summary = generate_organ(seed=seed, **organ_parameters(scale))
    timings["organ_s"] = time.perf_counter() - started

    started = time.perf_counter()
    generate_accounts()
    timings["accounts_s"] = time.perf_counter() - started

    started = time.perf_counter()
    generate_audit_events(count=AUDIT_EVENTS_PER_SCALE * scale, seed=seed)
    timings["audit_s"] = time.perf_counter() - started

    started = time.perf_counter()
    generate_notifications(
        per_account=NOTIFICATIONS_PER_ACCOUNT,
        per_demo_account=PERSONA_NOTIFICATIONS_PER_SCALE * scale,
        seed=seed,
    )
    timings["notifications_s"] = time.perf_counter() - started

    started = time.perf_counter()
    ledger = generate_ledger(scale=scale, seed=seed)
    timings["ledger_s"] = time.perf_counter() - started

    started = time.perf_counter()
    documents = generate_documents(scale=scale, seed=seed)
    timings["documents_s"] = time.perf_counter() - started

    started = time.perf_counter()
    year, month = ATTENDANCE_MONTH
    attendance = generate_attendance_month(year=year, month=month, seed=seed)
    timings["attendance_s"] = time.perf_counter() - started

    started = time.perf_counter()
    growth = generate_growth(seed=seed)
    timings["growth_s"] = time.perf_counter() - started

    started = time.perf_counter()
    meetings = generate_meetings(seed=seed, years=meeting_years)
    timings["meetings_s"] = time.perf_counter() - started

    started = time.perf_counter()
    clock_accounts = generate_clock_accounts(count=CLOCK_ACCOUNTS)
    timings["clock_accounts_s"] = time.perf_counter() - started

    started = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as a long-running database would have
    timings["analyze_s"] = time.perf_counter() - started
    return {
        "scale": scale,
        "organ_summary": {
            key: value for key, value in dataclasses.asdict(summary).items() if key != "accounts"
        },
        "ledger_summary": {"copies": ledger_copies(scale), **ledger},
        "attendance_summary": attendance,
        "documents_summary": documents,
        "growth_summary": growth,
        "meetings_summary": {"years": meeting_years, **meetings},
        "clock_accounts": clock_accounts,
        "counts": row_counts(),
        "ids": sample_ids(),
        "timings": {key: round(value, 2) for key, value in timings.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--verify-chain", action="store_true", help="walk the audit chain afterwards"
    )
    parser.add_argument(
        "--meeting-years",
        type=int,
        default=MEETING_YEARS,
        help="years of Standing Committee sessions (six a year)",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    result = populate(scale=args.scale, seed=args.seed, meeting_years=args.meeting_years)
    if args.verify_chain:
        from apps.audit.services import verify_chain

        started = time.perf_counter()
        problems = list(verify_chain())
        result["chain_problems"] = len(problems)
        result["timings"]["verify_s"] = round(time.perf_counter() - started, 2)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
