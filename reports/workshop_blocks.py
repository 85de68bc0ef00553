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

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from corpus.model import Corpus
from questions.model import Bank
from reports.blocks import (
    BLANK,
    Block,
    Chart,
    Paragraphs,
    Section,
    Table,
    table_from_frame,
)
from reports.sections import pages_text
from scoring.format import fmt_percent, fmt_score, join
from scoring.plots import FAMILIES
from scoring.workshop.model import Dashboard
from scoring.workshop.role_figures import GAP_MARK
from scoring.workshop.rounds import RoundComparison
from scoring.workshop.screens import dimension_words
from scoring.workshop.text import fmt_agreement

__all__ = [
    "agreed_table_block",
    "agreement_table",
    "dimension_tables",
    "dk_table",
    "essays_section",
    "moved_table",
    "participation_table",
    "role_numbers",
    "role_table",
    "split_change_table",
    "split_counts",
    "split_table",
]

NO_SPLITS = "No question splits the room: the room agrees on each, or too many don't know."
#: A question's class in the words the app and docs/method.md use.
_CLASS_NAMES = {
    "polarised": "Split: two camps",
    "spread": "Split: scattered",
    "consensus": "Agree",
    "insufficient": "Many don't know",
}


def dimension_tables(d: Dashboard, family: str, figure: go.Figure) -> Chart:
    """A family's band radar, followed by its middle levels, middle halves and people."""
    rows = d.dimensions[d.dimensions["family"] == family]
    table = pd.DataFrame(
        {
            "ID": rows["dimension"],
            "Dimension": rows["name"],
            "Middle level": rows["median"],
            "Level": rows["level"],
            "Middle half": [_range(a, b) for a, b in zip(rows["q1"], rows["q3"], strict=True)],
            "People": rows["n"],
        }
    )
    if family == "criterion":
        how = (
            "Each spoke is one criterion. The solid line joins the room's middle levels "
            "(medians), from 1 (Not yet) at the centre to 5 (Leading) at the edge; the shaded "
            "band runs from the lower to the upper quartile, so the middle half of the room "
            "lies inside it. A gap is a dimension without a score, or with fewer than "
            f"{d.k} people."
        )
    else:
        how = (
            "One row per theme, highest middle level first: the dot is the room's middle level "
            "(median) and the bar the middle half of the room (lower to upper quartile). A row "
            f"without a dot is a theme fewer than {d.k} people scored."
        )
    return Chart(
        figure,
        how,
        table_from_frame(
            table,
            f"The {FAMILIES[family].lower()}: middle level and middle half",
            {"Level": lambda v: v or BLANK},
            label="Dimension",
        ),
    )


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


def split_table(d: Dashboard, figure: go.Figure) -> Block:
    """The split questions' diverging bars and their level counts."""
    counts = split_counts(d)
    if not isinstance(counts, Table):
        return counts
    return Chart(
        figure,
        "One bar per question: how many people chose levels 1–2 (left of the line), 3 (across "
        "it) and 4–5 (right of it). Questions split into two camps come first, then the most "
        "scattered.",
        counts,
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


def participation_table(d: Dashboard) -> Table:
    """People per role in the round, for the roles the figures show (k or more each; the
    smaller roles together as "Other roles" once they reach k)."""
    table = pd.DataFrame({"Role": d.participation["label"], "People": d.participation["n"]})
    return table_from_frame(
        table,
        f"Who answered round {d.round}",
        note=f"{d.participants} people answered this round; the figures rest on {d.n} who gave "
        f"at least one level. A role with fewer than {d.k} people is not listed on its own.",
        label="Role",
    )


def role_table(d: Dashboard, figure: go.Figure) -> Block:
    """The role heatmap, then its table: dimensions x shown roles, the gap and its mark."""
    numbers = role_numbers(d)
    if not isinstance(numbers, Table):
        return numbers
    return Chart(
        figure,
        f"Each cell is one role's middle level on one dimension; {GAP_MARK} marks a row where "
        "the highest and lowest roles are a level or more apart. A dash is a dimension fewer "
        f"than {d.k} people of that role scored.",
        numbers,
    )


def role_numbers(d: Dashboard) -> Block:
    """Dimensions x shown roles, the gap and its mark (the role heatmap's table)."""
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
    return table_from_frame(table, "How roles see it", wide=True, label="Dimension")


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


def agreed_table_block(agreed: pd.DataFrame) -> Table:
    """The agreed level beside the computed median, per dimension."""
    table = pd.DataFrame(
        {
            "ID": agreed["dimension"],
            "Dimension": agreed["name"],
            "Room's middle level": agreed["median"],
            "Agreed": [
                BLANK if pd.isna(a) else f"{int(a)} {label}"
                for a, label in zip(agreed["agreed"], agreed["agreed_label"], strict=True)
            ],
            "Status": [
                "Uncertain" if u else (s.capitalize() if s else "Not recorded")
                for s, u in zip(agreed["status"], agreed["uncertain"], strict=True)
            ],
            "Agreed against the middle": agreed["difference"],
            "Dissent noted": [bool(str(t).strip()) for t in agreed["dissent"]],
        }
    )
    return table_from_frame(
        table,
        "Agreed levels beside the room's middle levels",
        {"Agreed against the middle": _signed},
        note="The notes and any dissent follow, dimension by dimension.",
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


def essays_section(bank: Bank, corpus: Corpus, dimensions: Sequence[str]) -> Section:
    """The essays behind the workshop's dimensions, as a short reference list: title, author,
    pages and the dimensions they stand behind (Ladder's summaries are on its essays page)."""
    cited: dict[str, list[str]] = {}
    for dim in dict.fromkeys(dimensions):
        dimension = bank.dimension(dim)
        for essay_id in dimension.essays:
            if essay_id in corpus.ids:
                cited.setdefault(essay_id, []).append(dimension.name)
    lines = tuple(
        f"{(essay := corpus.essay(essay_id)).title}, {essay.author}, "
        f"{pages_text(corpus, essay_id)}. Behind {join(names)}."
        for essay_id, names in cited.items()
    )
    return Section(
        "essays",
        "Essays behind these dimensions",
        (Paragraphs(lines or ("No essay stands behind these dimensions.",), bullets=bool(lines)),),
        intro="From The 'big society': next practice and public service futures (ed. Robin "
        "Tuddenham, SOLACE Foundation Imprint, 2010). Ladder's summary of each essay is on "
        "its page The essays.",
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
