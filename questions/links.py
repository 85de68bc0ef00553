"""Links between the bank and the corpus: which essays stand behind a dimension, and why.

Why: every result must be able to send its reader to the argument behind it.
A dimension's essays come from two places in the bank — the essays the
dimension names, and the citations on its questions — and the results page,
the essay pages and the reports all need the same answer, so it is worked out
once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.model import Corpus, Essay
from questions.model import Bank, Dimension, Question


@dataclass(frozen=True, slots=True)
class EssayLink:
    """One essay behind one dimension, with the evidence for the link."""

    essay: Essay
    dimension: str
    questions: tuple[str, ...]  # the dimension's questions that cite the essay
    pages: tuple[int, ...]  # the pamphlet pages those questions cite, ascending
    named: bool  # the dimension lists the essay among its own essays

    @property
    def reason(self) -> str:
        """Why this essay is linked, in one plain sentence."""
        parts: list[str] = []
        if self.questions:
            qs = _join(self.questions)
            pages = _join([str(p) for p in self.pages])
            word = "page" if len(self.pages) == 1 else "pages"
            verb = "draws" if len(self.questions) == 1 else "draw"
            parts.append(f"{qs} {verb} on {word} {pages}")
        if self.named:
            parts.append(f"the summary of {self.dimension} rests on it")
        if not self.questions:
            parts = [p[0].upper() + p[1:] for p in parts]  # a sentence, not an id, leads
        return "; ".join(parts or ["Linked"]) + "."


def essays_behind(bank: Bank, corpus: Corpus, dimension_id: str) -> tuple[EssayLink, ...]:
    """The essays behind a dimension, those its questions cite most first.

    Ties keep the order in which the dimension names its essays, then corpus order.
    """
    dimension = bank.dimension(dimension_id)
    questions = bank.questions_in(dimension_id)
    known = set(corpus.ids)
    cited: dict[str, list[Question]] = {}
    for q in questions:
        for c in q.essays:
            if c.essay in known and q not in cited.setdefault(c.essay, []):
                cited[c.essay].append(q)
    ids = [e for e in dimension.essays if e in known]
    ids += [e for e in corpus.ids if e in cited and e not in ids]
    links = [_link(corpus.essay(e), dimension, cited.get(e, [])) for e in ids]
    order = {e: i for i, e in enumerate(ids)}
    links.sort(key=lambda link: (-len(link.questions), order[link.essay.id]))
    return tuple(links)


def questions_citing(bank: Bank, essay_id: str) -> tuple[Question, ...]:
    """Every question that cites the essay, in bank order."""
    return tuple(q for q in bank.questions if any(c.essay == essay_id for c in q.essays))


def dimensions_drawing_on(bank: Bank, essay_id: str) -> tuple[Dimension, ...]:
    """Every dimension that names the essay or has a question citing it, in bank order."""
    via_questions = {q.dimension for q in questions_citing(bank, essay_id)}
    return tuple(d for d in bank.dimensions if essay_id in d.essays or d.id in via_questions)


def _link(essay: Essay, dimension: Dimension, questions: list[Question]) -> EssayLink:
    pages = sorted({c.page for q in questions for c in q.essays if c.essay == essay.id})
    return EssayLink(
        essay=essay,
        dimension=dimension.id,
        questions=tuple(q.id for q in questions),
        pages=tuple(pages),
        named=essay.id in dimension.essays,
    )


def _join(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
