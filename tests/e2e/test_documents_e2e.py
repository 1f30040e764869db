"""An outgoing 通知 from 拟稿 to its readers, in a real browser, by the people who do each step.

zhou (法工委) drafts and sends it; li (the unit's head) and sun (the office) review it; the heads
of 财经委 and 预算委 countersign in parallel; zhao signs (the 文号 is given); sun seals and issues it
to 法工委, whose people read it. Page 1 of the PDF is then looked at as an image.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.testing.factories import TEST_PASSWORD, MembershipFactory, PersonFactory, UserFactory
from apps.documents.choices import OutgoingStatus
from apps.documents.models import OutgoingDocument
from apps.organization.models import Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(browser, base_url: str, username: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    return page


def _click(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("load")


def _head(username: str, unit: Unit):
    person = PersonFactory(name=f"{unit.short_name}负责人")
    MembershipFactory(person=person, unit=unit, is_head=True, post_title="主任")
    return UserFactory(username=username, person=person, role=Role.UNIT_HEAD)


def test_a_notice_goes_from_draft_to_its_readers(live_server, personas, browser, artifacts_dir):
    from playwright.sync_api import expect

    budget = Unit.objects.create(
        name="预算工作委员会", short_name="预算委", kind="committee", sort_order=3
    )
    _head("cjw_head", personas.finance)
    _head("ysw_head", budget)
    base = live_server.url

    zhou = _sign_in(browser, base, "zhou")
    zhou.goto(base + reverse("documents:outgoing_create"))
    zhou.fill("input[name=title]", "关于开展2027年度立法调研工作的通知")
    zhou.select_option("select[name=doc_type]", "notice")
    zhou.select_option("select[name=signer]", str(personas.zhao.person.pk))
    zhou.fill("input[name=recipients]", "各工作委员会，办公室各处室")
    zhou.fill(
        "textarea[name=body]",
        "为做好2027年度立法工作，现就开展立法调研有关事项通知如下。\n"
        "一、调研内容\n围绕年度立法计划，了解各方面的立法需求。\n"
        "二、工作要求\n请于12月20日前报送调研报告。",
    )
    zhou.select_option("select[name=countersign_units]", [str(personas.finance.pk), str(budget.pk)])
    _click(zhou, "保存稿件")
    document = OutgoingDocument.objects.get()
    url = base + reverse("documents:outgoing_detail", args=[document.pk])
    _click(zhou, "送审")
    expect(zhou.locator("[data-status]")).to_have_text("部门核稿")

    li = _sign_in(browser, base, "li")
    li.goto(url)
    li.fill(
        "textarea[name=body]", li.input_value("textarea[name=body]").replace("12月20日", "12月18日")
    )
    li.fill("input[name=note]", "提前报送时间")
    _click(li, "保存为新版本")
    expect(li.locator("[data-diff=added]")).to_contain_text("12月18日")
    _click(li, "核稿通过")

    sun = _sign_in(browser, base, "sun")
    sun.goto(url)
    _click(sun, "核稿通过")
    expect(sun.locator("[data-status]")).to_have_text("会签")

    for username, opinion in (("cjw_head", ""), ("ysw_head", "请明确调研经费来源。")):
        head = _sign_in(browser, base, username)
        head.goto(url)
        if opinion:
            head.locator("textarea[name=opinion]").fill(opinion)
            _click(head, "提出意见")
        else:
            _click(head, "同意")
        head.context.close()

    zhao = _sign_in(browser, base, "zhao")
    zhao.goto(url)
    expect(zhao.locator("[data-status]")).to_have_text("待签发")
    _click(zhao, "签发")
    expect(zhao.locator("[data-number]")).to_contain_text("常办发〔")

    sun.goto(url)
    _click(sun, "用印")
    sun.locator(f"input[name=units][value='{personas.legal.pk}']").check()
    _click(sun, "印发")
    expect(sun.locator("#reading-title")).to_contain_text("已读0/2")

    zhou.goto(url)  # opening it is reading it
    li.goto(url)
    sun.goto(url)
    expect(sun.locator("#reading-title")).to_contain_text("已读2/2")
    sun.screenshot(path=artifacts_dir / "documents-issued-desktop.png", full_page=True)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED
    assert document.number.endswith("〕1号")
    assert document.signed_version.number == 2
    for step in (
        "拟稿",
        "送审",
        "部门核稿",
        "办公室核稿",
        "会签",
        "签发",
        "编号",
        "用印",
        "印发",
        "阅读",
    ):
        assert step in sun.locator("section[aria-labelledby=timeline-title]").inner_text()

    # Page 1 of the PDF as an image: the red mark and separator, the title, the page number.
    response = sun.request.get(base + reverse("documents:outgoing_pdf", args=[document.pk]))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    import pypdfium2

    pdf = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    image = pdf[0].render(scale=1).to_pil().convert("RGB")  # 1 px = 1 pt
    image.save(artifacts_dir / "documents-page1.png")
    sun.goto("about:blank")
    png = (artifacts_dir / "documents-page1.png").read_bytes()
    import base64

    sun.set_content(
        f'<img alt="第1页" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
    )
    width, height = image.size
    expect(sun.locator("img")).to_have_js_property("naturalWidth", width)
    red = [
        (x, y)
        for y in range(0, height, 2)
        for x in range(0, width, 2)
        if (p := image.getpixel((x, y)))[0] > 200 and p[1] < 80 and p[2] < 80  # type: ignore[index]
    ]
    top = 37 / 25.4 * 72
    assert red and min(y for _, y in red) > top  # the red mark sits inside the text block
    xs = [x for x, _ in red]
    assert (
        min(xs) <= 28 / 25.4 * 72 + 4 and max(xs) >= width - 26 / 25.4 * 72 - 4
    )  # full-width rule
    dark_bottom = [
        x
        for y in range(int(height - 35 / 25.4 * 72), height)
        for x in range(width // 2, width)
        if sum(image.getpixel((x, y))) < 200  # type: ignore[arg-type]
    ]
    assert dark_bottom  # “— 1 —” at the right of page 1
    for page in (zhou, li, sun, zhao):
        page.context.close()


def test_countersign_return_and_withdraw_through_the_engine(
    live_server, personas, browser, artifacts_dir
):
    """撤回 before 核稿, 会签 by two units (one answers, then the office 退回 the draft), a 转办 on
    the request's approval record, and the record of every action with its working time."""
    from playwright.sync_api import expect

    from apps.approvals.choices import EventKind as ApprovalEventKind
    from apps.approvals.choices import RequestStatus

    budget = Unit.objects.create(
        name="预算工作委员会", short_name="预算委", kind="committee", sort_order=3
    )
    _head("cjw_head", personas.finance)
    _head("ysw_head", budget)
    base = live_server.url

    zhou = _sign_in(browser, base, "zhou")
    zhou.goto(base + reverse("documents:outgoing_create"))
    zhou.fill("input[name=title]", "关于报送2027年度预算执行情况的通知")
    zhou.select_option("select[name=doc_type]", "notice")
    zhou.select_option("select[name=signer]", str(personas.zhao.person.pk))
    zhou.fill("input[name=recipients]", "各工作委员会")
    zhou.fill("textarea[name=body]", "请各单位于12月20日前报送预算执行情况。")
    zhou.select_option("select[name=countersign_units]", [str(personas.finance.pk), str(budget.pk)])
    _click(zhou, "保存稿件")
    document = OutgoingDocument.objects.get()
    url = base + reverse("documents:outgoing_detail", args=[document.pk])
    _click(zhou, "送审")
    _click(zhou, "撤回")  # nobody has acted yet
    expect(zhou.locator("[data-status]")).to_have_text("拟稿")
    _click(zhou, "送审")

    li = _sign_in(browser, base, "li")
    li.goto(url)
    _click(li, "核稿通过")
    zhou.goto(url)
    _click(zhou, "撤回")  # too late: the unit's head has passed it on
    expect(zhou.locator("body")).to_contain_text("核稿人已经办理，不能撤回")
    expect(zhou.locator("[data-status]")).to_have_text("办公室核稿")

    sun = _sign_in(browser, base, "sun")
    sun.goto(url)
    _click(sun, "核稿通过")
    expect(sun.locator("[data-status]")).to_have_text("会签")

    cjw = _sign_in(browser, base, "cjw_head")
    cjw.goto(url)
    _click(cjw, "同意")
    sun.goto(url)
    expect(sun.locator("[data-status]")).to_have_text("会签")  # 预算委 has not answered
    sun.fill("textarea[name=reason]", "请先补充预算委的测算依据。")
    _click(sun, "退回拟稿人")
    expect(sun.locator("[data-status]")).to_have_text("拟稿")
    ysw = _sign_in(browser, base, "ysw_head")
    ysw.goto(url)
    expect(ysw.get_by_role("button", name="提出意见", exact=True)).to_have_count(0)

    # Sent again, li passes his review to the office head on the approval record.
    zhou.goto(url)
    _click(zhou, "送审")
    li.goto(url)
    li.locator("[data-testid=approval-record]").click()
    li.wait_for_load_state("load")
    li.select_option("select[name=colleague]", str(personas.qian.pk))
    li.fill("input[name=note]", "出差，请钱主任核稿")
    _click(li, "转办")
    expect(li.locator(".alert-success, .alert")).to_contain_text("已转办")
    qian = _sign_in(browser, base, "qian")
    qian.goto(url)
    _click(qian, "核稿通过")
    expect(qian.locator("[data-status]")).to_have_text("办公室核稿")
    qian.locator("[data-testid=approval-record]").click()
    qian.wait_for_load_state("load")
    record = qian.locator("table").last.inner_text()
    for text in ("提交", "转办", "同意", "工作小时"):
        assert text in record
    qian.screenshot(path=artifacts_dir / "documents-approval-record.png", full_page=True)

    document.refresh_from_db()
    assert document.status == OutgoingStatus.OFFICE_REVIEW
    assert document.approval.status == RequestStatus.PENDING
    returned = document.approval  # the third request; the earlier two ended
    assert returned.events.filter(kind=ApprovalEventKind.TRANSFERRED).exists()
    from apps.approvals.models import ApprovalRequest

    assert sorted(ApprovalRequest.objects.values_list("status", flat=True)) == sorted(
        [RequestStatus.CANCELLED, RequestStatus.CANCELLED, RequestStatus.PENDING]
    )
    for page in (zhou, li, sun, cjw, ysw, qian):
        page.context.close()
