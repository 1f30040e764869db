"""Global search: each area registers a source; the search page asks every source the user may use.

The choice (issue 10 asks to say it): substring matching (`icontains`) on a few short fields, on
PostgreSQL and SQLite alike. Chinese is written without spaces, and PostgreSQL's built-in text
search has no Chinese parser (zhparser and pg_jieba are extensions a government intranet database
rarely carries), so full-text search would need an extension or index nothing; a substring of one
or two characters (“法工”, “预算”) is also what people type. Each source caps its hits, so a search
costs one query per source whatever the data's size; on PostgreSQL a pg_trgm GIN index on the
searched columns can serve `icontains` when the tables grow (not needed at the organ's size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .gates import BUSINESS, allows
from .params import clean_text

MIN_QUERY = 1
MAX_QUERY = 50
HITS_PER_SOURCE = 10


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    meta: str = ""


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: str  # 督办事项, 人员, 公文 ...
    search: Callable[[Any, str, int], list[Hit]]  # (user, query, limit): within the user's scope
    more_url: Callable[[str], str] | None = None  # the area's own list filtered by the query
    gate: str = BUSINESS
    order: int = 100


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> SearchSource:
    return _SOURCES.setdefault(source.key, source)


def clean_query(raw: str) -> str:
    # Through the shared parser: no NUL (PostgreSQL refuses it in a LIKE pattern), bounded.
    return " ".join(clean_text(raw, MAX_QUERY * 4).split())[:MAX_QUERY]


def search(user: Any, raw: str) -> list[dict[str, Any]]:
    query = clean_query(raw)
    if len(query) < MIN_QUERY:
        return []
    results = []
    for source in sorted(_SOURCES.values(), key=lambda s: (s.order, s.key)):
        if not allows(user, source.gate):
            continue
        hits = source.search(user, query, HITS_PER_SOURCE)
        results.append(
            {
                "source": source,
                "hits": hits,
                "more_url": source.more_url(query) if source.more_url and hits else "",
            }
        )
    return results
