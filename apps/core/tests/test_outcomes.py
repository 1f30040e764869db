"""The shared report of a step's outcome (apps.core.outcomes)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from apps.core.outcomes import refusal_text, reported


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_success_is_reported():
    request = _request()
    with reported(request, "已保存。"):
        pass
    assert _said(request) == [("success", "已保存。")]


def test_a_message_set_inside_names_what_the_step_made():
    request = _request()
    with reported(request) as outcome:
        outcome.success = "已加入议程：预算。"
    assert _said(request) == [("success", "已加入议程：预算。")]


def test_a_refusal_is_an_error_message_and_nothing_else():
    request = _request()
    with reported(request, "已保存。"):
        raise ValidationError(["日期无效。", "请填写标题。"])
    assert _said(request) == [("error", "日期无效。；请填写标题。")]


def test_permission_denied_stays_a_403_unless_asked():
    request = _request()
    with pytest.raises(PermissionDenied), reported(request, "已保存。"):
        raise PermissionDenied("只有办公室可以办理。")
    assert _said(request) == []
    with reported(request, "已保存。", refusals=(ValidationError, PermissionDenied)):
        raise PermissionDenied("只有办公室可以办理。")
    assert _said(request) == [("error", "只有办公室可以办理。")]


def test_refusal_text_falls_back_to_not_allowed():
    assert refusal_text(PermissionDenied()) == "您无权执行此操作。"
    assert refusal_text(ValidationError({"title": "请填写标题。"})) == "请填写标题。"
