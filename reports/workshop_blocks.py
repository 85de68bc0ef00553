"""The tables and charts of the workshop report, each built from a `Dashboard` or a
`RoundComparison` as `reports.blocks`.

Why: every chart in a report is followed by the table behind it, for readers
who cannot use the chart and for print; `reports.workshop` arranges these
blocks into sections. Numbers are written as everywhere else in Ladder: scores
with one decimal (halves up), agreement statistics with two, shares as whole
percentages, a blank as "–". Only what the dashboard shows is tabled, so the
anonymity threshold k holds here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from corpus.model import Corpus
from questions.model import Bank
from reports.blocks import (
    BLANK,
    Block,
    Paragraphs,
    Reference,
    References,
    Section,
    Table,
    linkable,
    table_from_frame,
)
from reports.sections import pages_text
from scoring.format import fmt_percent, fmt_score
from scoring.workshop.model import Dashboard
from scoring.workshop.role_figures import GAP_MARK
from scoring.workshop.rounds import RoundComparison
from scoring.workshop.screens import dimension_words
from scoring.workshop.text import fmt_agreement

__all__ = [
    "agreed_table_block",
    "agreement_table",
    "dk_table",
    "essays_section",
    "moved_table",
    "role_numbers",
    "split_change_table",
    "split_counts",
]

NO_SPLITS = "No question splits the room: the room agrees on each, or too many don't know."
#: A question's class in the words the app and docs/method.md use.
_CLASS_NAMES = {
    "polarised": "Two camps",
    "spread": "Scattered",
    "consensus": "Agree",
    "insufficient": "Many don't know",
}


def agreement_table(d: Dashboard) -> Table:
    """Per dimension: the room in a word, then the numbers behind it."""
    rows = d.dimensions
    table = pd.DataFrame(
        {
            "ID": rows["dimension"],
            "Dimension": rows["name"],
            "The room": dimension_words(d)["word"].str.capitalize().to_numpy(),
            "Middle level": rows["median"],
            "People": rows["n"],
            "Agreement index": rows["rwg_star"],
            "Distance from the middle": rows["ad_md_mean"],
            "Answered": rows["coverage"],
        }
    )
    return table_from_frame(
        table,
        "Agreement by dimension: the numbers",
        {
            "Agreement index": _agreement,
            "Distance from the middle": _agreement,
            "Answered": _percent,
        },
        note="Agreement index: 1 when everyone gave the same level, 0 no more agreement than "
        "chance, below 0 a room split more than chance would give. Distance from the middle: "
        "how far answers sit from each question's middle level, on average, in levels. "
        'Answered: the share of answers that gave a level rather than "don\'t know". A dash: '
        f"fewer than {d.k} people.",
        wide=True,
        label="Dimension",
    )


def split_counts(d: Dashboard) -> Block:
    """Every split question with how many chose each level (the split chart's table)."""
    splits = d.splits
    if splits.empty:
        return Paragraphs((NO_SPLITS,))
    table = pd.DataFrame(
        {
            "Question": splits["question_id"],
            "Text": splits["text"],
            "How it splits": splits["class"].map(_CLASS_NAMES),
            **{str(lv): splits[f"level_{lv}"].astype("int64") for lv in range(1, 6)},
            "Don't know": splits["dk"].astype("int64"),
        }
    )
    return table_from_frame(
        table, "Where we split: how many chose each level", wide=True, label="Text"
    )


def role_numbers(d: Dashboard) -> Block:
    """Dimensions x shown roles, the gap and its mark (the dashboard's role heatmap, as a
    table: in print it says the same in a third of the space)."""
    if not d.shown_roles:
        return Paragraphs((f"No role has {d.k} or more people with levels yet.",))
    medians = d.role_medians
    wide = medians.pivot(index="dimension", columns="role", values="median").reindex(
        index=list(d.dimensions["dimension"]), columns=list(d.shown_roles)
    )
    gaps = d.role_gaps.set_index("dimension").reindex(wide.index)
    table = pd.DataFrame({"ID": wide.index, "Dimension": list(d.dimensions["name"])})
    for role in d.shown_roles:
        table[d.role_labels[role]] = wide[role].to_numpy()
    table["Gap"] = gaps["gap"].to_numpy(dtype=float)
    table["A level apart"] = [GAP_MARK if flag else "" for flag in gaps["gap_flag"]]
    return table_from_frame(
        table,
        f"Each role's middle level, round {d.round}",
        note=f"{GAP_MARK} marks a dimension on which the highest and lowest roles are a level or "
        f"more apart. A dash: fewer than {d.k} people of that role scored it.",
        wide=True,
        label="Dimension",
    )


def moved_table(c: RoundComparison) -> Table:
    """Each dimension's middle level in both rounds and the change."""
    moved = c.moved
    table = pd.DataFrame(
        {
            "ID": moved["dimension"],
            "Dimension": moved["name"],
            f"Round {c.first}": moved["median_first"],
            f"Round {c.second}": moved["median_second"],
            "Change": moved["change"],
        }
    )
    return table_from_frame(
        table,
        f"What moved from round {c.first} to round {c.second}",
        {"Change": _signed},
        label="Dimension",
    )


def split_change_table(c: RoundComparison) -> tuple[Table | None, Table | None]:
    """The splits that closed and the new splits, each as a table (None when there are none)."""
    return (
        _changes(c.closed, f"Splits closed in round {c.second}", c),
        _changes(c.opened, f"New splits in round {c.second}", c),
    )


def agreed_table_block(agreed: pd.DataFrame, d: Dashboard) -> Table:
    """Per dimension: the room in a word, its middle level and middle half (``d``, the
    round the agreed levels are set against), and the level it agreed."""
    rows = d.dimensions.set_index("dimension").reindex(agreed["dimension"])
    table = pd.DataFrame(
        {
            "ID": agreed["dimension"],
            "Dimension": agreed["name"],
            "The room": dimension_words(d)
            .set_index("dimension")
            .reindex(agreed["dimension"])["word"]
            .fillna("")
            .str.capitalize()
            .to_numpy(),
            "Room's middle level": agreed["median"],
            "Middle half": [_range(a, b) for a, b in zip(rows["q1"], rows["q3"], strict=True)],
            "Agreed": [
                BLANK if pd.isna(a) else f"{int(a)} {label}"
                for a, label in zip(agreed["agreed"], agreed["agreed_label"], strict=True)
            ],
            "Status": [
                "Uncertain" if u else (s.capitalize() if s else "Not recorded")
                for s, u in zip(agreed["status"], agreed["uncertain"], strict=True)
            ],
        }
    )
    return table_from_frame(
        table,
        f"Round {d.round}: the room and the levels it agreed",
        note="Middle half: the middle half of the room's scores, from the lower to the upper "
        f"quartile. A dash: fewer than {d.k} people, or nothing recorded. Any note or dissent "
        "follows the table.",
        wide=True,
        label="Dimension",
    )


def dk_table(d: Dashboard) -> Block:
    """Questions with 30 % or more "don't know", largest share first."""
    items = d.dk_items
    if items.empty:
        return Paragraphs(('No question had 30 % or more "don\'t know" answers.',))
    table = pd.DataFrame(
        {
            "Question": items["question_id"],
            "Text": items["text"],
            "Dimension": items["dimension"],
            "Levels given": items["n"].astype("int64"),
            "Don't know": items["dk"].astype("int64"),
            "Share": items["dk_share"],
        }
    )
    return table_from_frame(
        table, '"Don\'t know" hot spots', {"Share": _percent}, wide=True, label="Text"
    )


def essays_section(
    bank: Bank,
    corpus: Corpus,
    dimensions: Sequence[str],
    links: Mapping[str, str] | None = None,
) -> Section:
    """The essays behind the workshop's dimensions, as a short reference list: title, author,
    pages and the dimensions they stand behind (by id). ``links`` maps an essay's id to its
    page in Ladder (`reports.blocks.linkable` addresses only), where its summary is."""
    links = links or {}
    cited: dict[str, list[str]] = {}
    for dim in dict.fromkeys(dimensions):
        for essay_id in bank.dimension(dim).essays:
            if essay_id in corpus.ids:
                cited.setdefault(essay_id, []).append(dim)
    items = tuple(
        Reference(
            (essay := corpus.essay(essay_id)).title,
            f"{essay.author}, {pages_text(corpus, essay_id)} ({', '.join(dims)})",
            links.get(essay_id, ""),
        )
        for essay_id, dims in cited.items()
    )
    where = (
        "Each title links to Ladder's summary of the essay."
        if any(linkable(i.href) for i in items)
        else "Ladder's summary of each essay is on its page The essays."
    )
    return Section(
        "essays",
        "Essays behind these dimensions",
        (References(items, "No essay stands behind these dimensions."),),
        intro="From The 'big society': next practice and public service futures (ed. Robin "
        "Tuddenham, SOLACE Foundation Imprint, 2010), with the dimensions each stands behind. "
        f"{where}",
    )


def _changes(frame: pd.DataFrame, caption: str, c: RoundComparison) -> Table | None:
    if frame.empty:
        return None
    table = pd.DataFrame(
        {
            "Question": frame["question_id"],
            "Text": frame["text"],
            f"Round {c.first}": frame["class_first"].map(_CLASS_NAMES),
            f"Round {c.second}": frame["class_second"].map(_CLASS_NAMES),
            f"Distance from the middle, round {c.first}": frame["ad_md_first"],
            f"Distance from the middle, round {c.second}": frame["ad_md_second"],
        }
    )
    formats = {
        f"Distance from the middle, round {c.first}": _agreement,
        f"Distance from the middle, round {c.second}": _agreement,
    }
    return table_from_frame(table, caption, formats, wide=True, label="Text")


def _range(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return BLANK
    return f"{fmt_score(low)}–{fmt_score(high)}"


def _agreement(value: float) -> str:
    return BLANK if pd.isna(value) else fmt_agreement(float(value))


def _percent(value: float) -> str:
    return BLANK if pd.isna(value) else fmt_percent(float(value))


def _signed(value: float) -> str:
    """ "+0.5", "-1.0", "0.0"; a blank as "–"."""
    if pd.isna(value):
        return BLANK
    text = fmt_score(abs(float(value)))
    return text if text == "0.0" else f"{'+' if value > 0 else '-'}{text}"
