"""The audit list names objects as people read them (issue 10: it showed "accounts.user #18"): the
model's verbose name and the object's text, the raw label in a tooltip, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.audit.selectors import object_labels
from apps.audit.services import record_event
from apps.core.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_the_list_says_user_and_name_with_the_raw_label_in_the_tooltip(client, personas):
    record_event(action="update", obj=personas.zhou, actor=personas.sysadmin)
    client.force_login(personas.auditadmin)
    html = client.get(reverse("audit:event_list")).content.decode()
    raw = f"accounts.user #{personas.zhou.pk}"
    assert f'title="{raw}"' in html
    assert f">{raw}" not in html  # not as text any more
    assert f'<span class="text-secondary">账号</span> {personas.zhou}</span>' in html


def _unsaved(units, start=1000):
    return [
        AuditEvent(pk=start + n, object_type="organization.unit", object_id=str(u.pk))
        for n, u in enumerate(units)
    ]


def test_objects_recorded_without_a_text_are_looked_up_once_per_model(personas):
    few = _unsaved([UnitFactory()])
    many = _unsaved([UnitFactory() for _ in range(12)])
    gone = AuditEvent(pk=5000, object_type="organization.unit", object_id="999999")
    other = AuditEvent(pk=5001, object_type="attendance.notice", object_repr="机关月度考勤通报")
    with CaptureQueriesContext(connection) as small:
        object_labels(few)
    with CaptureQueriesContext(connection) as large:
        labels = object_labels([*many, gone, other])
    assert len(small) == len(large) == 1
    first = labels[many[0].pk]
    assert first.kind == "单位"  # the model's verbose name
    assert first.name and first.raw.startswith("organization.unit #")
    assert labels[5000].name == "（已删除，编号999999）"
    assert labels[5001].kind == "考勤管理" and labels[5001].name == "机关月度考勤通报"


def test_the_page_costs_the_same_queries_with_more_events(client, personas):
    client.force_login(personas.auditadmin)
    record_event(action="update", obj=personas.zhou, actor=personas.sysadmin)
    client.get(reverse("audit:event_list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("audit:event_list"))
    for unit in [UnitFactory() for _ in range(10)]:
        record_event(action="update", obj=unit, actor=personas.sysadmin)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("audit:event_list"))
    assert len(after) == len(before)
