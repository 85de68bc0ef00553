"""Frozen data model of a question bank.

Why: the bank is shared by every page, the command line and the reports, and
is cached once per process; frozen dataclasses and tuples make accidental
mutation of that shared object impossible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
OPTIONS: tuple[str, ...] = ("dk", "na")

DimensionKind = Literal["criterion", "theme"]


@dataclass(frozen=True, slots=True)
class Scale:
    """Level labels (1-5) and the two non-numeric options (dk, na)."""

    levels: tuple[tuple[int, str], ...]
    options: tuple[tuple[str, str], ...]

    def level_label(self, level: int) -> str:
        return dict(self.levels)[level]

    def option_label(self, option: str) -> str:
        return dict(self.options)[option]


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class SourceQuote:
    """A few words of the pamphlet, exactly as printed (a dozen at most), with essay and page."""

    text: str
    essay: str
    page: int


@dataclass(frozen=True, slots=True)
class Dimension:
    """A criterion (P1-P6) or an essay theme (T...).

    ``quote``: a criterion's wording in the introduction (p. 6), shown above its questions.
    ``today``: a theme's line on the law or guidance a council looks to now ("As at 2026, ...").
    """

    id: str
    kind: DimensionKind
    name: str
    summary: str
    essays: tuple[str, ...]
    next_steps: tuple[str, ...]
    strand: str | None = None
    quote: SourceQuote | None = None
    today: str | None = None


@dataclass(frozen=True, slots=True)
class Form:
    """A set of dimensions asked together: the quick check, the full assessment, a module.

    ``module``: a theme module, declared in the bank (``module: true``); a workshop may
    ask one module or several together. The form's id says nothing about it.
    """

    id: str
    title: str
    dimensions: tuple[str, ...]
    module: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    essay: str
    page: int


@dataclass(frozen=True, slots=True)
class LookFor:
    """What to look for to evidence a level, or two adjacent levels (``levels`` = (2, 3))."""

    levels: tuple[int, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    dimension: str
    criterion: str
    text: str
    levels: tuple[str, str, str, str, str]
    evidence: str
    essays: tuple[Citation, ...]
    help: str | None = None
    weight: float = 1.0
    equity: bool = False
    #: ids of questions in earlier bank versions that this one continues (renamed or
    #: reworded, measuring the same thing); results compare across versions through it.
    replaces: tuple[str, ...] = ()
    #: Evidence to look for at each level from 2 to 5 (or pairs of levels).
    look_for: tuple[LookFor, ...] = ()
    #: Signs, from the essays, that practice is weaker than it looks (shown, never scored).
    warning_signs: tuple[str, ...] = ()
    #: Roles that can judge the statement from their own side; empty: every role.
    answerable_by: tuple[str, ...] = ()
    #: True when the item is Ladder's own addition, not argued by the pamphlet.
    our_addition: bool = False

    def descriptor(self, level: int) -> str:
        return self.levels[level - 1]

    def look_for_at(self, level: int) -> str | None:
        """What shows ``level``, or None when the bank does not say."""
        return next((f.text for f in self.look_for if level in f.levels), None)

    def answerable(self, role: str | None) -> bool:
        """Whether ``role`` can judge this question: every role when the bank does not say,
        and anyone whose role is not known."""
        return role is None or not self.answerable_by or role in self.answerable_by


@dataclass(frozen=True, slots=True)
class Bank:
    """A validated question bank. Build it with `questions.validate_bank`."""

    id: str
    version: str
    title: str
    scale: Scale
    roles: tuple[Role, ...]
    criteria: tuple[Dimension, ...]
    themes: tuple[Dimension, ...]
    forms: tuple[Form, ...]
    questions: tuple[Question, ...]
    content_hash: str = ""
    #: How to choose a level, shown on every question ("" in banks that do not say).
    rule: str = ""
    #: Words of breadth and frequency, each with the one meaning the bank gives it.
    terms: tuple[tuple[str, str], ...] = ()
    _dims: MappingProxyType[str, Dimension] = field(init=False, repr=False, compare=False)
    _qs: MappingProxyType[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        dims = {d.id: d for d in (*self.criteria, *self.themes)}
        object.__setattr__(self, "_dims", MappingProxyType(dims))
        object.__setattr__(self, "_qs", MappingProxyType({q.id: q for q in self.questions}))

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        return (*self.criteria, *self.themes)

    def dimension(self, dimension_id: str) -> Dimension:
        return self._dims[dimension_id]

    def question(self, question_id: str) -> Question:
        return self._qs[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._qs

    def questions_in(self, dimension_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension == dimension_id)

    def form(self, form_id: str) -> Form:
        return next(f for f in self.forms if f.id == form_id)

    def form_questions(self, form_id: str) -> tuple[Question, ...]:
        dims = set(self.form(form_id).dimensions)
        return tuple(q for q in self.questions if q.dimension in dims)
