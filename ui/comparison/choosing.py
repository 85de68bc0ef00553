"""The compare page's data: which published entries exist, their answers on common ground.

Why: each assessment was answered against some version of the bank; the
comparison must use what every chosen version shares and say what it left
out. Bank snapshots are read from the database by content hash and parsed
once per process. Every read passes the administrator's grant to storage,
which lists only published entries that pass the k rule (`storage.results.publish`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from common.errors import UserError
from common.memo import Memo, kept_with
from common.yamlfile import parse_yaml
from corpus.model import Corpus
from questions.model import Bank
from questions.validate import validate_bank
from scoring.comparison.results import AssessmentInfo
from scoring.versions import Crosswalk, crosswalk, left_out_sentences, translate, version_key
from storage import (
    ENTRY_NAMES,
    Grant,
    answer_stamps,
    assessment_answers,
    bank_source,
    comparable_assessments,
)
from ui import state
from ui.store import engine

MAX_CHOSEN = 8
#: The comparisons, changes over time and each entry's intervals this server worked out,
#: by what they rest on (`scoring.comparison.results.compare`'s memo), and the crosswalks
#: between bank versions: a rerun with the same entries computes nothing again, and adding
#: an entry bootstraps only that one. Bounded (an entry's intervals are ~0.4 MB).
KEPT = Memo(128)


class NotComparable(UserError):
    """The chosen results cannot be put side by side; the message says why."""


@dataclass(frozen=True, slots=True)
class Chosen:
    """The chosen assessments on common ground, ready for `scoring.comparison.results`."""

    bank: Bank
    answers: dict[str, pd.DataFrame]
    info: dict[str, AssessmentInfo]
    left_out: tuple[str, ...]
    rows: pd.DataFrame  # the chosen rows of `comparable_assessments`, in the chosen order


def available(grant: Grant) -> pd.DataFrame:
    """Every entry Compare may show, by area and date, with a short ``label`` (area · date,
    made unique) and a ``described`` line: kind of entry, form, people and date."""
    table = comparable_assessments(engine(), grant)
    if table.empty:
        return table.assign(label=pd.Series(dtype=str), described=pd.Series(dtype=str))
    # Labelled once while the entries stand: storage hands back the very same frame for the
    # same entries (the read above is the change check); callers do not change it.
    return kept_with(
        KEPT, ("available", state.bank().content_hash), table, partial(_labelled, table)
    )


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    day = pd.to_datetime(table["held_on"]).dt.date.astype(str)
    day = day.where(
        table["held_on"].notna(), pd.to_datetime(table["created_at"]).dt.date.astype(str)
    )
    label = table["area_name"].astype(str) + " · " + day
    repeated = label.duplicated(keep=False)
    suffix = " · #" + table["assessment_id"].astype(str)
    suffix = suffix.where(
        table["entry"] != "workshop", suffix + " round " + table["round"].astype(str)
    )
    label = label.where(~repeated, label + suffix)
    table = table.assign(label=label, day=day)
    table = table.assign(described=[describe(row) for row in table.to_dict("records")])
    return table.sort_values(["area_name", "day"]).reset_index(drop=True)


def default_choice(table: pd.DataFrame, most: int = 3) -> list[str]:
    """A comparison that reads without choosing anything (`available`'s labels): the latest
    result of up to ``most`` areas, all of one kind of result on one form (the pair most
    areas have), areas of the commonest kind first (councils beside councils), by name.
    Fewer than two such areas: the first two entries, whatever they are."""
    if len(table) < 2:
        return list(table["label"])
    pairs = table.groupby(["entry", "form_id"], sort=False)["area_id"].nunique()
    entry, form = pairs.idxmax() if pairs.max() >= 2 else (None, None)
    if entry is None:
        return list(table["label"])[:2]
    same = table[(table["entry"] == entry) & (table["form_id"] == form)]
    latest = same.sort_values("day", kind="stable").drop_duplicates("area_id", keep="last")
    kinds = latest["area_kind"].value_counts()
    commonest = latest["area_kind"].map(kinds).fillna(0)
    ranked = latest.assign(_kind=-commonest).sort_values(["_kind", "area_name"], kind="stable")
    return list(ranked["label"])[:most]


def over_time(rows: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """The chosen results that make a change over time, by (area, kind of entry): at least
    two dates of the same kind of result for the same area, in date order, one a day (the
    last chosen). Two people's self-assessments on one day, or a self-assessment beside an
    imported result, are not a change over time."""
    by_day: dict[tuple[str, str], dict[str, str]] = {}
    columns = (rows[c].astype(str) for c in ("area_name", "entry", "day", "label"))
    for area, entry, day, label in zip(*columns, strict=True):
        by_day.setdefault((area, entry), {})[day] = label  # the last chosen of a day stays
    return {
        key: [label for _, label in sorted(days.items())]
        for key, days in sorted(by_day.items())
        if len(days) >= 2
    }


def series_name(key: tuple[str, str]) -> str:
    """ "Leeds (self-assessments)": the area and the kind of result a change follows."""
    area, entry = key
    return f"{area} ({ENTRY_NAMES.get(entry, entry)}s)"


def describe(row: Mapping[str, Any]) -> str:
    """``Leeds · 2026-03-15 — workshop round 2, Quick check, 12 people``."""
    n = int(row["respondents"])
    people = "1 person" if n == 1 else f"{n} people"
    return f"{row['label']} — {kind(row)}, {people}"


def kind(row: Mapping[str, Any]) -> str:
    """``workshop round 2, Quick check``: the kind of entry and its form."""
    entry = ENTRY_NAMES.get(str(row["entry"]), str(row["entry"]))
    if row["entry"] == "workshop":
        entry += f" {int(row['round'])}"
    return f"{entry}, {form_title(str(row['form_id']))}"


def form_title(form_id: str) -> str:
    """The form's title, as people know it."""
    forms = {f.id: f.title for f in state.bank().forms}
    return forms.get(form_id, "chosen modules" if form_id == "modules" else form_id)


@st.cache_resource(show_spinner=False, max_entries=32)
def _bank(content_hash: str, _corpus: Corpus) -> Bank | None:
    text = bank_source(engine(), content_hash)
    if text is None:
        return None
    doc, issues = parse_yaml(text.encode("utf-8"), f"bank {content_hash[:8]}")
    bank, _ = validate_bank(doc, _corpus) if doc is not None else (None, issues)
    return bank


def bank_for(content_hash: str) -> Bank | None:
    if content_hash == state.bank().content_hash:
        return state.bank()
    return _bank(content_hash, state.corpus())


def gather(rows: pd.DataFrame, grant: Grant) -> Chosen:
    """Answers of the chosen entries, translated onto the banks' common ground.

    Raises:
        NotComparable: a bank version the entries were given against cannot be read.
    """
    hashes = list(dict.fromkeys(rows["bank_hash"]))
    banks = {h: bank_for(h) for h in hashes}
    found = {h: b for h, b in banks.items() if b is not None}
    if len(found) < len(banks):
        raise NotComparable("a bank version these results were given against cannot be read")
    ordered = sorted(hashes, key=lambda h: version_key(found[h].version))  # oldest first
    # Kept, so its common bank is the same object on every rerun (the memo's keys hold it).
    walk: Crosswalk = KEPT.kept(
        ("crosswalk", *ordered), lambda: crosswalk([found[h] for h in ordered])
    )
    mapping = {h: walk.maps[ordered.index(h)] for h in hashes}
    entries = [(int(a), int(r)) for a, r in zip(rows["assessment_id"], rows["round"], strict=True)]
    stamps = answer_stamps(engine(), grant, entries)  # one read, checked against the grant
    database = engine().url.render_as_string()
    answers, info = {}, {}
    for row, entry in zip(rows.itertuples(), entries, strict=True):

        def read(entry: tuple[int, int] = entry, bank_hash: str = row.bank_hash) -> pd.DataFrame:
            return translate(assessment_answers(engine(), grant, *entry), mapping[bank_hash])

        stamp = stamps.get(entry)
        # Kept under its stamp, so a rerun reads and translates only the entries that changed.
        # The stamp is read first: a change landing before the answers are read leaves newer
        # answers under the older stamp, which the next rerun no longer asks for. No stamp:
        # not in Compare (any more), and the read refuses it, saying why.
        key = ("answers", database, *entry, stamp, row.bank_hash, *ordered)
        answers[row.label] = read() if stamp is None else KEPT.kept(key, read)
        info[row.label] = AssessmentInfo(str(row.area_name), pd.to_datetime(row.day).date())
    return Chosen(walk.canonical, answers, info, left_out_sentences(walk), rows)
