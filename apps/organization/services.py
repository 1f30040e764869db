"""Writes to the organisation: people, postings and rotation, leadership posts, special task groups.

Every function validates first and raises `ValidationError` with a Chinese message (keyed by the
form field where there is one) before anything changes; the change itself runs in one transaction.
The audit trail is written by `apps.audit.registry.track` for every row saved or deleted here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max

from apps.core import clock

from .choices import Gender, LeadershipTitle, PartyGroupRole, PoliticalStatus, Rank, TaskGroupRole
from .models import (
    LeadershipPost,
    PartyGroupMembership,
    Person,
    TaskGroup,
    TaskGroupMember,
    Unit,
    UnitAlias,
    UnitMembership,
)

ONE_DAY = datetime.timedelta(days=1)
# Ages outside this range are typing errors in a birth date.
MIN_WORKING_AGE = 16
MAX_AGE = 100


def _today() -> datetime.date:
    return clock.today()


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def _check_person_fields(
    *,
    name: str,
    gender: str,
    birth_date: datetime.date,
    rank: str,
    political_status: str,
    phone: str,
    email: str,
    office_phone: str = "",
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写姓名。"
    elif len(name.strip()) > 32:
        errors["name"] = "姓名不能超过32个字。"
    if gender not in Gender.values:
        errors["gender"] = "请选择有效的性别。"
    if rank not in Rank.values:
        errors["rank"] = "请选择有效的职级。"
    if political_status not in PoliticalStatus.values:
        errors["political_status"] = "请选择有效的政治面貌。"
    today = _today()
    if birth_date >= today:
        errors["birth_date"] = "出生日期必须早于今天。"
    else:
        age = today.year - birth_date.year
        if age < MIN_WORKING_AGE or age > MAX_AGE:
            errors["birth_date"] = "出生日期不合理，请核对。"
    if len(phone) > 32:
        errors["phone"] = "联系电话不能超过32个字符。"
    if len(office_phone) > 32:
        errors["office_phone"] = "办公电话不能超过32个字符。"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "请填写有效的电子邮箱。"
    return errors


def person_create(
    *,
    name: str,
    gender: str,
    birth_date: datetime.date,
    rank: str,
    political_status: str = PoliticalStatus.MASSES,
    phone: str = "",
    email: str = "",
    office_phone: str = "",
    unit: Unit | None = None,
    post_title: str = "",
    is_head: bool = False,
    start_date: datetime.date | None = None,
) -> Person:
    """Add a person to the organ, with the first posting when `unit` is given."""
    errors = _check_person_fields(
        name=name,
        gender=gender,
        birth_date=birth_date,
        rank=rank,
        political_status=political_status,
        phone=phone,
        email=email,
        office_phone=office_phone,
    )
    if unit is not None:
        if not unit.is_active:
            errors["unit"] = f"“{unit.name}”已停用，不能安排人员。"
        if not post_title.strip():
            errors["post_title"] = "请填写所任职务。"
        if start_date is None:
            errors["start_date"] = "请填写到岗日期。"
        elif "birth_date" not in errors and start_date.year - birth_date.year < MIN_WORKING_AGE:
            errors["start_date"] = "到岗日期与出生日期不符，请核对。"
    elif post_title.strip() or is_head:
        errors["unit"] = "填写了职务，请同时选择所在单位。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = Person.objects.create(
            name=name.strip(),
            gender=gender,
            birth_date=birth_date,
            rank=rank,
            political_status=political_status,
            phone=phone.strip(),
            office_phone=office_phone.strip(),
            email=email.strip(),
        )
        if unit is not None and start_date is not None:
            UnitMembership.objects.create(
                person=person,
                unit=unit,
                post_title=post_title.strip(),
                is_head=is_head,
                start_date=start_date,
            )
    return person


def person_update(
    *,
    person: Person,
    name: str,
    gender: str,
    birth_date: datetime.date,
    rank: str,
    political_status: str,
    phone: str = "",
    email: str = "",
    office_phone: str = "",
) -> Person:
    """Correct or update a person's own details (postings change through transfer and leave)."""
    errors = _check_person_fields(
        name=name,
        gender=gender,
        birth_date=birth_date,
        rank=rank,
        political_status=political_status,
        phone=phone,
        email=email,
        office_phone=office_phone,
    )
    if (
        political_status not in {PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY}
        and PartyGroupMembership.objects.on(_today()).filter(person=person).exists()
    ):
        errors["political_status"] = "该人员现为党组成员，政治面貌须为中共党员。"
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name.strip(),
        "gender": gender,
        "birth_date": birth_date,
        "rank": rank,
        "political_status": political_status,
        "phone": phone.strip(),
        "office_phone": office_phone.strip(),
        "email": email.strip(),
    }
    changed = [field for field, value in values.items() if getattr(person, field) != value]
    if not changed:
        return person
    with transaction.atomic():
        for field in changed:
            setattr(person, field, values[field])
        person.save(update_fields=changed)
    return person


# ---------------------------------------------------------------------------------------------
# Postings: rotation (交流轮岗) and leaving
# ---------------------------------------------------------------------------------------------


def _open_membership(person: Person) -> UnitMembership | None:
    return (
        UnitMembership.objects.select_related("unit")
        .filter(person=person, end_date__isnull=True)
        .first()
    )


def membership_transfer(
    *,
    person: Person,
    to_unit: Unit,
    on_date: datetime.date,
    post_title: str,
    is_head: bool = False,
    note: str = "",
) -> UnitMembership:
    """Rotate a person to another unit from `on_date`: the current posting ends the day before.

    A person without a current posting (new to the organ, or back after leaving) simply gets one,
    starting after their last posting ended. History is never rewritten: both rows stay.
    """
    errors: dict[str, str] = {}
    if not person.is_active:
        errors["__all__"] = f"{person.name}已不在职，不能调整任职。"
    if not to_unit.is_active:
        errors["to_unit"] = f"“{to_unit.name}”已停用，不能调入人员。"
    if not post_title.strip():
        errors["post_title"] = "请填写新岗位的职务。"
    elif len(post_title.strip()) > 32:
        errors["post_title"] = "职务不能超过32个字。"
    if len(note) > 200:
        errors["note"] = "备注不能超过200个字。"
    current = _open_membership(person)
    if current is not None:
        if current.unit_id == to_unit.pk:
            errors["to_unit"] = f"{person.name}现已在“{to_unit.name}”任职，交流轮岗须调往其他单位。"
        if on_date <= current.start_date:
            errors["on_date"] = (
                f"{person.name}在“{current.unit.name}”的任职自{_fmt(current.start_date)}起，"
                f"调任日期须晚于该日。"
            )
    else:
        last_end = UnitMembership.objects.filter(person=person).aggregate(last=Max("end_date"))[
            "last"
        ]
        if last_end is not None and on_date <= last_end:
            errors["on_date"] = (
                f"{person.name}的上一段任职至{_fmt(last_end)}结束，到岗日期须晚于该日。"
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if current is not None:
            current.end_date = on_date - ONE_DAY
            current.save(update_fields=["end_date"])
        return UnitMembership.objects.create(
            person=person,
            unit=to_unit,
            post_title=post_title.strip(),
            is_head=is_head,
            start_date=on_date,
            note=note.strip(),
        )


def membership_end(*, person: Person, last_day: datetime.date, note: str = "") -> Person:
    """A person leaves the organ (调出、退休): the current posting and any open leadership or
    party group post end on `last_day`, and the person is marked as no longer serving."""
    current = _open_membership(person)
    leadership = list(LeadershipPost.objects.filter(person=person, end_date__isnull=True))
    party = list(PartyGroupMembership.objects.filter(person=person, end_date__isnull=True))
    errors: dict[str, str] = {}
    if not person.is_active:
        errors["__all__"] = f"{person.name}已办理离岗，无需重复操作。"
    latest_start = max(
        [row.start_date for row in [current, *leadership, *party] if row is not None],
        default=None,
    )
    if latest_start is not None and last_day < latest_start:
        errors["last_day"] = f"最后在岗日不能早于现任职务的起始日期（{_fmt(latest_start)}）。"
    if len(note) > 200:
        errors["note"] = "备注不能超过200个字。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if current is not None:
            current.end_date = last_day
            fields = ["end_date"]
            if note.strip():
                current.note = (
                    f"{current.note}；{note.strip()}" if current.note else note.strip()
                )[:200]
                fields.append("note")
            current.save(update_fields=fields)
        posts: list[LeadershipPost | PartyGroupMembership] = [*leadership, *party]
        for post in posts:
            post.end_date = last_day
            post.save(update_fields=["end_date"])
        person.is_active = False
        person.save(update_fields=["is_active"])
    return person


# ---------------------------------------------------------------------------------------------
# Standing Committee leadership and the party group
# ---------------------------------------------------------------------------------------------

# Posts held by one person at a time.
_SINGLE_LEADERSHIP: set[str] = {LeadershipTitle.DIRECTOR, LeadershipTitle.SECRETARY_GENERAL}
_SINGLE_PARTY_ROLE: set[str] = {PartyGroupRole.SECRETARY}


def _dated_post_change[P: (LeadershipPost, PartyGroupMembership)](
    *,
    model: type[P],
    field: str,
    person: Person,
    value: str | None,
    on_date: datetime.date,
    what: str,
    single: set[str],
    errors: dict[str, str],
    **create: Any,
) -> P | None:
    """The shared rule of leadership posts and party-group roles: from `on_date` the person holds
    `value` in `field` (or nothing); the current row ends the day before and stays as history, and
    a post in `single` has one holder on any day. `errors` brings the caller's own checks."""
    current = model.objects.filter(person=person, end_date__isnull=True).first()
    if current is None and value is None:
        errors[field] = f"{person.name}目前未担任{what}，无需免职。"
    if current is not None:
        current_label = getattr(current, f"get_{field}_display")()
        if value == getattr(current, field):
            errors[field] = f"{person.name}现任{current_label}，无需重复任命。"
        if on_date <= current.start_date:
            errors["on_date"] = f"现任{what}自{_fmt(current.start_date)}起，变更日期须晚于该日。"
    if value in single and field not in errors:
        holder = (
            model.objects.on(on_date)  # type: ignore[attr-defined]
            .filter(**{field: value})
            .exclude(person=person)
            .select_related("person")
            .first()
        )
        if holder is not None:
            holder_label = getattr(holder, f"get_{field}_display")()
            errors[field] = f"{holder_label}于该日由{holder.person.name}担任，请先办理其免职。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if current is not None:
            current.end_date = on_date - ONE_DAY
            current.save(update_fields=["end_date"])
        if value is None:
            return None
        return model.objects.create(person=person, start_date=on_date, **{field: value}, **create)


def leadership_post_set(
    *,
    person: Person,
    title: str | None,
    on_date: datetime.date,
    sort_order: int = 0,
) -> LeadershipPost | None:
    """From `on_date` the person holds `title` (主任/副主任/秘书长), or none when `title` is empty."""
    title = title or None
    errors: dict[str, str] = {}
    if title is not None and title not in LeadershipTitle.values:
        errors["title"] = "请选择有效的领导职务。"
    if title is not None and not person.is_active:
        errors["__all__"] = f"{person.name}已不在职，不能任职。"
    if sort_order < 0 or sort_order > 999:
        errors["sort_order"] = "排序须在0到999之间。"
    return _dated_post_change(
        model=LeadershipPost,
        field="title",
        person=person,
        value=title,
        on_date=on_date,
        what="常委会领导职务",
        single=_SINGLE_LEADERSHIP,
        errors=errors,
        sort_order=sort_order,
    )


def party_group_member_set(
    *, person: Person, role: str | None, on_date: datetime.date
) -> PartyGroupMembership | None:
    """From `on_date` the person holds `role` in the party group (党组), or leaves it when empty."""
    role = role or None
    errors: dict[str, str] = {}
    if role is not None:
        if role not in PartyGroupRole.values:
            errors["role"] = "请选择有效的党组职务。"
        elif not person.is_party_member:
            errors["role"] = (
                f"{person.name}的政治面貌为“{person.get_political_status_display()}”，不能担任党组职务。"
            )
        if not person.is_active:
            errors["__all__"] = f"{person.name}已不在职，不能任职。"
    return _dated_post_change(
        model=PartyGroupMembership,
        field="role",
        person=person,
        value=role,
        on_date=on_date,
        what="党组职务",
        single=_SINGLE_PARTY_ROLE,
        errors=errors,
    )


# ---------------------------------------------------------------------------------------------
# Special task groups (专项工作小组)
# ---------------------------------------------------------------------------------------------


def _check_task_group(
    *,
    name: str,
    purpose: str,
    lead_unit: Unit,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写小组名称。"
    elif len(name.strip()) > 100:
        errors["name"] = "小组名称不能超过100个字。"
    else:
        # Two periods overlap when each starts before the other ends.
        clash = TaskGroup.objects.filter(name=name.strip()).exclude(end_date__lt=start_date)
        if end_date is not None:
            clash = clash.filter(start_date__lte=end_date)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["name"] = "同一时期已有同名的专项工作小组。"
    if not purpose.strip():
        errors["purpose"] = "请填写小组的工作任务。"
    if not lead_unit.is_active:
        errors["lead_unit"] = f"“{lead_unit.name}”已停用，不能牵头。"
    if end_date is not None and end_date < start_date:
        errors["end_date"] = "结束日期不能早于起始日期。"
    return errors


def task_group_create(
    *,
    name: str,
    purpose: str,
    lead_unit: Unit,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> TaskGroup:
    """Set up a special task group led by a unit; members are added afterwards across units."""
    errors = _check_task_group(
        name=name, purpose=purpose, lead_unit=lead_unit, start_date=start_date, end_date=end_date
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return TaskGroup.objects.create(
            name=name.strip(),
            purpose=purpose.strip(),
            lead_unit=lead_unit,
            start_date=start_date,
            end_date=end_date,
        )


def task_group_update(
    *,
    group: TaskGroup,
    name: str,
    purpose: str,
    lead_unit: Unit,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> TaskGroup:
    """Change a task group's name, task, lead unit or period (setting an end date closes it)."""
    errors = _check_task_group(
        name=name,
        purpose=purpose,
        lead_unit=lead_unit,
        start_date=start_date,
        end_date=end_date,
        exclude_pk=group.pk,
    )
    if lead_unit.pk == group.lead_unit_id and "lead_unit" in errors:
        del errors["lead_unit"]  # keeping an already-chosen unit that was since retired is fine
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name.strip(),
        "purpose": purpose.strip(),
        "lead_unit_id": lead_unit.pk,
        "start_date": start_date,
        "end_date": end_date,
    }
    changed = [field for field, value in values.items() if getattr(group, field) != value]
    if not changed:
        return group
    with transaction.atomic():
        for field in changed:
            setattr(group, field, values[field])
        group.save(update_fields=[f.removesuffix("_id") for f in changed])
    return group


def task_group_add_member(
    *, group: TaskGroup, person: Person, role: str = TaskGroupRole.MEMBER
) -> TaskGroupMember:
    """Draw a serving person, from any unit, into the group; one leader per group."""
    errors: dict[str, str] = {}
    if role not in TaskGroupRole.values:
        errors["role"] = "请选择有效的组内职务。"
    if not person.is_active:
        errors["person"] = f"{person.name}已不在职，不能加入小组。"
    elif TaskGroupMember.objects.filter(group=group, person=person).exists():
        errors["person"] = f"{person.name}已是该小组成员。"
    if group.end_date is not None and group.end_date < _today():
        errors["__all__"] = f"该小组已于{_fmt(group.end_date)}结束，不能再增加成员。"
    if (
        role == TaskGroupRole.LEADER
        and TaskGroupMember.objects.filter(group=group, role=TaskGroupRole.LEADER).exists()
    ):
        errors["role"] = "该小组已有组长。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return TaskGroupMember.objects.create(group=group, person=person, role=role)


def task_group_remove_member(*, group: TaskGroup, person: Person) -> None:
    """Take a person out of the group (the audit trail keeps that they were in it)."""
    member = TaskGroupMember.objects.filter(group=group, person=person).first()
    if member is None:
        raise ValidationError(f"{person.name}不是该小组成员。")
    with transaction.atomic():
        member.delete()


# ---------------------------------------------------------------------------------------------
# Unit aliases (the names a unit goes by in sheets)
# ---------------------------------------------------------------------------------------------


def unit_alias_add(*, unit: Unit, name: str) -> UnitAlias:
    """Another name for `unit`; a name may stand for one unit only, and not shadow another's."""
    from .names import UnitNames, canonical_unit_name

    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写别名。"
    elif len(name) > 64:
        errors["name"] = "别名不能超过64个字。"
    else:
        taken = UnitNames().index.get(canonical_unit_name(name), {})
        others = [u.name for pk, u in taken.items() if pk != unit.pk]
        if others:
            errors["name"] = f"“{name}”已是{'、'.join(others)}的名称或别名。"
        elif unit.pk in taken:
            errors["name"] = f"“{name}”已能识别为{unit.name}，无需添加。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return UnitAlias.objects.create(unit=unit, name=name)


def unit_alias_remove(*, alias: UnitAlias) -> None:
    with transaction.atomic():
        alias.delete()
