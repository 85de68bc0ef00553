"""Validate a parsed bank: every field, every id, every cross-reference, all at once.

Why: a policy officer who edits the bank should fix everything in one pass,
so nothing here stops at the first problem. The Bank is built only when no
error was found; warnings travel with it (strict mode treats them as errors).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from common import catalogue
from common.fields import Reader, describe
from common.issue import Issue, has_errors
from common.markup import check_markup
from common.yamlfile import LDict, YamlDoc
from corpus.load import MAX_QUOTE_WORDS, word_count
from corpus.model import Corpus
from questions import parts
from questions.discipline import check_discipline
from questions.model import Bank, Dimension

TOP_KEYS = ("bank", "scale", "roles", "criteria", "themes", "forms", "questions")
REQUIRED_FORMS = ("quick", "full")
MIN_THEME_QUESTIONS = 2


def validate_bank(
    doc: YamlDoc, corpus: Corpus | None = None, corpus_file: str = "corpus/essays.yaml"
) -> tuple[Bank | None, list[Issue]]:
    """Check a parsed bank against the schema and the corpus; build it if sound.

    Args:
        doc: the parsed YAML (``common.yamlfile.read_yaml``).
        corpus: the corpus whose ids citations must name; None skips those checks
            (used when the corpus itself failed to load, to avoid a flood of echoes).
        corpus_file: how to name the corpus file in fixes.
    """
    r = Reader(doc.file)
    top = doc.data
    if not isinstance(top, LDict):
        r.add(
            catalogue.NOT_A_MAPPING,
            getattr(top, "line", 1),
            "",
            found=describe(top),
            keys=", ".join(TOP_KEYS),
        )
        return None, r.issues
    r.mapping(top, "", required=TOP_KEYS, optional=("rating",))
    line = top.lines.get
    head = parts.header(r, top["bank"], line("bank", 1)) if "bank" in top else None
    rating = parts.rating(r, top["rating"], line("rating", 1)) if "rating" in top else None
    scale = parts.scale(r, top["scale"], line("scale", 1)) if "scale" in top else None
    roles = parts.roles(r, top["roles"], line("roles", 1)) if "roles" in top else []
    criteria = (
        parts.dimensions(r, top.get("criteria"), line("criteria", 1), "criterion")
        if "criteria" in top
        else []
    )
    themes = (
        parts.dimensions(r, top.get("themes"), line("themes", 1), "theme")
        if "themes" in top
        else []
    )
    forms = parts.forms(r, top["forms"], line("forms", 1)) if "forms" in top else []
    questions = (
        parts.questions(r, top["questions"], line("questions", 1)) if "questions" in top else []
    )

    for group in (roles, [*criteria, *themes], questions):
        _unique(r, group)
    dims = {p.id: p for p in (*criteria, *themes) if p.id is not None}
    criteria_ids = [p.id for p in criteria if p.id is not None]
    _question_refs(r, questions, dims, criteria_ids)
    _replacements(r, questions)
    _form_refs(r, forms, dims, line("forms", 1))
    _dimension_use(r, dims, questions, forms, {p.id for p in themes if p.id is not None})
    _role_refs(r, questions, [p.id for p in roles if p.id is not None])
    check_discipline(r, questions, dict(rating[1]) if rating else {})
    if corpus is not None:
        _essay_refs(r, questions, dims, corpus, corpus_file)
        _quote_refs(r, dims, corpus)
    check_markup(r, top)

    if has_errors(r.issues) or head is None or scale is None or ("rating" in top and not rating):
        return None, r.issues
    bank = Bank(
        id=head[0],
        version=head[1],
        title=head[2],
        scale=scale,
        roles=tuple(p.value for p in roles),
        criteria=tuple(p.value for p in criteria),
        themes=tuple(p.value for p in themes),
        forms=tuple(p.value for p in forms),
        questions=tuple(p.value for p in questions),
        content_hash=content_hash(top),
        rule=rating[0] if rating else "",
        terms=rating[1] if rating else (),
    )
    return bank, r.issues


def content_hash(data: Any) -> str:
    """SHA-256 of the bank's content, blind to comments, spacing and key order.

    Why: responses record the exact bank they were given against; a cosmetic
    edit must not look like a new version, a change of wording must.
    """
    canonical = json.dumps(_text_keys(data), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text_keys(data: Any) -> Any:
    """Mapping keys as text, as JSON writes them anyway, so keys of mixed kinds (``2`` and
    ``'3-4'`` under ``look_for``) can be sorted; a bank of int-only keys hashes as before."""
    if isinstance(data, dict):
        return {str(k): _text_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_text_keys(v) for v in data]
    return data


def _unique(r: Reader, placed: Iterable[parts.Placed]) -> None:
    first: dict[str, int] = {}
    for p in placed:
        if p.id is None:
            continue
        if p.id in first:
            r.add(catalogue.DUPLICATE_ID, p.line_at("id"), p.path, id=p.id, first=first[p.id])
        else:
            first[p.id] = p.line_at("id")


def _question_refs(
    r: Reader, questions: list[parts.Placed], dims: dict[str, parts.Placed], criteria: list[str]
) -> None:
    for p in questions:
        dim, crit = p.raw("dimension"), p.raw("criterion")
        if dim is None or crit is None:
            continue
        if dim not in dims:
            r.add(
                catalogue.UNKNOWN_DIMENSION,
                p.line_at("dimension"),
                f"{p.path}.dimension",
                key="dimension",
                id=dim,
                suggestion=catalogue.did_you_mean(dim, list(dims)),
            )
        elif dim in criteria and crit != dim:
            r.add(
                catalogue.BAD_CRITERION,
                p.line_at("criterion"),
                f"{p.path}.criterion",
                id=crit,
                reason=f"a question on criterion {dim} must carry that criterion",
                remedy=f"set 'criterion: {dim}', or move the question",
            )
        elif dim not in criteria and crit not in criteria:
            r.add(
                catalogue.BAD_CRITERION,
                p.line_at("criterion"),
                f"{p.path}.criterion",
                id=crit,
                reason="it is not one of the criteria" + catalogue.did_you_mean(crit, criteria),
                remedy="tag the question with the criterion it exercises: " + ", ".join(criteria),
            )


def _replacements(r: Reader, questions: list[parts.Placed]) -> None:
    """Each old id in 'replaces' is gone from this bank and continues in one question only."""
    current: dict[str, int] = {}
    for p in questions:
        if p.id is not None:
            current.setdefault(p.id, p.line_at("id"))
    claimed: dict[str, tuple[str, int]] = {}
    for p in questions:
        for i, old, line in _raw_replaces(p):
            path = f"{p.path}.replaces" + (f"[{i}]" if i is not None else "")
            if old == p.id:
                r.add(catalogue.REPLACES_ITSELF, line, path, id=old)
            elif old in current:
                r.add(catalogue.REPLACES_CURRENT, line, path, id=old, first=current[old])
            elif old in claimed:
                other, first = claimed[old]
                r.add(catalogue.REPLACED_TWICE, line, path, id=old, other=other, first=first)
            else:
                claimed[old] = (p.id or "(no id)", line)


def _raw_replaces(p: parts.Placed) -> list[tuple[int | None, str, int]]:
    """The old ids of a question as written (index in the list, id, line), broken or not."""
    if not isinstance(p.node, dict) or "replaces" not in p.node:
        return []
    raw = p.node["replaces"]
    if isinstance(raw, list):
        return [
            (i, str(old).strip(), p.line_at("replaces", i))
            for i, old in enumerate(raw)
            if _is_id(old)
        ]
    return [(None, str(raw).strip(), p.line_at("replaces"))] if _is_id(raw) else []


def _role_refs(r: Reader, questions: list[parts.Placed], roles: list[str]) -> None:
    """E311 for a role in 'answerable_by' that the bank does not have."""
    for p in questions:
        for i, role in enumerate(p.raw_list("answerable_by")):
            if isinstance(role, str) and role not in roles:
                r.add(
                    catalogue.UNKNOWN_ROLE,
                    p.line_at("answerable_by", i),
                    f"{p.path}.answerable_by[{i}]",
                    id=role,
                    suggestion=catalogue.did_you_mean(role, roles),
                    roles=", ".join(roles),
                )


def _quote_refs(r: Reader, dims: dict[str, parts.Placed], corpus: Corpus) -> None:
    """A dimension's quotation: a dozen words at most, from a known essay, on its pages."""
    for p in dims.values():
        quote = p.value.quote if isinstance(p.value, Dimension) else None
        if quote is None:
            continue
        path = f"{p.path}.quote"
        n = word_count(quote.text)
        if n > MAX_QUOTE_WORDS:
            line = p.line_at("quote", "text")
            r.add(catalogue.LONG_QUOTE, line, path, n=n, maximum=MAX_QUOTE_WORDS)
        if quote.essay not in corpus.ids:
            _unknown_essay(r, quote.essay, p.line_at("quote", "id"), path, "the corpus", corpus)
            continue
        _page_in_essay(r, corpus, quote.essay, quote.page, p.line_at("quote", "page"), path)


def _unknown_essay(
    r: Reader, essay_id: str, line: int, path: str, corpus_name: str, corpus: Corpus
) -> None:
    r.add(
        catalogue.UNKNOWN_ESSAY,
        line,
        path,
        id=essay_id,
        corpus=corpus_name,
        suggestion=catalogue.did_you_mean(essay_id, list(corpus.ids)),
    )


def _page_in_essay(
    r: Reader, corpus: Corpus, essay_id: str, page: object, line: int, path: str
) -> None:
    """A page cited or quoted from an essay lies between its first and last pages."""
    first, last = corpus.pages(essay_id)
    if isinstance(page, int) and not first <= page <= last:
        r.add(
            catalogue.PAGE_OUT_OF_RANGE, line, path, id=essay_id, page=page, span=f"{first}-{last}"
        )


def _is_id(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    return bool(str(value).strip())


def _form_refs(
    r: Reader, forms: list[parts.Placed], dims: dict[str, parts.Placed], forms_line: int
) -> None:
    names = {str(p.path.split(".", 1)[1]) for p in forms}
    for name in REQUIRED_FORMS:
        if name not in names:
            r.add(catalogue.MISSING_FORM, forms_line, "forms", form=name)
    for p in forms:
        _module_flag(r, p)
        for i, dim in enumerate(p.raw_list("dimensions")):
            if isinstance(dim, str) and dim not in dims:
                r.add(
                    catalogue.UNKNOWN_FORM_DIMENSION,
                    p.line_at("dimensions", i),
                    f"{p.path}.dimensions[{i}]",
                    form=p.path.split(".", 1)[1],
                    id=dim,
                    suggestion=catalogue.did_you_mean(dim, list(dims)),
                )


def _module_flag(r: Reader, p: parts.Placed) -> None:
    """The quick check and full assessment are never modules; a form whose id reads like a
    module's (as in banks written before ``module:`` existed) is asked to say whether it is."""
    name = p.path.split(".", 1)[1]
    said = p.node.get("module", None) if isinstance(p.node, dict) else None
    if said is True and name in REQUIRED_FORMS:
        r.add(catalogue.MODULE_REQUIRED_FORM, p.line_at("module"), f"{p.path}.module", form=name)
    elif said is None and name.casefold().startswith("module_"):
        r.add(catalogue.UNDECLARED_MODULE, p.line, p.path, form=name)


def _dimension_use(
    r: Reader,
    dims: dict[str, parts.Placed],
    questions: list[parts.Placed],
    forms: list[parts.Placed],
    themes: set[str],
) -> None:
    counts = dict.fromkeys(dims, 0)
    for p in questions:
        dim = p.raw("dimension")
        if dim in counts:
            counts[dim] += 1
    in_forms = {d for p in forms for d in p.raw_list("dimensions") if isinstance(d, str)}
    for d, p in dims.items():
        if counts[d] == 0:
            r.add(catalogue.EMPTY_DIMENSION, p.line_at("id"), p.path, id=d)
        elif d in themes and counts[d] < MIN_THEME_QUESTIONS:
            r.add(
                catalogue.FEW_QUESTIONS,
                p.line_at("id"),
                p.path,
                id=d,
                n=counts[d],
                minimum=MIN_THEME_QUESTIONS,
            )
        if d not in in_forms:
            r.add(catalogue.NO_FORM, p.line_at("id"), p.path, id=d)
        if isinstance(p.value, Dimension) and not p.value.next_steps:
            r.add(catalogue.NO_NEXT_STEPS, p.line_at("next_steps"), f"{p.path}.next_steps", id=d)


def _essay_refs(
    r: Reader,
    questions: list[parts.Placed],
    dims: dict[str, parts.Placed],
    corpus: Corpus,
    corpus_file: str,
) -> None:

    def check(essay_id: object, line: int, path: str) -> bool:
        if not isinstance(essay_id, str) or essay_id in corpus.ids:
            return isinstance(essay_id, str)
        _unknown_essay(r, essay_id, line, path, corpus_file, corpus)
        return False

    for p in dims.values():
        for i, essay_id in enumerate(p.raw_list("essays")):
            check(essay_id, p.line_at("essays", i), f"{p.path}.essays[{i}]")
    for p in questions:
        for i, cite in enumerate(p.raw_list("essays")):
            if not isinstance(cite, dict):
                continue
            path = f"{p.path}.essays[{i}]"
            if not check(cite.get("id"), p.line_at("essays", i, "id"), path):
                continue
            line = p.line_at("essays", i, "page")
            _page_in_essay(r, corpus, cite["id"], cite.get("page"), line, path)
