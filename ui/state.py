"""Every key the app keeps in the session and every name it reads from the URL, typed.

Why: a page that writes ``st.session_state["token"]`` and another that reads
``"tokens"`` fail silently, and ``st.session_state`` gives back ``Any``. Here each
key is named once, next to the type of what it holds, and read or written
through a `Slot` (session) or a `Param` (URL) that says so; the loaded bank and
corpus come typed from `instrument`, `bank` and `corpus`. No other module indexes
``st.session_state`` or ``st.query_params`` with a literal key (an architecture
test, tests/unit/test_architecture.py, says so).

The key strings are the ones the app has always used: a session or an address
from before this module keeps working, and so do the tests that set them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Final, Generic, TypeVar, cast

import streamlit as st

from corpus.model import Corpus
from questions import Instrument
from questions.model import Bank
from storage import Grant, Plan, Throttle, Workshop

__all__ = [
    "ADMIN_GRANT",
    "ANSWERS_DELETED",
    "AREA",
    "ASSESSMENT",
    "CONFIRM_DELETE",
    "DELETE_CODE",
    "DELETE_KEY",
    "DELETE_REFUSED",
    "ESSAY",
    "FACILITATOR_GRANTS",
    "FOLLOW_UP",
    "JOIN_CODE",
    "LAST_TIME_PLAN",
    "MISSED_CODES",
    "OPENED_WORKSHOP",
    "OPENED_WORKSHOP_KEY",
    "OPEN_WARNED",
    "PARTICIPANT",
    "PARTICIPANT_TOKEN",
    "PDF_COMPARE",
    "PDF_PUBLISHED",
    "PDF_REPORT",
    "PDF_WORKSHOP",
    "PUBLISHING_MESSAGE",
    "RESUME",
    "RESUME_TOKEN",
    "ROOM_LINK",
    "ROOM_LINKS",
    "SETUP",
    "STEP",
    "SURVEY_MOVES",
    "SURVEY_SAVED_AGAIN",
    "SURVEY_SAVE_ERROR",
    "SURVEY_TO_TOP",
    "SURVEY_UNSAVED",
    "THROTTLES",
    "WORKSHOP",
    "WORKSHOP_EDITING",
    "WORKSHOP_RESPONSE",
    "WORKSHOP_STEP",
    "Param",
    "Slot",
    "bank",
    "bank_path",
    "corpus",
    "instrument",
    "keep_instrument",
    "survey_field",
]

T = TypeVar("T")


class Slot(Generic[T]):
    """One session-state key and the type of what it holds.

    ``T`` is what the app puts there; nothing checks it at run time (the session
    holds what the code wrote), so every write goes through `set` with a ``T``.
    """

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key: Final = key

    def __repr__(self) -> str:
        return f"Slot({self.key!r})"

    def get(self) -> T | None:
        """The value, or None when nothing is kept."""
        return cast("T | None", st.session_state.get(self.key))

    def get_or(self, default: T) -> T:
        """The value, or ``default`` when nothing is kept (nothing is written)."""
        return cast("T", st.session_state.get(self.key, default))

    def set(self, value: T) -> None:
        st.session_state[self.key] = value

    def setdefault(self, default: T) -> T:
        """The value, keeping ``default`` first when nothing is kept."""
        return cast("T", st.session_state.setdefault(self.key, default))

    def pop(self) -> T | None:
        """The value, forgotten (None when nothing was kept)."""
        return cast("T | None", st.session_state.pop(self.key, None))

    def is_set(self) -> bool:
        return self.key in st.session_state


class Param:
    """One query parameter of the page's address (its value is always text)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name: Final = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def get(self) -> str | None:
        """The value in the address, or None when it has none."""
        return st.query_params.get(self.name)

    def set(self, value: str) -> None:
        st.query_params[self.name] = value

    def pop(self) -> None:
        """Take the parameter out of the address (nothing happens when it is not there)."""
        st.query_params.pop(self.name, None)

    def is_set(self) -> bool:
        return self.name in st.query_params

    def to(self, value: str) -> dict[str, str]:
        """The parameter as `st.switch_page` and `st.page_link` take it: ``{name: value}``."""
        return {self.name: value}


# --- The address ---------------------------------------------------------------------
#: A self-assessment's resume token (survey and results pages): ``?r=...``.
RESUME: Final = Param("r")
#: A workshop participant's resume token (their answering page): ``?p=...``.
PARTICIPANT: Final = Param("p")
#: The workshop's join code on the facilitator's dashboard: ``?w=...``.
WORKSHOP: Final = Param("w")
#: A join code typed or scanned on the joining page: ``?code=...``.
JOIN_CODE: Final = Param("code")
#: A room view's link token (the room view on the projector's machine): ``?screen=...``.
ROOM_LINK: Final = Param("screen")
#: The essay the essays page opens at: ``?essay=...``.
ESSAY: Final = Param("essay")
#: The one-time token of an administrator's set-up link: ``?setup=...``.
SETUP: Final = Param("setup")
#: The area an area's home shows: ``?area=...`` (an administrator's page).
AREA: Final = Param("area")
#: A published result an administrator opens on the results page: ``?a=...``.
ASSESSMENT: Final = Param("a")

# --- The loaded bank (app.py) ----------------------------------------------------------
_INSTRUMENT: Final = Slot[Instrument]("instrument")
_BANK_PATH: Final = Slot[str]("bank_path")

# --- Who this session is ---------------------------------------------------------------
#: The self-assessment's resume token, kept while the person moves between pages.
RESUME_TOKEN: Final = Slot[str]("token")
#: The workshop participant's resume token, kept likewise.
PARTICIPANT_TOKEN: Final = Slot[str]("participant_token")
#: Workshop id -> the facilitator's grant (`ui.access`).
FACILITATOR_GRANTS: Final = Slot[dict[int, Grant]]("facilitator_grants")
#: Workshop id -> the room link's token this session made (shown on its dashboard).
ROOM_LINKS: Final = Slot[dict[int, str]]("room_links")
#: The signed-in local administrator's grant (`ui.admin`).
ADMIN_GRANT: Final = Slot[Grant]("admin_grant")
#: This session's throttles, by name (`ui.access`).
THROTTLES: Final = Slot[dict[str, Throttle]]("throttles")
#: This session's menu: section -> its pages (app.py). Built on the session's first run and
#: kept, because making a page object resolves its file on disk: 13 of them cost the
#: survey's rerun about a tenth of its time (bench/bench_survey.py).
MENU: Final = Slot[dict[str, list[Any]]]("menu")
#: Kind of code -> the code this session last looked up in vain (`ui.access`).
MISSED_CODES: Final = Slot[dict[str, str]]("missed_codes")

# --- The survey (`ui.assessment.survey`, `ui.store`) ----------------------------------------------
#: The self-assessment's step in this session (a workshop's is `WORKSHOP_STEP`).
STEP: Final = Slot[int]("step")
SURVEY_SAVE_ERROR: Final = Slot[str]("survey_save_error")
#: Set when the step changes; read (once) by the next run, which scrolls to the top.
SURVEY_TO_TOP: Final = Slot[bool]("survey_to_top")
#: Set when the saves kept through an outage went in; shown once.
SURVEY_SAVED_AGAIN: Final = Slot[bool]("survey_saved_again")
#: Counts step changes: makes each scroll script new to the browser.
SURVEY_MOVES: Final = Slot[int]("survey_moves")
#: The saves that failed because the database was away, by (response, step), kept until
#: they go through (`ui.assessment.survey.save_unsaved`). Outside any widget, so a page
#: stopped by the outage (its widgets not drawn, so Streamlit forgets their values) does
#: not lose them.
SURVEY_UNSAVED: Final = Slot[dict[tuple[int, str], Any]]("survey_unsaved")

# --- A workshop participant (`ui.workshop.entry`) --------------------------------------------
WORKSHOP_STEP: Final = Slot[int]("wstep")
#: The response this session last showed (a new one: a new round).
WORKSHOP_RESPONSE: Final = Slot[int]("wresponse")
#: The response whose sent answers the participant chose to change.
WORKSHOP_EDITING: Final = Slot[int]("wediting")

# --- Opening a workshop (app_pages/workshop_open.py) -----------------------------------
#: (workshop, join link) of the workshop just opened: never the key.
OPENED_WORKSHOP: Final = Slot[tuple[Workshop, str]]("opened_workshop")
#: The facilitator key, for the one run that shows it (popped as it is shown).
OPENED_WORKSHOP_KEY: Final = Slot[str]("opened_workshop_key")
#: The k warnings last shown for these form values: pressing Open again opens as it is.
OPEN_WARNED: Final = Slot[tuple[object, ...]]("open_warned")

# --- Messages and confirmations --------------------------------------------------------
#: (kind, text) shown once after a publishing button (`ui.assessment.publishing`).
PUBLISHING_MESSAGE: Final = Slot[tuple[str, str]]("publishing_message")
#: (resume code of a result, resume code of the follow-up started from it), for the results
#: page to show the new code once it has been made (`ui.assessment.actions`).
FOLLOW_UP: Final = Slot[tuple[str, str]]("follow_up")
#: (whose: a resume code or "workshop <id>", its action plan) as "Last time you agreed to…"
#: read it, once per session: the survey reruns on every answer and the dashboard on every
#: press, and only saving how the actions stand changes the plan it shows.
LAST_TIME_PLAN: Final = Slot[tuple[str, Plan]]("last_time_plan")
#: The results page says the answers were deleted instead of showing results.
ANSWERS_DELETED: Final = Slot[bool]("answers_deleted")
#: Why the results page's Delete did nothing, shown once.
DELETE_REFUSED: Final = Slot[str]("delete_refused")
#: Widget: "Type DELETE to confirm" on the results page.
CONFIRM_DELETE: Final = Slot[str]("confirm_delete")
#: Widgets: the join code and facilitator key typed to delete a workshop (dashboard).
DELETE_CODE: Final = Slot[str]("delete_code")
DELETE_KEY: Final = Slot[str]("delete_key")

# --- PDFs made on request (`ui.downloads.offer`), one per report ----------------------
#: Each (what the report is of, its PDF): offered only while the page shows the same thing.
PDF_REPORT: Final = Slot[tuple[Hashable, bytes]]("report_pdf")
PDF_WORKSHOP: Final = Slot[tuple[Hashable, bytes]]("workshop_pdf")
PDF_COMPARE: Final = Slot[tuple[Hashable, bytes]]("compare_pdf")
PDF_PUBLISHED: Final = Slot[tuple[Hashable, bytes]]("published_pdf")  # from the area's home


def survey_field(kind: str, item_id: str) -> Slot[Any]:
    """A survey widget's key: ``kind`` is ``a`` (answer), ``c`` (confidence), ``e``
    (evidence) of a question, or ``t`` (target), ``p`` (priority) of a dimension."""
    return Slot(f"{kind}|{item_id}")


def keep_instrument(loaded: Instrument, bank_path: str) -> None:
    """app.py: the checked bank and corpus, and the file the bank was read from, for every
    page of this run."""
    if loaded.bank is None or loaded.corpus is None:
        raise ValueError("only a usable instrument is kept; app.py stops on a broken bank")
    _INSTRUMENT.set(loaded)
    _BANK_PATH.set(bank_path)


def instrument() -> Instrument:
    """The bank and corpus app.py loaded and checked before any page runs."""
    loaded = _INSTRUMENT.get()
    if loaded is None:
        raise RuntimeError("no instrument in this session: pages run through app.py")
    return loaded


def bank_path() -> str:
    """The file the loaded bank was read from (saved with its snapshot: `ui.store.bank_hash`)."""
    path = _BANK_PATH.get()
    if path is None:
        raise RuntimeError("no bank path in this session: pages run through app.py")
    return path


def bank() -> Bank:
    """The loaded question bank."""
    found = instrument().bank
    assert found is not None  # kept only when usable (keep_instrument)
    return found


def corpus() -> Corpus:
    """The loaded essay corpus."""
    found = instrument().corpus
    assert found is not None  # kept only when usable (keep_instrument)
    return found
