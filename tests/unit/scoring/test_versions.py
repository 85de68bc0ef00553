"""Comparing results across bank versions: what is shared, what is left out and why."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from questions.instrument import DEFAULT_BANK, DEFAULT_CORPUS, load_instrument
from questions.model import Bank, Form, Question
from scoring.engine import group_scores
from scoring.versions import (
    Crosswalk,
    LeftOut,
    crosswalk,
    left_out_sentences,
    translate,
    version_key,
)
from tests.unit.scoring.factories import from_mappings, make_bank

V1 = replace(
    make_bank(),
    version="1.0.0",
    forms=(
        Form("quick", "Quick", ("P1", "P2")),
        Form("full", "Full", ("P1", "P2", "T1")),
        Form("module", "Module", ("T1",)),
    ),
)


def edit(
    bank: Bank,
    version: str,
    *,
    drop: tuple[str, ...] = (),
    rename: dict[str, tuple[str, tuple[str, ...]]] | None = None,
    add: tuple[Question, ...] = (),
    move: dict[str, str] | None = None,
) -> Bank:
    """A later version: questions dropped, renamed (new id, replaces), added, or moved."""
    rename, move = rename or {}, move or {}
    questions = []
    for q in bank.questions:
        if q.id in drop:
            continue
        if q.id in rename:
            new_id, replaces = rename[q.id]
            q = replace(q, id=new_id, replaces=replaces)
        if q.id in move:
            q = replace(q, dimension=move[q.id])
        questions.append(q)
    return replace(bank, version=version, questions=(*questions, *add))


def question(qid: str, dimension: str, **changes: object) -> Question:
    base = V1.question("t1a")
    return replace(base, id=qid, dimension=dimension, text=f"Question {qid}", **changes)


def test_one_bank_is_its_own_crosswalk():
    walk = crosswalk([V1])
    assert walk == Crosswalk(V1, (walk.maps[0],), ())
    assert dict(walk.maps[0]) == {q.id: q.id for q in V1.questions}
    assert left_out_sentences(walk) == ()


def test_no_bank_is_a_mistake():
    with pytest.raises(ValueError, match="at least one bank"):
        crosswalk([])


def test_identical_banks_share_everything():
    v2 = replace(V1, version="1.0.1")
    walk = crosswalk([V1, v2])
    assert walk.left_out == ()
    assert walk.canonical is v2
    assert [dict(m) for m in walk.maps] == [{q.id: q.id for q in V1.questions}] * 2


def test_a_renamed_question_follows_through_and_scores_together():
    v2 = edit(V1, "1.1.0", rename={"p1b": ("p1b-new", ("p1b",))})
    walk = crosswalk([V1, v2])
    assert walk.left_out == ()
    assert walk.maps[0]["p1b"] == "p1b-new"
    assert walk.maps[1]["p1b-new"] == "p1b-new"
    assert "p1b" not in walk.maps[0].values()

    old = from_mappings({"a": {"p1a": 1, "p1b": 2, "p1c": 3}, "b": {"p1a": 2, "p1b": 2}})
    new = from_mappings({"c": {"p1a": 4, "p1b-new": 5, "p1c": 4}})
    together = pd.concat([translate(old, walk.maps[0]), translate(new, walk.maps[1])])
    assert set(together["question_id"]) == {"p1a", "p1b-new", "p1c"}
    p1 = group_scores(together, walk.canonical).set_index("dimension").loc["P1"]
    # Respondent scores: a (1+2+2*3)/4 = 2.25, b (2+2)/2 = 2, c (4+5+2*4)/4 = 4.25.
    assert p1["n"] == 3
    assert p1["median"] == pytest.approx(2.25)
    alone = group_scores(old, V1).set_index("dimension").loc["P1"]
    by_version = group_scores(translate(old, walk.maps[0]), walk.canonical)
    assert by_version.set_index("dimension").loc["P1", "median"] == alone["median"]


def test_a_removed_question_is_left_out_with_its_reason():
    v2 = edit(V1, "1.1.0", drop=("p2d",))
    walk = crosswalk([V1, v2])
    assert walk.left_out == (
        LeftOut("question", "p2d", "1.0.0", "p2d was removed in version 1.1.0"),
    )
    assert "p2d" not in walk.maps[0]
    assert [q.id for q in walk.canonical.questions_in("P2")] == ["p2a", "p2b", "p2c"]
    answers = from_mappings({"a": {"p2a": 3, "p2d": 5}}, round={"a": "2024"})
    translated = translate(answers, walk.maps[0])
    assert translated.to_dict("records") == [
        {"respondent_id": "a", "question_id": "p2a", "answer": 3, "round": "2024"}
    ]


def test_an_added_question_is_left_out_as_new():
    v2 = edit(V1, "1.1.0", add=(question("t1c", "T1"),))
    walk = crosswalk([V1, v2])
    assert walk.left_out == (
        LeftOut(
            "question", "t1c", "1.1.0", "t1c is new in version 1.1.0 and was not asked in 1.0.0"
        ),
    )
    assert not walk.canonical.has_question("t1c")
    assert walk.canonical.content_hash not in ("", v2.content_hash)


def test_a_dropped_dimension_and_its_questions_are_named():
    v2 = replace(edit(V1, "1.1.0", drop=("t1a", "t1b")), themes=())
    walk = crosswalk([V1, v2])
    assert walk.left_out == (
        LeftOut("dimension", "T1", "1.0.0", "dimension T1 was removed in version 1.1.0"),
        LeftOut("question", "t1a", "1.0.0", "t1a was removed in version 1.1.0"),
        LeftOut("question", "t1b", "1.0.0", "t1b was removed in version 1.1.0"),
    )
    assert left_out_sentences(walk)[0] == "Dimension T1 was removed in version 1.1.0."


def test_a_new_dimension_is_only_in_the_newer_version():
    theme = replace(V1.dimension("T1"), id="T17", name="New theme")
    v2 = replace(
        edit(V1, "1.1.0", add=(question("t17a", "T17"), question("t17b", "T17"))),
        themes=(*V1.themes, theme),
        forms=(*V1.forms, Form("module17", "New module", ("T17",))),
    )
    walk = crosswalk([V1, v2])
    assert walk.left_out[0] == LeftOut(
        "dimension", "T17", "1.1.0", "dimension T17 is only in version 1.1.0"
    )
    assert [x.id for x in walk.left_out[1:]] == ["t17a", "t17b"]
    assert [d.id for d in walk.canonical.dimensions] == ["P1", "P2", "T1"]
    assert walk.canonical.form("module17").dimensions == ()
    assert walk.canonical.form("full").dimensions == ("P1", "P2", "T1")


def test_a_dimension_whose_questions_all_changed_is_left_out():
    v2 = edit(V1, "1.1.0", rename={"t1a": ("t1x", ()), "t1b": ("t1y", ())})
    walk = crosswalk([V1, v2])
    assert walk.left_out[0] == LeftOut(
        "dimension", "T1", "1.1.0", "dimension T1 has no question that every version asked"
    )
    assert [(x.id, x.bank_version) for x in walk.left_out[1:]] == [
        ("t1a", "1.0.0"),
        ("t1b", "1.0.0"),
        ("t1x", "1.1.0"),
        ("t1y", "1.1.0"),
    ]
    assert [f.dimensions for f in walk.canonical.forms] == [("P1", "P2"), ("P1", "P2"), ()]


def test_a_chain_of_renames_across_three_versions_lands_on_the_newest_id():
    v2 = edit(V1, "1.1.0", rename={"p1b": ("p1b2", ("p1b",))})
    v3 = edit(v2, "1.2.0", rename={"p1b2": ("p1b3", ("p1b2",))})
    walk = crosswalk([V1, v2, v3])
    assert walk.left_out == ()
    assert [m.get(old) for m, old in zip(walk.maps, ("p1b", "p1b2", "p1b3"), strict=True)] == [
        "p1b3"
    ] * 3
    answers = [
        translate(from_mappings({f"r{k}": {old: k + 1}}), walk.maps[k])
        for k, old in enumerate(("p1b", "p1b2", "p1b3"))
    ]
    assert [a["question_id"].tolist() for a in answers] == [["p1b3"]] * 3


def test_skipping_the_middle_version_needs_every_old_id_in_replaces():
    v2 = edit(V1, "1.1.0", rename={"p1b": ("p1b2", ("p1b",))})
    short = edit(v2, "1.2.0", rename={"p1b2": ("p1b3", ("p1b2",))})
    walk = crosswalk([V1, short])
    assert [(x.id, x.reason) for x in walk.left_out] == [
        ("p1b", "p1b was removed in version 1.2.0"),
        ("p1b3", "p1b3 is new in version 1.2.0 and was not asked in 1.0.0"),
    ]
    full = edit(v2, "1.2.0", rename={"p1b2": ("p1b3", ("p1b2", "p1b"))})
    assert crosswalk([V1, full]).maps[0]["p1b"] == "p1b3"


def test_a_renamed_question_removed_later_is_named_with_its_old_id():
    v2 = edit(V1, "1.1.0", rename={"p1b": ("p1b2", ("p1b",))})
    v3 = edit(v2, "1.2.0", drop=("p1b2",))
    walk = crosswalk([V1, v2, v3])
    assert walk.left_out == (
        LeftOut(
            "question",
            "p1b2",
            "1.1.0",
            "p1b2 (called p1b in version 1.0.0) was removed in version 1.2.0",
        ),
    )


def test_a_question_missing_from_the_middle_version_is_not_shared():
    v2 = edit(V1, "1.1.0", drop=("p2d",))
    v3 = replace(V1, version="1.2.0")
    walk = crosswalk([V1, v2, v3])
    assert walk.left_out == (
        LeftOut("question", "p2d", "1.2.0", "p2d was not asked in version 1.1.0"),
    )
    assert all("p2d" not in m for m in walk.maps)


def test_a_question_moved_to_another_dimension_scores_in_the_newest():
    v2 = edit(V1, "1.1.0", move={"p2d": "T1"})
    walk = crosswalk([V1, v2])
    assert walk.left_out == ()
    assert walk.canonical.question("p2d").dimension == "T1"
    answers = translate(from_mappings({"a": {"p2d": 5, "t1a": 1, "t1b": 1}}), walk.maps[0])
    t1 = group_scores(answers, walk.canonical).set_index("dimension").loc["T1"]
    assert t1["median"] == pytest.approx((5 + 1 + 0.5) / 2.5)


def test_two_old_questions_merged_into_one_are_not_compared():
    v2 = edit(
        V1, "1.1.0", drop=("p2c", "p2d"), add=(question("p2x", "P2", replaces=("p2c", "p2d")),)
    )
    walk = crosswalk([V1, v2])
    assert walk.left_out == (
        LeftOut(
            "question",
            "p2x",
            "1.1.0",
            "p2x continues p2c and p2d of version 1.0.0, so it matches no single earlier question",
        ),
    )
    assert not {"p2c", "p2d"} & set(walk.maps[0])


def test_one_old_question_continued_twice_is_not_compared():
    v2 = edit(V1, "1.1.0", rename={"p2d": ("p2e", ("p2d",))})
    v3 = edit(
        v2,
        "1.2.0",
        rename={"p2e": ("p2f", ("p2e",))},
        add=(question("p2g", "P2", replaces=("p2d",)),),
    )
    walk = crosswalk([V1, v2, v3])
    assert {x.id: x.reason for x in walk.left_out} == {
        "p2f": "p2f cannot be matched: p2d of version 1.0.0 is continued by both p2f and p2g",
        "p2g": "p2g was not asked in version 1.1.0",
    }


def test_sentences_end_with_a_full_stop_and_keep_ids_as_written():
    v2 = edit(V1, "1.1.0", drop=("p2d",), add=(question("t1c", "T1"),))
    assert left_out_sentences(crosswalk([V1, v2])) == (
        "p2d was removed in version 1.1.0.",
        "t1c is new in version 1.1.0 and was not asked in 1.0.0.",
    )


def test_translate_keeps_other_columns_and_drops_what_is_not_shared():
    answers = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "a", "b"],
            "question_id": ["old", "gone", None, "same"],
            "answer": [3, "dk", 2, None],
            "area": ["X", "X", "X", "Y"],
        },
        index=[10, 11, 12, 13],
    )
    out = translate(answers, {"old": "new", "same": "same"})
    assert out.to_dict("list") == {
        "respondent_id": ["a", "b"],
        "question_id": ["new", "same"],
        "answer": [3, None],
        "area": ["X", "Y"],
    }
    assert list(out.index) == [0, 1]
    assert answers["question_id"].tolist()[0] == "old", "the input is not changed"
    with pytest.raises(ValueError, match="question_id"):
        translate(answers.drop(columns="question_id"), {})


# --- The shipped bank and its successor, read from YAML -----------------------


def successor_of_shipped_bank(folder: Path) -> Path:
    """The shipped bank as 9.1.0: P1.2 renamed P1.2b (replaces P1.2), P1.3 deleted."""
    text = DEFAULT_BANK.read_text(encoding="utf-8")
    text, bumped = re.subn(r'(?m)^(  version: )"[0-9.]+"$', r'\1"9.1.0"', text)
    text, renamed = re.subn(r"(?m)^  - id: P1\.2$", "  - id: P1.2b\n    replaces: P1.2", text)
    text, deleted = re.subn(r"(?ms)^  - id: P1\.3$.*?(?=^  - id: )", "", text)
    assert (bumped, renamed, deleted) == (1, 1, 1)
    path = folder / "bank-1.1.0.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_bank_and_its_successor_name_what_they_left_out(tmp_path: Path):
    shipped = load_instrument(DEFAULT_BANK, DEFAULT_CORPUS)
    successor = load_instrument(successor_of_shipped_bank(tmp_path), DEFAULT_CORPUS)
    assert successor.ok, [i.format() for i in successor.issues]
    old, new = shipped.bank, successor.bank
    assert new.version == "9.1.0"
    assert new.question("P1.2b").replaces == ("P1.2",)

    walk = crosswalk([old, new])
    assert walk.left_out == (
        LeftOut("question", "P1.3", old.version, "P1.3 was removed in version 9.1.0"),
    )
    assert left_out_sentences(walk) == ("P1.3 was removed in version 9.1.0.",)
    assert walk.maps[0]["P1.2"] == "P1.2b"
    assert len(walk.maps[0]) == len(old.questions) - 1
    assert [d.id for d in walk.canonical.dimensions] == [d.id for d in old.dimensions]
    assert walk.canonical.form("full").dimensions == new.form("full").dimensions

    before = from_mappings({"a": {"P1.1": 3, "P1.2": 3, "P1.3": 5}}, round={"a": "2024"})
    after = from_mappings({"a": {"P1.1": 4, "P1.2b": 4, "P1.3": 1}}, round={"a": "2025"})
    rows = pd.concat([translate(before, walk.maps[0]), translate(after, walk.maps[1])])
    assert sorted(set(rows["question_id"])) == ["P1.1", "P1.2b"]  # P1.3 is left out
    scores = group_scores(rows, walk.canonical, by=["round"])
    p1 = scores[scores["dimension"] == "P1"].set_index("round")["median"]
    assert p1.to_dict() == {"2024": 3.0, "2025": 4.0}


def test_a_1x_self_assessment_compares_with_2_0_naming_what_is_left_out() -> None:
    """Issue 16: results given on bank 1.0.0 sit beside 2.0.1 on what they share, and the
    comparison says, question by question, what it left out."""
    old = load_instrument(Path(__file__).parents[2] / "data" / "banks" / "ladder-1.0.0.yaml")
    new = load_instrument(DEFAULT_BANK, DEFAULT_CORPUS)
    assert (old.bank.version, new.bank.version) == ("1.0.0", "2.0.1")
    walk = crosswalk([old.bank, new.bank])
    added = {q.id for q in new.bank.questions} - {q.id for q in old.bank.questions}
    continued = {q.id for q in new.bank.questions if q.replaces}
    sentences = left_out_sentences(walk)
    for qid in sorted(added - continued):
        assert f"{qid} is new in version 2.0.1 and was not asked in 1.0.0." in sentences
    shared = set(walk.maps[1].values())
    assert shared == {q.id for q in new.bank.questions} - (added - continued)
    assert len(shared) >= 60  # most of the instrument still compares


def test_versions_sort_by_the_value_of_each_part() -> None:
    given = ["1.10.0", "1.9.2", "2.0", "1.0.0-rc1", "1.0.0", "1.0", "1.2"]
    assert sorted(given, key=version_key) == [
        "1.0",
        "1.0.0",
        "1.0.0-rc1",
        "1.2",
        "1.9.2",
        "1.10.0",
        "2.0",
    ]


def test_versions_with_words_sort_after_numbers_and_never_fail() -> None:
    """Before the rule lived here, "1.a" beside "1.2" compared a word with a number."""
    assert sorted(["1.a", "1.2", "1.b"], key=version_key) == ["1.2", "1.a", "1.b"]
    assert sorted(["2026-spring", "2025-autumn"], key=version_key) == [
        "2025-autumn",
        "2026-spring",
    ]
    assert version_key("1.٣") == ((0, 1), (1, "٣"))  # digits other than 0-9 are text
