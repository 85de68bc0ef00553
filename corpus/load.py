"""Read and check the corpus file (``corpus/essays.yaml``).

Why: essay entries are edited by hand like the bank, so they get the same
treatment: every problem at once, with file, line and a fix. The checks that
keep the entries in our own words (quotation length and count, summary
length) are warnings, which strict mode (and CI) turns into catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from common import catalogue
from common.fields import Reader, describe
from common.issue import Issue, has_errors
from common.markup import check_markup
from common.yamlfile import LDict, LList, YamlDoc
from corpus.model import Corpus, Essay, Quote

MAX_QUOTE_WORDS = 12
MAX_QUOTES = 2
SUMMARY_WORDS = (80, 160)
KEY_POINTS = (3, 6)

_REQUIRED = (
    "id",
    "title",
    "author",
    "page",
    "last_page",
    "summary",
    "key_points",
    "examples",
    "themes",
    "criteria",
)
_OPTIONAL = ("quotes", "role")


def validate_corpus(doc: YamlDoc) -> tuple[Corpus | None, list[Issue]]:
    """Check the structure of a parsed corpus file and build the Corpus."""
    r = Reader(doc.file)
    top = doc.data
    if not isinstance(top, LDict):
        r.add(
            catalogue.NOT_A_MAPPING,
            getattr(top, "line", 1),
            "",
            found=describe(top),
            keys="'essays'",
        )
        return None, r.issues
    r.mapping(top, "", required=("essays",))
    items = top.get("essays")
    if "essays" in top and not isinstance(items, LList):
        r.add(
            catalogue.WRONG_TYPE,
            top.lines["essays"],
            "essays",
            key="essays",
            expected="a list of essay entries",
            found="not a list",
        )
    essays: list[Essay] = []
    first_line: dict[str, int] = {}
    entries = items if isinstance(items, LList) else LList()
    for i, item in enumerate(entries):
        essay = _essay(r, item, f"essays[{i}]", entries.lines[i])
        if essay is None:
            continue
        if essay.id in first_line:
            r.add(
                catalogue.DUPLICATE_ID,
                entries.lines[i],
                f"essays[{i}]",
                id=essay.id,
                first=first_line[essay.id],
            )
            continue
        first_line[essay.id] = entries.lines[i]
        essays.append(essay)
    check_markup(r, top)  # W411: summaries and quotes are shown as typed, as bank text is
    return (None if has_errors(r.issues) else Corpus(tuple(essays))), r.issues


def _essay(r: Reader, node: Any, path: str, line: int) -> Essay | None:
    m = r.mapping(node, path, required=_REQUIRED, optional=_OPTIONAL, line=line)
    if m is None:
        return None
    essay_id, title = r.text(m, "id", path), r.text(m, "title", path)
    author, summary = r.text(m, "author", path), r.text(m, "summary", path)
    role = r.text(m, "role", path, required=False)
    page = r.number(m, "page", path, integer=True)
    last_page = r.number(m, "last_page", path, integer=True)
    key_points, examples = r.texts(m, "key_points", path), r.texts(m, "examples", path)
    themes, criteria = r.texts(m, "themes", path), r.texts(m, "criteria", path)
    quotes = _quotes(r, m, path)
    if (
        essay_id is None
        or title is None
        or author is None
        or summary is None
        or key_points is None
        or examples is None
        or themes is None
        or criteria is None
        or page is None
        or last_page is None
        or quotes is None
    ):
        return None
    if last_page < page:
        r.add(
            catalogue.BAD_VALUE,
            m.lines["last_page"],
            f"{path}.last_page",
            key="last_page",
            value=int(last_page),
            reason=f"the essay starts on page {int(page)}",
            remedy="give the essay's last page, on or after its first",
        )
        return None
    _style(r, m, path, summary, key_points, quotes)
    _quote_pages(r, m, path, essay_id, (int(page), int(last_page)), quotes)
    return Essay(
        id=essay_id,
        title=title,
        author=author,
        page=int(page),
        summary=summary,
        key_points=key_points,
        examples=examples,
        themes=themes,
        criteria=criteria,
        quotes=quotes,
        role=role,
        last_page=int(last_page),
    )


def _quote_pages(
    r: Reader, m: LDict, path: str, essay_id: str, span: tuple[int, int], quotes: tuple[Quote, ...]
) -> None:
    """W410 for a quotation whose page is outside its essay's pages."""
    items = m.get("quotes") or []
    for i, quote in enumerate(quotes):
        if not span[0] <= quote.page <= span[1]:
            r.add(
                catalogue.PAGE_OUT_OF_RANGE,
                items[i].lines["page"],
                f"{path}.quotes[{i}]",
                id=essay_id,
                page=quote.page,
                span=f"{span[0]}-{span[1]}",
            )


def _quotes(r: Reader, m: LDict, path: str) -> tuple[Quote, ...] | None:
    if "quotes" not in m or m["quotes"] is None:
        return ()
    items = r.seq(m, "quotes", path, what="a list of quotations, each with text and page")
    if items is None:
        return None
    out = []
    for i, item in enumerate(items):
        qpath = f"{path}.quotes[{i}]"
        q = r.mapping(item, qpath, required=("text", "page"), line=items.lines[i])
        if q is None:
            continue
        text, page = r.text(q, "text", qpath), r.number(q, "page", qpath, integer=True)
        if text and page:
            out.append(Quote(text, int(page)))
            n = word_count(text)
            if n > MAX_QUOTE_WORDS:
                r.add(catalogue.LONG_QUOTE, q.lines["text"], qpath, n=n, maximum=MAX_QUOTE_WORDS)
    return tuple(out) if len(out) == len(items) else None


def _style(
    r: Reader, m: LDict, path: str, summary: str, points: tuple[str, ...], quotes: tuple[Quote, ...]
) -> None:
    n = word_count(summary)
    if not SUMMARY_WORDS[0] <= n <= SUMMARY_WORDS[1]:
        r.add(
            catalogue.SUMMARY_LENGTH,
            m.lines["summary"],
            f"{path}.summary",
            n=n,
            low=SUMMARY_WORDS[0],
            high=SUMMARY_WORDS[1],
        )
    if not KEY_POINTS[0] <= len(points) <= KEY_POINTS[1]:
        r.add(
            catalogue.KEY_POINTS_COUNT,
            m.lines["key_points"],
            f"{path}.key_points",
            n=len(points),
            low=KEY_POINTS[0],
            high=KEY_POINTS[1],
        )
    if len(quotes) > MAX_QUOTES:
        r.add(
            catalogue.TOO_MANY_QUOTES,
            m.lines["quotes"],
            f"{path}.quotes",
            n=len(quotes),
            maximum=MAX_QUOTES,
        )


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))
