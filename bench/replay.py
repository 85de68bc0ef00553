"""A page's floor: the same elements, drawn by bare Streamlit from data prepared in advance.

Why: a budget "within N times its floor" needs a floor that shows what the page shows,
measured on the same machine in the same run. The floor here is the page itself, replayed:
`capture` takes what a real Ladder run drew (from an AppTest tree, or from the elements
`bench.streamlit_session.Session` received), with every figure and table already built,
and `draw` draws the same thing with one plain Streamlit call per element (the same plotly
figures, the same tables, the same widgets with the same options, the same columns, tabs
and forms). What the floor does not do is the page's own work: reading the database,
scoring, building figures and files. A download button in the floor carries a few bytes,
as one built when pressed would: the files' bytes are the work the page should not do up
front, not part of what it draws.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.io as pio


@dataclass(frozen=True)
class Node:
    """One element (``kind`` with its ``data``) or a block holding ``children``."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    children: tuple[Node, ...] = ()


#: A floor's sidebar where Ladder's pages have their navigation (Streamlit's sidebar is as wide
#: whatever it holds), so the floor's charts are drawn as narrow as the page's.
SIDEBAR = Node("markdown", {"body": "Ladder's pages"})


@dataclass(frozen=True)
class Floor:
    """A floor page served by `bench.floor_app`: ``pages[0]``, or with ``chosen`` set, the
    page for as many options as are picked in its "choice" multiselect (`with_choice`),
    then ``parts`` in a fragment when there are (`with_choice`'s "pick"), then ``live`` in
    a fragment refreshed every ``every`` seconds when there is one; laid out as ``layout``
    says, as the page it stands for is."""

    pages: tuple[Node, ...]
    live: Node | None = None
    every: float = 3.0
    chosen: dict[int, int] = field(default_factory=dict)  # options picked -> page index
    default: int = 0  # options picked before anyone chooses
    #: The page's layout (``st.set_page_config``): a wide page draws wider charts and
    #: tables, which a browser takes longer to lay out, so its floor is wide too.
    layout: str = "centered"
    #: A part of the page drawn in a fragment of its own, rerun alone when its "pick"
    #: selectbox changes (as Compare's many areas is): the part for each option picked, by
    #: option; before anyone picks, the first.
    parts: dict[str, Node] = field(default_factory=dict)
    #: What the sidebar holds, if anything: a page with Ladder's navigation beside it is
    #: narrower, and so are its charts, so its floor has a sidebar too.
    sidebar: Node | None = None


#: Pages a floor script draws, by name: set by the benchmark, read by its bare script (AppTest
#: runs both in one process), or loaded from a pickle by `bench.floor_app` in a server.
PAGES: dict[str, Node] = {}
#: Blocks that change the page's layout; any other block is drawn as a plain container.
_BLOCKS = ("column", "tab", "form", "expander")
_TEXT = ("title", "header", "subheader", "markdown", "caption", "code", "text")
_ALERTS = ("info", "warning", "success", "error")
#: The elements of a Session's (websocket) messages, renamed to AppTest's kinds.
_SESSION_KINDS = {"heading": "subheader", "alert": "info", "imgs": "image"}


def _figure(spec: str) -> Any:
    """A plotly figure from its JSON as sent to the browser (built before the timing)."""
    return pio.from_json(spec, skip_invalid=True)


def _frame(arrow: bytes) -> pd.DataFrame:
    import pyarrow as pa

    return pa.ipc.open_stream(io.BytesIO(arrow)).read_all().to_pandas()


def _element(kind: str, proto: Any, value: Any = None) -> Node | None:
    """One element's floor, or None for what a page does not show (an empty element)."""
    label = getattr(proto, "label", "")
    if kind in _TEXT:
        body = getattr(proto, "body", "") or (value if isinstance(value, str) else "")
        return Node(kind, {"body": body})
    if kind in _ALERTS or kind == "alert":
        return Node("info", {"body": getattr(proto, "body", "")})
    if kind == "plotly_chart":
        return Node(kind, {"figure": _figure(proto.spec)})
    if kind == "dataframe":
        frame = value if isinstance(value, pd.DataFrame) else _frame(proto.arrow_data.data)
        return Node("dataframe", {"frame": frame})
    if kind == "metric":
        return Node(kind, {"label": label, "body": getattr(proto, "body", "")})
    if kind in ("selectbox", "radio", "multiselect", "segmented_control"):
        options = list(getattr(proto, "options", []))
        default = getattr(proto, "default", [])
        default = [default] if isinstance(default, int) else list(default)
        return Node(kind, {"label": label, "options": options, "default": default})
    if kind in ("button", "download_button", "form_submit_button", "toggle", "checkbox"):
        return Node(kind, {"label": label})
    if kind in ("text_input", "text_area", "file_uploader", "number_input"):
        return Node(kind, {"label": label})
    if kind in ("divider", "image", "progress"):
        return Node(kind)
    if kind == "empty":
        return None
    return Node("markdown", {"body": f"({kind})"})


def capture_apptest(node: Any) -> Node:
    """The floor of an AppTest run (``at._tree``, or ``at.main``), blocks and all."""
    children = getattr(node, "children", None)
    if children is None:
        kind = getattr(node, "type", "unknown")
        value = None
        if kind in ("dataframe", "title", "header", "subheader", "markdown", "caption"):
            value = node.value
        made = _element(kind, node.proto, value)
        return made or Node("empty")
    kind = getattr(node, "type", "container")
    label = getattr(getattr(node, "proto", None), "label", "") or ""
    if kind == "expandable":
        kind = "expander"
    inner = tuple(capture_apptest(c) for c in children.values())
    return Node(kind if kind in _BLOCKS else "container", {"label": label}, inner)


def capture_session(elements: Any) -> Node:
    """The floor of a websocket `Session`'s last run (elements only: no block layout)."""
    made = (_element(_SESSION_KINDS.get(e.kind, e.kind), e.proto) for e in elements)
    return Node("container", {}, tuple(n for n in made if n is not None))


#: The widgets a floor can be switched by, and what `with_choice` makes of them.
_CHOOSERS = {"multiselect": "choice", "selectbox": "pick"}


def with_choice(node: Node, label: str) -> Node:
    """``node`` with its multiselect labelled ``label`` made the page's "choice" (or its
    selectbox so labelled, its "pick"): drawn with its default, under the key
    `bench.floor_app` reads to pick the page (the part) to draw."""
    if node.kind in _CHOOSERS and node.data["label"] == label:
        return Node(_CHOOSERS[node.kind], node.data)
    return Node(node.kind, node.data, tuple(with_choice(c, label) for c in node.children))


def draw(node: Node, st: Any, in_form: bool = False, prefix: str = "n") -> None:
    """Draw ``node`` with Streamlit (passed in: only the shell imports it at module level)."""
    kind, data = node.kind, node.data
    key = prefix
    if node.children or kind in _BLOCKS or kind == "container":
        _draw_block(node, st, in_form, prefix)
    elif kind in _TEXT:
        getattr(st, kind)(data["body"])
    elif kind == "info":
        st.info(data["body"] or " ")
    elif kind == "plotly_chart":
        st.plotly_chart(data["figure"], key=key, config={"displaylogo": False})
    elif kind == "dataframe":
        st.dataframe(data["frame"], key=key)
    elif kind == "metric":
        st.metric(data["label"] or " ", data["body"])
    elif kind in ("selectbox", "radio", "multiselect", "segmented_control"):
        getattr(st, kind)(data["label"] or " ", data["options"], key=key)
    elif kind == "choice":
        default = [data["options"][i] for i in data["default"]]
        st.multiselect(data["label"], data["options"], default=default, key="choice")
    elif kind == "pick":
        st.selectbox(data["label"], data["options"], index=(data["default"] or [0])[0], key="pick")
    elif kind in ("button", "form_submit_button"):
        if in_form:
            st.form_submit_button(data["label"] or " ", key=key)
        else:
            st.button(data["label"] or " ", key=key)
    elif kind == "download_button":
        st.download_button(data["label"] or " ", b"floor", key=key)
    elif kind in ("toggle", "checkbox", "text_input", "text_area", "file_uploader"):
        getattr(st, kind)(data["label"] or " ", key=key)
    elif kind == "number_input":
        st.number_input(data["label"] or " ", key=key)
    elif kind == "divider":
        st.divider()
    elif kind == "image":
        st.image(_PIXEL, width=140)
    elif kind == "progress":
        st.progress(0.5)


def _draw_block(node: Node, st: Any, in_form: bool, prefix: str) -> None:
    children = node.children
    if children and all(c.kind == "column" for c in children):
        for i, (column, child) in enumerate(zip(st.columns(len(children)), children, strict=True)):
            with column:
                _draw_children(child, st, in_form, f"{prefix}.{i}")
    elif children and all(c.kind == "tab" for c in children):
        tabs = st.tabs([c.data["label"] or f"Tab {i}" for i, c in enumerate(children)])
        for i, (tab, child) in enumerate(zip(tabs, children, strict=True)):
            with tab:
                _draw_children(child, st, in_form, f"{prefix}.{i}")
    elif node.kind == "form" and not in_form:
        with st.form(f"form{prefix}"):
            _draw_children(node, st, True, prefix)
            if not _has_submit(node):
                st.form_submit_button(" ")
    elif node.kind == "expander":
        with st.expander(node.data.get("label") or " "):
            _draw_children(node, st, in_form, prefix)
    else:
        with st.container():
            _draw_children(node, st, in_form, prefix)


def _draw_children(node: Node, st: Any, in_form: bool, prefix: str) -> None:
    for i, child in enumerate(node.children):
        draw(child, st, in_form, f"{prefix}.{i}")


def _has_submit(node: Node) -> bool:
    return any(c.kind == "button" or _has_submit(c) for c in node.children)


def count(node: Node, kind: str) -> int:
    """How many elements of ``kind`` the floor draws (to check it shows what the page did)."""
    return (node.kind == kind) + sum(count(c, kind) for c in node.children)


def _pixel_png() -> bytes:
    """A small PNG, the size of the dashboard's QR code (the floor does not make one)."""
    import zlib

    width = 140
    raw = b"".join(b"\x00" + b"\xff\x00" * (width // 2) for _ in range(width))
    gray = (8).to_bytes(1, "big") + (0).to_bytes(1, "big")

    def chunk(tag: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + tag + body + zlib.crc32(tag + body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") * 2 + gray + b"\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


_PIXEL = _pixel_png()
