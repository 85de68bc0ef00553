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
    #: The essay's last page (the corpus file always gives it; see `Corpus.pages`).
    last_page: int | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    essays: tuple[Essay, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.essays)

    def essay(self, essay_id: str) -> Essay:
        return next(e for e in self.essays if e.id == essay_id)

    def pages(self, essay_id: str) -> tuple[int, int]:
        """An essay's first and last pages. The corpus file gives both; an essay built in code
        without a last page runs to the page before the next one starts (or only its first)."""
        essay = self.essay(essay_id)
        if essay.last_page is not None:
            return essay.page, essay.last_page
        later = sorted(e.page for e in self.essays if e.page > essay.page)
        return essay.page, (later[0] - 1 if later else essay.page)
