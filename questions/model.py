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
class Dimension:
    """A criterion (P1-P6) or an essay theme (T...)."""

    id: str
    kind: DimensionKind
    name: str
    summary: str
    essays: tuple[str, ...]
    next_steps: tuple[str, ...]
    strand: str | None = None


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

    def descriptor(self, level: int) -> str:
        return self.levels[level - 1]


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
