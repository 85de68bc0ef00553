"""The sections of a self-assessment report, built from `scoring.assessment.results.Results`.

Why: what a report says is decided here, as plain data (`reports.blocks`),
and how it looks in `reports.html`. The workshop and comparison reports can
reuse these builders (the headline, the priorities, the method note, the
essays appendix) and add their own sections.

Every number and sentence comes from `scoring` (results, summary, figures):
nothing is recomputed here, so the report agrees with the results page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from corpus.model import Corpus
from questions.guide import Rung, context_lines
from questions.links import EssayLink
from questions.model import Bank, Scale
from reports.blocks import (
    BLANK,
    Callout,
    Callouts,
    Chart,
    EssayEntry,
    EssayList,
    EssayRef,
    Facts,
    Paragraphs,
    Priorities,
    PriorityCard,
    Section,
    table_from_frame,
)
from reports.evidence import evidence_section, withheld_section
from reports.plan import plan_section
from scoring import plots
from scoring.assessment import figures
from scoring.assessment.results import Priority, Results, results_table
from scoring.assessment.text import title
from scoring.format import fmt_score, fmt_target, join, respondents
from storage import Plan

__all__ = [
    "charts_sections",
    "dimensions_section",
    "essay_anchors",
    "essays_section",
    "headline_section",
    "level_facts",
    "method_section",
    "pages_text",
    "priorities_section",
    "self_assessment_sections",
]

#: results_table columns that are left out when nothing in them has a value.
_OPTIONAL = ("Target", "Gap", "Priority", "Reach", "Reach gap")
#: What each level means in general (docs/method.md "The scale"); every question words its own.
LEVEL_MEANINGS: dict[int, str] = {
    1: "Nothing in place, or only informal effort by individuals.",
    2: "One service, team or area does it, on a decision on record.",
    3: "Several (at least two) services, teams or areas do it.",
    4: "Most (more than half) of those the question covers do it.",
    5: "As level 4, and the council's own records show it reviewed at least yearly and "
    "changed by what was learned.",
}


def self_assessment_sections(
    results: Results,
    corpus: Corpus,
    answers: pd.DataFrame,
    bank: Bank,
    plan: Plan | None = None,
    *,
    notes: bool = True,
) -> tuple[Section, ...]:
    """The self-assessment report, in reading order (the action plan only when it holds any
    action). ``notes``: False for a published result's report, whose evidence notes stay with
    their owner (`withheld_section` says so in their place)."""
    anchors = essay_anchors(results.priorities)
    planned = plan_section(plan, bank)
    return (
        headline_section(results),
        priorities_section(results.priorities, corpus, anchors, bank),
        *((planned,) if planned is not None else ()),
        *charts_sections(results),
        dimensions_section(results),
        evidence_section(answers, bank, results.scale) if notes else withheld_section(),
        method_section(results.scale),
        essays_section(results.priorities, corpus, anchors),
    )


def headline_section(results: Results) -> Section:
    """Two figures, never one: the median of the dimension scores *and* the weakest."""
    h = results.headline
    if h.median is None:
        median = Callout("Median of the dimension scores", "No score yet", f"0 of {h.asked} scored")
        weakest = Callout("Weakest dimension", BLANK, "no dimension has a score")
    else:
        median = Callout(
            "Median of the dimension scores",
            f"{fmt_score(h.median)} {h.level}",
            f"{h.defined} of {h.asked} dimensions scored; {respondents(results.n_respondents)}",
        )
        names = join([title(r) for r in h.weakest])
        level = h.weakest[0].level if h.weakest else ""
        label = "Weakest dimension" if len(h.weakest) == 1 else "Weakest dimensions (tied)"
        weakest = Callout(label, names, f"{fmt_score(h.weakest_score or 0.0)} {level}")
    return Section(
        "summary",
        "Summary",
        (Callouts((median, weakest)), Paragraphs(results.summary)),
        intro="Scores run from 1 (Not yet) to 5 (Leading). The headline never rests on one "
        "number: a strength in one place can hide a gap in another.",
    )


def essay_anchors(priorities: Sequence[Priority]) -> dict[str, str]:
    """Essay id -> appendix anchor, in order of first citation."""
    anchors: dict[str, str] = {}
    for priority in priorities:
        for link in priority.leading_essays:
            anchors.setdefault(link.essay.id, f"essay-{len(anchors) + 1}")
    return anchors


def priorities_section(
    priorities: Sequence[Priority], corpus: Corpus, anchors: dict[str, str], bank: Bank
) -> Section:
    """The top priorities, each with why, the next steps, what the next level asks and the
    essays behind it."""
    cards = tuple(_card(p, corpus, anchors, bank) for p in priorities)
    return Section(
        "priorities",
        f"Top {len(cards)} priorities" if len(cards) > 1 else "Priorities",
        (Priorities(cards),),
        intro="Ranked by the gap to your target (a marked priority counts double); with no "
        "targets, by the lowest scores. The weakest dimension is never left out for want of a "
        "target. Each links to the essays that argue for it.",
    )


def _card(priority: Priority, corpus: Corpus, anchors: dict[str, str], bank: Bank) -> PriorityCard:
    row = priority.dimension
    score = BLANK
    if row.score is not None:
        score = f"Score {fmt_score(row.score)} ({row.level}), n = {row.n}"
    if row.target is not None:
        score += f"; target {fmt_target(row.target)}"
    return PriorityCard(
        rank=priority.rank,
        title=title(row),
        score=score,
        why=priority.why,
        next_steps=priority.next_steps,
        context=context_lines(bank.dimension(row.id), corpus),
        climb_heading=_climb_heading(priority),
        climb=tuple(_climb_line(rung) for rung in priority.climb),
        essays=tuple(
            _ref(link, corpus, anchors[link.essay.id]) for link in priority.leading_essays
        ),
    )


def _climb_heading(priority: Priority) -> str:
    if not priority.climb:
        return ""
    rung = priority.climb[0]
    return f"What level {rung.level} ({rung.label}) asks"


def _climb_line(rung: Rung) -> str:
    tail = f" Look for: {rung.look_for}" if rung.look_for else ""
    return f"{rung.question_id}: {rung.descriptor}{tail}"


def _ref(link: EssayLink, corpus: Corpus, anchor: str) -> EssayRef:
    e = link.essay
    return EssayRef(anchor, e.title, e.author, pages_text(corpus, e.id), link.reason)


def pages_text(corpus: Corpus, essay_id: str) -> str:
    """ "pages 6–9", or "page 6" for a one-page essay."""
    start, end = corpus.pages(essay_id)
    return f"page {start}" if end <= start else f"pages {start}–{end}"


def charts_sections(results: Results) -> tuple[Section, ...]:
    """The criteria radar, the theme radar and the heatmap, each followed by its table."""
    themes = any(r.kind == "theme" for r in results.rows)
    criteria_blocks: list[Chart | Paragraphs] = [_radar(results, "criterion")]
    if not themes:
        criteria_blocks.append(
            Paragraphs(("No themes were asked on this form, so there is no theme profile.",))
        )
    out = [Section("criteria", "The six next-practice criteria", tuple(criteria_blocks))]
    if themes:
        out.append(Section("themes", "The essay themes", (_radar(results, "theme"),)))
        out.append(Section("heatmap", "Themes by criterion", (_heatmap(results),)))
    return tuple(out)


def _radar(results: Results, family: str) -> Chart:
    table = figures.radar_table(results, family)
    if table["Target"].isna().all():
        table = table.drop(columns="Target")
    full = results_table(results).set_index("ID")
    if family == "theme" and full["Reach"].notna().any():  # drawn in the chart, so tabled too
        table["Reach"] = [full.at[i, "Reach"] for i in table["ID"]]
    kind = "criterion" if family == "criterion" else "theme"
    return Chart(
        figures.radar(results, family),
        f"Each spoke is one {kind}; the solid line joins the median scores, from 1 (Not yet) at "
        "the centre to 5 (Leading) at the edge. A gap in the line is a dimension with no score. "
        "The table gives the same numbers.",
        table_from_frame(
            table, f"The {plots.FAMILIES[family].lower()} as a table", label="Dimension"
        ),
    )


def _heatmap(results: Results) -> Chart:
    names = {r.id: r.name for r in results.rows}
    frame = results.heatmap
    figure = plots.heatmap(frame, results.heatmap_cells, names, results.scale)
    table = frame.copy()
    table.index = [f"{names.get(str(t), t)} ({t})" for t in frame.index]
    table = table.rename_axis("Theme").reset_index()
    return Chart(
        figure,
        "Each cell is the median level of the answers to one theme's questions that exercise "
        "one criterion. A dash means no question, or no answer, on that pair.",
        table_from_frame(table, "Themes by criterion as a table", wide=True, label="Theme"),
    )


def dimensions_section(results: Results) -> Section:
    """Every dimension asked, criteria and themes in two tables, with n, coverage and
    (where anything is set) targets, priority and reach."""
    # "Don't know %" is 100 - coverage: one of the two is enough.
    table = results_table(results).drop(columns="Don't know %")
    empty = [c for c in _OPTIONAL if not _has_values(table[c])]
    table = table.drop(columns=empty)
    formats = {"Level": lambda v: v or BLANK, "Coverage %": _percent_cell}
    note = (
        "Score: the median of the respondents' scores; n: how many people it rests on; "
        'coverage: the share of answers that gave a level rather than "don\'t know".'
    )
    if empty:
        note += f" Not shown, as nothing was set: {join(empty)}."
    tables = [
        table_from_frame(
            part.drop(columns="Family").reset_index(drop=True),
            caption,
            formats,
            wide=True,
            label="Dimension",
        )
        for family, caption in (("Criterion", "Criteria"), ("Theme", "Themes"))
        if len(part := table[table["Family"] == family])
    ]
    if tables:
        tables[-1] = replace(tables[-1], note=note)
    return Section("dimensions", "Every dimension", tuple(tables))


def _has_values(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column):
        return bool(column.any())
    return bool(column.notna().any())


def _percent_cell(value: float | None) -> str:
    """results_table percentages are already whole numbers: 85.0 -> "85 %"."""
    return BLANK if value is None or pd.isna(value) else f"{float(value):.0f} %"


def level_facts(scale: Scale) -> Facts:
    """The scale's five levels, each with what it means in general."""
    return Facts(
        tuple((f"{level} {label}", LEVEL_MEANINGS.get(level, "")) for level, label in scale.levels)
    )


def method_section(scale: Scale) -> Section:
    """How the numbers are made, in short; docs/method.md has the rest."""
    levels = level_facts(scale).items
    options = tuple((label, "Never turned into a number.") for _, label in scale.options)
    labels = dict(scale.options)
    dont_know, not_applicable = labels.get("dk", "Don't know"), labels.get("na", "Not applicable")
    return Section(
        "method",
        "How the scores are made",
        (
            Facts(levels + options),
            Paragraphs(
                (
                    "A person's score on a dimension is the average of their levels on its "
                    "questions (weighted where a question carries a weight). It is given only "
                    "when they answered at least half of the questions that applied to them.",
                    "A group's score is the median of its members' scores, so one very high or "
                    "low rating cannot pull it about; n says how many people it rests on.",
                    f'"{dont_know}" and "{not_applicable}" are left out of '
                    "every score. Coverage is the share of answers that gave a level; 30 % or "
                    'more "don\'t know" is flagged, as a finding in itself.',
                    "A score is labelled with the nearest level, halves rounding up: 2.5 reads "
                    f"as {scale.level_label(3)}, 2.4 as {scale.level_label(2)}.",
                    "Equity questions (does practice reach the most deprived and least heard?) "
                    "are shown as reach beside their theme, never added into its score.",
                    "This is a structured self-assessment, not an inspection: small differences "
                    "between dimensions are often within the noise. The full method, with its "
                    "references, is in docs/method.md (the Method page in Ladder).",
                )
            ),
        ),
    )


def essays_section(
    priorities: Sequence[Priority], corpus: Corpus, anchors: dict[str, str]
) -> Section:
    """The essays the priorities cite: title, author, pages and our summary."""
    cited: dict[str, list[str]] = {}
    for priority in priorities:
        for link in priority.essays:
            cited.setdefault(link.essay.id, []).append(title(priority.dimension))
    entries = tuple(
        EssayEntry(
            anchor,
            (essay := corpus.essay(essay_id)).title,
            essay.author,
            essay.role or "",
            pages_text(corpus, essay_id),
            essay.summary,
            f"Cited for {join(cited.get(essay_id, []))}." if cited.get(essay_id) else "",
        )
        for essay_id, anchor in anchors.items()
    )
    return Section(
        "essays",
        "Essays cited",
        (EssayList(entries),),
        intro="From The 'big society': next practice and public service futures (ed. Robin "
        "Tuddenham, SOLACE Foundation Imprint, 2010). Summaries in Ladder's own words.",
        new_page=True,
    )
