"""A minimal Streamlit client: one app session over the server's websocket, no browser.

Why: driving 50 participants with one headless Chromium each needs far more CPU than the
server under test, so on a two-core machine the browsers, not Ladder, set the figures. This
client speaks the protocol the browser speaks (``BackMsg`` protobufs up ``/_stcore/stream``,
``ForwardMsg`` protobufs down) and does what a browser does for a participant or a
facilitator: open a page with its query string, give a widget a value and rerun, press a
button, rerun a fragment that refreshes itself on a timer. It follows the page and query
string the server moves it to (``st.switch_page``), keeps the values it has given to the
current page's widgets, and sends no cached-message hashes, so every element arrives whole.
It renders nothing, so a latency measured with it is the server's part (script run,
database write, messages sent), not the browser's.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = (
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
)


class SessionError(Exception):
    """The server did something a browser would show as a failure (or did not answer)."""


@dataclass(frozen=True)
class Element:
    """One element of a finished script run: its kind ("radio", "button", ...) and proto."""

    kind: str
    proto: Any

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")

    @property
    def text(self) -> str:
        """What it says: a heading's or markdown's body, an alert's text, a progress line."""
        for name in ("body", "text", "message"):
            value = getattr(self.proto, name, "")
            if isinstance(value, str) and value:
                return value
        return ""


class Session:
    """One browser tab's worth of a Streamlit app, driven from Python."""

    def __init__(self, ws: websockets.ClientConnection, timeout: float):
        self._ws = ws
        self._timeout = timeout
        self.page_hash = ""
        self.page_name = ""
        self.query = ""
        self.elements: tuple[Element, ...] = ()
        #: Fragments the page asked to rerun on a timer (``st.fragment(run_every=...)``):
        #: fragment id -> seconds. A browser reruns each on its interval; see `refresh`.
        self.timers: dict[str, float] = {}
        self._values: dict[str, WidgetState] = {}

    @classmethod
    async def open(cls, base: str, page: str, query: str, timeout: float = 120.0) -> Session:
        """Connect and run ``page`` (its URL path, "" for the home page) with ``query``."""
        host = base.split("://", 1)[1]
        name, _, port = host.rpartition(":")
        sock = socket.create_connection((name, int(port)), timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        ws = await asyncio.wait_for(
            websockets.connect(
                f"ws://{host}/_stcore/stream",
                sock=sock,
                subprotocols=[websockets.Subprotocol("streamlit")],
                origin=websockets.Origin(base),
                max_size=None,
                compression=None,
            ),
            timeout,
        )
        session = cls(ws, timeout)
        session.page_name, session.query = page, query
        await session._rerun()
        return session

    async def close(self) -> None:
        await self._ws.close()

    def find(self, kind: str, label: str) -> Element:
        """The widget of this kind with this label on the page now (SessionError if none)."""
        for element in self.elements:
            if element.kind == kind and element.label == label:
                return element
        raise SessionError(f"no {kind} labelled {label!r} on the page")

    def texts(self, kind: str) -> Iterator[str]:
        """The text of every element of a kind on the page now."""
        return (e.text for e in self.elements if e.kind == kind)

    async def choose(self, element: Element, option: int | str) -> None:
        """Pick an option of a radio or selectbox (by its index, or by its shown text)."""
        options = list(element.proto.options)
        shown = options[option] if isinstance(option, int) else option
        if shown not in options:
            raise SessionError(f"{element.label!r} has no option {shown!r}")
        state = WidgetState(id=element.proto.id, string_value=shown)
        self._values[state.id] = state
        await self._rerun()

    async def type_text(self, element: Element, text: str) -> None:
        state = WidgetState(id=element.proto.id, string_value=text)
        self._values[state.id] = state
        await self._rerun()

    async def click(self, element: Element) -> None:
        """Press a button: a trigger sent with this rerun only, as the browser does."""
        if element.proto.disabled:
            raise SessionError(f"button {element.label!r} is disabled")
        await self._rerun(WidgetState(id=element.proto.id, trigger_value=True))

    async def refresh(self, fragment_id: str) -> None:
        """Rerun one timed fragment, as the browser does when its interval comes round;
        `elements` then holds what the fragment drew."""
        await self._rerun(fragment_id=fragment_id)

    async def _rerun(self, trigger: WidgetState | None = None, fragment_id: str = "") -> None:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = self.page_hash
        rerun.page_name = "" if self.page_hash else self.page_name
        rerun.widget_states.widgets.extend(self._values.values())
        if trigger is not None:
            rerun.widget_states.widgets.append(trigger)
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = True
        else:
            self.timers = {}
        await self._ws.send(msg.SerializeToString())
        await self._until_finished()

    async def _until_finished(self) -> None:
        """Read messages until a script run ends for good (a run cut short for a rerun, as
        ``st.switch_page`` and ``st.rerun`` do, is followed by the next one)."""
        elements: list[Element] = []
        while True:
            try:
                raw = await asyncio.wait_for(self._ws.recv(), self._timeout)
            except TimeoutError:
                raise SessionError(f"no answer from the server in {self._timeout:.0f} s") from None
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                elements = []
            elif kind == "navigation":
                if msg.navigation.page_script_hash != self.page_hash:
                    self._values.clear()  # another page: its widgets are not this page's
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.timers[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "page_not_found":
                raise SessionError(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                name = element.WhichOneof("type")
                if name == "exception":
                    raise SessionError(f"the app raised {element.exception.type}")
                elements.append(Element(name, getattr(element, name)))
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    self.elements = tuple(elements)
                    return
                if (
                    msg.script_finished
                    == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
                ):
                    raise SessionError("the page failed to compile")
