"""Report meta: the title block's facts, taken from the results and the bank."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date, datetime

import pytest

from reports.meta import ReportMeta, report_filename
from scoring.assessment.results import build_results
from tests.unit.reports.factories import (
    HOSTILE,
    meta_for,
    quick_answers,
    shipped,
    small_bank,
    small_results,
)


def test_for_results_takes_form_people_and_bank_from_the_results() -> None:
    bank, corpus = shipped()
    results = build_results(bank, corpus, quick_answers(bank))
    meta = meta_for(results, bank, area="Camden")
    assert meta.form_title == bank.form("quick").title
    assert meta.n_respondents == 1
    assert (meta.bank_title, meta.bank_version, meta.bank_hash) == (
        bank.title,
        bank.version,
        bank.content_hash,
    )
    short = bank.content_hash[:12]
    assert meta.facts() == (
        ("Area", "Camden (council, E10000099)"),
        ("Form", "Quick check: the six next-practice criteria"),
        ("Assessment date", "25 November 2026"),
        ("Respondents", "one respondent"),
        ("Question bank", f"{bank.title}, version {bank.version} (content {short})"),
        ("Report made", "26 November 2026, 09:05 UTC"),
    )


def test_defaults_title_date_and_time() -> None:
    results = small_results()
    meta = ReportMeta.for_results(results, small_bank(), area_name="Leeds", area_kind="")
    assert meta.title == "Next-practice self-assessment: Leeds"
    assert meta.area_line == "Leeds"
    assert meta.date_text == "not recorded"
    assert meta.generated_at.tzinfo is not None
    assert meta.ons_code is None


def test_an_unknown_form_is_described_not_fatal() -> None:
    results = replace(small_results(), form=None)
    meta = ReportMeta.for_results(results, small_bank(), area_name="X", area_kind="ward")
    assert meta.form_title == "Questions from several forms"


def test_meta_is_frozen_and_keeps_hostile_text_as_it_is() -> None:
    meta = meta_for(small_results(), small_bank())
    assert meta.area_name == f"Borsetshire {HOSTILE}"  # escaping is the renderer's job
    with pytest.raises(FrozenInstanceError):
        meta.title = "x"  # type: ignore[misc]


def test_to_dict_is_plain_json() -> None:
    meta = meta_for(small_results(), small_bank())
    data = json.loads(json.dumps(meta.to_dict()))
    assert data["assessment_date"] == "2026-11-25"
    assert data["generated_at"] == "2026-11-26T09:05:00+00:00"
    assert data["n_respondents"] == 2
    assert data["area_name"] == f"Borsetshire {HOSTILE}"


@pytest.mark.parametrize(
    ("area", "day", "expected"),
    [
        ("Camden", date(2026, 1, 2), "ladder-camden-2026-01-02.pdf"),
        ("Bôrset/../<script>", date(2026, 1, 2), "ladder-borset-script-2026-01-02.pdf"),
        ("   ", None, "ladder-area-2026-11-26.pdf"),
        ("a" * 100, None, "ladder-" + "a" * 40 + "-2026-11-26.pdf"),
    ],
)
def test_report_filename_is_safe(area: str, day: date | None, expected: str) -> None:
    meta = ReportMeta(
        "t", area, "council", None, "f", day, datetime(2026, 11, 26, tzinfo=UTC), 1, "b", "1", ""
    )
    assert report_filename(meta, ".pdf") == expected
    assert meta.bank_text == "b, version 1"
