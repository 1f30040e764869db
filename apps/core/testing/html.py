"""Checks on rendered HTML that every area's view tests can reuse.

- `assert_no_external_refs(html)`: nothing is loaded from, linked to or posted to another host. The
  platform runs on an intranet without internet: a CDN link is a broken page there.
- `assert_csp_safe(html)`: the page keeps to the strict content security policy: no inline <script>
  without the nonce, no style="" attributes, no on*="" event handlers, no javascript: URLs.

    from apps.core.testing.html import assert_csp_safe, assert_no_external_refs

    response = client.get(url)
    assert_no_external_refs(response.content.decode())
    assert_csp_safe(response.content.decode())
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes whose value is a URL the browser loads, follows or submits to.
URL_ATTRIBUTES = frozenset(
    {
        "src",
        "href",
        "action",
        "formaction",
        "poster",
        "data",
        "cite",
        "background",
        "manifest",
        "xlink:href",
    }
)
# Hosts the Django test client uses: an absolute link back to the site itself is not external.
LOCAL_HOSTS = frozenset({"testserver", "localhost", "127.0.0.1"})

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)['"]""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.IGNORECASE)


# A <script type="application/json"> (json_script) is data the browser never runs: CSP ignores it.
_JS_TYPES = {"", "text/javascript", "module", "application/javascript"}


def _is_javascript(script_type: str | None) -> bool:
    return (script_type or "").strip().lower() in _JS_TYPES


@dataclass
class _Collected:
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    inline_scripts_without_nonce: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    event_handlers: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = _Collected()
        self._open_script: tuple[bool, list[str]] | None = None  # (has nonce, text parts)
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        where = self.get_starttag_text() or f"<{tag}>"
        for name, value in values.items():
            if name in URL_ATTRIBUTES:
                self.found.urls.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.found.urls.append((tag, name, candidate.strip().split()[0]))
            elif name == "style":
                self.found.style_attributes.append(where)
                self.found.urls.extend((tag, "style", url) for url in _CSS_URL.findall(value))
            elif name.startswith("on"):
                self.found.event_handlers.append(where)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.urls.extend(
                (tag, "content", url) for url in _REFRESH_URL.findall(values.get("content", ""))
            )
        if tag == "script" and "src" not in values and _is_javascript(values.get("type")):
            self._open_script = ("nonce" in values and bool(values["nonce"]), [])
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._open_script is not None:
            self._open_script[1].append(data)
        if self._in_style:
            self.found.urls.extend(("style", "css", url) for url in _CSS_URL.findall(data))
            self.found.urls.extend(("style", "@import", url) for url in _CSS_IMPORT.findall(data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open_script is not None:
            has_nonce, parts = self._open_script
            if not has_nonce:
                self.found.inline_scripts_without_nonce.append("".join(parts).strip()[:80])
            self._open_script = None
        if tag == "style":
            self._in_style = False


def _scan(html: str) -> _Collected:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def external_refs(html: str, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> list[str]:
    """Every URL in src/href/action/... (and CSS url()) that points at another host."""
    allowed = {host.lower() for host in allowed_hosts}
    problems = []
    for tag, attribute, value in _scan(html).urls:
        url = value.strip()
        lowered = url.lower()
        if lowered.startswith(("data:", "mailto:", "tel:", "#")):
            continue
        if lowered.startswith("javascript:"):
            continue  # reported by assert_csp_safe
        parts = urlsplit(url)
        if parts.netloc or url.startswith(
            "//"
        ):  # absolute or protocol-relative ("//cdn.example/x")
            if (parts.hostname or "").lower() not in allowed:
                problems.append(f"<{tag} {attribute}={url!r}>")
        elif parts.scheme:  # "http:x", "ftp:x", "about:blank": not a path on this site
            problems.append(f"<{tag} {attribute}={url!r}>")
    return problems


def assert_no_external_refs(html: str, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> None:
    """Fail if the page loads, links to or posts to another host (a CDN, fonts, analytics, ...)."""
    problems = external_refs(html, allowed_hosts)
    assert not problems, "页面引用了外部地址（内网部署无法访问）：\n" + "\n".join(problems)


def csp_problems(html: str) -> list[str]:
    """What in the page the strict CSP would block (or that only works by weakening it)."""
    found = _scan(html)
    problems = [f"无 nonce 的内联脚本：{text!r}" for text in found.inline_scripts_without_nonce]
    problems += [f"style 属性：{where}" for where in found.style_attributes]
    problems += [f"内联事件处理器：{where}" for where in found.event_handlers]
    problems += [
        f"javascript: 链接：<{tag} {attribute}={value!r}>"
        for tag, attribute, value in found.urls
        if value.strip().lower().startswith("javascript:")
    ]
    return problems


def assert_csp_safe(html: str) -> None:
    """Fail on inline scripts without the nonce, style="" attributes, on*="" handlers, javascript: URLs."""
    problems = csp_problems(html)
    assert not problems, "页面违反内容安全策略（CSP）：\n" + "\n".join(problems)
