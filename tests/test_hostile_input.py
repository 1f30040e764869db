"""No input gives a 500: every URL pattern, as every role, with a corpus of hostile values.

The pages come from the role × URL matrix (tests/test_url_matrix.py), which already fails on a
pattern nobody declared, so a new page joins this test without anyone writing a line. For each
page the test learns which parameters it reads — by recording every key the view asks of
`request.GET` / `request.POST`, and every field of the forms the page renders — then sends them:

- as each role that gets past the permission check (`ok` and `allowed_post` of the matrix row):
  every GET parameter alone with every value of the corpus, all of them at once with each value,
  repeated parameters, and each POST field set to one value of each class at once;
- as every other role (and anonymously): one GET and one POST with everything hostile at once;
- the path itself with absent and 20-digit ids, and hostile text where a path takes a string.

Any 5xx, or any exception that reaches the test client, fails the page's test and names the request.
Each request runs in its own savepoint, so a database error on PostgreSQL does not hide the next.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.datastructures import MultiValueDict

from apps.core.testing.url_matrix import ANON, ROLES, Case, World
from tests.test_url_matrix import AREAS, MATRIX

# Each value stands for a class of input the probe broke a view with, or that commonly does.
CORPUS = [
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits: int() accepts them, the database may not
    "\x00",  # NUL: PostgreSQL refuses it in text
    "a\x00b",
    "12345678901234567890",  # past a 64-bit integer
    "-1",
    "0001-01-01",
    "9999-12-31",
    "0001-W01",
    "9999-W53",
    "9999-12",
    "0000-00",
    "2026-02-30",
    "x" * 5000,  # over-long text
    '=HYPERLINK("http://evil.example/","x")',  # formula prefixes
    "+1",
    "@SUM(1)",
    "",
    " ",
    "../../etc/passwd",
]
# One value of each class: for the other roles, downloads, and every field of a form.
SHORT_CORPUS = ["²", "\x00", "12345678901234567890", "0001-01-01", "9999-12-31", "x" * 5000, "=1+2"]
ALL_HOSTILE = {"q": "\x00"}  # merged into the one-shot request of roles that are refused
ABSENT_ID = 987654321
HUGE_ID = 12345678901234567890
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# Each parameter alone: the classes that broke parsers (the rest go in the all-at-once requests).
PARAM_CORPUS = [
    "²",
    "١٢",
    "\x00",
    "12345678901234567890",
    "0001-01-01",
    "9999-12-31",
    "0001-W01",
    "9999-12",
]
MAX_FORMS = 2  # forms per page whose fields are each sent every class of value
# The other roles that get in share the view's code: a few classes, everything at once.
ROLE_CORPUS = ["²", "\x00", "12345678901234567890", "0001-01-01"]


class _Forms(HTMLParser):
    """The page's forms: method, action and the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._values: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._values = {}
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), self._values))
            return
        if self._values is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                self._values.setdefault(name, "")
            elif kind not in {"submit", "button", "file", "image"}:
                self._values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._values.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in a or not self._values.get(self._select):
                self._values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._values[name] = ""
        elif tag == "button" and name:
            self._values.setdefault(name, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self._values is not None:
            self._values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._values = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _page_forms(html: str, path: str) -> tuple[set[str], list[dict[str, str]]]:
    """The GET field names and the POST forms (their values) that submit to `path` itself."""
    parser = _Forms()
    try:
        parser.feed(html)
    except Exception:  # not HTML after all
        return set(), []
    get: set[str] = set()
    post: list[dict[str, str]] = []
    for method, action, values in parser.forms:
        if (urlsplit(action).path if action else path) != path:
            continue
        fields = {k: v for k, v in values.items() if k not in SKIP_FIELDS}
        if method == "post":
            post.append(fields)
        else:
            get |= set(fields)
    return get, post


@contextmanager
def _recording() -> Iterator[dict[int, set[str]]]:
    """Record, by QueryDict object, every key a view asks for."""
    seen: dict[int, set[str]] = defaultdict(set)
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "__getitem__", "getlist")}
    contains = dict.__contains__

    def wrap(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            seen[id(self)].add(key)
            return original(self, key, *args, **kwargs)

        return method

    def has(self, key):
        seen[id(self)].add(key)
        return contains(self, key)

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    QueryDict.__contains__ = has  # type: ignore[method-assign,assignment]
    try:
        yield seen
    finally:
        for name in originals:
            delattr(QueryDict, name)
        del QueryDict.__contains__


class Walker:
    def __init__(self, client, world: World, url_name: str) -> None:
        self.client = client
        self.world = world
        self.case: Case = MATRIX[url_name]
        self.failures: list[str] = []
        self.role: str = ANON

    def login(self, role: str) -> None:
        self.role = role
        self.client.logout()
        if role != ANON:
            self.client.force_login(getattr(self.world.p, role))

    def send(self, method: str, path: str, data) -> object | None:
        try:
            with transaction.atomic():
                if method == "get":
                    response = self.client.get(path, data)
                else:
                    response = self.client.post(path, data)
        except Exception as error:  # anything that reaches the client would be a 500
            self.failures.append(f"{self.role}: {method.upper()} {path} {_short(data)} → {error!r}")
            return None
        if response.status_code >= 500:
            self.failures.append(
                f"{self.role}: {method.upper()} {path} {_short(data)} → {response.status_code}"
            )
        return response

    def discover(
        self, path: str, rounds: int = 2
    ) -> tuple[set[str], set[str], list[dict[str, str]], bool]:
        """The GET and POST keys the view reads or its page offers (in two rounds), the page's
        POST forms with their values, and whether the page is HTML (not a download)."""
        get_keys: set[str] = set()
        post_keys: set[str] = set(self.case.post or {})
        forms: list[dict[str, str]] = []
        html = False
        for _round in range(rounds):
            with _recording() as seen:
                response = self.send("get", path, dict.fromkeys(get_keys, "1"))
                if response is not None:
                    get_keys |= seen.get(id(response.wsgi_request.GET), set())
                    if "text/html" in response.get("Content-Type", ""):
                        html = True
                        page_get, page_forms = _page_forms(response.content.decode(), path)
                        get_keys |= page_get
                        if _round == 0:
                            forms = page_forms
                        for form in page_forms:
                            post_keys |= set(form)
            if self.case.post is not None or self.case.post_only or post_keys:
                with _recording() as seen:
                    response = self.send("post", path, dict.fromkeys(post_keys, "1"))
                    if response is not None:
                        post_keys |= seen.get(id(response.wsgi_request.POST), set())
        if self.case.post is not None:
            forms.insert(0, {k: str(v) for k, v in self.case.post.items()})
        return get_keys - SKIP_FIELDS, post_keys - SKIP_FIELDS, forms[:MAX_FORMS], html

    def hostile_paths(self, path: str) -> list[str]:
        """The page's path with each id absent or 20 digits long, each string argument hostile."""
        path, _, query = path.partition("?")  # a matrix row may name its page with a query
        match = resolve(path)
        paths = []
        for key, value in match.kwargs.items():
            if isinstance(value, int):
                replacements: list[object] = [ABSENT_ID, HUGE_ID, 0]
            elif isinstance(value, str):
                replacements = ["²", "x" * 300, "%00"]
            else:
                continue
            for replacement in replacements:
                with suppress(NoReverseMatch):
                    paths.append(
                        reverse(
                            match.view_name,
                            args=match.args,
                            kwargs={**match.kwargs, key: replacement},
                        )
                        + (f"?{query}" if query else "")
                    )
        return paths


def _field_corpus(name: str, offered: str) -> list[str]:
    """Three hostile values fitting a form field, guessed from the value the page offers."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", offered) or re.search(r"date|day|deadline", name):
        return ["0001-01-01", "9999-12-31", "²"]
    if offered.isdigit() or not offered:
        return ["²", "12345678901234567890", "0001-01-01"]
    return ["\x00", "x" * 5000, "=1+2"]


def _short(data) -> str:
    text = repr(data)
    return text if len(text) < 160 else text[:157] + "…"


@pytest.fixture
def world(personas) -> World:
    world = World(p=personas)
    for area in AREAS:
        if hasattr(area, "objects"):
            for name, value in area.objects(personas).items():
                setattr(world, name, value)
    return world


@pytest.mark.walk
@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_no_500_on_hostile_input(client, world, url_name):
    walker = Walker(client, world, url_name)
    case = walker.case
    path = case.url(world)
    passing = set(case.ok) | set(case.allowed_post or ()) | set(case.redirect)
    everyone = [role for role in ROLES if role != ANON]
    if case.public:
        passing |= {ANON, *everyone}
    if not passing:  # nobody gets in: try the page as a signed-in role anyway
        passing = {everyone[0]}

    # Roles the page refuses: one request of each method with everything hostile at once.
    for role in ROLES:
        if role in passing:
            continue
        walker.login(role)
        walker.send("get", path, {"page": "²", "id": "12345678901234567890", **ALL_HOSTILE})
        walker.send("post", path, {"id": "²", **(case.post or {}), **ALL_HOSTILE})

    for index, role in enumerate(sorted(passing)):
        walker.login(role)
        first = index == 0
        get_keys, post_keys, forms, html = walker.discover(path, rounds=2 if first else 1)
        keys = sorted(get_keys | {"page"})
        corpus = (CORPUS if html else SHORT_CORPUS) if first else ROLE_CORPUS
        # Every value in every parameter at once, and repeated.
        for value in corpus:
            walker.send("get", path, dict.fromkeys(keys, value))
        walker.send("get", path, {key: ["1", "²", ""] for key in keys})
        if first:
            # Each parameter alone with each value (the other roles share the view's code).
            for key in sorted(get_keys):
                for value in PARAM_CORPUS if html else SHORT_CORPUS[:4]:
                    walker.send("get", path, {key: value})
            for hostile in walker.hostile_paths(path):
                walker.send("get", hostile, {})
                walker.send("post", hostile, dict.fromkeys(post_keys, "1"))
        # Forms: every field at once with each class, then — as the first role — each field of
        # each form alone with each class while the others keep the values the page offers.
        # Logged in afresh before each: a POST may sign out.
        if post_keys or case.post is not None or case.post_only:
            for value in SHORT_CORPUS if first else ROLE_CORPUS:
                walker.login(role)
                walker.send("post", path, dict.fromkeys(post_keys, value))
            walker.login(role)
            walker.send("post", path, {key: ["1", "²"] for key in post_keys})
            if first:
                for form in forms:
                    for key in sorted(form):
                        for value in _field_corpus(key, form[key]):
                            walker.login(role)
                            walker.send("post", path, {**form, key: value})
        if len(walker.failures) > 20:
            break

    assert not walker.failures, f"{len(walker.failures)} requests gave a 5xx:\n" + "\n".join(
        walker.failures[:40]
    )


def test_the_corpus_has_each_class_the_probe_used():
    assert any(not v.isascii() and v.isdigit() for v in CORPUS)
    assert {"0001-01-01", "9999-12-31", "0001-W01", "9999-12", "\x00"} <= set(CORPUS)
