"""Template helpers of attendance."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def json_data(context: Any, value: Any, element_id: str) -> SafeString:
    """`json_script` with the page's CSP nonce: a JSON data block is never executed, but the
    strict-CSP page check (and a stricter future policy) treats every inline <script> alike."""
    rendered = str(json_script(value, element_id))
    nonce = str(context.get("csp_nonce", ""))
    if not nonce:
        return mark_safe(rendered)  # json_script output is escaped
    opening = format_html('<script nonce="{}" ', nonce)
    return mark_safe(
        rendered.replace("<script ", opening, 1)
    )  # escaped by json_script and format_html
