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
from datetime import date, datetime
from typing import Any

import pandas as pd

from corpus.model import Corpus
from questions.model import Bank
from reports.blocks import Callout, Callouts, Chart, Note, Notes, Paragraphs, Section
from reports.exports import ANSWER_COLUMNS, _plain, answers_csv, answers_rows
from reports.html import render_sections
from reports.meta import ReportMeta
from reports.plan import actions_sheet, plan_section
from reports.sections import level_facts
from reports.workbook import Sheet, workbook_bytes
from reports.workshop_blocks import (
    agreed_table_block,
    agreement_table,
    dk_table,
    essays_section,
    moved_table,
    role_numbers,
    split_change_table,
    split_counts,
)
from scoring.cli import DECIMALS
from scoring.consensus import DEFAULT_RULE, rule_sentence
from scoring.format import join
from scoring.plots import FAMILIES
from scoring.workshop.dashboard import DIMENSION_COLUMNS
from scoring.workshop.figures import band_dots
from scoring.workshop.model import Dashboard
from scoring.workshop.style import waiting
from scoring.workshop.text import people
from scoring.workshop.views import Agreements, WorkshopViews, workshop_views
from storage import Plan

__all__ = [
    "WORKSHOP_SECTIONS",
    "dated",
    "render_workshop_report",
    "workshop_answers_csv",
    "workshop_sections",
    "workshop_workbook",
]

#: The report's sections (their anchors), in reading order: the summary in words, agreed
#: levels beside the room's middle levels, what moved, splits and roles; then the appendix
#: with the numbers and the method in brief; then the essays as a short reference list.
WORKSHOP_SECTIONS: tuple[str, ...] = (
    "room",
    "agreed",
    "rounds",
    "splits",
    "roles",
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
    essay_links: Mapping[str, str] | None = None,
) -> tuple[Section, ...]:
    """The workshop report's sections (`WORKSHOP_SECTIONS`), in reading order.

    For a workshop held in Ladder, ``answers``, ``role_answers`` and ``sent`` are the
    room's views (`storage.workshop.roomviews.history_frames`), so the report shows exactly what
    the room could see: nothing under k, and no figure the room's view did not show.
    ``rule`` is the workshop's consensus rule (`scoring.consensus.RULES`); ``essay_links``
    maps an essay's id to its page in Ladder (`reports.workshop_blocks.essays_section`).
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
        Section(
            "agreement",
            "Appendix: the numbers",
            _numbers(views) if d.shown else _waiting(d),
            intro="How closely the room's answers sit together on each dimension's questions, "
            "in the words used above and in numbers.",
        ),
        Section(
            "dont-know",
            "Appendix: \u201cdon\u2019t know\u201d hot spots",
            (dk_table(d),) if d.shown else _waiting(d),
            intro='Questions where 30 % or more of the answers were "don\'t know": a gap in '
            "what the room knows is a finding in itself.",
        ),
        _method(bank, k),
        essays_section(bank, corpus, dimensions, essay_links),
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
    essay_links: Mapping[str, str] | None = None,
    plan: Plan | None = None,
) -> str:
    """The workshop report as one self-contained HTML document (see `workshop_sections`);
    with the room's action ``plan``, an "Action plan" section after the agreed levels."""
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
        essay_links=essay_links,
    )
    planned = plan_section(plan, bank, "from the levels the room agreed")
    if planned is not None:
        at = [s.id for s in sections].index("agreed") + 1
        sections = (*sections[:at], planned, *sections[at:])
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
    plan: Plan | None = None,
) -> bytes:
    """An .xlsx with sheets Summary, Dimensions (every round; blank where k hides a
    number), Agreed levels, Answers (pseudonymous ids, dates not times) and, when the room's
    action ``plan`` holds any action, Actions.

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
            *actions_sheet(plan, bank),
        )
    )


def _cell(value: Any) -> Any:
    """A spreadsheet cell: floats to the command line's decimals, blanks empty."""
    value = _plain(value)
    return round(value, DECIMALS) if isinstance(value, float) else value


def _waiting(d: Dashboard) -> tuple[Paragraphs]:
    return (Paragraphs((waiting(d),)),)


def _profile(d: Dashboard) -> tuple[Chart, ...]:
    """The room on each family of dimensions, as dot plots (none until the room is shown)."""
    families = [f for f in FAMILIES if d.shown and (d.dimensions["family"] == f).any()]
    return tuple(Chart(band_dots(d, f), _DOTS) for f in families)


def _room(views: WorkshopViews) -> Section:
    d = views.latest
    agreed = views.agreed
    decided = int((agreed["status"] == "agreed").sum())
    uncertain = int(agreed["uncertain"].sum())
    callouts = (
        Callout(f"Round {d.round}", people(d.participants), f"{d.n} gave at least one level"),
        Callout(
            "Rounds held",
            str(len(views.rounds)),
            f"round{'s' if len(views.rounds) > 1 else ''} {join([str(r) for r in views.rounds])}",
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
        (Callouts(callouts), *_profile(d), Paragraphs(d.summary)),
        intro=f"People rated privately; the figures below are for the room as a whole, and no "
        f"group of fewer than {d.k} people is shown on its own.",
    )


def _splits(d: Dashboard) -> Section:
    blocks = (split_counts(d),) if d.shown else _waiting(d)
    return Section(
        "splits",
        "Where we split",
        blocks,
        intro="Questions on which the room splits into two camps (at least a third at levels "
        "1–2 and a third at 4–5) or is scattered, with how many chose each level; two camps "
        "first, then the most scattered. Only questions that "
        f"{d.k} or more people gave a level are shown. {rule_sentence(d.rule)}",
    )


def _numbers(views: WorkshopViews) -> tuple[Any, ...]:
    """The appendix's tables: agreement by dimension, and the splits that closed or opened
    between rounds."""
    d = views.latest
    blocks: list[Any] = [agreement_table(d)]
    for c in views.comparisons:
        if c.shown:
            blocks.extend(t for t in split_change_table(c) if t is not None)
    return tuple(blocks)


def _roles(d: Dashboard) -> Section:
    blocks: list[Any] = [role_numbers(d)] if d.shown else [*_waiting(d)]
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


#: What the report's dot plots show (the agreed levels' table follows them).
_DOTS = (
    "The dot is the room's middle level (its median); the bar, the middle half of the room "
    "(lower to upper quartile). The numbers are in the table of agreed levels."
)


def _agreed(views: WorkshopViews) -> Section:
    agreed = views.agreed
    notes = tuple(
        Note(
            f"{r['dimension']} {r['name']}: {_agreed_text(r)}",
            (),
            _note_text(r["note"], r["dissent"]),
        )
        for r in agreed.to_dict("records")
        if r["status"] and (str(r["note"]).strip() or str(r["dissent"]).strip())
    )
    d = views.latest
    blocks: list[Any] = [agreed_table_block(agreed, d)]
    if not agreed["status"].astype(bool).any():
        blocks.append(Paragraphs(("No agreed levels have been recorded yet.",)))
    elif notes:
        blocks.append(Notes(notes))
    return Section(
        "agreed",
        "Agreed levels",
        tuple(blocks),
        intro="The levels the room agreed after discussion, kept beside the room's middle level "
        "(the median of its answers), never in place of it. A dimension the room could not "
        "agree is recorded as uncertain, with the dissent noted. Notes and dissent follow the "
        "table, as they were typed.",
    )


def _agreed_text(r: Mapping[str, Any]) -> str:
    """ "agreed at 4 Embedded in round 2", "uncertain in round 2"."""
    level = "" if pd.isna(r["agreed"]) else f" at {int(r['agreed'])} {r['agreed_label']}"
    return f"{str(r['status']).lower()}{level} in round {r['round']}"


def _note_text(note: str, dissent: str) -> str:
    parts = [note.strip()] if note.strip() else []
    if dissent.strip():
        parts.append(f"Dissent: {dissent.strip()}")
    return "\n\n".join(parts)


def _method(bank: Bank, k: int) -> Section:
    """The method in brief: the five levels, then how the room's figures and words are made
    (the whole method is on Ladder's Method page, docs/method.md)."""
    levels = level_facts(bank.scale)
    brief = Paragraphs(
        (
            "A person's score on a dimension is the average of their levels on its questions, "
            'given when they answered at least half of them; "don\'t know" and "not '
            "applicable\" never count as a level. The room's middle level is the median of its "
            "people's scores; its middle half runs from the lower to the upper quartile.",
            'A question with fewer than three answers, or 30 % or more "don\'t know", has too '
            "few to tell; one with at least a third of answers at levels 1–2 and a third at 4–5 "
            "splits the room into two camps; otherwise the room agrees if the workshop's rule "
            "for agreement (named with the splits) is met, and is scattered if not. A dimension "
            "agrees when all its questions do, mostly agrees when at least half do, and splits "
            "otherwise.",
            f"No role, dimension or question resting on fewer than {people(k)} is shown on its "
            f"own, and the room's figures change only when at least {k} more people's answers "
            "differ from what it last saw, so no change can be traced to one person. The whole "
            "method, with its references, is on Ladder's Method page.",
        )
    )
    return Section("method", "Appendix: how the figures are made", (levels, brief))
