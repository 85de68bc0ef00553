"""Essays: the pamphlet's chapters in our summaries, and the questions that draw on each.

Results link here with ``?essay=<id>``; without it the page lists every entry.
"""

from __future__ import annotations

import streamlit as st

from questions.links import dimensions_drawing_on, questions_citing
from reports.sections import pages_text
from scoring.format import fmt_score
from ui import state
from ui.assessment.current import current_results
from ui.text import literal

bank, corpus = state.bank(), state.corpus()
chosen = state.ESSAY.get()

if chosen not in corpus.ids:
    st.title("The essays")
    st.write(
        "Ladder's questions come from *The ‘big society’: next practice and public service "
        "futures* (SOLACE Foundation Imprint, December 2010). Each entry below is our own "
        "summary of one chapter, with the page where it starts in the pamphlet."
    )
    if chosen:
        st.warning("That essay is not in the corpus; choose one from the list.")
    for essay in corpus.essays:
        n = len(questions_citing(bank, essay.id))
        st.page_link(
            "app_pages/essays.py",
            label=f"**{literal(essay.title)}** — {literal(essay.author)} "
            f"({pages_text(corpus, essay.id)}) · {n} questions",
            query_params=state.ESSAY.to(essay.id),
        )
    st.stop()

essay = corpus.essay(chosen)
st.page_link("app_pages/essays.py", label="All essays", icon=":material/arrow_back:")
st.title(literal(essay.title))
pages = pages_text(corpus, essay.id)
st.caption(literal(essay.author + (f", {essay.role}" if essay.role else "") + f" · {pages}"))
st.write(literal(essay.summary))

st.subheader("Key points")
st.markdown("\n".join(f"- {literal(point)}" for point in essay.key_points))
st.subheader("What the essay reports")
st.markdown("\n".join(f"- {literal(example)}" for example in essay.examples))
if essay.quotes:
    st.subheader("In the author's words")
    for quote in essay.quotes:
        st.markdown(f"> “{literal(quote.text)}” (page {quote.page})")

st.subheader("Questions that draw on it")
results = current_results()
scored = {r.id: r for r in results.rows if r.score is not None} if results else {}
if scored:
    st.caption("Your scores are shown beside the dimensions you answered.")
for dimension in dimensions_drawing_on(bank, essay.id):
    row = scored.get(dimension.id)
    score = f" · your score {fmt_score(row.score)} ({row.level})" if row else ""
    with st.expander(literal(f"{dimension.id} {dimension.name}{score}")):
        st.write(literal(dimension.summary))
        for q in bank.questions_in(dimension.id):
            cited = sorted({c.page for c in q.essays if c.essay == essay.id})
            if cited:
                where = ", ".join(str(p) for p in cited)
                st.markdown(f"**{literal(q.id)}** {literal(q.text)} *(page {where})*")
