"""The engine's actions on a request's page: each posts, refuses bad input with a message, and
the page shows the chain by round and every action with its working time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.approvals import services
from apps.approvals.choices import EventKind, RequestStatus
from apps.approvals.services import ChainStep
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(personas):
    return services.approval_submit(
        flow_code="test.document",
        flow_name="发文审批",
        applicant=personas.zhou,
        subject=personas.legal,
        title="关于开展执法检查的通知",
        chain=[
            ChainStep("部门核稿", [personas.li]),
            ChainStep("会签", [personas.qian, personas.wu]),
        ],
    )


def url(name, approval):
    return reverse(f"approvals:{name}", args=[approval.pk])


def page(client, approval):
    response = client.get(url("request_detail", approval))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_external_refs(html)
    assert_csp_safe(html)
    return html


def test_the_holder_sees_return_transfer_and_add_forms(client, personas, approval):
    client.force_login(personas.li)
    html = page(client, approval)
    assert "退回到" in html and "转办</button>" in html and "加签</button>" in html
    assert f"申请人（{personas.zhou.display_name}）" in html
    client.force_login(personas.zhou)
    html = page(client, approval)
    assert "退回到" not in html
    assert 'data-testid="recall"' in html and "催办</button>" in html


def test_hostile_input_is_a_message_and_changes_nothing(client, personas, approval):
    client.force_login(personas.li)
    for name, data in [
        ("request_return", {"to_order": "abc", "reason": "x"}),
        ("request_return", {"to_order": "5", "reason": "x"}),
        ("request_return", {"to_order": "-1", "reason": ""}),
        ("request_transfer", {"colleague": "abc"}),
        ("request_add_signer", {"colleague": str(personas.sysadmin.pk)}),
    ]:
        response = client.post(url(name, approval), data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    assert list(approval.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]


def test_a_return_recall_and_resubmit_through_the_pages(client, personas, approval):
    client.force_login(personas.li)
    client.post(url("request_decide", approval), {"decision": "approve"})
    client.force_login(personas.qian)
    html = client.post(
        url("request_return", approval), {"to_order": "-1", "reason": "缺依据"}, follow=True
    ).content.decode()
    assert "已退回" in html
    approval.refresh_from_db()
    assert approval.status == RequestStatus.RETURNED
    client.force_login(personas.zhou)
    client.post(url("request_resubmit", approval))
    client.post(url("request_recall", approval))
    approval.refresh_from_db()
    assert approval.status == RequestStatus.RETURNED
    client.post(url("request_resubmit", approval))
    client.force_login(personas.li)
    client.post(url("request_transfer", approval), {"colleague": personas.sun.pk, "note": "出差中"})
    client.force_login(personas.sun)
    client.post(url("request_add_signer", approval), {"colleague": personas.wu.pk})
    client.force_login(personas.zhou)
    client.post(url("request_remind", approval))
    html = page(client, approval)
    assert "第2轮" in html and "转办 → " in html and "催办" in html
    assert list(approval.events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        EventKind.APPROVED,
        EventKind.RETURNED,
        EventKind.RESUBMITTED,
        EventKind.RECALLED,
        EventKind.RESUBMITTED,
        EventKind.TRANSFERRED,
        EventKind.ADDED,
        EventKind.REMINDED,
    ]
