"""Who can join a workshop: the dashboard's count of people against those expected, and its
"Joining" tab (people expected, lock joining, seat codes to print).

Why (issue 12, "Filling the room"): a join code read out in a room travels, and two made-up
people can lift a one-person role over k. The facilitator sees at a glance when more people
have joined than the room holds, can stop new joins once everyone is in, and for high-stakes
rooms can hand out one printed seat code per person. Every change goes through storage with
this session's facilitator grant (`act`), which storage checks again.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from storage import (
    EXPECTED_MAX,
    SEAT_MAX,
    AccessDenied,
    InputError,
    Seats,
    StorageError,
    Workshop,
    count_joined,
    get_workshop,
    lock_joining,
    make_seats,
    seats_of,
    set_expected,
    use_seat_codes,
)
from ui.access import facilitator
from ui.store import database_trouble, engine
from ui.text import literal

#: How often the count of people joined refreshes on the dashboard.
COUNT_SECONDS = 5
#: Seat codes offered to make when the facilitator has not said how many people to expect.
SEATS_DEFAULT = 30


def act(action: Callable[..., object], workshop_id: int, *args: object) -> bool:
    """Run one facilitator action on the workshop with this session's grant:
    ``action(engine, grant, workshop_id, *args)``. A refusal or an outage becomes
    a message, never a traceback."""
    try:
        action(engine(), facilitator(workshop_id), workshop_id, *args)
    except AccessDenied as exc:
        st.error(f"Not done: {literal(exc.message)}. Unlock the dashboard with the key again.")
        return False
    except InputError as exc:
        st.error(literal(exc.message[:1].upper() + exc.message[1:] + "."))
        return False
    except StorageError as exc:
        st.error(database_trouble(exc, "Not saved."))
        return False
    return True


def joined_line(joined: int, expected: int | None) -> str:
    if expected is None:
        return f"{joined} {'person has' if joined == 1 else 'people have'} joined."
    return f"{joined} of the {expected} people expected have joined."


@st.fragment(run_every=COUNT_SECONDS)
def headcount(workshop_id: int) -> None:
    """People joined against people expected, and a warning when more have joined than
    expected (counting people reveals no one's answers)."""
    try:
        w = get_workshop(engine(), workshop_id)
        joined = count_joined(engine(), facilitator(workshop_id), workshop_id) if w else 0
    except (AccessDenied, StorageError):
        return
    if w is None:
        return
    locked = " Joining is locked." if w.joining_locked else ""
    st.caption(joined_line(joined, w.expected) + locked)
    if w.expected is not None and joined > w.expected:
        st.warning(
            f"More people have joined ({joined}) than you expected ({w.expected}). Someone "
            "may have joined twice or from outside the room: count the room, then lock "
            "joining, or use seat codes (under Joining).",
            icon=":material/group_add:",
        )


def joining(w: Workshop) -> None:
    """The Joining tab: people expected, lock joining, seat codes."""
    st.markdown("**People expected.**")
    with st.form("expected_people", border=False):
        n = st.number_input(
            "People expected",
            min_value=0,
            max_value=EXPECTED_MAX,
            value=w.expected or 0,
            help="0 means not said. The dashboard warns when more people join than this.",
        )
        if st.form_submit_button("Save") and act(set_expected, w.id, int(n) or None):
            st.rerun()
    st.markdown("**Lock joining.**")
    if w.joining_locked:
        st.warning(
            "Joining is locked: nobody new can join. Everyone who joined can still answer.",
            icon=":material/lock:",
        )
        if st.button("Unlock joining") and act(lock_joining, w.id, False):
            st.rerun()
    else:
        st.write(
            "Anyone with the join code can join. Once everyone is in, lock joining so "
            "nobody else can."
        )
        if st.button("Lock joining", type="primary") and act(lock_joining, w.id, True):
            st.rerun()
    st.markdown("**Seat codes** (for rooms where who takes part matters).")
    try:
        seats = seats_of(engine(), facilitator(w.id), w.id)
    except (AccessDenied, StorageError) as exc:
        st.error(
            database_trouble(exc, "Seat codes cannot be shown.")
            if isinstance(exc, StorageError)
            else f"Seat codes cannot be shown: {exc}."
        )
        return
    _seats(w, seats)


def _seats(w: Workshop, seats: Seats) -> None:
    st.write(
        "With seat codes on, joining needs one of these codes as well as the join code: print "
        "them, cut them up and hand one to each person at random. Each code joins one person, "
        "once; a used code is refused, so it never opens anyone's answers. People come back "
        "with their own link or the code shown under their questions."
    )
    if seats.on:
        if not seats.codes:
            st.warning("Seat codes are on, but there are none yet: nobody can join. Make some.")
        if st.button("Stop asking for seat codes") and act(use_seat_codes, w.id, False):
            st.rerun()
    elif st.button("Ask for seat codes") and act(use_seat_codes, w.id, True):
        st.rerun()
    count = st.number_input(
        "Seat codes to make",
        min_value=1,
        max_value=SEAT_MAX,
        value=min(SEAT_MAX, w.expected or SEATS_DEFAULT),
    )
    if st.button("Make seat codes") and act(make_seats, w.id, int(count)):
        st.rerun()
    if not seats.codes:
        return
    st.caption(
        f"{len(seats.codes)} seat codes; {seats.taken} taken."
        + ("" if seats.on else " Not asked for yet.")
    )
    db, grant = engine(), facilitator(w.id)
    st.download_button(
        "Seat cards to print (HTML)",
        # Built when pressed, from the codes storage gives this grant then (ui.downloads).
        lambda: cards(w, seats_of(db, grant, w.id).codes),
        file_name=f"seat-codes-{w.join_code}.html",
        mime="text/html",
        on_click="ignore",
    )
    st.code("\n".join(seats.codes), language=None)


def cards(w: Workshop, codes: tuple[str, ...]) -> str:
    """A page of cut-out cards, one seat code each, with the join code: prints on A4."""
    title = html.escape(w.title)
    card = (
        '<div class="card"><p>{title}</p><p>Join code <b>{join}</b></p>'
        '<p>Your seat code <b class="seat">{seat}</b></p>'
        "<p>This code joins you once. To come back later, use your link or the code "
        "shown under your questions.</p></div>"
    )
    body = "\n".join(
        card.format(title=title, join=html.escape(w.join_code), seat=html.escape(code))
        for code in codes
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Seat codes: {title}</title><style>"
        "body{font-family:sans-serif;margin:1cm}"
        ".card{display:inline-block;width:8cm;margin:0 .3cm .3cm 0;padding:.4cm;"
        "border:1px dashed #555;break-inside:avoid;vertical-align:top}"
        ".card p{margin:.15cm 0}.seat{font-size:1.5em;letter-spacing:.08em}"
        f"</style></head><body>\n{body}\n</body></html>\n"
    )
