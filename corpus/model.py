"""Frozen model of the essay corpus: our own summaries of the pamphlet's essays."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quote:
    """A short quotation (a dozen words at most) and its page."""

    text: str
    page: int


@dataclass(frozen=True, slots=True)
class Essay:
    id: str
    title: str
    author: str
    page: int
    summary: str
    key_points: tuple[str, ...]
    examples: tuple[str, ...]
    themes: tuple[str, ...]
    criteria: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    essays: tuple[Essay, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.essays)

    def essay(self, essay_id: str) -> Essay:
        return next(e for e in self.essays if e.id == essay_id)

    def pages(self, essay_id: str) -> tuple[int, int | None]:
        """First page of an essay and the last before the next one starts (None if last)."""
        start = self.essay(essay_id).page
        later = sorted(e.page for e in self.essays if e.page > start)
        return start, (later[0] - 1 if later else None)
