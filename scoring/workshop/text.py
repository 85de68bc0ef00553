"""The workshop dashboard in words: plain sentences for the projector and for screen readers.

Why: a room reads the dashboard from the back of a hall and some people cannot
see the charts at all, so every finding of `scoring.workshop.dashboard.Dashboard` is also
said in a sentence: who has answered, where the room agrees, where it splits,
where roles differ and where people do not know. The sentences use only what
the dashboard shows (nothing suppressed by k appears here), in a fixed order,
so the same answers always give the same words.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from scoring.format import fmt_level_gap, fmt_percent, fmt_score, join, round_half_up
from scoring.workshop.model import Dashboard

__all__ = [
    "SPLIT_WORDS",
    "fmt_agreement",
    "k_warnings",
    "people",
    "question_title",
    "room_sentences",
]

#: How many questions or dimensions a sentence names before "and N more".
NAMED = 3
_SHORT_TEXT = 60
CLASS_ORDER = ("consensus", "polarised", "spread")
#: How a split question's pattern is said: two camps, or views scattered.
SPLIT_WORDS = {"polarised": "two camps", "spread": "scattered"}


def people(n: int) -> str:
    """ "one person", "3 people"."""
    return "one person" if n == 1 else f"{n} people"


def fmt_agreement(value: float) -> str:
    """An agreement statistic (ad_md, rwg) with two decimals, halves up: 0.4643 -> "0.46"."""
    return str(round_half_up(value, 2))


def question_title(question_id: str, text: str) -> str:
    """'p1a ("Question text, shortened…")'."""
    short = textwrap.shorten(" ".join(str(text).split()), _SHORT_TEXT, placeholder="…")
    return f'{question_id} ("{short}")'


def room_sentences(dashboard: Dashboard) -> tuple[str, ...]:
    """The summary, in order: who answered; then (once shown) the questions' classes,
    agreement by dimension, the splits, role gaps, suppressed roles and "don't know"."""
    sentences = [_participation(dashboard)]
    if not dashboard.shown:
        return (*sentences, _waiting(dashboard))
    sentences += _classes(dashboard)
    sentences += _closeness(dashboard.dimensions)
    sentences += _splits(dashboard.splits, dashboard.k)
    sentences += _roles(dashboard)
    sentences += _dont_know(dashboard.dk_items)
    return tuple(sentences)


def _participation(d: Dashboard) -> str:
    if d.participants == 0:
        return f"Nobody has answered round {d.round} yet."
    rows = d.participation
    answered = [f"{label} {n}" for label, n in zip(rows["label"], rows["n"], strict=True) if n]
    missing = [label for label, n in zip(rows["label"], rows["n"], strict=True) if not n]
    text = f"{people(d.participants)} answered round {d.round} ({', '.join(answered)})"
    if missing:
        text += f"; none yet from {join(missing)}"
    return text + "."


def _waiting(d: Dashboard) -> str:
    more = "1 more is needed" if d.needed == 1 else f"{d.needed} more are needed"
    return (
        f"The room's results appear once {people(d.k)} have given at least one level (1–5), "
        f"so that nobody's answers can be worked out; {more}."
    )


def _classes(d: Dashboard) -> list[str]:
    items = d.items
    if items.empty:
        return [f"No question has been given a level by {d.k} or more people yet."]
    counts = items["class"].value_counts()
    consensus, polarised, spread = (int(counts.get(c, 0)) for c in CLASS_ORDER)
    parts = [
        f"agrees on {consensus}",
        f"splits into two camps on {polarised}",
        f"is scattered on {spread}",
    ]
    unclear = int(counts.get("insufficient", 0))
    if unclear:
        parts.append(f'has too many "don\'t know" answers to tell on {unclear}')
    which = "question" if len(items) == 1 else "questions"
    return [
        f"Of the {len(items)} {which} given a level by {d.k} or more people, the room "
        f"{join(parts)}."
    ]


def _closeness(dimensions: pd.DataFrame) -> list[str]:
    scored = dimensions[dimensions["ad_md_mean"].notna()]
    if scored.empty:
        return []
    rounded = scored["ad_md_mean"].map(lambda v: round_half_up(float(v), 2))
    low, high = rounded.min(), rounded.max()
    if len(scored) == 1:
        return [
            f"On {_titles(scored)}, ratings sit on average {low} levels from the middle rating."
        ]
    if low == high:
        return [f"On every dimension, ratings sit on average {low} levels from the middle rating."]
    closest = _titles(scored[rounded == low])
    furthest = _titles(scored[rounded == high])
    return [
        f"Views are closest on {closest}, where ratings sit on average {low} levels from the "
        f"middle rating, and furthest apart on {furthest}, at {high} levels."
    ]


def _titles(rows: pd.DataFrame) -> str:
    return join([f"{n} ({i})" for n, i in zip(rows["name"], rows["dimension"], strict=True)])


def _splits(splits: pd.DataFrame, k: int) -> list[str]:
    if splits.empty:
        return ["No question splits the room."]
    named = [_split_text(r) for r in splits.head(NAMED).to_dict("records")]
    more = len(splits) - len(named)
    tail = f", and {more} more" if more else ""
    which = "one question" if len(splits) == 1 else f"{len(splits)} questions"
    return [f"The room splits on {which}: {'; '.join(named)}{tail}."]


def _split_text(row: dict[str, Any]) -> str:
    low = int(row["level_1"]) + int(row["level_2"])
    high = int(row["level_4"]) + int(row["level_5"])
    return (
        f"{question_title(row['question_id'], row['text'])}, "
        f"{SPLIT_WORDS.get(row['class'], row['class'])}: {low} at levels "
        f"1–2, {int(row['level_3'])} at 3 and {high} at 4–5"
    )


def _roles(d: Dashboard) -> list[str]:
    out = []
    labels = d.role_labels
    if len(d.shown_roles) < 2:
        out.append(f"Roles are compared once at least two roles have {d.k} or more people each.")
    else:
        flagged = d.role_gaps[d.role_gaps["gap_flag"]]
        flagged = flagged.sort_values("gap", ascending=False, kind="stable")
        if flagged.empty:
            out.append("No two roles are a level or more apart on any dimension.")
        else:
            medians = d.role_medians.set_index(["dimension", "role"])["median"]
            parts = [
                f"{r['name']} ({r['dimension']}), {labels[r['highest']]} "
                f"{fmt_score(medians[(r['dimension'], r['highest'])])} against "
                f"{labels[r['lowest']]} {fmt_score(medians[(r['dimension'], r['lowest'])])} "
                f"({fmt_level_gap(r['gap'])} apart)"
                for r in flagged.head(NAMED).to_dict("records")
            ]
            more = len(flagged) - len(parts)
            tail = f", and {more} more" if more else ""
            which = "one dimension" if len(flagged) == 1 else f"{len(flagged)} dimensions"
            out.append(f"Roles see {which} a level or more apart: {'; '.join(parts)}{tail}.")
    if d.suppressed_roles:
        names = join([labels[r] for r in d.suppressed_roles])
        has = "has" if len(d.suppressed_roles) == 1 else "have"
        out.append(
            f"{names} {has} fewer than {people(d.k)} with levels, so not shown as a role "
            "(their answers still count in the room's figures)."
        )
    return out


def _dont_know(dk_items: pd.DataFrame) -> list[str]:
    if dk_items.empty:
        return []
    named = [
        f"{question_title(q, t)} at {fmt_percent(s)}"
        for q, t, s in dk_items.head(NAMED)[["question_id", "text", "dk_share"]].itertuples(
            index=False, name=None
        )
    ]
    more = len(dk_items) - len(named)
    tail = f", and {more} more" if more else ""
    which = "one question" if len(dk_items) == 1 else f"{len(dk_items)} questions"
    return [
        f'"Don\'t know" made up 30 % or more of the answers to {which}: '
        f"{'; '.join(named)}{tail}. Not knowing is a finding in itself."
    ]


def k_warnings(expected: int | None, roles: int, k: int) -> tuple[str, ...]:
    """What a facilitator opening a workshop should know about k, given the people expected
    (None: not said) and how many roles are offered: nothing when k is within reach.

    Why: k protects people, but set above what the room can reach it hides the room's
    figures, or every role's; better said before the day than found out in the room.
    """
    if expected is None or roles < 1:
        return ()
    if expected < k:
        return (
            f"With {people(expected)} expected and k = {k}, the room's figures will not appear "
            f"until {people(k)} have answered: lower k, or expect more people.",
        )
    per_role = expected / roles
    if roles > 1 and per_role < k:
        return (
            f"With {people(expected)} expected across {roles} roles ({per_role:.1f} a role on "
            f"average), many roles will have fewer than {k} people: their answers count "
            'in the room\'s figures and are shown together as "Other roles", but few roles '
            "will be compared on their own. Offer fewer roles, or lower k if people agree.",
        )
    return ()
