"""The action plan in AppTest (issue 17, item 2): recorded on the results page from the
priorities, refused with a plain message when incomplete, shown as typed, carried into the
area's next self-assessment, which asks how each action stands before the questions."""

from __future__ import annotations

import os
from datetime import date

from streamlit.testing.v1 import AppTest

from storage import Grant, make_engine, plan_of
from tests.app.conftest import button, finished_quick, open_page, rerun_on
from ui.text import literal

RESULTS = "app_pages/results.py"
SURVEY = "app_pages/survey.py"
HOSTILE = "**Publish** <b>the map</b>"


def record(at: AppTest, what: str, who: str, due: date | None = None) -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["What you will do"].input(what)
    fields["Who does it"].input(who)
    if due is not None:
        next(d for d in at.date_input if d.label.startswith("By when")).set_value(due)
    button(at, "Record the action").click()
    return rerun_on(at, RESULTS)


def test_actions_are_recorded_from_the_priorities_and_asked_about_next_time():
    token = finished_quick()
    at = open_page(RESULTS, r=token)
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value == "Action plan" for s in at.subheader)
    first = next(s for s in at.selectbox if s.label == "For which dimension")
    assert first.value == plan_priority(at)  # the first priority comes first
    at = record(at, HOSTILE, "Policy team", date(2027, 3, 31))
    assert not at.exception, [e.value for e in at.exception]
    at = record(at, "", "Policy team")  # nothing to do: named, nothing recorded
    assert any("what" in e.value.lower() or "action is empty" in e.value for e in at.error)
    at = record(at, "Brief the cabinet", "Chief executive's office")
    table = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert list(table["Action"]) == [HOSTILE, "Brief the cabinet"]  # as typed, in a table
    assert list(table["Status"]) == ["Planned", "Planned"]
    engine = make_engine(os.environ["DATABASE_URL"])
    assert len(plan_of(engine, Grant("owner", token=token)).own) == 2

    button(at, "Start the next self-assessment").click()
    at = rerun_on(at, RESULTS)
    assert any("next self-assessment is ready" in s.value for s in at.success)
    link = next(p for p in at.get("page_link") if p.proto.label == "Open the next self-assessment")
    assert link.proto.query_string.startswith("r=")  # the new resume code, in the link
    follow_token = link.proto.query_string.removeprefix("r=")
    assert follow_token
    assert follow_token != token

    at.session_state["step"] = 5  # where this session left the earlier survey
    at.switch_page(SURVEY)
    at.query_params["r"] = follow_token
    survey = at.run()  # the same session follows the link: the new survey starts at step 1
    assert not survey.exception, [e.value for e in survey.exception]
    assert "Step 1 of" in survey.get("progress")[0].proto.text
    assert any(s.value == "Last time you agreed to…" for s in survey.subheader)
    shown = " ".join(m.value for m in survey.markdown)
    assert literal(HOSTILE) in shown  # escaped: never bold, never a tag
    radios = [r for r in survey.radio if r.label == "How it stands"]
    assert len(radios) == 2
    radios[0].set_value("done")
    radios[1].set_value("under_way")
    next(b for b in survey.button if b.label == "Save how they stand").click()
    survey = rerun_on(survey, SURVEY)
    assert not any(s.value == "Last time you agreed to…" for s in survey.subheader)
    follow = plan_of(engine, Grant("owner", token=follow_token))
    assert {a.what: a.status for a in follow.carried} == {
        HOSTILE: "done",
        "Brief the cabinet": "under_way",
    }
    assert follow.to_ask == ()
    engine.dispose()


def plan_priority(at: AppTest) -> str:
    """The id of the first priority on the page ("**1. P3 Name**")."""
    head = next(m.value for m in at.markdown if m.value.startswith("**1. "))
    return head.removeprefix("**1. ").split(" ", 1)[0].replace("\\", "")


def test_a_stranger_with_no_code_sees_no_plan():
    at = open_page(RESULTS)
    assert not any(s.value == "Action plan" for s in at.subheader)
    at = open_page(SURVEY, r="AAAAAAAAAAAAAAAAAAAAAA")
    assert not any(s.value == "Last time you agreed to…" for s in at.subheader)


def test_every_file_of_the_results_carries_the_plan(download_data):
    """The report, workbook and JSON the owner downloads hold the actions, as typed (the
    report escapes them: HTML text, never markup)."""
    import io
    import json

    from openpyxl import load_workbook

    token = finished_quick()
    at = record(open_page(RESULTS, r=token), HOSTILE, "Policy team")
    assert not at.exception, [e.value for e in at.exception]
    html = download_data["Report (HTML)"]().decode()
    assert "Action plan" in html
    assert "**Publish** &lt;b&gt;the map&lt;/b&gt;" in html
    assert "<b>the map</b>" not in html
    sheets = load_workbook(io.BytesIO(download_data["Workbook (Excel)"]()))
    actions = list(sheets["Actions"].iter_rows(values_only=True))
    assert HOSTILE in actions[1]
    document = json.loads(download_data["Everything (JSON)"]())
    assert [a["Action"] for a in document["actions"]] == [HOSTILE]
