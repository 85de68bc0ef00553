"""The facilitator's controls under the dashboard: rounds, agreed levels, paper, downloads.

Why: these change the workshop or take data away, so they sit behind the
facilitator key (the page unlocks first) and outside the refreshing fragment,
where a half-typed note would otherwise be redrawn under the facilitator's hands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from questions.model import Bank
from reports.meta import ReportMeta
from reports.workshop import render_workshop_report, workshop_answers_csv, workshop_workbook
from scoring.answers import AnswersError, parse_answers
from scoring.workshop.rounds import agreed_table
from storage import (
    AccessDenied,
    AnswerInput,
    Area,
    HistoryFrames,
    InputError,
    StorageError,
    Workshop,
    agreements,
    close_round,
    delete_workshop,
    enter_group_response,
    facilitator_grant,
    get_area,
    get_workshop,
    history_frames,
    import_answers,
    normalise_code,
    open_next_round,
    open_next_workshop,
    plan_of,
    reading,
    record_agreement,
    room_history,
    room_view,
)
from ui import state
from ui.access import facilitator, forget_workshop, refused, remember_facilitator
from ui.assessment import publishing
from ui.assessment.actions import room_plan
from ui.downloads import XLSX, File, encoded, offer
from ui.store import bank_hash, database_trouble, engine
from ui.tables import Column, show
from ui.text import literal
from ui.workshop import dashboard as view
from ui.workshop import door
from ui.workshop.entry import join_link, page_address

#: Largest paper file accepted (a workshop's paper forms are a few hundred rows).
UPLOAD_MB = 5

_ROOM = {"agreed": "Agreed", "uncertain": "Could not agree"}
_AGREED_VIEW = (
    Column("dimension", "ID"),
    Column("name", "Dimension"),
    Column("agreed_level", "Agreed level", width=120),
    Column("room", "The room", width=120),
    Column("note", "Note", width="large"),
    Column("dissent", "Dissent", width="medium"),
    Column(
        "median",
        "Room's middle level",
        help="The middle of the room's scores this round (their median).",
    ),
    Column(
        "difference",
        "Difference",
        help="The agreed level minus the room's median: above 0, the room agreed higher "
        "than its scores.",
    ),
    Column("n", "People", help="People with a score on this dimension this round."),
    Column("round", "Round", help="The round the level was recorded in."),
)


def controls(workshop_id: int, bank: Bank) -> None:
    workshop = get_workshop(engine(), workshop_id)
    if workshop is None:  # deleted (by this session's Delete, or elsewhere) since the page began
        st.info("This workshop no longer exists.")
        return
    tabs = st.tabs(["Rounds", "Agreed levels", "Paper and table groups", "Joining", "Downloads"])
    with tabs[0]:
        rounds(workshop, bank)
    with tabs[1]:
        agreed(workshop, bank)
    with tabs[2]:
        paper(workshop, bank)
    with tabs[3]:
        door.joining(workshop)
    with tabs[4]:
        downloads(workshop, bank)


def _act(action: Callable[..., object], workshop_id: int, *args: object) -> bool:
    """Run one facilitator action, ``action(engine, grant, workshop_id, *args)``, with this
    session's grant for the workshop; a refusal or an outage becomes a message, never a
    traceback (`ui.workshop.door.act`)."""
    return door.act(action, workshop_id, *args)


def rounds(w: Workshop, bank: Bank) -> None:
    if w.round_open:
        st.write(
            f"Round {w.current_round} is open. Close it when the room is ready to discuss; "
            "participants can no longer change their answers once it closes."
        )
        if st.button(f"Close round {w.current_round}", type="primary") and _act(close_round, w.id):
            st.rerun()
    else:
        st.write(
            f"Round {w.current_round} is closed. Open the next round for people to score "
            "again, starting from their answers."
        )
        if st.button(f"Open round {w.current_round + 1}", type="primary") and _act(
            open_next_round, w.id
        ):
            st.rerun()
    publishing.workshop_round_controls(w, facilitator(w.id))
    if w.current_round > 1:
        st.subheader(
            f"What moved from round {literal(w.current_round - 1)} "
            f"to round {literal(w.current_round)}"
        )
        moves = view.last_moves(bank, w, facilitator(w.id))
        if moves is not None:
            view.comparison(moves)


def agreed(w: Workshop, bank: Bank) -> None:
    st.write(
        "Record the level the room agrees for each dimension, with a note; or record it as "
        "uncertain and note the dissent. This sits beside the computed median, never in "
        "its place."
    )
    levels = dict(bank.scale.levels)
    with st.form("agreed_level", clear_on_submit=True):
        dim = st.selectbox(
            "Dimension", list(w.dimensions), format_func=lambda d: f"{d} {bank.dimension(d).name}"
        )
        status = st.radio(
            "The room",
            ["agreed", "uncertain"],
            horizontal=True,
            format_func={"agreed": "Agreed a level", "uncertain": "Could not agree"}.get,
        )
        level = st.selectbox(
            "Level",
            [None, 1, 2, 3, 4, 5],
            format_func=lambda v: "–" if v is None else f"{v} · {levels[v]}",
        )
        note = st.text_area("Note (why this level)", max_chars=2000)
        dissent = st.text_area("Dissent (views that did not carry)", max_chars=2000)
        if st.form_submit_button("Record") and _act(
            record_agreement,
            w.id,
            w.current_round,
            dim,
            level,
            status,
            note or None,
            dissent or None,
        ):
            st.success(f"Recorded for {literal(dim)}.")
    room = room_view(engine(), facilitator(w.id), w.id)  # the median the room has seen
    d = view.room_dashboard(bank, w, room)  # as the live view built it (once per view)
    table = agreed_table(w.dimensions, bank, agreements(engine(), w.id), d)
    show(_agreed_view(table), _AGREED_VIEW)
    _in_full(table)
    st.subheader("Actions")
    # Asked for, not drawn on every run: the dashboard reruns in front of the room.
    if st.toggle("Record what the room agreed to do"):
        settled = list(table.loc[table["agreed"].notna(), "dimension"])
        rest = [d for d in w.dimensions if d not in settled]
        room_plan(facilitator(w.id), bank, [*settled, *rest])
    next_workshop(w)


def next_workshop(w: Workshop) -> None:
    """Open the area's next workshop from this one: the same questions, roles and k, a key of
    its own (shown once, on the page that shows a new workshop's code), and its dashboard
    opens by asking how each of this room's actions stands."""
    with st.expander("Open the area's next workshop"):
        st.write(
            "When it is time to meet again, open the next workshop from here. It asks the same "
            "questions of the same roles, gets a join code and a facilitator key of its own, "
            "and its dashboard starts by asking how each action agreed here stands."
        )
        with st.form("next_workshop"):
            title = st.text_input("Title of the next workshop", max_chars=120)
            sent = st.form_submit_button("Open the next workshop")
    if not sent:
        return
    try:
        made, key = open_next_workshop(
            engine(), facilitator(w.id), title=title, bank_hash=bank_hash()
        )
        with reading(engine()) as conn:
            grant = facilitator_grant(conn, made.id)
    except (AccessDenied, InputError, StorageError) as exc:
        refused(exc, "No workshop was opened.")
        return
    if grant is not None:
        remember_facilitator(grant)  # this tab can open the new dashboard without the key
    state.OPENED_WORKSHOP.set((made, join_link(st.context.url, made.join_code)))
    state.OPENED_WORKSHOP_KEY.set(key)  # popped by the page that shows it, once
    st.switch_page("app_pages/workshop_open.py")


def _in_full(table: pd.DataFrame) -> None:
    """Every note and dissent as typed, whole: the table's cells may cut long words short."""
    written = [
        r for r in table.to_dict("records") if str(r["note"]).strip() or str(r["dissent"]).strip()
    ]
    if not written:
        return
    with st.expander("Notes and dissent in full"):
        for r in written:
            st.markdown(f"**{literal(r['name'])}**")
            if str(r["note"]).strip():
                st.markdown(literal(r["note"]))
            if str(r["dissent"]).strip():
                st.markdown(literal(f"Dissent: {r['dissent']}"))


def _agreed_view(table: pd.DataFrame) -> pd.DataFrame:
    """`scoring.workshop.rounds.agreed_table` with the level in words ("3 · Developing") and the
    room's status as people say it."""
    levels = [
        "" if pd.isna(level) else f"{int(level)} · {label}"
        for level, label in zip(table["agreed"], table["agreed_label"], strict=True)
    ]
    return table.assign(agreed_level=levels, room=table["status"].map(_ROOM).fillna(""))


def paper(w: Workshop, bank: Bank) -> None:
    st.markdown(
        "**Paper forms.** Upload them typed into Ladder's answers CSV "
        "(`respondent_id,question_id,answer`, optionally `role`, `round`, `confidence`, "
        f"`evidence`). The whole file is checked first; a file with any mistake is refused "
        f"with the row and column to fix. Up to {UPLOAD_MB} MB."
    )
    upload = st.file_uploader("Answers CSV", type=["csv"], key="paper_csv")
    if upload is not None and st.button("Import these answers"):
        data = upload.getvalue()
        if len(data) > UPLOAD_MB * 1024 * 1024:
            st.error(
                f"{literal(upload.name)} is larger than {UPLOAD_MB} MB; "
                "split it into smaller files."
            )
        else:
            try:
                frame = parse_answers(data, upload.name, bank=bank)
                rows = import_answers(engine(), facilitator(w.id), w.id, frame, bank)
            except AccessDenied as exc:
                st.error(f"Nothing was imported: {literal(exc.message)}.")
            except AnswersError as exc:
                st.error(f"Nothing was imported. {literal(exc)}")
            except InputError as exc:
                st.error(f"Nothing was imported. {literal(upload.name)}: {literal(exc.message)}.")
            else:
                st.success(f"Imported {rows} answers from {literal(upload.name)}.")
    st.markdown("**A table group's agreed answers.**")
    with st.form("group_response", clear_on_submit=True):
        roles = {r.id: r.label for r in bank.roles}
        role = st.selectbox(
            "The group's role", list(w.roles), format_func=lambda r: roles.get(r, r)
        )
        given = {}
        for dim in w.dimensions:
            for q in bank.questions_in(dim):
                given[q.id] = st.selectbox(
                    literal(f"{q.id} {q.text}"),
                    ["", "1", "2", "3", "4", "5", "dk", "na"],
                    format_func=lambda v: v or "–",
                )
        if st.form_submit_button("Enter the group's answers"):
            chosen = {qid: AnswerInput(v) for qid, v in given.items() if v}
            if not chosen:
                st.error("Give at least one answer.")
            elif _act(enter_group_response, w.id, role, chosen):
                st.success(f"Entered {literal(len(chosen))} answers for the group.")


def downloads(w: Workshop, bank: Bank) -> None:
    """This workshop's report, answers and workbook, built only from the room's view of each
    round (`storage.workshop.roomviews`): nothing under k, dates not times, no role under k. Each is
    built when its button is pressed, reading the room's history with this session's grant
    then (storage checks it again), so drawing the tab reads nothing but the area's name."""
    corpus = state.corpus()
    db, grant = engine(), facilitator(w.id)
    area = get_area(db, w.area_id)
    # read now, in the script's run: the PDF may be made on another thread
    links = {
        e.id: page_address(st.context.url, "essays", {state.ESSAY.name: e.id})
        for e in corpus.essays
    }

    def made() -> tuple[ReportMeta, HistoryFrames, tuple[Any, ...]]:
        room = history_frames(room_history(db, grant, w.id))
        records = agreements(db, w.id)
        args = (bank, room.answers, w.dimensions, w.roles, w.k, records, room.rounds)
        return _meta(w, bank, area, room.people), room, args

    def html() -> str:
        meta, room, args = made()
        views = {"role_answers": room.role_answers, "sent": room.sent, "rule": w.consensus_rule}
        plan = plan_of(db, grant)  # the room's actions, read with the same grant
        return render_workshop_report(
            meta, bank, corpus, *args[1:], **views, essay_links=links, plan=plan
        )

    def answers() -> bytes:
        return workshop_answers_csv(made()[1].export)

    def workbook() -> bytes:
        meta, room, args = made()
        views = {"role_answers": room.role_answers, "sent": room.sent, "rule": w.consensus_rule}
        return workshop_workbook(meta, *args, **views, export=room.export, plan=plan_of(db, grant))

    files: list[File] = [
        ("Workshop report (HTML)", encoded(html), "html", "text/html"),
        ("Answers (CSV)", answers, "answers.csv", "text/csv"),
        ("Workbook (Excel)", workbook, "xlsx", XLSX),
    ]
    offer(_meta(w, bank, area, 0), files, html, state.PDF_WORKSHOP.key, (w.id, w.current_round))
    st.caption(
        f"Only what the room could see: rounds and roles with {w.k} or more people, the "
        "answers people sent, and dates rather than times."
    )
    with st.expander("Delete this workshop"):
        st.write(
            "This deletes the workshop with every answer, plan and agreed level in it, for "
            "good. Download what you need first. Type the workshop code and the key again."
        )
        st.text_input("Workshop code", key=state.DELETE_CODE.key, placeholder=w.join_code)
        st.text_input("Facilitator key", key=state.DELETE_KEY.key, type="password")
        st.button("Delete this workshop permanently", on_click=_delete, args=(w,))


def _meta(w: Workshop, bank: Bank, area: Area | None, people: int) -> ReportMeta:
    return ReportMeta(
        title=f"Workshop: {w.title}",
        area_name=area.name if area else "",
        area_kind=area.kind if area else "",
        ons_code=area.ons_code if area else None,
        form_title=bank.form(w.form_id).title if w.form_id else "Theme modules",
        assessment_date=w.created_at.date() if w.created_at else date.today(),
        generated_at=datetime.now(UTC),  # when this report is made, not the workshop
        n_respondents=people,
        bank_title=bank.title,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        file_label=f"workshop {w.title} round {w.current_round}",
    )


def _delete(w: Workshop) -> None:
    """Delete the workshop (a button callback, so the page never redraws a deleted workshop)."""
    code, key = state.DELETE_CODE.get(), state.DELETE_KEY.get()
    if normalise_code(code) != normalise_code(w.join_code):
        st.toast("That is not this workshop's code; nothing was deleted.")
        return
    try:
        delete_workshop(engine(), w.id, key)
    except InputError as exc:
        # Key entry locked, or the key check busy, comes with its cause and says until when
        # (storage.results.lifecycle); anything else is a wrong key.
        locked = exc.__cause__ is not None
        st.toast(
            literal(exc.message)
            if locked
            else "That key does not open this workshop; nothing was deleted."
        )
        return
    except StorageError as exc:
        st.toast(database_trouble(exc, "Not deleted."))
        return
    forget_workshop(w.id)
    state.WORKSHOP.pop()
    st.toast(f"Deleted the workshop “{literal(w.title)}” with everything in it.")
