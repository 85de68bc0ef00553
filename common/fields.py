"""Typed reading of fields from a located mapping, reporting every slip.

Why: the bank and the corpus are both read field by field; these helpers give
each a uniform check of unknown keys, missing fields and wrong types, with the
line and key path of each problem, so the two readers stay short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from common import catalogue
from common.issue import Issue
from common.yamlfile import LDict, LList


def describe(value: Any) -> str:
    """How a YAML value reads to a person: 'a list', 'the number 3', 'empty'."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return "text" if value.strip() else "blank text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Reader:
    """Collects issues for one file while fields are read from its mappings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def add(self, rule: catalogue.Rule, line: int, path: str, **values: object) -> None:
        if rule is catalogue.WRONG_TYPE:
            values.setdefault("hint", _QUOTE_HINT if values.get("expected") == "text" else "")
        self.issues.append(rule.at(self.file, line, path, **values))

    def line_of(self, node: Any, key: Any = None, default: int = 0) -> int:
        """The line of a key (or item index) in a located node, else of the node."""
        if isinstance(node, LDict) and key in node.lines:
            return node.lines[key]
        if isinstance(node, LList) and isinstance(key, int) and key < len(node.lines):
            return node.lines[key]
        return getattr(node, "line", default)

    def mapping(
        self,
        node: Any,
        path: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
        line: int = 0,
        what: str = "a mapping of fields",
        closed: bool = True,
    ) -> LDict | None:
        """Check a node is a mapping with no missing keys (and, when closed, no unknown ones)."""
        if not isinstance(node, LDict):
            key = path.rsplit(".", 1)[-1] or "this entry"
            self.add(
                catalogue.WRONG_TYPE,
                self.line_of(node, default=line),
                path,
                key=key,
                expected=what,
                found=describe(node),
            )
            return None
        required = tuple(required)
        allowed = (*required, *optional)
        misspelt: set[str] = set()
        for key in node if closed else ():
            if key not in allowed:
                suggestion = catalogue.did_you_mean(str(key), allowed)
                misspelt.update(k for k in required if suggestion == f" (did you mean '{k}'?)")
                self.add(
                    catalogue.UNKNOWN_KEY,
                    node.lines[key],
                    path,
                    key=key,
                    suggestion=suggestion,
                    allowed=", ".join(allowed),
                )
        for key in required:
            if key not in node and key not in misspelt:
                self.add(
                    catalogue.MISSING_FIELD,
                    node.line,
                    path,
                    key=key,
                    expected=_EXPECTED.get(key, "see docs/editing-the-bank.md"),
                )
        return node

    def _wrong_type(self, node: LDict, key: str, path: str, expected: str) -> None:
        self.add(
            catalogue.WRONG_TYPE,
            node.lines[key],
            _join(path, key),
            key=key,
            expected=expected,
            found=describe(node[key]),
        )

    def text(self, node: LDict, key: str, path: str, *, required: bool = True) -> str | None:
        """A non-blank text field. Numbers given for ids are accepted as text."""
        if key not in node:
            return None
        value = node[key]
        if value is None and not required:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and key in _ID_LIKE:
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self._wrong_type(node, key, path, "text")
            return None
        return value.strip()

    def number(self, node: LDict, key: str, path: str, *, integer: bool = False) -> float | None:
        """A number field (an integer when asked), positive."""
        if key not in node:
            return None
        value = node[key]
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            expected = "a whole number" if integer else "a number"
            self._wrong_type(node, key, path, expected)
            return None
        if value <= 0:
            self.add(
                catalogue.BAD_VALUE,
                node.lines[key],
                _join(path, key),
                key=key,
                value=value,
                reason="it must be greater than zero",
                remedy="write a positive number, or remove the key to use the default",
            )
            return None
        return float(value)

    def flag(self, node: LDict, key: str, path: str) -> bool | None:
        """A yes/no field."""
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, bool):
            self._wrong_type(node, key, path, "true or false")
            return None
        return value

    def seq(self, node: LDict, key: str, path: str, *, what: str = "a list") -> LList | None:
        """A list field."""
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, LList):
            self.add(
                catalogue.WRONG_TYPE,
                node.lines[key],
                _join(path, key),
                key=key,
                expected=what,
                found=describe(value),
            )
            return None
        return value

    def texts(self, node: LDict, key: str, path: str) -> tuple[str, ...] | None:
        """A list of non-blank texts (ids are accepted when written as numbers)."""
        items = self.seq(node, key, path, what="a list of text")
        if items is None:
            return None
        out: list[str] = []
        for i, item in enumerate(items):
            if isinstance(item, int | float) and not isinstance(item, bool) and key in _ID_LIKE:
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.add(
                    catalogue.WRONG_TYPE,
                    items.lines[i],
                    f"{_join(path, key)}[{i}]",
                    key=key,
                    expected="text",
                    found=describe(item),
                )
                continue
            out.append(item.strip())
        return tuple(out)


_QUOTE_HINT = "; text that looks like a number, a date or yes/no must be put in quotes"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_ID_LIKE = frozenset({"id", "version", "dimensions", "essays", "themes", "criteria", "replaces"})

_EXPECTED = {
    "id": "a short unique id",
    "text": "the statement respondents rate",
    "levels": "descriptors for levels 1 to 5",
    "evidence": "a prompt saying what evidence would show this",
    "essays": "a list of essay citations, each with id and page",
    "dimension": "the id of its criterion or theme",
    "criterion": "the P criterion it exercises, e.g. P2",
    "name": "a short name",
    "summary": "a few sentences in our own words",
    "next_steps": "a list of next steps for moving up a level",
    "strand": "the strand that groups themes into modules",
    "title": "a title",
    "dimensions": "a list of dimension ids",
    "page": "the page in the pamphlet",
}
