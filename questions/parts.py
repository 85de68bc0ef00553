"""Readers for each part of the bank: header, scale, roles, dimensions, forms, questions.

Why: each reader checks its own fields and returns a typed part (or None when
it cannot), recording where each id was defined so that the cross-reference
checks in ``questions.validate`` can point at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common import catalogue
from common.fields import Reader, describe
from common.yamlfile import LDict, LList
from questions.model import (
    LEVELS,
    OPTIONS,
    Citation,
    Dimension,
    DimensionKind,
    Form,
    LookFor,
    Question,
    Role,
    Scale,
    SourceQuote,
)


@dataclass(frozen=True, slots=True)
class Placed:
    """A part and where it was written: its line and key path."""

    value: Any
    line: int
    path: str
    node: Any = None

    @property
    def id(self) -> str | None:
        """The id as written, even when the rest of the part is broken."""
        return self.raw("id")

    def raw_list(self, key: str) -> list[Any]:
        """A list field as written, or [] when it is not a list."""
        value = self.node.get(key) if isinstance(self.node, dict) else None
        return list(value) if isinstance(value, list) else []

    def raw(self, key: str) -> str | None:
        """A field as written, when it is text (or a number), else None."""
        value = self.node.get(key) if isinstance(self.node, dict) else None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        return str(value).strip() or None

    def line_at(self, *keys: str | int) -> int:
        """The line of a nested key or list index inside this part, else the part's line."""
        node, line = self.node, self.line
        for key in keys:
            lines = getattr(node, "lines", None)
            if lines is None:
                break
            try:
                line, node = lines[key], node[key]
            except (TypeError, KeyError, IndexError):
                break
        return line


def header(r: Reader, node: Any, line: int) -> tuple[str, str, str] | None:
    m = r.mapping(node, "bank", required=("id", "version", "title"), line=line)
    if m is None:
        return None
    bank_id, version = r.text(m, "id", "bank"), r.text(m, "version", "bank")
    title = r.text(m, "title", "bank")
    if bank_id is None or version is None or title is None:
        return None
    return bank_id, version, title


def rating(r: Reader, node: Any, line: int) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """How to choose a level (``rule``) and the words of breadth it defines (``terms``)."""
    m = r.mapping(node, "rating", required=("rule", "terms"), line=line)
    if m is None:
        return None
    rule = r.text(m, "rule", "rating")
    terms = r.mapping(
        m.get("terms"),
        "rating.terms",
        required=(),
        line=r.line_of(m, "terms"),
        closed=False,
        what="a mapping of words to what each means",
    )
    if rule is None or terms is None:
        return None
    meanings = [(str(word), r.text(terms, word, "rating.terms")) for word in terms]
    if any(meaning is None for _, meaning in meanings):
        return None
    return rule, tuple((word.casefold(), str(meaning)) for word, meaning in meanings)


def scale(r: Reader, node: Any, line: int) -> Scale | None:
    m = r.mapping(node, "scale", required=("levels", "options"), line=line)
    if m is None:
        return None
    levels = _labels(r, m, "levels", LEVELS, "scale")
    options = _labels(r, m, "options", OPTIONS, "scale")
    if levels is None or options is None:
        return None
    return Scale(tuple(levels.items()), tuple(options.items()))


def _labels(
    r: Reader, m: LDict, key: str, expected: tuple[Any, ...], path: str
) -> dict[Any, str] | None:
    """A mapping of exactly the expected keys, each to a label."""
    node = m.get(key)
    sub = r.mapping(
        node,
        f"{path}.{key}",
        required=(),
        line=r.line_of(m, key),
        closed=False,
        what="a mapping of " + ", ".join(map(str, expected)),
    )
    if sub is None:
        return None
    out: dict[Any, str] = {}
    for k in sub:
        norm = _level_key(k) if expected == LEVELS else k
        if norm not in expected:
            r.add(
                catalogue.BAD_VALUE,
                sub.lines[k],
                f"{path}.{key}",
                key=key,
                value=f"'{k}'",
                reason="that is not one of " + ", ".join(map(str, expected)),
                remedy="use exactly " + ", ".join(map(str, expected)),
            )
            continue
        label = r.text(sub, k, f"{path}.{key}")
        if label is not None:
            out[norm] = label
    missing = [str(e) for e in expected if e not in out and e not in map(_level_key, sub)]
    if missing:
        r.add(
            catalogue.MISSING_FIELD,
            sub.line,
            f"{path}.{key}",
            key=", ".join(missing),
            expected="a label for each",
        )
    return {e: out[e] for e in expected} if len(out) == len(expected) else None


def _level_key(key: Any) -> Any:
    """Level keys may be written 1 or '1'."""
    if isinstance(key, str) and key.strip().isdigit():
        return int(key)
    return key


def roles(r: Reader, node: Any, line: int) -> list[Placed]:
    out = []
    for _, item, path in _items(r, node, "roles", line):
        m = r.mapping(item, path, required=("id", "label"))
        if m is None:
            continue
        rid, label = r.text(m, "id", path), r.text(m, "label", path)
        out.append(Placed(Role(rid, label) if rid and label else None, m.line, path, m))
    return out


def dimensions(r: Reader, node: Any, line: int, kind: DimensionKind) -> list[Placed]:
    key = "criteria" if kind == "criterion" else "themes"
    required: tuple[str, ...] = ("id", "name", "summary", "essays", "next_steps")
    required = (*required, "strand") if kind == "theme" else required
    out = []
    for _, item, path in _items(r, node, key, line):
        m = r.mapping(item, path, required=required, optional=("quote", "today"))
        if m is None:
            continue
        did, name = r.text(m, "id", path), r.text(m, "name", path)
        summary = r.text(m, "summary", path)
        essays = r.texts(m, "essays", path)
        steps = r.texts(m, "next_steps", path)
        strand = r.text(m, "strand", path) if kind == "theme" else None
        today = r.text(m, "today", path, required=False)
        quote = _quote(r, m, path)
        if (
            did is None
            or name is None
            or summary is None
            or essays is None
            or steps is None
            or (kind == "theme" and strand is None)
            or ("today" in m and today is None)
            or ("quote" in m and quote is None)
        ):
            out.append(Placed(None, m.line, path, m))
            continue
        dim = Dimension(did, kind, name, summary, essays, steps, strand, quote, today)
        out.append(Placed(dim, m.line, path, m))
    return out


def _quote(r: Reader, m: LDict, path: str) -> SourceQuote | None:
    """A dimension's few words of the pamphlet: ``{text, id, page}`` (id: the essay)."""
    if "quote" not in m:
        return None
    qpath = f"{path}.quote"
    q = r.mapping(
        m["quote"],
        qpath,
        required=("text", "id", "page"),
        line=r.line_of(m, "quote"),
        what="a quotation with 'text', 'id' (the essay) and 'page'",
    )
    if q is None:
        return None
    text, essay = r.text(q, "text", qpath), r.text(q, "id", qpath)
    page = r.number(q, "page", qpath, integer=True)
    if text is None or essay is None or page is None:
        return None
    return SourceQuote(text, essay, int(page))


def forms(r: Reader, node: Any, line: int) -> list[Placed]:
    m = r.mapping(node, "forms", required=(), line=line, what="a mapping of form ids", closed=False)
    if m is None:
        return []
    out = []
    for form_id in m:
        path = f"forms.{form_id}"
        f = r.mapping(
            m[form_id],
            path,
            required=("title", "dimensions"),
            optional=("module",),
            line=m.lines[form_id],
        )
        if f is None:
            continue
        title, dims = r.text(f, "title", path), r.texts(f, "dimensions", path)
        module = r.flag(f, "module", path)  # None when absent, or not true/false (E203)
        bad_module = "module" in f and module is None
        form = (
            Form(str(form_id), title, dims, bool(module))
            if title and dims is not None and not bad_module
            else None
        )
        out.append(Placed(form, m.lines[form_id], path, f))
    return out


_QUESTION_REQUIRED = ("id", "dimension", "criterion", "text", "levels", "evidence", "essays")
_QUESTION_OPTIONAL = (
    "help",
    "weight",
    "equity",
    "replaces",
    "look_for",
    "warning_signs",
    "answerable_by",
    "our_addition",
)


def questions(r: Reader, node: Any, line: int) -> list[Placed]:
    out = []
    for _, item, path in _items(r, node, "questions", line):
        m = r.mapping(item, path, required=_QUESTION_REQUIRED, optional=_QUESTION_OPTIONAL)
        if m is None:
            continue
        out.append(Placed(_question(r, m, path), m.line, path, m))
    return out


def _question(r: Reader, m: LDict, path: str) -> Question | None:
    qid, dimension = r.text(m, "id", path), r.text(m, "dimension", path)
    criterion, text = r.text(m, "criterion", path), r.text(m, "text", path)
    evidence = r.text(m, "evidence", path)
    help_text = r.text(m, "help", path, required=False)
    weight = r.number(m, "weight", path)
    equity = r.flag(m, "equity", path)
    replaces = _replaces(r, m, path)
    levels = _descriptors(r, m, path)
    citations = _citations(r, m, path)
    look_for = _look_for(r, m, path)
    signs = r.texts(m, "warning_signs", path) if "warning_signs" in m else ()
    answerable = r.texts(m, "answerable_by", path) if "answerable_by" in m else ()
    ours = r.flag(m, "our_addition", path)
    if (
        qid is None
        or dimension is None
        or criterion is None
        or text is None
        or evidence is None
        or levels is None
        or citations is None
        or replaces is None
        or look_for is None
        or signs is None
        or answerable is None
    ):
        return None
    optional = (("weight", weight), ("equity", equity), ("our_addition", ours))
    bad_optional = any(k in m and v is None for k, v in optional)
    if bad_optional:
        return None
    return Question(
        id=qid,
        dimension=dimension,
        criterion=criterion,
        text=text,
        levels=levels,
        evidence=evidence,
        essays=citations,
        help=help_text,
        weight=1.0 if weight is None else weight,
        equity=bool(equity),
        replaces=replaces,
        look_for=look_for,
        warning_signs=signs,
        answerable_by=answerable,
        our_addition=bool(ours),
    )


def _look_for(r: Reader, m: LDict, path: str) -> tuple[LookFor, ...] | None:
    """Evidence to look for, keyed by a level (2) or two adjacent levels ('2-3')."""
    if "look_for" not in m:
        return ()
    lpath = f"{path}.look_for"
    node = r.mapping(
        m["look_for"],
        lpath,
        required=(),
        line=r.line_of(m, "look_for"),
        closed=False,
        what="a mapping of levels (2, 3, 4, 5 or pairs such as '2-3') to what shows them",
    )
    if node is None:
        return None
    out = []
    for key in node:
        levels = _look_levels(key)
        if levels is None:
            r.add(
                catalogue.BAD_VALUE,
                node.lines[key],
                lpath,
                key="look_for",
                value=f"'{key}'",
                reason="that is not a level, or two adjacent levels",
                remedy="key each line by a level from 1 to 5, or by two such as '2-3'",
            )
            continue
        text = r.text(node, key, lpath)
        if text is not None:
            out.append(LookFor(levels, text))
    return tuple(out) if len(out) == len(node) else None


def _look_levels(key: Any) -> tuple[int, ...] | None:
    """(3,) for 3 or '3'; (2, 3) for '2-3'; None for anything else."""
    level = _level_key(key)
    if level in LEVELS:
        return (int(level),)
    if isinstance(key, str) and key.count("-") == 1:
        low, high = (_level_key(part.strip()) for part in key.split("-"))
        if low in LEVELS and high in LEVELS and high == low + 1:
            return (int(low), int(high))
    return None


def _replaces(r: Reader, m: LDict, path: str) -> tuple[str, ...] | None:
    """The old ids a question continues: one id, or a list of ids (absent: none)."""
    if "replaces" not in m:
        return ()
    if isinstance(m["replaces"], LList):
        return r.texts(m, "replaces", path)
    if isinstance(m["replaces"], str | int | float) and not isinstance(m["replaces"], bool):
        old = r.text(m, "replaces", path)
        return None if old is None else (old,)
    r.add(
        catalogue.WRONG_TYPE,
        m.lines["replaces"],
        f"{path}.replaces",
        key="replaces",
        expected="an old question id, or a list of them",
        found=describe(m["replaces"]),
    )
    return None


def _descriptors(r: Reader, m: LDict, path: str) -> tuple[str, str, str, str, str] | None:
    if "levels" not in m:
        return None
    node, lpath = m["levels"], f"{path}.levels"
    if not isinstance(node, LDict):
        r.add(
            catalogue.LEVELS_INCOMPLETE,
            r.line_of(m, "levels"),
            lpath,
            reason=f"here it is {describe(node)}",
        )
        return None
    found: dict[int, str] = {}
    for key in node:
        level = _level_key(key)
        if level not in LEVELS:
            r.add(
                catalogue.LEVELS_INCOMPLETE,
                node.lines[key],
                lpath,
                reason=f"'{key}' is not a level",
            )
            continue
        text = r.text(node, key, lpath)
        if text is not None:
            found[level] = text
    missing = [str(lv) for lv in LEVELS if lv not in map(_level_key, node)]
    if missing:
        r.add(
            catalogue.LEVELS_INCOMPLETE,
            r.line_of(m, "levels"),
            lpath,
            reason=f"level {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing",
        )
    if len(found) != len(LEVELS):
        return None
    # The five descriptors, in level order (LEVELS is 1..5; found has exactly those keys).
    descriptors = (found[1], found[2], found[3], found[4], found[5])
    for a in LEVELS:
        for b in LEVELS[a:]:
            if descriptors[a - 1].casefold() == descriptors[b - 1].casefold():
                r.add(catalogue.REPEATED_DESCRIPTOR, node.lines.get(b, node.line), lpath, a=a, b=b)
    return descriptors


def _citations(r: Reader, m: LDict, path: str) -> tuple[Citation, ...] | None:
    items = r.seq(m, "essays", path, what="a list of citations, each with id and page")
    if items is None:
        return None
    out = []
    for i, item in enumerate(items):
        cpath = f"{path}.essays[{i}]"
        c = r.mapping(
            item,
            cpath,
            required=("id", "page"),
            line=items.lines[i],
            what="a citation with 'id' and 'page'",
        )
        if c is None:
            continue
        essay, page = r.text(c, "id", cpath), r.number(c, "page", cpath, integer=True)
        if essay and page:
            out.append(Citation(essay, int(page)))
    if len(out) != len(items):
        return None
    if not out:
        r.add(
            catalogue.MISSING_FIELD,
            r.line_of(m, "essays"),
            f"{path}.essays",
            key="essays[0]",
            expected="at least one citation with essay id and page",
        )
        return None
    return tuple(out)


def _items(r: Reader, node: Any, key: str, line: int) -> list[tuple[int, Any, str]]:
    """The items of a top-level list, each with its index and key path."""
    if not isinstance(node, LList):
        r.add(
            catalogue.WRONG_TYPE,
            getattr(node, "line", line),
            key,
            key=key,
            expected="a list (each item starting with '- ')",
            found=describe(node),
        )
        return []
    return [(i, item, f"{key}[{i}]") for i, item in enumerate(node)]
