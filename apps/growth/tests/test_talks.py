"""Heart-to-heart talks in confidence: who reads what, every read audited, the summary encrypted."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test import override_settings

from apps.audit.models import AuditEvent
from apps.growth import crypto, selectors, services
from apps.growth.models import Talk, TalkDuty
from apps.organization.choices import PartyGroupRole
from apps.organization.models import PartyGroupMembership

pytestmark = pytest.mark.django_db
SUMMARY = "谈到了家里老人住院的困难和想调整岗位的想法，约定下月再谈。"
PARTIES = ("李主任", "周科员")


@pytest.fixture
def talk(personas):
    PartyGroupMembership.objects.create(
        person=personas.zhao.person,
        role=PartyGroupRole.SECRETARY,
        start_date=datetime.date(2022, 1, 1),
    )
    return services.talk_record(
        user=personas.li,
        talker=personas.li.person,
        talkee=personas.zhou.person,
        date=datetime.date(2026, 3, 1),
        kind="routine",
        summary=SUMMARY,
    )


# What each of the nine personas gets from the talk's page: content, "not found" (the office and
# another unit's staff cannot tell it exists), or "forbidden" (the three administrators do no
# business work; the audit administrator has the registry instead).
EXPECTED = {
    "zhao": 200,  # party group secretary
    "li": 200,  # talker
    "zhou": 200,  # talkee
    "qian": 404,  # head of the General Office
    "sun": 404,  # office staff
    "wu": 404,  # staff of another unit
    "sysadmin": 403,
    "secadmin": 403,
    "auditadmin": 403,
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_talk_page_for_every_role(client, personas, talk, role):
    client.force_login(getattr(personas, role))
    before = AuditEvent.objects.filter(object_type="growth.talk", action="view").count()
    response = client.get(f"/growth/talks/{talk.pk}/")
    assert response.status_code == EXPECTED[role]
    body = response.content.decode()
    reads = AuditEvent.objects.filter(object_type="growth.talk", action="view").count() - before
    if EXPECTED[role] == 200:
        assert SUMMARY in body
        assert reads == 1
        event = AuditEvent.objects.filter(object_type="growth.talk", action="view").first()
        assert event.actor == getattr(personas, role) and event.object_id == str(talk.pk)
    else:
        assert SUMMARY not in body and "周科员" not in body
        assert reads == 0


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_talk_list_for_every_role(client, personas, talk, role):
    client.force_login(getattr(personas, role))
    response = client.get("/growth/talks/?year=2026")
    if role in {"sysadmin", "secadmin", "auditadmin"}:
        assert response.status_code == 403
        return
    body = response.content.decode()
    sees_record = role in {"zhao", "li", "zhou"}
    assert (f"/growth/talks/{talk.pk}/" in body) is sees_record
    assert SUMMARY not in body  # the list never shows content
    if role in {"qian", "sun"}:
        # The office sees how many talks each leader held, not with whom.
        assert 'data-testid="talk-counts"' in body
        assert "李主任" in body and "周科员" not in body
    if role == "wu":
        assert "李主任" not in body and "周科员" not in body


def test_the_audit_administrator_sees_that_a_record_exists_but_not_its_content(
    client, personas, talk
):
    client.force_login(personas.auditadmin)
    body = client.get("/growth/talks/registry/").content.decode()
    assert f"谈心谈话记录 #{talk.pk}" in body
    for secret in (*PARTIES, SUMMARY, "日常谈心"):
        assert secret not in body
    # Nor does the audit trail they read carry the parties or the content.
    for event in AuditEvent.objects.filter(object_type="growth.talk"):
        text = f"{event.object_repr} {event.detail}"
        assert not any(secret in text for secret in (*PARTIES, SUMMARY))
    # Other roles cannot open the registry.
    client.force_login(personas.zhao)
    assert client.get("/growth/talks/registry/").status_code == 403


@pytest.mark.parametrize("role", ["qian", "sun", "wu", "sysadmin", "secadmin", "auditadmin"])
def test_reading_through_the_service_is_refused_outside_the_parties(personas, talk, role):
    with pytest.raises(Http404):
        services.talk_read(user=getattr(personas, role), talk_id=talk.pk)


def test_the_stored_summary_is_unreadable_in_the_database(personas, talk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary_cipher FROM growth_talk WHERE id = %s", [talk.pk])
        stored = bytes(cursor.fetchone()[0])
    assert SUMMARY.encode() not in stored
    assert not any(part.encode() in stored for part in ("老人", "住院", "调整岗位"))
    assert crypto.decrypt_summary(stored) == SUMMARY
    # Another key cannot read it, and an altered ciphertext does not decrypt to anything.
    with override_settings(TALK_SM4_KEY=bytes(16)), pytest.raises(crypto.UnreadableSummary):
        crypto.decrypt_summary(stored)
    tampered = stored[:-1] + bytes([stored[-1] ^ 1])
    with pytest.raises(crypto.UnreadableSummary):
        crypto.decrypt_summary(tampered)
    # Two records of the same words do not look alike (a fresh nonce each time).
    assert crypto.encrypt_summary(SUMMARY) != crypto.encrypt_summary(SUMMARY)


def test_a_talk_is_recorded_only_by_its_parties_and_with_valid_input(personas):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.talk_record(
            user=personas.sun,
            talker=personas.li.person,
            talkee=personas.zhou.person,
            date=datetime.date(2026, 3, 1),
            kind="routine",
            summary="代为登记",
        )
    with pytest.raises(ValidationError):
        services.talk_record(
            user=personas.li,
            talker=personas.li.person,
            talkee=personas.li.person,
            date=datetime.date(2026, 3, 1),
            kind="unknown",
            summary="",
        )
    assert not Talk.objects.exists()


def test_coverage_shows_who_is_missing(personas, talk):
    duty = services.duty_set(
        user=personas.sun, year=2026, leader=personas.li.person, units=[personas.legal]
    )
    [row] = selectors.talk_coverage(TalkDuty.objects.all(), 2026)
    assert row.duty == duty and (row.required, row.covered) == (1, 1) and row.missing == []
    duty = services.duty_set(
        user=personas.sun,
        year=2026,
        leader=personas.li.person,
        units=[personas.legal, personas.finance],
    )
    [row] = selectors.talk_coverage(TalkDuty.objects.all(), 2026)
    assert (row.required, row.covered, row.rate) == (2, 1, 50.0)
    assert row.missing == [personas.wu.person]
