"""An area's home in AppTest (issue 17, item 1): administrators only; every result with its
status; a published self-assessment opened from it, with its priorities and action plan
and never its evidence notes; the next self-assessment started from the home; the
timeline."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from storage import (
    AnswerInput,
    Grant,
    InputError,
    find_response,
    list_areas,
    make_engine,
    plan_of,
    publish_assessment,
    save_draft,
)
from storage.core.access import Grant as CoreGrant
from tests.app.conftest import APP, button, finished_quick, rerun_on

HOME = "app_pages/area_home.py"
RESULTS = "app_pages/results.py"
ADMIN = CoreGrant("admin", admin="tester@example.org", via="oidc")


def as_admin(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["admin_grant"] = ADMIN
    at.switch_page(page)
    return at.run()


def engine():
    return make_engine(os.environ["DATABASE_URL"])


def area_id(name: str) -> int:
    return next(a.id for a in list_areas(engine()) if a.name == name)


def test_nobody_but_an_administrator_opens_a_home():
    token = finished_quick("Calderbrook Council")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["area"] = str(area_id("Calderbrook Council"))
    at.switch_page(HOME)
    at.run()
    assert not at.dataframe
    assert any("administrators" in w.value for w in at.warning)
    # Nor does an owner's code open someone else's results as an administrator's view.
    other = AppTest.from_file(str(APP), default_timeout=60)
    other.query_params["a"] = "1"
    other.switch_page(RESULTS)
    other.run()
    assert not other.metric
    del token


def test_the_home_lists_results_opens_a_published_one_and_follows_up():
    unpublished = finished_quick("Calderbrook Council")
    token = finished_quick("Calderbrook Council")
    db = engine()
    response = find_response(db, token)
    assert response is not None
    save_draft(  # an evidence note the owner keeps to themselves
        db,
        response.id,
        {"P1.1": AnswerInput("3", evidence="SECRET NOTE")},
        {},
        0,
        allow_submitted=True,
    )
    published = publish_assessment(db, token)
    home = as_admin(HOME, area=str(area_id("Calderbrook Council")))
    assert not home.exception, [e.value for e in home.exception]
    entries = next(d.value for d in home.dataframe if "Status" in d.value.columns)
    assert sorted(entries["Status"]) == ["Finished, not published", "Published"]
    link = next(p for p in home.get("page_link") if p.proto.label.startswith("Open the results"))
    assert link.proto.query_string == f"a={published.assessment_id}"

    at = as_admin(RESULTS, a=str(published.assessment_id))
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Results: Calderbrook Council"
    shown = " ".join(str(e.value) for kind in ("markdown", "caption") for e in at.get(kind))
    assert "SECRET NOTE" not in shown
    assert not any("SECRET NOTE" in d.value.to_string() for d in at.dataframe)
    for n in range(3):
        fields = {t.label: t for t in at.text_input}
        fields["What you will do"].input(f"Action {n + 1}")
        fields["Who does it"].input("Policy team")
        button(at, "Record the action").click()
        at = rerun_on(at, RESULTS)
        assert not at.exception, [e.value for e in at.exception]
    plan = plan_of(db, Grant("owner", token=token))
    assert [a.what for a in plan.own] == ["Action 1", "Action 2", "Action 3"]

    home = as_admin(HOME, area=str(area_id("Calderbrook Council")))
    plan_table = next(d.value for d in home.dataframe if "Who" in d.value.columns)
    assert list(plan_table["Action"]) == ["Action 1", "Action 2", "Action 3"]
    events = next(m.value for m in home.markdown if "Action agreed" in m.value)
    assert events.count("Action agreed: Action") == 3
    assert events.count("Self-assessment, ") == 2
    button(home, "Start the next self-assessment").click()
    home = rerun_on(home, HOME)
    link = next(
        p for p in home.get("page_link") if p.proto.label == "Open the next self-assessment"
    )
    follow = link.proto.query_string.removeprefix("r=")
    assert follow not in (token, unpublished)
    assert [a.what for a in plan_of(db, Grant("owner", token=follow)).to_ask] == [
        "Action 1",
        "Action 2",
        "Action 3",
    ]
    db.dispose()


def test_an_unpublished_result_does_not_open_for_an_administrator():
    token = finished_quick("Calderbrook Council")
    del token
    home = as_admin(HOME, area=str(area_id("Calderbrook Council")))
    assert not [p for p in home.get("page_link") if p.proto.label.startswith("Open the results")]
    assessment = home_entry_id()
    at = as_admin(RESULTS, a=str(assessment))
    assert not at.metric
    assert any("not a published" in e.value for e in at.error)
    for bad in ("x", "-1", "1" * 40):
        at = as_admin(RESULTS, a=bad)
        assert not at.exception
        assert not at.metric


def home_entry_id() -> int:
    from storage import list_assessments

    return list_assessments(engine(), area_id("Calderbrook Council"))[0].id


def test_an_administrator_downloads_a_published_results_report_without_its_notes(download_data):
    """From the area's home: the report (with the plan, and a line where the evidence notes
    would be) and the scores; no answers; nothing once the result is withdrawn."""
    from reports.evidence import WITHHELD
    from storage import unpublish_assessment

    token = finished_quick("Calderbrook Council")
    db = engine()
    response = find_response(db, token)
    assert response is not None
    save_draft(
        db, response.id, {"P1.1": AnswerInput("3", evidence="SECRET NOTE")}, {}, 0,
        allow_submitted=True,
    )  # fmt: skip
    published = publish_assessment(db, token)
    at = as_admin(RESULTS, a=str(published.assessment_id))
    fields = {t.label: t for t in at.text_input}
    fields["What you will do"].input("Map the <i>spend</i>")
    fields["Who does it"].input("Policy team")
    button(at, "Record the action").click()
    at = rerun_on(at, RESULTS)
    assert not at.exception, [e.value for e in at.exception]
    assert set(download_data) == {"Report (HTML)", "Scores (CSV)"}  # never anyone's answers
    html = download_data["Report (HTML)"]().decode()
    assert "SECRET NOTE" not in html
    assert WITHHELD in html
    assert "Map the &lt;i&gt;spend&lt;/i&gt;" in html
    assert "Calderbrook Council" in html
    scores = download_data["Scores (CSV)"]().decode()
    assert "SECRET NOTE" not in scores
    assert scores.lstrip("\ufeff").startswith("dimension,n,median")
    assert any(line.startswith("P1,") for line in scores.splitlines())
    unpublish_assessment(db, token)
    for build in download_data.values():  # refused by storage, naming why
        with pytest.raises(InputError, match="not a published"):
            build()
    db.dispose()
