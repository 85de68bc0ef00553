"""The comparison report's sections: a body of three or four printed pages (what is
compared and its largest differences, the profiles, the heatmap, change over time, a
comparison group's median when one was chosen), then an appendix from a new page with every
finding, difference and score, the change's numbers, what was left out and how the noise
is judged.

Why: the same sections feed the HTML report (and its PDF); keeping them apart
from the exports keeps both modules small. The profiles and the group's median are
in `reports.compare_profiles`. Every number comes from
`scoring.comparison.results`; every block is plain `reports.blocks` data, escaped when
`reports.html.render_sections` draws it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from questions.model import Bank
from reports.blocks import BLANK, Chart, Paragraphs, Section, Table, table_from_frame
from reports.compare_profiles import (
    GROUP_SECTION,
    GROUP_TOO_FEW,
    ChosenGroup,
    area_of,
    confidence_words,
    date_of,
    group_section,
    profile_section,
    scores_section,
)
from scoring.comparison.figures import change_chart, compare_heatmap
from scoring.comparison.results import Change, Comparison
from scoring.comparison.text import largest_differences
from scoring.format import fmt_score
from scoring.intervals import LARGER, NO_SCORE, TOO_FEW, WITHIN

__all__ = [
    "APPENDIX",
    "COMPARE_SECTIONS",
    "GROUP_SECTION",
    "GROUP_TOO_FEW",
    "ChosenGroup",
    "comparison_sections",
]

#: The report's sections (their anchors), in reading order: the body (what is compared
#: and its largest differences, the profiles, the heatmap, change over time), then the
#: appendix from a new page (every finding and difference, every score, the change's
#: numbers, what was left out, the method). `GROUP_SECTION` comes after "change" when a
#: comparison group was chosen.
COMPARE_SECTIONS: tuple[str, ...] = (
    "compared",
    "criteria",
    "heatmap",
    "change",
    "differences",
    "scores",
    "change-numbers",
    "left-out",
    "method",
)
#: The first section of the appendix: it starts a new printed page.
APPENDIX = "differences"


def comparison_sections(
    bank: Bank,
    comparison: Comparison,
    change: Change | None = None,
    left_out: Sequence[str] = (),
    group: ChosenGroup | None = None,
    entries: Mapping[str, str] | None = None,
) -> tuple[Section, ...]:
    """The comparison report's sections (`COMPARE_SECTIONS`, with `GROUP_SECTION` after
    "change" when a `group` was chosen), in reading order. ``entries`` says what each
    label is (e.g. "workshop round 2, Quick check"); without it the column is left out."""
    return (
        _compared(comparison, entries),
        # The criteria as a profile; the themes (sixteen spokes would be a tangle) in the
        # heatmap, which shows every dimension.
        profile_section(comparison, "criterion"),
        _heatmap(comparison),
        _change(change),
        *(() if group is None else (group_section(comparison, group),)),
        _differences(comparison),
        scores_section(comparison),
        _change_numbers(change),
        _left_out(left_out),
        _method(bank, comparison),
    )


def _compared(c: Comparison, entries: Mapping[str, str] | None = None) -> Section:
    kinds = ("Kind",) if entries else ()
    table = Table(
        "The assessments compared",
        ("Assessment", *kinds, "Area", "Date", "Respondents", "Role"),
        tuple(
            (
                label,
                *((entries.get(label, BLANK),) if entries else ()),
                area_of(c, label) or BLANK,
                date_of(c, label) or BLANK,
                str(c.respondents.get(label, 0)),
                "Reference" if label == c.reference else "",
            )
            for label in c.labels
        ),
        numeric=frozenset({3 + len(kinds)}),
        label=0,
    )
    largest = largest_differences(c.reference, c.differences, c.min_n)
    return Section(
        "compared",
        "What is compared, and what differs most",
        (
            table,
            *(
                (Paragraphs((f"The largest differences from {c.reference}:",)),)
                if (c.differences["verdict"] == LARGER).any()
                else ()
            ),
            Paragraphs(largest, bullets=True),
        ),
        intro="Each assessment is scored from its own raw answers, with the same rules; "
        "respondents counts the people with any answer.",
    )


def _differences(c: Comparison) -> Section:
    d = c.differences
    table = pd.DataFrame(
        {
            "Assessment": d["label"],
            "Dimension": [f"{n} ({i})" for n, i in zip(d["name"], d["dimension"], strict=True)],
            "Reference": [
                _with_n(m, n) for m, n in zip(d["median_reference"], d["n_reference"], strict=True)
            ],
            "Score": [_with_n(m, n) for m, n in zip(d["median"], d["n"], strict=True)],
            "Difference": d["difference"],
            "Interval": [_range(lo, hi) for lo, hi in zip(d["low"], d["high"], strict=True)],
            "Verdict": d["verdict"],
        }
    )
    return Section(
        APPENDIX,
        f"Appendix: differences from {c.reference}",
        (
            Paragraphs(c.sentences[1:]),
            table_from_frame(
                table,
                f"Each assessment against {c.reference} (the reference), dimension by dimension",
                {"Difference": _signed},
                note=f"Reference and Score: the median, with n. {_verdicts_note(c.min_n)}",
                wide=True,
                label="Dimension",
            ),
        ),
        intro="A difference counts as larger than the noise only when its interval leaves out "
        "zero; otherwise the two could well be the same.",
        new_page=True,
    )


def _heatmap(c: Comparison) -> Section:
    chart = Chart(
        compare_heatmap(c),
        "Each row is one dimension and each column one assessment (numbered, with a key "
        "under the chart, when there are more than three); the cell is the median score, "
        "darker for lower levels. A dash means no score. The appendix gives every score with "
        "its interval.",
    )
    return Section("heatmap", "All dimensions at a glance", (chart,))


def _change(change: Change | None) -> Section:
    if change is None:
        blocks: tuple[Any, ...] = (
            Paragraphs(
                ("No change over time is shown: this comparison is not one area at several dates.",)
            ),
        )
        return Section("change", "Change over time", blocks)
    chart = Chart(
        change_chart(change),
        f"Each row is one dimension: the open circle is {change.first}, the diamond "
        f"{change.last}, joined by a line; a bar shows a {confidence_words()} interval where n "
        "allows. The appendix gives the numbers.",
    )
    # The headline here; every dimension's move is in the appendix, in words and numbers.
    return Section("change", "Change over time", (Paragraphs(change.sentences[:1]), chart))


def _change_numbers(change: Change | None) -> Section:
    """Appendix: the change over time as numbers, first to last, then step by step."""
    if change is None:
        none = (Paragraphs(("No change over time is shown.",)),)
        return Section("change-numbers", "Appendix: change over time", none)
    t = change.table
    table = pd.DataFrame(
        {
            "ID": t["dimension"],
            "Dimension": t["name"],
            f"n {change.first}": t["n_first"],
            change.first: t["first"],
            f"n {change.last}": t["n_last"],
            change.last: t["last"],
            "Change": t["change"],
            "Interval of the change": [
                _range(lo, hi) for lo, hi in zip(t["low"], t["high"], strict=True)
            ],
            "Verdict": t["verdict"],
        }
    )
    blocks: tuple[Any, ...] = (
        Paragraphs(change.sentences[1:]),
        table_from_frame(
            table,
            f"From {change.first} to {change.last}",
            {"Change": _signed},
            note=_verdicts_note(change.comparison.min_n),
            wide=True,
            label="Dimension",
        ),
    )
    if len(change.labels) > 2:
        s = change.steps
        steps = pd.DataFrame(
            {
                "From": s["from"],
                "To": s["to"],
                "ID": s["dimension"],
                "Dimension": s["name"],
                "Change": s["change"],
                "Interval": [_range(lo, hi) for lo, hi in zip(s["low"], s["high"], strict=True)],
                "Verdict": s["verdict"],
            }
        )
        blocks += (
            table_from_frame(
                steps, "Step by step", {"Change": _signed}, wide=True, label="Dimension"
            ),
        )
    return Section("change-numbers", "Appendix: change over time", blocks)


def _left_out(left_out: Sequence[str]) -> Section:
    texts = tuple(left_out)
    block = (
        Paragraphs(texts, bullets=True)
        if texts
        else Paragraphs(("Nothing was left out: every assessment was compared as answered.",))
    )
    return Section(
        "left-out",
        "Appendix: what was left out of the comparison",
        (block,),
        intro="Assessments are compared only on the dimensions and questions they share.",
    )


def _method(bank: Bank, c: Comparison) -> Section:
    return Section(
        "method",
        "Appendix: how the noise is judged",
        (
            Paragraphs(
                (
                    "Each score is the median of the respondents' own scores on the dimension, "
                    "worked out from the raw answers with the same rules as every other Ladder "
                    "result; n is how many respondents have a score.",
                    f"Interval: the respondents of the assessment are drawn again at random, "
                    f"with replacement, {c.n_boot:,} times, and the median worked out each "
                    f"time; the middle {confidence_words()} of those medians is the interval (a "
                    "percentile bootstrap). It is drawn only where n is "
                    f"{c.min_n} or more; below that, n is too small to tell.",
                    "Difference: each draw resamples both assessments, and the difference of "
                    "their medians is kept. If the middle "
                    f"{confidence_words()} of those differences leaves out zero, the difference is "
                    f"{LARGER}; if it includes zero, it is {WITHIN}; if either assessment has "
                    f"fewer than {c.min_n} respondents with a score, {TOO_FEW}; and where one of "
                    f"them has no score at all, there is {NO_SCORE}.",
                    "The draws are seeded (seed "
                    f"{c.seed}), so the same answers always give the same intervals.",
                    "When everyone gives the same score, the interval has no width; that shows "
                    "agreement among those who answered, not certainty about the area.",
                    "An interval reflects only who happened to answer. It cannot correct for "
                    "different people answering in different places, or for a different form: "
                    "compare like with like, and read a comparison as a prompt for a "
                    "conversation, not a league table.",
                    "A comparison group's median is shown only when five or more of its areas "
                    "have results.",
                    f"Levels run from 1 {bank.scale.level_label(1)} to 5 "
                    f"{bank.scale.level_label(5)}; the full method is in docs/method.md.",
                )
            ),
        ),
    )


# ---------------------------------------------------------------- cells


def _with_n(median: float, n: int) -> str:
    """ "2.8 (n = 8)"; "– (n = 0)" without a score."""
    return f"{BLANK if pd.isna(median) else fmt_score(float(median))} (n = {int(n)})"


def _range(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return BLANK
    return f"{_signed(low)} to {_signed(high)}"


def _signed(value: float) -> str:
    """ "+0.5", "-1.0", "0.0"; a blank as "–"."""
    if pd.isna(value):
        return BLANK
    text = fmt_score(abs(float(value)))
    return text if text == "0.0" else f"{'+' if value > 0 else '-'}{text}"


def _verdicts_note(min_n: int) -> str:
    return (
        f"Verdict: {LARGER} when the interval of the difference leaves out zero; {WITHIN} when "
        f"it includes zero; {TOO_FEW} when either has fewer than {min_n} respondents with a "
        "score. The difference is the later (or compared) score minus the earlier (or reference)."
    )
