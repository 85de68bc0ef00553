"""Markup in bank text: Markdown or HTML written into a field that is shown as typed.

Why: the app, the reports and the charts show every word of the bank literally
(`ui.text.literal`, Jinja2's autoescape, `scoring.plain.chart_text`), so an
editor who writes ``**key**``, ``[see](http://...)`` or ``<br>`` gets the
asterisks, brackets and tags on the page, not bold, a link or a break. The
check (W411) tells them where, before anyone reads it. Ordinary prose is left
alone: "e.g.", "5 * 3", a hyphen at the start of a line, ``senior_officer``,
"P1 (see p. 6)" and a lone "#1" are not markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from common import catalogue
from common.fields import Reader
from common.yamlfile import LDict, LList

__all__ = ["check_markup", "markup_in"]

#: (what the editor is told they wrote, how to find it), checked in this order.
_MARKUP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Markdown image", re.compile(r"!\[[^\]\n]*\]\(")),
    ("a Markdown link", re.compile(r"\[[^\]\n]*\]\(|\[[^\]\n]+\]\[[^\]\n]*\]")),
    ("an HTML tag", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<[a-z]+:[^\s<>]*>")),
    ("an HTML entity", re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")),
    ("a heading marker", re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t][^\n]*)?$", re.MULTILINE)),
    (
        "emphasis markers",
        re.compile(r"(?<![\w*~])(\*\*?|__?|~~)(?=[^\s*_~])[^\n]*?(?<=[^\s*_~])\1(?![\w*~])"),
    ),
    ("code markers", re.compile(r"`[^`\n]+`")),
)
#: How a message names the owner of a field, by the bank's top-level key.
_OWNERS = {"roles": "role", "criteria": "criterion", "themes": "theme", "questions": "question"}
_PATH = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?\.?(?P<rest>.*)$")
_SAMPLE = 40


def markup_in(text: str) -> tuple[str, str] | None:
    """(what, the piece) for the first markup in `text`, or None when it is plain."""
    for what, pattern in _MARKUP:
        found = pattern.search(text)
        if found:
            piece = found.group(0).strip()
            return what, piece if len(piece) <= _SAMPLE else piece[: _SAMPLE - 1] + "…"
    return None


def check_markup(r: Reader, top: LDict) -> None:
    """W411 for every text value in the bank that holds markup, with its line and owner."""
    for path, line, text in _texts(top, "", 1):
        found = markup_in(text)
        if found is None:
            continue
        owner, field = _owner(top, path)
        what, piece = found
        r.add(catalogue.MARKUP, line, path, field=field, owner=owner, what=what, piece=piece)


def _texts(node: Any, path: str, line: int) -> Iterator[tuple[str, int, str]]:
    """(path, line, text) of every string value under `node`, keys left out."""
    if isinstance(node, str):
        yield path, line, node
    elif isinstance(node, LDict):
        for key, value in node.items():
            inner = f"{path}.{key}" if path else str(key)
            yield from _texts(value, inner, node.lines.get(key, line))
    elif isinstance(node, LList):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]", node.lines[i] if i < len(node.lines) else line)


def _owner(top: LDict, path: str) -> tuple[str, str]:
    """("question 'P1.1'", "levels.3") for "questions[0].levels.3"."""
    parts = _PATH.match(path)
    if parts is None:  # pragma: no cover - every path starts with a top-level key
        return "the bank", path
    section, index, rest = parts["section"], parts["index"], parts["rest"]
    if index is not None:
        items = top.get(section)
        item = items[int(index)] if isinstance(items, list) else None
        ident = item.get("id") if isinstance(item, dict) else None
        kind = _OWNERS.get(section, section)
        return (f"{kind} '{ident}'" if ident else f"{kind} {int(index) + 1}"), rest or "value"
    if section == "forms" and rest:
        name, _, field = rest.partition(".")
        return f"form '{name}'", field or "value"
    return f"the {section}", rest or "value"
