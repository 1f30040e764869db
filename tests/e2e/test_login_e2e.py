"""Sign-in in a real browser, on a desktop and on a phone-sized screen.

The platform runs on intranets with no internet, so besides the flow itself the test asserts that
the browser never asked any host other than the platform for anything (no CDN, no web fonts).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from apps.core.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _watch_requests(page, seen: list[str]) -> None:
    page.on("request", lambda request: seen.append(request.url))


def _foreign(urls: list[str], origin: str) -> list[str]:
    own = urlsplit(origin).netloc
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in {"data", "blob", "about"} and urlsplit(url).netloc != own
    ]


def _sign_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def test_sign_in_on_desktop_and_phone(live_server, personas, browser, artifacts_dir):
    from playwright.sync_api import expect

    seen: list[str] = []
    errors: list[str] = []
    login_url = live_server.url + reverse("accounts:login")
    home_url = live_server.url + reverse("core:home")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _watch_requests(page, seen)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # An anonymous visitor is sent to the sign-in page.
    page.goto(home_url)
    assert page.url.startswith(login_url)
    expect(page.locator("input[name=username]")).to_be_visible()
    page.screenshot(path=artifacts_dir / "login-desktop.png", full_page=True)

    # A wrong password is refused with the Chinese message, and the visitor stays on the page.
    _sign_in(page, personas.zhou.username, "Wrong@Password2026")
    expect(page.get_by_text("用户名或密码错误").first).to_be_visible()
    assert page.url.startswith(login_url)
    page.screenshot(path=artifacts_dir / "login-error-desktop.png", full_page=True)

    # The right password opens the home page, which greets the person by name.
    _sign_in(page, personas.zhou.username, TEST_PASSWORD)
    assert page.url == home_url
    expect(page.get_by_text(personas.zhou.display_name).filter(visible=True).first).to_be_visible()
    page.screenshot(path=artifacts_dir / "home-desktop.png", full_page=True)
    context.close()

    # On a phone the same flow works and nothing is wider than the screen.
    phone = browser.new_context(
        locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _watch_requests(page, seen)
    page.goto(login_url)
    page.screenshot(path=artifacts_dir / "login-phone.png", full_page=True)
    _sign_in(page, personas.qian.username, TEST_PASSWORD)
    assert page.url == home_url
    expect(page.get_by_text(personas.qian.display_name).filter(visible=True).first).to_be_visible()
    page.screenshot(path=artifacts_dir / "home-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"手机屏幕（390px）上页面出现横向滚动，超出 {overflow}px"
    phone.close()

    assert seen, "浏览器没有发出任何请求"
    assert _foreign(seen, live_server.url) == [], (
        "浏览器请求了平台以外的地址（内网部署不允许外部资源）"
    )
    assert errors == [], f"浏览器控制台出现错误：{errors}"
