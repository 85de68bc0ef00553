"""The comparison report's profiles: the criteria and themes as radars (their tables in
the appendix), and a chosen comparison group's median beside them; and the cells and names
the other sections share.

Why: `reports.compare_sections` arranges the whole report; the profile tables and the
group's median are one concept (each assessment's score per dimension, and a group's
median of them) and keep that module small. Every number comes from `scoring.comparison.results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reports.blocks import BLANK, Block, Chart, Paragraphs, Section, Table
from scoring.comparison.figures import OVERLAID_AT_MOST, overlay_radar, profile
from scoring.comparison.results import Comparison, group_median
from scoring.format import fmt_score
from scoring.intervals import CONFIDENCE
from scoring.plots import FAMILIES

__all__ = [
    "GROUP_SECTION",
    "GROUP_TOO_FEW",
    "ChosenGroup",
    "area_of",
    "confidence_words",
    "date_of",
    "dimension_name",
    "family_of",
    "group_section",
    "profile_section",
    "score_cell",
    "scores_section",
]

GROUP_SECTION = "group"
#: Why a chosen group's median is not shown (the compare page says the same).
GROUP_TOO_FEW = (
    "A group's median is shown only when five or more of its areas are among the "
    "assessments compared; here there are fewer."
)


@dataclass(frozen=True, slots=True)
class ChosenGroup:
    """A comparison group chosen on the compare page: its name, and the labels of the
    assessments compared that belong to its areas (in the comparison's order)."""

    name: str
    members: tuple[str, ...]


def profile_section(c: Comparison, family: str) -> Section:
    """The family's profile as a chart (`scoring.comparison.figures.profile`: overlaid for up
    to three assessments, one small radar each for more); its numbers are in the appendix
    (`scores_section`)."""
    section_id = "criteria" if family == "criterion" else "themes"
    heading = FAMILIES[family]
    if not _dims(c, family):
        return Section(
            section_id, heading, (Paragraphs((f"No {heading.lower()} were compared.",)),)
        )
    text = _radar_text(small=len(c.labels) > OVERLAID_AT_MOST, reference=c.reference)
    return Section(section_id, heading, (Chart(profile(c, family), text),))


def scores_section(c: Comparison) -> Section:
    """Appendix: every score with its interval and n, a table per family."""
    tables = tuple(
        _profile_table(c, dims, f"The {FAMILIES[family].lower()} compared")
        for family in ("criterion", "theme")
        if (dims := _dims(c, family))
    )
    return Section(
        "scores",
        "Appendix: every score",
        tables or (Paragraphs(("There are no scores to compare.",)),),
        intro="The numbers behind the profiles and the heatmap.",
    )


def group_section(c: Comparison, group: ChosenGroup) -> Section:
    """The group's members among those compared, then its median beside each assessment,
    or why it is not shown (the same rule and words as the page)."""
    median = group_median(c, group.members)
    shown = (Paragraphs((GROUP_TOO_FEW,)),) if median is None else _medians(c, group, median)
    return Section(
        GROUP_SECTION,
        f"Comparison group: {group.name}",
        (_members(c, group), *shown),
        intro="A comparison group is a named set of areas. Its median is, per dimension, the "
        "median of its members\u2019 median scores.",
    )


def _medians(c: Comparison, group: ChosenGroup, median: pd.DataFrame) -> tuple[Block, ...]:
    """As on the page: the criteria as a radar with the group's line (and its table); the
    themes as a table."""
    blocks: list[Block] = []
    for family in ("criterion", "theme"):
        dims = _dims(c, family)
        if not dims:
            continue
        caption = f"{FAMILIES[family]}: each assessment, and the median of {group.name}"
        table = _profile_table(c, dims, caption, median.set_index("dimension"))
        if family == "criterion":
            radar = overlay_radar(c, family, median, group.name)
            blocks.append(Chart(radar, _radar_text(group=True), table))
        else:
            blocks.append(table)
    return tuple(blocks)


def _members(c: Comparison, group: ChosenGroup) -> Table | Paragraphs:
    if not group.members:
        return Paragraphs(
            (f"None of the areas in {group.name} is among the assessments compared.",)
        )
    return Table(
        f"The assessments compared that belong to {group.name}",
        ("Assessment", "Area", "Date"),
        tuple((m, area_of(c, m) or BLANK, date_of(c, m) or BLANK) for m in group.members),
        label=0,
    )


def _dims(c: Comparison, family: str) -> list[str]:
    """The family's dimensions asked in any assessment, in bank order."""
    dims = [d for d in c.dimensions if (c.table["dimension"] == d).any()]
    return [d for d in dims if family_of(c, d) == family]


def _profile_table(
    c: Comparison, dims: Sequence[str], caption: str, group: pd.DataFrame | None = None
) -> Table:
    """Per dimension, each assessment's score cell; with a `group_median` frame indexed by
    dimension, the group's median in a last column."""
    extra = () if group is None else ("Group median",)
    rows = tuple(
        (d, dimension_name(c, d), *(score_cell(c, lb, d) for lb in c.labels))
        + (() if group is None else (_group_cell(group, d),))
        for d in dims
    )
    note = (
        f"Each cell: the median, its {confidence_words()} interval in brackets where "
        f"{c.min_n} or more respondents have a score, and n; \u201cnot asked\u201d where the "
        "assessment did not ask the dimension."
    )
    if group is not None:
        note += (
            " Group median: the median of the members\u2019 medians, and how many areas it rests "
            "on; blank where fewer than five members have a score."
        )
    columns = ("ID", "Dimension", *c.labels, *extra)
    return Table(caption, columns, rows, note=note, wide=len(columns) > 5, label=1)


def _radar_text(group: bool = False, small: bool = False, reference: str = "") -> str:
    median = "The group\u2019s median is the grey dotted line with hollow six-pointed stars. "
    if small:
        return (
            "One small radar per assessment: each spoke is one dimension, from 1 (Not yet) at "
            f"the centre to 5 (Leading) at the edge; the grey dotted line is {reference}, the "
            "reference. A gap in a line is a dimension with no score. The appendix gives the "
            "numbers."
        )
    return (
        "Each spoke is one dimension; each assessment is one line, with its own colour, marker "
        "and dash, from 1 (Not yet) at the centre to 5 (Leading) at the edge. A gap in a line is "
        f"a dimension with no score. {median if group else ''}"
        + ("The table gives the same numbers." if group else "The appendix gives the numbers.")
    )


def score_cell(c: Comparison, label: str, dim: str) -> str:
    row = c.table[(c.table["label"] == label) & (c.table["dimension"] == dim)]
    if row.empty:
        return "not asked"
    r = row.iloc[0]
    if pd.isna(r["median"]):
        return "no score (n = 0)"
    interval = f" [{r['interval']}]" if pd.notna(r["low"]) else ""
    return f"{fmt_score(float(r['median']))}{interval}, n = {int(r['n'])}"


def _group_cell(group: pd.DataFrame, dim: str) -> str:
    """ "3.0, median of 5 areas"; "– (4 areas with a score)" when hidden."""
    median, areas = group.at[dim, "median"], int(group.at[dim, "n_areas"])
    if pd.isna(median):
        return f"{BLANK} ({areas} areas with a score)"
    return f"{fmt_score(float(median))}, median of {areas} areas"


def family_of(c: Comparison, dim: str) -> str:
    return str(c.table.loc[c.table["dimension"] == dim, "family"].iloc[0])


def dimension_name(c: Comparison, dim: str) -> str:
    return str(c.table.loc[c.table["dimension"] == dim, "name"].iloc[0])


def confidence_words() -> str:
    return f"{round(CONFIDENCE * 100)} %"


def area_of(c: Comparison, label: str) -> str:
    about = c.info.get(label)
    return about.area if about else ""


def date_of(c: Comparison, label: str) -> str:
    """ "15 March 2026", or "" when not recorded."""
    about = c.info.get(label)
    day = about.assessed_on if about else None
    return f"{day.day} {day:%B %Y}" if day else ""
