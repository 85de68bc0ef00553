"""Pieces of the results page: headline, priorities with their essays, charts with tables.

Why: every chart is followed by the table behind it and the page opens with
sentences, so the results read without the charts (and with a screen reader).
"""

from __future__ import annotations

import streamlit as st

from questions.guide import Rung, context_lines
from questions.links import EssayLink
from questions.model import Bank
from scoring.assessment.figures import radar, radar_table
from scoring.assessment.results import Results, results_table
from scoring.format import fmt_score
from scoring.plots import heatmap
from storage import InputError, StorageError, delete_assessment
from ui import state
from ui.assessment.current import Visit
from ui.store import database_trouble, engine
from ui.tables import Column, show
from ui.text import literal

_PLOTLY = {"displaylogo": False}
_EMPTY_HEIGHT = 220  # pixels: a chart with nothing to show keeps its place, not the page
_PEOPLE_HELP = "Respondents with a score on this dimension."
_TARGET_HELP = "The level aimed for in 12 months (the median of the targets set)."
_GAP_HELP = "Target minus score, in levels; 0 once the target is reached."
_RADAR_VIEW = (
    Column("ID", "ID"),
    Column("Dimension", "Dimension"),
    Column("Score", "Score"),
    Column("Level", "Level"),
    Column("Target", "Target", help=_TARGET_HELP),
    Column("n", "People", help=_PEOPLE_HELP),
)
_RESULTS_VIEW = (
    Column("ID", "ID"),
    Column("Dimension", "Dimension"),
    Column("Family", "Family"),
    Column("Score", "Score"),
    Column("Level", "Level"),
    Column("Target", "Target", help=_TARGET_HELP),
    Column("Gap", "Gap", help=_GAP_HELP),
    Column("Priority", "Priority", help="Marked as a priority for the next 12 months."),
    Column("n", "People", help=_PEOPLE_HELP),
    Column("Don't know %", "Don't know %", decimals=0),
    Column(
        "Reach",
        "Reach",
        help="The score of the theme's equity questions (does practice reach the most "
        "deprived and least heard?), kept beside the theme score, never in it.",
    ),
    Column("Reach gap", "Reach gap", help="Reach minus score: below 0, reach lags behind."),
)
_EVIDENCE_VIEW = (
    Column("respondent_id", "Respondent"),
    Column("question", "Question"),
    Column("answer", "Answer"),
    Column("confidence", "Confidence"),
    Column("evidence", "Evidence"),
)
_ANSWER_WORDS = {"dk": "Don't know", "na": "Not applicable"}
_NO_THEMES = (
    "This form asked no theme questions. To see the themes, start the full assessment or a "
    "module for the same area."
)


def caption(visit: Visit, bank: Bank) -> str:
    draft = visit.draft
    form = bank.form(draft.assessment.form_id).title
    n = visit.results.n_respondents
    people = "one respondent" if n == 1 else f"{n} respondents"
    state = "submitted" if draft.status == "submitted" else "draft, not yet finished"
    return literal(f"{form} · {people} · {state} · question bank {bank.version}")


def headline(results: Results) -> None:
    h = results.headline
    left, right = st.columns(2)
    left.metric(
        "Typical level (median of dimensions)",
        f"{fmt_score(h.median)} · {h.level}" if h.median is not None else "–",
        help="Half the dimensions score at or above this, half at or below.",
        border=True,
    )
    weakest = ", ".join(f"{r.id} {r.name}" for r in h.weakest) or "–"
    right.metric(
        "Weakest dimension",
        f"{fmt_score(h.weakest_score)} · {h.weakest[0].level}" if h.weakest else "–",
        help="A strength elsewhere never hides this.",
        border=True,
    )
    right.caption(weakest)
    st.caption(f"{literal(h.defined)} of {literal(h.asked)} dimensions have a score.")


def priorities(results: Results, bank: Bank) -> None:
    st.subheader("Three priorities")
    if not results.priorities:
        st.write("No priorities yet: set targets, or answer more questions.")
    corpus = state.corpus()
    for p in results.priorities:
        with st.container(border=True):
            st.markdown(f"**{p.rank}. {literal(p.dimension.id)} {literal(p.dimension.name)}**")
            for line in context_lines(bank.dimension(p.dimension.id), corpus):
                st.caption(literal(line))
            st.markdown(literal(p.why))
            st.markdown("**Next steps**\n" + "\n".join(f"- {literal(s)}" for s in p.next_steps))
            _climb(p.climb)
            st.markdown("**The essays behind it**")
            for link in p.leading_essays:
                _essay_link(link)
            if p.more_essays:
                with st.expander(f"{len(p.more_essays)} more essays"):
                    for link in p.more_essays:
                        _essay_link(link)


def _climb(rungs: tuple[Rung, ...]) -> None:
    """What each question asks one level up, with the evidence that shows it."""
    if not rungs:
        return
    head = f"What level {rungs[0].level} · {rungs[0].label} asks, question by question"
    with st.expander(literal(head)):
        for rung in rungs:
            st.markdown(f"**{literal(rung.question_id)}** {literal(rung.question)}")
            st.markdown(f"- {literal(rung.descriptor)}")
            if rung.look_for:
                st.caption(literal(f"Look for: {rung.look_for}"))


def _essay_link(link: EssayLink) -> None:
    st.page_link(
        "app_pages/essays.py",
        label=literal(f"{link.essay.title} — {link.essay.author}"),
        query_params=state.ESSAY.to(link.essay.id),
        icon=":material/menu_book:",
    )
    st.caption(literal(link.reason))


def charts(results: Results, bank: Bank) -> None:
    """Both radars and the heatmap, each followed by the table behind it."""
    for family, heading in (("criterion", "The six criteria"), ("theme", "The themes")):
        st.subheader(heading)
        table = radar_table(results, family)
        fig = radar(results, family)
        if table.empty:
            st.caption(_NO_THEMES)
            fig.update_layout(height=_EMPTY_HEIGHT)
        st.plotly_chart(fig, config=_PLOTLY, key=f"radar_{family}")
        if not table.empty:
            show(table, _RADAR_VIEW)
    st.subheader("Themes by criterion")
    names = {t.id: t.name for t in bank.themes}
    fig = heatmap(results.heatmap, results.heatmap_cells, names, bank.scale)
    if results.heatmap.empty:
        st.caption(_NO_THEMES)
        fig.update_layout(height=_EMPTY_HEIGHT)
    st.plotly_chart(fig, config=_PLOTLY, key="heatmap")
    st.caption(
        "Each cell is the median answer to a theme's questions that exercise that criterion; "
        "a dash means there is no such question, or it was not answered."
    )
    if not results.heatmap.empty:
        with st.expander("The table behind the heatmap"):
            cells = results.heatmap.rename(index=names).rename_axis("Theme").reset_index()
            show(cells, [Column(str(c), str(c)) for c in cells.columns])
    st.subheader("Every dimension")
    show(results_table(results), _RESULTS_VIEW)


def evidence(visit: Visit, bank: Bank) -> None:
    """The evidence notes given, as a table (plain text, never rendered as markup)."""
    notes = visit.answers[visit.answers["evidence"].notna()]
    if notes.empty:
        return
    with st.expander(f"Evidence notes ({len(notes)})"):
        table = notes.assign(
            question=[f"{q} {bank.question(q).text}" for q in notes["question_id"]],
            answer=notes["answer"].map(lambda a: _ANSWER_WORDS.get(a, a)),
        )
        show(table, _EVIDENCE_VIEW)


def downloads(visit: Visit, loaded: object) -> None:
    """The exports; see `ui.assessment.exports`."""
    from ui.assessment.exports import render_downloads  # reports are heavy; load them with the page

    render_downloads(visit, loaded)


def delete_answers(visit: Visit) -> None:
    """An expander to delete this assessment with every answer in it, confirmed by typing DELETE."""
    with st.expander("Delete these answers"):
        st.write(
            "This deletes this assessment and every answer, note and plan in it, for good; "
            "the resume code will no longer open anything. Download what you need first."
        )
        st.text_input("Type DELETE to confirm", key=state.CONFIRM_DELETE.key)
        st.button("Delete these answers permanently", on_click=_delete, args=(visit,))
        if refused := state.DELETE_REFUSED.pop():
            st.error(refused)


def _delete(visit: Visit) -> None:
    if state.CONFIRM_DELETE.get_or("").strip() != "DELETE":
        state.DELETE_REFUSED.set("Type DELETE (in capitals) to confirm.")
        return
    try:
        delete_assessment(engine(), visit.draft.assessment.id, visit.here.token)
    except InputError as exc:
        state.DELETE_REFUSED.set(f"Nothing was deleted: {exc}.")
        return
    except StorageError as exc:
        state.DELETE_REFUSED.set(database_trouble(exc, "Nothing was deleted."))
        return
    state.RESUME_TOKEN.pop()
    state.RESUME.pop()
    state.ANSWERS_DELETED.set(True)  # the results page says so instead of showing results


def deleted_notice() -> None:
    """After a deletion: say so, offer Start, and stop the page."""
    if state.ANSWERS_DELETED.pop():
        st.success("Your answers have been deleted. Nothing of them is kept.")
        st.page_link("app_pages/start.py", label="Start", icon=":material/play_arrow:")
        st.stop()
