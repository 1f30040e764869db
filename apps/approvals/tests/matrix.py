"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.approvals import services
from apps.approvals.choices import ApproverKind
from apps.core.testing.url_matrix import BUSINESS, EVERYONE, SYSADMIN, Case, fixed


def objects(p) -> dict[str, object]:
    """zhou asks 法工委's head (li) for a day; the office may also read the request."""
    flow = services.flow_ensure(
        code="matrix.leave", name="请假审批", steps=[("单位负责人审批", ApproverKind.UNIT_HEAD, 0)]
    )
    approval = services.approval_submit(
        flow_code=flow.code, applicant=p.zhou, subject=p.legal, title="事假1天", amount=1
    )
    return {"approval_flow": flow, "approval": approval}


MATRIX = {
    # approvals: the applicant, the request's approvers and the office see a request
    "approvals:inbox": Case(fixed("/approvals/"), ok=BUSINESS),
    "approvals:my_requests": Case(fixed("/approvals/mine/"), ok=BUSINESS),
    "approvals:request_detail": Case(
        lambda w: f"/approvals/{w.approval.pk}/",
        ok={"zhao", "qian", "sun", "li", "zhou"},  # leaders read every request (the dashboard)
        not_found=EVERYONE - {"zhao", "qian", "sun", "li", "zhou"},
    ),
    "approvals:request_decide": Case(
        lambda w: f"/approvals/{w.approval.pk}/decide/",
        ok=EVERYONE,
        post_only=True,
        post={"decision": "approve", "comment": "同意"},
        allowed_post={"li"},
    ),
    "approvals:request_withdraw": Case(
        lambda w: f"/approvals/{w.approval.pk}/withdraw/",
        ok=EVERYONE,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    # the engine's actions: li holds the only step, zhou applied, the office may remind
    "approvals:request_return": Case(
        lambda w: f"/approvals/{w.approval.pk}/return/",
        ok=EVERYONE,
        post_only=True,
        post={"to_order": "-1", "reason": "请补充"},
        allowed_post={"li"},
    ),
    "approvals:request_recall": Case(
        lambda w: f"/approvals/{w.approval.pk}/recall/",
        ok=EVERYONE,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "approvals:request_resubmit": Case(
        lambda w: f"/approvals/{w.approval.pk}/resubmit/",
        ok=EVERYONE,
        post_only=True,
        post={},
        allowed_post={"zhou"},
    ),
    "approvals:request_add_signer": Case(
        lambda w: f"/approvals/{w.approval.pk}/add-signer/",
        ok=EVERYONE,
        post_only=True,
        post={"colleague": "999999", "note": "x"},
        allowed_post={"li"},
    ),
    "approvals:request_transfer": Case(
        lambda w: f"/approvals/{w.approval.pk}/transfer/",
        ok=EVERYONE,
        post_only=True,
        post={"colleague": "x"},
        allowed_post={"li"},
    ),
    "approvals:request_remind": Case(
        lambda w: f"/approvals/{w.approval.pk}/remind/",
        ok=EVERYONE,
        post_only=True,
        post={},
        allowed_post={"zhou", "qian", "sun"},
    ),
    "approvals:flow_list": Case(fixed("/approvals/flows/"), ok=SYSADMIN),
    "approvals:flow_detail": Case(lambda w: f"/approvals/flows/{w.approval_flow.pk}/", ok=SYSADMIN),
}
