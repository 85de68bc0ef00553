"""ui.state: each session key and URL parameter, read and written through its accessor."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _slots_and_params() -> None:
    import streamlit as st

    from ui import state

    before = (state.STEP.get(), state.STEP.get_or(3), state.STEP.is_set())
    kept = state.STEP.setdefault(2)
    again = state.STEP.setdefault(5)  # kept already: unchanged
    popped, gone = state.STEP.pop(), state.STEP.pop()
    state.RESUME_TOKEN.set("tok")
    state.survey_field("a", "P1.1").set("4")
    seen = state.RESUME.get()
    state.RESUME.set("fresh")
    state.JOIN_CODE.pop()  # absent: nothing happens
    link = state.ESSAY.to("jones")
    try:
        state.instrument()
        refused = ""
    except RuntimeError as exc:
        refused = str(exc)
    st.write(repr((before, kept, again, popped, gone, seen, link, refused)))


def test_each_key_is_read_and_written_through_its_accessor() -> None:
    at = AppTest.from_function(_slots_and_params, default_timeout=60)
    at.query_params["r"] = "from-the-link"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = at.markdown[0].value
    assert said == repr(
        (
            (None, 3, False),
            2,
            2,
            2,
            None,
            "from-the-link",
            {"essay": "jones"},
            "no instrument in this session: pages run through app.py",
        )
    )
    assert at.session_state["token"] == "tok"  # the key the app has always used
    assert at.session_state["a|P1.1"] == "4"
    assert "step" not in at.session_state
    assert at.query_params["r"] == "fresh"


def _keeps_the_instrument() -> None:
    import streamlit as st

    from questions import Instrument, load_instrument
    from ui import state

    try:
        state.keep_instrument(Instrument(None, None, ()), "nowhere.yaml")
        st.write("kept a broken bank")
    except ValueError:
        st.write("refused a broken bank")
    loaded = load_instrument()
    state.keep_instrument(loaded, "questions/bank.yaml")
    same = state.instrument() is loaded and state.bank() is loaded.bank
    st.write(f"{same} {state.corpus() is loaded.corpus} {state.bank_path()}")


def test_the_loaded_instrument_comes_back_typed_and_only_when_usable() -> None:
    at = AppTest.from_function(_keeps_the_instrument, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [
        "refused a broken bank",
        "True True questions/bank.yaml",
    ]
