"""ui/access.py: a refused page says so in one sentence and shows nothing else."""

from __future__ import annotations

from tests.app.conftest import open_page


def test_a_refused_page_is_one_sentence_and_a_way_on() -> None:
    at = open_page("app_pages/compare.py")
    assert not at.exception
    assert [w.value for w in at.warning] == ["This page is open only to administrators."]
    assert not at.dataframe
    assert not at.get("plotly_chart")
    assert [t.value for t in at.title] == []  # not even the page's own heading


def test_a_participant_session_is_kept_to_the_joining_pages() -> None:
    """With a participant's token in the session, any other address shows the join page."""
    for page in ("app_pages/compare.py", "app_pages/start.py", "app_pages/home.py"):
        at = open_page(page)
        at.session_state["participant_token"] = "A" * 22
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert [t.value for t in at.title] == ["Join a workshop"], page
