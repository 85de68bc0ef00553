"""The rating discipline a bank's levels keep, checked as warnings (W413-W416).

Why: a question is only as good as the agreement of two people rating the same facts
with it. Four habits make them disagree, and each leaves a mark in the text that a
checker can see (docs/editing-the-bank.md, "Writing levels that two people rate alike"):

- a level that adds several conditions at once ("…across the council *and* with
  partners, resourced, *and* with evidence"): W413;
- a level 5 that turns on what others do or on events ("other councils learn from it",
  "has lasted through elections"), which no council can evidence from its own records:
  W414;
- words of breadth or frequency ("many", "some", "often") that each reader sizes
  differently, where the bank has not defined them once in ``rating: terms``: W415;
- a question with no evidence to look for at each level: W416.

The marks are signs, not proof: each warning says what it saw, and strict mode (CI)
makes the shipped bank keep them at zero. A council editing its own bank gets the
same discipline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from common import catalogue
from common.fields import Reader
from questions.model import LEVELS, Question
from questions.parts import Placed

__all__ = [
    "BREADTH_WORDS",
    "check_discipline",
    "depends_on_others",
    "extra_conditions",
    "undefined_terms",
]

#: Words that size how widely or how often something happens. Each must be defined in
#: the bank's ``rating: terms`` before a level may use it.
BREADTH_WORDS: tuple[str, ...] = (
    "several",
    "most",
    "regularly",
    "routinely",
    "many",
    "some",
    "few",
    "widely",
    "often",
    "frequently",
    "occasionally",
    "usually",
    "mostly",
    "generally",
    "various",
    "numerous",
)
_WORD = re.compile(r"[a-z]+")

#: What makes a level 5 depend on other organisations or on events.
_OTHERS = re.compile(
    r"\b(other (councils|places|authorities|organisations)|others (learn|copy|visit|adopt)"
    r"|cop(y|ied|ies)|visit(s|ed|ors)?|awards?|national(ly)? recogni\w*|beacon"
    r"|inspect(ion|ions|ors?|ed)?|ofsted|surviv(e|ed|es|ing)|lasted through|outlast\w*"
    r"|elections?|changes? of leadership|leadership changes?|incidents?)\b",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&#?\w+;")
_SENTENCE_END = re.compile(r"[.!?](\s+[A-Z]|\s*$)")


def extra_conditions(text: str) -> str | None:
    """What suggests a level asks for more than one new thing, or None.

    Signs: a semicolon, "as well as", more than one "and", more than one sentence."""
    if ";" in _ENTITY.sub("", text):  # an entity such as &amp; is W411's, not a second clause
        return "a semicolon"
    if " as well as " in text.casefold():
        return "'as well as'"
    ands = len(re.findall(r"\band\b", text, re.IGNORECASE))
    if ands > 1:
        return f"{ands} times 'and'"
    if len(_SENTENCE_END.findall(text.strip())) > 1:
        return "more than one sentence"
    return None


def depends_on_others(text: str) -> str | None:
    """The words that make a level depend on others or on events, or None."""
    found = _OTHERS.search(text)
    return found.group(0) if found else None


def undefined_terms(text: str, terms: Mapping[str, str]) -> list[str]:
    """The breadth words in ``text`` that ``terms`` does not define, in order, once each."""
    words = dict.fromkeys(w for w in _WORD.findall(text.casefold()) if w in BREADTH_WORDS)
    return [w for w in words if w not in terms]


def check_discipline(r: Reader, questions: Iterable[Placed], terms: Mapping[str, str]) -> None:
    """W413-W416 for every question that parsed (see the module's docstring)."""
    defined = ", ".join(f"'{t}'" for t in terms) or "none yet"
    for p in questions:
        q = p.value
        if not isinstance(q, Question):
            continue
        for level in LEVELS:
            text = q.descriptor(level)
            line, path = p.line_at("levels", level), f"{p.path}.levels.{level}"
            sign = extra_conditions(text) if level > 1 else None
            if sign:
                r.add(catalogue.LEVEL_BUNDLES, line, path, level=level, sign=sign, text=text)
            word = depends_on_others(text) if level == LEVELS[-1] else None
            if word:
                r.add(catalogue.LEVEL5_DEPENDS, line, path, word=word, text=text)
            for term in undefined_terms(text, terms):
                r.add(catalogue.UNDEFINED_TERM, line, path, level=level, word=term, terms=defined)
        covered = {level for f in q.look_for for level in f.levels}
        missing = [str(level) for level in LEVELS[1:] if level not in covered]
        if missing:
            where = p.line_at("look_for") if q.look_for else p.line
            r.add(catalogue.NO_LOOK_FOR, where, p.path, levels=", ".join(missing))
