"""The workshop report (HTML, and PDF through `reports.pdf`) and its data exports.

Why: after a workshop the room takes away what it saw on the projector — the
aggregate with its band, agreement per dimension, where it split, how roles saw
it, what moved between rounds, and the levels it agreed with dissent kept on
record — plus the raw answers for analysts. Every number comes from
`scoring.workshop.dashboard` and `scoring.workshop.rounds` (so k applies exactly as on the
dashboard); this module only arranges them as `reports.blocks` sections, which
`reports.html.render_sections` draws with autoescaping. No HTML is built here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pandas as pd

from corpus.model import Corpus
from questions.model import Bank
from reports.blocks import Callout, Callouts, Chart, Note, Notes, Paragraphs, Section
from reports.exports import ANSWER_COLUMNS, _plain, answers_csv, answers_rows
from reports.html import render_sections
from reports.meta import ReportMeta
from reports.sections import method_section
from reports.workbook import Sheet, workbook_bytes
from reports.workshop_blocks import (
    agreed_table_block,
    agreement_table,
    dimension_tables,
    dk_table,
    essays_section,
    moved_table,
    participation_table,
    role_numbers,
    role_table,
    split_change_table,
    split_counts,
    split_table,
)
from scoring.cli import DECIMALS
from scoring.consensus import DEFAULT_RULE, rule_sentence
from scoring.format import fmt_score, join
from scoring.workshop.dashboard import DIMENSION_COLUMNS
from scoring.workshop.figures import profile, role_heatmap, split_bars
from scoring.workshop.model import Dashboard
from scoring.workshop.style import waiting
from scoring.workshop.text import people
from scoring.workshop.views import Agreements, WorkshopViews, workshop_views

__all__ = [
    "WORKSHOP_SECTIONS",
    "dated",
    "render_workshop_report",
    "workshop_answers_csv",
    "workshop_sections",
    "workshop_workbook",
]

#: The report's sections (their anchors), in reading order: the summary in words, agreed
#: levels, what moved, splits and roles; then the appendix with the numbers; then the
#: essays as a short reference list.
WORKSHOP_SECTIONS: tuple[str, ...] = (
    "room",
    "agreed",
    "rounds",
    "splits",
    "roles",
    "aggregate",
    "agreement",
    "dont-know",
    "method",
    "essays",
)


def workshop_sections(
    bank: Bank,
    corpus: Corpus,
    answers: pd.DataFrame,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int,
    agreements: Agreements,
    rounds: Sequence[Any] = (),
    *,
    role_answers: pd.DataFrame | None = None,
    sent: Mapping[Any, int] | None = None,
    rule: str = DEFAULT_RULE,
) -> tuple[Section, ...]:
    """The workshop report's sections (`WORKSHOP_SECTIONS`), in reading order.

    For a workshop held in Ladder, ``answers``, ``role_answers`` and ``sent`` are the
    room's views (`storage.workshop.roomviews.history_frames`), so the report shows exactly what
    the room could see: nothing under k, and no figure the room's view did not show.
    ``rule`` is the workshop's consensus rule (`scoring.consensus.RULES`).
    """
    views = workshop_views(
        bank,
        answers,
        dimensions,
        roles,
        k,
        agreements,
        rounds,
        role_answers=role_answers,
        sent=sent,
        rule=rule,
    )
    d = views.latest
    return (
        _room(views),
        _agreed(views),
        _rounds(views),
        _splits(d),
        _roles(d),
        _aggregate(d),
        Section(
            "agreement",
            "Appendix: the numbers",
            _numbers(views) if d.shown else _waiting(d),
            intro="How closely the room's answers sit together on each dimension's questions, "
            "in the words used above and in numbers; then the tables behind the charts.",
        ),
        Section(
            "dont-know",
            "Appendix: \u201cdon\u2019t know\u201d hot spots",
            (dk_table(d),) if d.shown else _waiting(d),
            intro='Questions where 30 % or more of the answers were "don\'t know": a gap in '
            "what the room knows is a finding in itself.",
        ),
        _method(bank, k),
        essays_section(bank, corpus, dimensions),
    )


def render_workshop_report(
    meta: ReportMeta,
    bank: Bank,
    corpus: Corpus,
    answers: pd.DataFrame,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int,
    agreements: Agreements,
    rounds: Sequence[Any] = (),
    *,
    role_answers: pd.DataFrame | None = None,
    sent: Mapping[Any, int] | None = None,
    rule: str = DEFAULT_RULE,
) -> str:
    """The workshop report as one self-contained HTML document (see `workshop_sections`)."""
    sections = workshop_sections(
        bank,
        corpus,
        answers,
        dimensions,
        roles,
        k,
        agreements,
        rounds,
        role_answers=role_answers,
        sent=sent,
        rule=rule,
    )
    return render_sections(meta, sections, kicker="Ladder workshop report")


def workshop_answers_csv(answers: pd.DataFrame) -> bytes:
    """The answers as the stable long CSV, with the pseudonymous ids they are stored with
    (P1, P2 ...): `reports.exports.answers_csv`, with dates, not times (`dated`).

    Pass the rows the room's view allows (`storage.workshop.roomviews.RoomView.export_answers`):
    no round under k, no role under k."""
    return answers_csv(dated(answers))


def dated(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers with ``submitted_at`` (and ``updated_at``, if present) as dates only:
    a time to the second, beside a pseudonym, can say who sent it."""
    columns = [c for c in ("submitted_at", "updated_at") if c in answers.columns]
    return answers.assign(**{c: [_date(v) for v in answers[c]] for c in columns})


def _date(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return date.fromisoformat(text[:10]) if text else None


def workshop_workbook(
    meta: ReportMeta,
    bank: Bank,
    answers: pd.DataFrame,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int,
    agreements: Agreements,
    rounds: Sequence[Any] = (),
    *,
    role_answers: pd.DataFrame | None = None,
    sent: Mapping[Any, int] | None = None,
    export: pd.DataFrame | None = None,
    rule: str = DEFAULT_RULE,
) -> bytes:
    """An .xlsx with sheets Summary, Dimensions (every round; blank where k hides a
    number), Agreed levels and Answers (pseudonymous ids, dates not times).

    ``role_answers`` and ``sent`` as for `workshop_sections`; ``export`` is the rows the
    Answers sheet may carry (`storage.workshop.roomviews.RoomView.export_answers`; default:
    ``answers``).
    """
    views = workshop_views(
        bank,
        answers,
        dimensions,
        roles,
        k,
        agreements,
        rounds,
        role_answers=role_answers,
        sent=sent,
        rule=rule,
    )
    summary: list[list[Any]] = [["Report", label, value] for label, value in meta.facts()]
    summary += [["Workshop", "Smallest group ever shown (k)", str(k)]]
    summary += [["Workshop", "Consensus rule", rule_sentence(views.latest.rule)]]
    for dashboard in views.dashboards:
        part = f"Round {dashboard.round}"
        summary += [[part, str(i), s] for i, s in enumerate(dashboard.summary, start=1)]
    for comparison in views.comparisons:
        part = f"Round {comparison.first} to {comparison.second}"
        summary += [[part, str(i), s] for i, s in enumerate(comparison.summary, start=1)]
    dimension_rows = [
        [_plain(dashboard.round), *(_cell(v) for v in record)]
        for dashboard in views.dashboards
        for record in dashboard.dimensions[list(DIMENSION_COLUMNS)].itertuples(
            index=False, name=None
        )
    ]
    agreed = views.agreed
    return workbook_bytes(
        (
            Sheet("Summary", ("Part", "Item", "Detail"), summary),
            Sheet("Dimensions", ("round", *DIMENSION_COLUMNS), dimension_rows),
            Sheet(
                "Agreed levels",
                tuple(agreed.columns),
                [[_cell(v) for v in r] for r in agreed.itertuples(index=False, name=None)],
            ),
            Sheet(
                "Answers",
                ANSWER_COLUMNS,
                answers_rows(dated(answers if export is None else export)),
            ),
        )
    )


def _cell(value: Any) -> Any:
    """A spreadsheet cell: floats to the command line's decimals, blanks empty."""
    value = _plain(value)
    return round(value, DECIMALS) if isinstance(value, float) else value


#: Split questions the body's chart draws (every one is in the appendix's table).
CHARTED_SPLITS = 8
IN_APPENDIX = "The numbers behind it are in the appendix."


def _waiting(d: Dashboard) -> tuple[Paragraphs]:
    return (Paragraphs((waiting(d),)),)


def _room(views: WorkshopViews) -> Section:
    d = views.latest
    agreed = views.agreed
    decided = int((agreed["status"] == "agreed").sum())
    uncertain = int(agreed["uncertain"].sum())
    callouts = (
        Callout(f"Round {d.round}", people(d.participants), f"{d.n} gave at least one level"),
        Callout(
            "Rounds held", str(len(views.rounds)), "rounds " + join([str(r) for r in views.rounds])
        ),
        Callout(
            "Agreed levels",
            f"{decided} of {len(agreed)}",
            f"{uncertain} recorded as uncertain" if uncertain else "none recorded as uncertain",
        ),
    )
    return Section(
        "room",
        "The room",
        (Callouts(callouts), Paragraphs(d.summary)),
        intro=f"People rated privately; the figures below are for the room as a whole, and no "
        f"group of fewer than {d.k} people is shown on its own.",
    )


def _aggregate(d: Dashboard) -> Section:
    title = "Appendix: the room's profile"
    if not d.shown:
        return Section("aggregate", title, _waiting(d), new_page=True)
    blocks = tuple(
        dimension_tables(d, family, profile(d, family))
        for family in ("criterion", "theme")
        if (d.dimensions["family"] == family).any()
    )
    return Section(
        "aggregate",
        title,
        blocks,
        intro="The room's middle level (its median) on each dimension, with the middle half of "
        "the room (from the lower to the upper quartile) as a band.",
        new_page=True,
    )


def _splits(d: Dashboard) -> Section:
    blocks: tuple[Any, ...] = _waiting(d)
    if d.shown:
        top = replace(d, splits=d.splits.head(CHARTED_SPLITS))
        blocks = (_body(split_table(top, split_bars(top))),)
        more = len(d.splits) - CHARTED_SPLITS
        if more > 0:
            blocks += (
                Paragraphs(
                    (
                        f"And {more} more {'question splits' if more == 1 else 'questions split'} "
                        "the room: every split, with its counts, is in the appendix.",
                    )
                ),
            )
    return Section(
        "splits",
        "Where we split",
        blocks,
        intro="Questions on which the room splits into two camps (at least a third at levels "
        "1–2 and a third at 4–5) or is scattered, with how many chose each level. Only "
        f"questions that {d.k} or more people gave a level are shown. {rule_sentence(d.rule)}",
    )


def _numbers(views: WorkshopViews) -> tuple[Any, ...]:
    """The appendix's tables: agreement by dimension, every split's counts, the roles, and
    the splits that closed or opened between rounds."""
    d = views.latest
    blocks: list[Any] = [agreement_table(d)]
    if not d.splits.empty:
        blocks.append(split_counts(d))
    if d.shown_roles:
        blocks.append(role_numbers(d))
    for c in views.comparisons:
        if c.shown:
            blocks.extend(t for t in split_change_table(c) if t is not None)
    return tuple(blocks)


def _body(block: Any) -> Any:
    """A chart for the report's body: its table goes to the appendix (`_numbers`)."""
    if isinstance(block, Chart) and block.table is not None:
        return Chart(block.figure, f"{block.description} {IN_APPENDIX}", None)
    return block


def _roles(d: Dashboard) -> Section:
    blocks: list[Any] = [participation_table(d)]
    if d.shown:
        blocks.append(_body(role_table(d, role_heatmap(d))))
    else:
        blocks.extend(_waiting(d))
    if d.suppressed_roles:
        names = join([d.role_labels[r] for r in d.suppressed_roles])
        blocks.append(
            Paragraphs(
                (
                    f"Not shown as a role, as fewer than {people(d.k)} gave levels: {names}. "
                    "Their answers count in the room's figures.",
                )
            )
        )
    return Section(
        "roles",
        "How roles see it",
        tuple(blocks),
        intro="Each role's middle level on each dimension; a gap of a level or more between "
        "roles is "
        f"marked. A role with fewer than {people(d.k)} is not shown on its own; such roles are "
        f"shown together as \u201cOther roles\u201d once they reach {d.k}.",
    )


def _rounds(views: WorkshopViews) -> Section:
    if not views.comparisons:
        only = f"Only round {views.rounds[0]} was held, so there is nothing to compare."
        return Section("rounds", "Between rounds", (Paragraphs((only,)),))
    blocks: list[Any] = []
    for c in views.comparisons:
        blocks.append(Paragraphs(c.summary))
        if c.shown:
            blocks.append(moved_table(c))
    return Section(
        "rounds",
        "Between rounds",
        tuple(blocks),
        intro="What moved after discussion, and which splits closed (split in one round, "
        "agreed in the next).",
    )


def _agreed(views: WorkshopViews) -> Section:
    agreed = views.agreed
    notes = tuple(
        Note(
            f"{r['name']} ({r['dimension']})",
            (
                ("Status", str(r["status"]).capitalize()),
                ("Agreed", _agreed_text(r["agreed"], r["agreed_label"])),
                ("Room's middle level", _median_text(r["median"], r["level"])),
                ("Round", str(r["round"])),
            ),
            _note_text(r["note"], r["dissent"]),
        )
        for r in agreed.to_dict("records")
        if r["status"]
    )
    return Section(
        "agreed",
        "Agreed levels",
        (agreed_table_block(agreed), Notes(notes, "No agreed levels were recorded.")),
        intro="The levels the room agreed after discussion, kept beside the room's middle level "
        "(the median of its answers), never in place of it. A dimension the room could not "
        "agree is recorded as uncertain, with the dissent noted.",
    )


def _agreed_text(agreed: float, label: str) -> str:
    return "–" if pd.isna(agreed) else f"{int(agreed)} {label}"


def _median_text(median: float, level: str) -> str:
    return "–" if pd.isna(median) else f"{fmt_score(median)} ({level})"


def _note_text(note: str, dissent: str) -> str:
    parts = [note.strip() or "No note."]
    if dissent.strip():
        parts.append(f"Dissent: {dissent.strip()}")
    return "\n\n".join(parts)


def _method(bank: Bank, k: int) -> Section:
    base = method_section(bank.scale)
    extra = Paragraphs(
        (
            "Agreement on a question: the distance from the middle is the average distance of "
            "the answers from their median, in levels (0 when everyone chose the same level); "
            "the agreement index is 1 minus the variance of the answers divided by 2, the "
            "variance of random answers on five levels (1 is full agreement, 0 no more than "
            "chance; Lindell's r*wg(J) for a dimension, which may be negative).",
            "The room agrees on a question under the workshop's rule for agreement (named with "
            "the splits). It splits into two camps when at least a third of answers are at "
            "levels 1–2 and a third at 4–5, and is scattered otherwise. With fewer than three "
            'answers, or 30 % or more "don\'t know", there are too few to tell, or too many '
            "don't know. A dimension: the room agrees when it agrees on every question of it "
            "enough people answered, mostly agrees on at least half, and splits otherwise.",
            f"Small groups are protected: nothing is shown until {people(k)} have given a "
            f"level, and no role, dimension or question resting on fewer than {k} people is "
            "shown on its own; roles under that size are shown together as \u201cOther "
            f"roles\u201d once they reach {k}. Only answers people sent count, and the room's "
            f"figures change only when at least {k} more people's answers differ from what "
            "the room last saw, so no change can be traced to one person. The answer rows "
            "carry dates, not times. Agreed levels are recorded by the facilitator and kept "
            "apart from the room's middle levels.",
        )
    )
    return Section(
        base.id,
        f"Appendix: {base.title[:1].lower()}{base.title[1:]}",
        (*base.blocks, extra),
        intro=base.intro,
    )
