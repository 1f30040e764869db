import datetime as dt

import pytest
from django.urls import reverse

from apps.approvals.choices import ApproverKind, RequestStatus, StageStatus
from apps.approvals.models import ApprovalFlow, ApprovalStep
from apps.attendance import services as attendance
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs

# The leave is asked for the week before: requests must lie within a year of the day they are made.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-02-24")]

MONDAY = dt.date(2026, 3, 2)


def page_ok(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_external_refs(html)
    assert_csp_safe(html)
    return html


@pytest.fixture
def leave(personas):
    """周科员's one-day leave, waiting for 李主任 (the head of 法工委)."""
    return attendance.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="personal",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="家中有事",
    )


def test_inbox_lists_my_pending_stages_with_the_subject_summary(client, personas, leave):
    client.force_login(personas.li)
    html = page_ok(client.get(reverse("approvals:inbox")))
    assert "周科员 · 事假 · 2026-03-02" in html
    client.force_login(personas.wu)
    assert "周科员" not in page_ok(client.get(reverse("approvals:inbox")))
    client.force_login(personas.zhou)
    assert "事假" in page_ok(client.get(reverse("approvals:my_requests")))


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("zhou", 200),
        ("li", 200),
        ("qian", 200),
        ("sun", 200),
        ("wu", 404),
        ("zhao", 200),  # leaders read every request: the dashboard counts them (issue 10)
        ("sysadmin", 404),
        ("auditadmin", 404),
    ],
)
def test_request_detail_is_visible_to_applicant_approvers_office_and_leaders(
    client, personas, leave, viewer, expected
):
    client.force_login(getattr(personas, viewer))
    response = client.get(reverse("approvals:request_detail", args=[leave.approval_id]))
    assert response.status_code == expected


def test_the_chain_shows_each_stage(client, personas, leave):
    client.force_login(personas.zhou)
    html = page_ok(client.get(reverse("approvals:request_detail", args=[leave.approval_id])))
    assert "单位负责人审批 · 李主任" in html and "待审批" in html
    assert "同意</button>" not in html  # the applicant cannot decide


def test_deciding_by_the_wrong_person_is_refused_and_changes_nothing(client, personas, leave):
    url = reverse("approvals:request_decide", args=[leave.approval_id])
    client.force_login(personas.zhou)  # the applicant: can see, cannot decide
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(personas.qian)  # the office: can see, not the approver
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(personas.wu)  # cannot even see it
    assert client.post(url, {"decision": "approve"}).status_code == 404
    leave.approval.refresh_from_db()
    assert leave.approval.status == RequestStatus.PENDING
    assert leave.approval.stages.get().status == StageStatus.PENDING


def test_the_approver_decides_and_a_refusal_needs_a_comment(client, personas, leave):
    url = reverse("approvals:request_decide", args=[leave.approval_id])
    client.force_login(personas.li)
    html = page_ok(client.get(reverse("approvals:request_detail", args=[leave.approval_id])))
    assert "同意</button>" in html
    response = client.post(url, {"decision": "reject", "comment": ""}, follow=True)
    assert "不同意时请填写审批意见" in response.content.decode()
    leave.approval.refresh_from_db()
    assert leave.approval.status == RequestStatus.PENDING
    client.post(url, {"decision": "approve", "comment": "同意"})
    leave.refresh_from_db()
    assert leave.status == "approved"
    html = page_ok(client.get(reverse("approvals:request_detail", args=[leave.approval_id])))
    assert "意见：同意" in html


def test_withdraw_only_by_the_applicant(client, personas, leave):
    url = reverse("approvals:request_withdraw", args=[leave.approval_id])
    client.force_login(personas.li)
    assert client.post(url).status_code == 403
    leave.approval.refresh_from_db()
    assert leave.approval.status == RequestStatus.PENDING
    client.force_login(personas.zhou)
    client.post(url)
    leave.refresh_from_db()
    assert leave.status == "withdrawn"


def test_flows_are_for_the_system_administrator(client, personas):
    flow = ApprovalFlow.objects.get(code="attendance.leave")
    for name in ("zhao", "qian", "li", "zhou", "secadmin", "auditadmin"):
        client.force_login(getattr(personas, name))
        assert client.get(reverse("approvals:flow_list")).status_code == 403
        assert client.get(reverse("approvals:flow_detail", args=[flow.pk])).status_code == 403
        assert (
            client.post(
                reverse("approvals:flow_detail", args=[flow.pk]), {"delete": flow.steps.first().pk}
            ).status_code
            == 403
        )
    assert flow.steps.count() == 2
    client.force_login(personas.sysadmin)
    html = page_ok(client.get(reverse("approvals:flow_list")))
    assert "请假审批" in html and "秘书长审批（≥3）" in html


def test_steps_are_edited_as_data(client, personas):
    flow = ApprovalFlow.objects.get(code="attendance.leave")
    url = reverse("approvals:flow_detail", args=[flow.pk])
    client.force_login(personas.sysadmin)
    page_ok(client.get(url))
    # Change the leader threshold from 3 to 5 days.
    leader = flow.steps.get(order=2)
    client.post(
        url,
        {
            "step": leader.pk,
            "order": 2,
            "name": "秘书长审批",
            "approver_kind": ApproverKind.SECRETARY_GENERAL,
            "min_amount": "5",
        },
    )
    leader.refresh_from_db()
    assert leader.min_amount == 5
    # A person step needs a person; a taken order is refused; nothing is saved.
    html = page_ok(
        client.post(
            url,
            {
                "order": 3,
                "name": "人事审核",
                "approver_kind": ApproverKind.PERSON,
                "min_amount": "0",
            },
        )
    )
    assert "请选择具体人员" in html
    html = page_ok(
        client.post(
            url,
            {
                "order": 1,
                "name": "重复",
                "approver_kind": ApproverKind.OFFICE_HEAD,
                "min_amount": "0",
            },
        )
    )
    assert "已被本流程的其他步骤使用" in html
    assert flow.steps.count() == 2
    client.post(
        url,
        {
            "order": 3,
            "name": "人事审核",
            "approver_kind": ApproverKind.PERSON,
            "approver_person": personas.sun.person_id,
            "min_amount": "10",
        },
    )
    assert flow.steps.get(order=3).approver_person == personas.sun.person
    client.post(url, {"delete": flow.steps.get(order=3).pk})
    assert not ApprovalStep.objects.filter(flow=flow, order=3).exists()
    # A 4-day leave now needs only the unit head.
    request = attendance.request_submit(
        user=personas.zhou,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=3),
        reason="休假",
    )
    assert request.days == 4 and request.approval.stages.count() == 1


def test_admins_have_no_inbox(client, personas):
    client.force_login(personas.sysadmin)
    assert client.get(reverse("approvals:inbox")).status_code == 403
    assert client.get(reverse("approvals:my_requests")).status_code == 403
