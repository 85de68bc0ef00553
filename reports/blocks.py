"""The building blocks of a report: a report is a list of sections, a section a list of blocks.

Why: the self-assessment report, the workshop report and the comparison
report show different things but in the same few shapes — paragraphs, a few
key figures, tables, charts each followed by its table, ranked priorities,
an essays appendix. Describing each as plain frozen data (no HTML here) lets
one template render any report, keeps every piece of text escapable in one
place, and lets tests check a report's content without parsing HTML.

All text is plain text: nothing here is HTML or Markdown, and the renderer
escapes all of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from scoring.format import fmt_score

__all__ = [
    "BLANK",
    "KEEP_ROWS",
    "Block",
    "Callout",
    "Callouts",
    "Chart",
    "EssayEntry",
    "EssayList",
    "EssayRef",
    "Facts",
    "Note",
    "Notes",
    "Paragraphs",
    "Priorities",
    "PriorityCard",
    "Reference",
    "References",
    "Section",
    "Table",
    "linkable",
    "table_from_frame",
]

#: What a table shows for a blank statistic (never 0: a missing score is not a zero).
BLANK = "–"
#: A table with at most this many rows, each cell at most `SHORT_CELL` characters, is not
#: split across printed pages; a longer one may break between rows (never inside one), and
#: its header row is printed again at the top of the next page.
KEEP_ROWS = 4
SHORT_CELL = 60


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """Plain paragraphs; ``bullets`` shows them as a list."""

    texts: tuple[str, ...]
    bullets: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled values (a definition list), e.g. the scale's five levels."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Callout:
    """One key figure: a label, the figure itself and a line saying what it rests on."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Callouts:
    """Key figures side by side (the headline is always at least two)."""

    items: tuple[Callout, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells. ``numeric`` marks right-aligned columns (by index);
    ``wide`` tables get a smaller print font; the ``label`` column (names) is kept
    wide enough to read. Tables of up to `KEEP_ROWS` rows of short cells stay on one printed
    page; longer ones may break between rows, as half a page of white space before each
    would say nothing and cost the reader pages."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    note: str = ""
    wide: bool = False
    label: int | None = None

    @property
    def keep_together(self) -> bool:
        return len(self.rows) <= KEEP_ROWS and all(
            len(cell) <= SHORT_CELL for row in self.rows for cell in row
        )


@dataclass(frozen=True, slots=True, eq=False)
class Chart:
    """A plotly figure, a sentence saying what it shows, and the table behind it.

    The table always follows the chart, for readers who cannot use the chart
    and for print.
    """

    figure: go.Figure
    description: str
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class EssayRef:
    """A link from the body of a report to an entry of its essays appendix."""

    anchor: str
    title: str
    author: str
    pages: str
    reason: str


@dataclass(frozen=True, slots=True)
class PriorityCard:
    """One ranked priority: why it is ranked here, what to do next, what to read."""

    rank: int
    title: str
    score: str
    why: str
    next_steps: tuple[str, ...]
    essays: tuple[EssayRef, ...]
    #: A criterion's own words in the pamphlet, a theme's law today.
    context: tuple[str, ...] = ()
    #: What each question asks one level up ("" and () when the score is already 5).
    climb_heading: str = ""
    climb: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Priorities:
    cards: tuple[PriorityCard, ...]
    empty: str = "No dimension has a score yet, so there are no priorities."


@dataclass(frozen=True, slots=True)
class EssayEntry:
    """One essay in the appendix: the target of `EssayRef.anchor`."""

    anchor: str
    title: str
    author: str
    role: str
    pages: str
    summary: str
    cited_for: str = ""


@dataclass(frozen=True, slots=True)
class EssayList:
    entries: tuple[EssayEntry, ...]
    empty: str = "No essay is cited in this report."


@dataclass(frozen=True, slots=True)
class Note:
    """A note someone wrote (evidence for an answer; later, a facilitator's note).

    ``text`` keeps its line breaks; ``details`` are short labelled facts about it.
    """

    heading: str
    details: tuple[tuple[str, str], ...]
    text: str


@dataclass(frozen=True, slots=True)
class Notes:
    items: tuple[Note, ...]
    empty: str = "No notes were written."


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a reference list: a title, then what follows it ("Robin Tuddenham,
    pages 6–7 (P1, P3)"). ``href`` links the title: only an http(s) address is ever
    linked (`linkable`); anything else leaves the title as plain text."""

    title: str
    detail: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class References:
    items: tuple[Reference, ...]
    empty: str = "Nothing to list."


def linkable(href: str) -> bool:
    """True for an absolute http(s) address: a link the report may carry (never
    ``javascript:`` or ``data:``, whatever a proxy put in the page's address)."""
    return href.startswith(("https://", "http://")) and not any(c.isspace() for c in href)


Block = Paragraphs | Facts | Callouts | Table | Chart | Priorities | Notes | EssayList | References


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a report. ``id`` becomes its anchor; ``new_page`` starts
    it on a new printed page."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    intro: str = ""
    new_page: bool = False


def table_from_frame(
    frame: pd.DataFrame,
    caption: str,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    note: str = "",
    wide: bool = False,
    label: str | None = None,
) -> Table:
    """A `Table` from a frame: blanks as "–", floats with one decimal (halves up),
    booleans as "Yes"/"", anything else as text; numeric columns right-aligned.

    `formats` overrides the formatting of named columns; `label` names the column
    of names.
    """
    formats = formats or {}
    numeric = frozenset(
        i
        for i, column in enumerate(frame.columns)
        if pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    )
    rows = tuple(
        tuple(
            formats[str(column)](value) if str(column) in formats else cell_text(value)
            for column, value in zip(frame.columns, record, strict=True)
        )
        for record in frame.itertuples(index=False, name=None)
    )
    columns = tuple(str(c) for c in frame.columns)
    where = columns.index(label) if label in columns else None
    return Table(caption, columns, rows, numeric, note, wide, where)


def cell_text(value: Any) -> str:
    """One cell as people read it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, float):
        return BLANK if math.isnan(value) else fmt_score(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell_text(value.item())
    return str(value)
