"""The live dashboard's pieces: who has answered, the room's profile, splits, roles, dk.

Why: the facilitator's page refreshes these every few seconds inside a
fragment; keeping them as plain functions of a `Dashboard` keeps the page
short (the projector has its own page, the room view: `ui.workshop.room`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from common.memo import Memo
from common.scopes import OTHER_ROLES, OTHER_ROLES_LABEL
from questions.model import Bank
from scoring.consensus import rule_sentence
from scoring.intervals import interval_text
from scoring.workshop.dashboard import build_dashboard, with_sent
from scoring.workshop.figures import profile, split_bars
from scoring.workshop.model import Dashboard
from scoring.workshop.role_figures import role_heatmap
from scoring.workshop.rounds import RoundComparison, compare_rounds
from scoring.workshop.screens import dimension_words, split_camps
from scoring.workshop.text import SPLIT_WORDS
from storage import Grant, RoomView, Workshop, history_frames, room_view
from ui.store import engine
from ui.tables import Column, readable, show, show_readable
from ui.text import literal

_PLOTLY = {"displaylogo": False}
_PEOPLE_HELP = "People with a score on this dimension."
_DIMENSION_VIEW = (
    Column("name", "Dimension"),
    Column(
        "word",
        "The room",
        help="Agree: every question of it that enough people answered is agreed. Mostly "
        "agree: at least half are. Split: fewer than half. Many don't know: 30 % or more "
        "said so. Too few to tell: fewer than k people gave it a level.",
    ),
    Column("level", "Middle level"),
    Column("middle", "Middle half", help="Half the room's scores fall between these levels."),
    Column("n", "People", help=_PEOPLE_HELP),
    Column("dk_percent", "Don't know %", decimals=0),
)
#: The numbers behind the words, under "How we worked this out".
_NUMBERS_VIEW = (
    Column("dimension", "ID"),
    Column("name", "Dimension"),
    Column("median", "Middle level (median)"),
    Column("middle", "Middle half (quartiles)"),
    Column(
        "rwg_star",
        "Agreement index",
        help="1: everyone gave the same level; 0: no more agreement than chance; "
        "below 0: the room is split more than chance would give (Lindell's r*wg(J)).",
    ),
    Column(
        "ad_md_mean",
        "Distance from the middle",
        help="How far answers sit from the question's middle level, on average, in levels.",
    ),
    Column("n", "People", help=_PEOPLE_HELP),
)
_WORKED_OUT = (
    "**The room** puts each dimension in words from its questions, as this workshop's rule "
    "for agreement classes them. The **middle level** is the median of people's scores on "
    "the dimension; the **middle half** runs from the lower to the upper quartile. The "
    "**agreement index** is 1 when everyone gave the same level, 0 when there is no more "
    "agreement than chance, and below 0 when the room is split more than chance would give. "
    "The **distance from the middle** is how far answers sit from each question's middle "
    "level, on average. The method page gives every formula and its source."
)
_SPLIT_VIEW = (
    Column("text", "Question"),
    Column(
        "pattern",
        "How it splits",
        help="Two camps: a third or more at levels 1-2 and a third or more at 4-5. "
        "Scattered: views spread out without two camps.",
    ),
    Column("camps", "Where people sat"),
    Column("n", "People", help="People who gave this question a level."),
)
_DK_VIEW = (
    Column("question_id", "Question"),
    Column("text", "Asks"),
    Column("dk", "Don't know"),
    Column("n", "People", help="People who gave this question a level."),
    Column("share", "Don't know %", decimals=0),
)


#: Per workshop round, what `build_dashboard` keeps between views (the roles' part, reused
#: while the roles' views stand when the room's changes). Bounded; each entry is checked
#: against the very frame it rests on, which only that round's `room_view` hands out.
_CARRIED = Memo(64)


def room_dashboard(bank: Bank, workshop: Workshop, room: RoomView) -> Dashboard:
    """The dashboard of the room's view: built once per view and kept in its memo (the
    views change only every k people), with the live count of people who have sent."""
    d = room.memo.get("dashboard")
    if d is not None:
        return with_sent(d, room.sent)
    d = room.memo["dashboard"] = build_dashboard(
        bank,
        room.answers,
        room.round,
        workshop.dimensions,
        workshop.roles,
        room.k,
        role_answers=room.role_answers,
        role_rows=room.role_rows,
        sent=room.sent,
        rule=workshop.consensus_rule,
        memo=_CARRIED.kept((workshop.id, room.round), dict),
    )
    return d


def last_moves(bank: Bank, workshop: Workshop, grant: Grant) -> RoundComparison | None:
    """What moved from the last round to this one, drawn from the rooms' views only (never
    drafts, never fewer than k more); None in the first round."""
    now = workshop.current_round
    if now < 2:
        return None
    views = tuple(room_view(engine(), grant, workshop.id, r) for r in (now - 1, now))
    answers = history_frames(views).answers
    k, rule = workshop.k, workshop.consensus_rule
    return compare_rounds(bank, answers, now - 1, now, workshop.dimensions, k, rule=rule)


def participation(d: Dashboard, room: RoomView | None = None) -> None:
    """How many have sent (live: a count of people), then people per role, only for roles
    the room's view shows (k or more people each; the smaller roles pooled)."""
    st.markdown(
        f"**Round {literal(d.round)}: {literal(d.participants)} people have answered so far.**"
    )
    shown = d.participation[d.participation["n"] > 0]
    columns = st.columns(max(1, min(len(shown), 6)))
    for i, row in enumerate(shown.itertuples()):
        columns[i % len(columns)].metric(literal(row.label), int(row.n))
    if room is not None and room.shown:
        st.caption(
            f"The figures below rest on the answers {room.people} people had sent when the "
            f"room's view last changed. They change only once at least {d.k} more people "
            "have sent or changed their answers, so nobody's answers can be worked out from "
            "a change. Only sent answers count, never drafts."
        )
    if not d.shown:
        st.info(
            f"The room's view appears once at least {d.k} people have sent answers with a "
            f"level ({d.needed} more needed). Nothing smaller than {d.k} is ever shown."
        )


def figure(memo: dict[Any, Any] | None, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """``make()``, kept in ``memo`` (a `RoomView.memo`) under ``key``: the room's view only
    changes every k people, so its figures are drawn once per view, not every refresh."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def room(d: Dashboard, memo: dict[Any, Any] | None = None) -> None:
    """The profile: a radar per family with the middle-half band, then the room in words,
    with the numbers behind them folded under "How we worked this out"."""
    st.markdown("\n".join(f"- {literal(s)}" for s in d.summary))
    families = [f for f in ("criterion", "theme") if (d.dimensions["family"] == f).any()]
    for family in families:
        chart = figure(memo, ("band", family), lambda f=family: profile(d, f))
        st.plotly_chart(chart, config=_PLOTLY, key=f"band_{family}")
    words, numbers = figure(memo, ("table", "dimensions"), lambda: _dimension_tables(d))
    show_readable(words, _DIMENSION_VIEW)
    with st.expander("How we worked this out"):
        st.markdown(_WORKED_OUT)
        show_readable(numbers, _NUMBERS_VIEW)


def _dimension_tables(d: Dashboard) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The room per dimension in words, and the numbers behind them (both readable)."""
    dims = d.dimensions
    table = dims.assign(
        middle=[interval_text(q1, q3) for q1, q3 in zip(dims["q1"], dims["q3"], strict=True)],
        dk_percent=dims["dk_share"].astype(float) * 100,
        word=dimension_words(d)["word"].to_numpy(),
    )
    return readable(table, _DIMENSION_VIEW), readable(table, _NUMBERS_VIEW)


def splits(d: Dashboard, memo: dict[Any, Any] | None = None) -> None:
    st.subheader("Where we split")
    st.caption(literal(rule_sentence(d.rule)))
    if d.splits.empty:
        st.write("No question splits the room: the room agrees on every question enough answered.")
        return
    chart = figure(memo, ("splits",), lambda: split_bars(d))
    st.plotly_chart(chart, config=_PLOTLY, key="splits")
    shown = d.splits.assign(
        pattern=[SPLIT_WORDS.get(c, c) for c in d.splits["class"]],
        camps=[split_camps(r) for r in d.splits.to_dict("records")],
    )
    show(shown, _SPLIT_VIEW)


def roles(d: Dashboard, memo: dict[Any, Any] | None = None) -> None:
    st.subheader("How roles see it")
    if d.suppressed_roles:
        names = ", ".join(literal(d.role_labels[r]) for r in d.suppressed_roles)
        pooled = OTHER_ROLES in d.shown_roles
        where = f" They count together as {OTHER_ROLES_LABEL}." if pooled else ""
        st.caption(
            f"Not shown on their own (fewer than {literal(d.k)} people): {names}.{literal(where)}"
        )
    if not d.shown_roles:
        st.write(f"No role has {literal(d.k)} or more people with answers yet.")
        return
    chart = figure(memo, ("roles",), lambda: role_heatmap(d))
    st.plotly_chart(chart, config=_PLOTLY, key="roles")
    gaps = d.role_gaps[d.role_gaps["gap_flag"].fillna(False).astype(bool)]
    if not gaps.empty:
        st.markdown(
            "**Gaps of a level or more:** "
            + "; ".join(
                f"{literal(g.name)} ({literal(g.dimension)}): {literal(g.lowest)} lowest, "
                f"{literal(g.highest)} highest, "
                f"{g.gap:.1f} apart"
                for g in gaps.itertuples()
            )
        )


def dont_know(d: Dashboard, memo: dict[Any, Any] | None = None) -> None:
    if d.dk_items.empty:
        return
    st.subheader('Where "don\'t know" piles up')
    items = d.dk_items
    shown = figure(
        memo,
        ("table", "dont-know"),
        lambda: readable(items.assign(share=items["dk_share"].astype(float) * 100), _DK_VIEW),
    )
    show_readable(shown, _DK_VIEW)


def comparison(c: RoundComparison) -> None:
    st.markdown("\n".join(f"- {literal(s)}" for s in c.summary))
    if c.shown:
        show(
            c.moved,
            (
                Column("dimension", "ID"),
                Column("name", "Dimension"),
                Column("median_first", f"Middle level, round {c.first}"),
                Column("median_second", f"Middle level, round {c.second}"),
                Column("change", "Change", help=f"Round {c.second} minus round {c.first}."),
                Column("n_first", f"People, round {c.first}"),
                Column("n_second", f"People, round {c.second}"),
            ),
        )
