import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.audit.models import AuditAction, AuditEvent
from apps.audit.services import record_event, sm3_hex, verify_chain
from apps.organization.models import Unit

pytestmark = pytest.mark.django_db


def test_sm3_matches_the_standard_vector():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_every_change_is_recorded_with_old_and_new_values(personas):
    unit = Unit.objects.create(name="临时单位", short_name="临时", kind="committee")
    unit_id = str(unit.pk)
    unit.name = "更名单位"
    unit.save()
    unit.delete()
    actions = list(
        AuditEvent.objects.filter(object_type="organization.unit", object_id=unit_id)
        .order_by("id")
        .values_list("action", "detail")
    )
    assert [a for a, _ in actions] == ["create", "update", "delete"]
    assert actions[1][1]["name"] == ["临时单位", "更名单位"]


def test_rows_cannot_be_changed_or_deleted_through_the_application(personas):
    event = record_event(action=AuditAction.EXPORT, object_repr="导出")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(success=False)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent(action="login", prev_hash="0", entry_hash="1").save()


def test_an_edited_row_is_named_by_the_verification_command(personas):
    events = [record_event(action=AuditAction.EXPORT, object_repr=f"第{n}次导出") for n in range(5)]
    call_command("verify_audit_chain")  # intact chain passes
    tampered = events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_repr = %s WHERE id = %s",
            ["篡改后的内容", tampered.pk],
        )
    problems = list(verify_chain())
    assert [p.event_id for p in problems] == [tampered.pk]
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=out)
    assert f"第 {tampered.pk} 号记录" in out.getvalue()


def test_a_deleted_row_breaks_the_link_of_the_next(personas):
    events = [record_event(action=AuditAction.EXPORT, object_repr=str(n)) for n in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])
    assert [p.event_id for p in verify_chain()] == [events[2].pk]


def test_only_the_audit_admin_reads_the_trail(client, personas):
    record_event(action=AuditAction.EXPORT, object_repr="月报")
    for name in ["zhao", "qian", "sun", "li", "zhou", "sysadmin", "secadmin"]:
        client.force_login(getattr(personas, name))
        assert client.get("/audit/").status_code == 403, name
    client.force_login(personas.auditadmin)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert "月报" in response.content.decode()
    assert client.get("/audit/chain/").status_code == 200
