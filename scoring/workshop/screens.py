"""What each room view screen says, in plain words (issue 15, items 1 and 3).

Why: the room view is read from the back of a council chamber by people who are not
statisticians. Each screen carries one message: a heading and a few short lines, with the
figures in words (*agree*, *mostly agree*, *split*, *too few to tell*, *many don't
know*), never an index, a quartile or "n =". The lines are built here, purely, from the
same `Dashboard` the facilitator's console shows, so the room and the console never
disagree and the words are tested without a browser.

Words for a dimension (`dimension_words`), from its questions as the consensus rule
classes them (`scoring.consensus`):

- *too few to tell*: fewer than k people gave it a level (nothing else is said);
- *many don't know*: 30 % or more of its answers are "don't know";
- *agree*: every question of it that k or more people answered is agreed;
- *mostly agree*: at least half of them are;
- *split*: fewer than half.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from questions.model import Bank
from scoring.format import join
from scoring.workshop.model import Dashboard
from scoring.workshop.rounds import AgreedLevel, RoundComparison, stability_sentence
from scoring.workshop.text import people

__all__ = [
    "AGREE",
    "DONT_KNOW",
    "MOSTLY",
    "SPLIT",
    "TOO_FEW",
    "WORDS",
    "Slide",
    "agree_slide",
    "agreed_slide",
    "answered_slide",
    "dimension_words",
    "hidden_slide",
    "item_word",
    "moved_slide",
    "roles_slide",
    "split_camps",
    "split_slide",
]

AGREE: Final = "agree"
MOSTLY: Final = "mostly agree"
SPLIT: Final = "split"
TOO_FEW: Final = "too few to tell"
DONT_KNOW: Final = "many don't know"
#: Every word, from most to least agreement.
WORDS: Final = (AGREE, MOSTLY, SPLIT, DONT_KNOW, TOO_FEW)
#: Most lines a screen shows: more cannot be read from the back of a room.
MOST_LINES: Final = 6


@dataclass(frozen=True, slots=True)
class Slide:
    """One room screen's message: a heading, a few lines (each with an optional detail shown
    under it, e.g. where people sat), and a quieter note under them."""

    heading: str
    lines: tuple[str, ...] = ()
    note: str = ""
    details: tuple[str, ...] = ()

    def rows(self) -> tuple[tuple[str, str], ...]:
        """Each line with its detail ("" when it has none)."""
        details = self.details + ("",) * (len(self.lines) - len(self.details))
        return tuple(zip(self.lines, details, strict=False))


def item_word(agreement_class: str) -> str:
    """A question's agreement in a word: agree, split, or many don't know."""
    return {"consensus": AGREE, "polarised": SPLIT, "spread": SPLIT}.get(agreement_class, DONT_KNOW)


def dimension_words(d: Dashboard) -> pd.DataFrame:
    """Per workshop dimension, in order: ``dimension``, ``name``, ``word`` (`WORDS`) and
    ``level`` (the room's middle level in words, "" when too few)."""
    items = d.items
    agreed = items.assign(agreed=items["class"] == "consensus").groupby("dimension")["agreed"]
    share = agreed.mean() if len(items) else pd.Series(dtype=float)
    rows = []
    for r in d.dimensions.to_dict("records"):
        if r["suppressed"]:
            word = TOO_FEW
        elif r["dk_flag"]:
            word = DONT_KNOW
        elif r["dimension"] not in share.index:
            word = TOO_FEW  # no question of it reached k people
        else:
            s = float(share[r["dimension"]])
            word = AGREE if s == 1 else MOSTLY if s >= 0.5 else SPLIT
        level = "" if r["suppressed"] else _level(r["median"], r["level"])
        rows.append({"dimension": r["dimension"], "name": r["name"], "word": word, "level": level})
    return pd.DataFrame(rows, columns=["dimension", "name", "word", "level"])


def _level(median: object, label: object) -> str:
    if median is None or pd.isna(median):
        return ""
    shown = _number(median)
    return f"level {shown} ({label})" if isinstance(label, str) and label else f"level {shown}"


def answered_slide(sent: int, round: int, round_open: bool) -> Slide:
    """How many have sent their answers (a count of people is never a result)."""
    has = "has" if sent == 1 else "have"
    state = "You can still change your answers until it closes." if round_open else "closed."
    note = state if round_open else f"Round {round} is {state}"
    return Slide(f"{people(sent).capitalize()} {has} sent answers to round {round}", note=note)


def hidden_slide(round: int, shown: bool, k: int, needed: int) -> Slide:
    """What a results screen says before there is anything to show."""
    if not shown:
        more = "1 more person" if needed == 1 else f"{needed} more people"
        return Slide(
            "Waiting for answers",
            (f"The room's results appear once {people(k)} have sent answers: {more} needed.",),
            note="No group smaller than this is ever shown.",
        )
    return Slide(
        "Results not shown yet",
        (f"The results of round {round} appear when the facilitator shows them.",),
    )


def agree_slide(d: Dashboard) -> Slide:
    """What we agree on: the dimensions the room agrees or mostly agrees on, with its level."""
    words = dimension_words(d)
    shown = words[words["word"].isin((AGREE, MOSTLY))]
    lines = tuple(
        f"{r.name}: we {r.word}, at {r.level}" for r in shown.head(MOST_LINES).itertuples()
    )
    note = _more(len(shown))
    if not lines:
        lines = ("No dimension has the room agreeing yet.",)
    return Slide("What we agree on", lines, note=note or _based_on(d))


def split_slide(d: Dashboard) -> Slide:
    """Where we split: the questions the room splits on, each with where people sat."""
    splits = d.splits.head(MOST_LINES).to_dict("records")
    lines = tuple(_text(r["text"]) for r in splits) or ("No question splits the room.",)
    details = tuple(split_camps(r) for r in splits)
    return Slide("Where we split", lines, _more(len(d.splits)) or _based_on(d), details)


def split_camps(row: dict[str, object]) -> str:
    """Where people sat on a question: "3 at levels 1–2, 0 at level 3, 3 at levels 4–5"."""
    low = int(row["level_1"]) + int(row["level_2"])  # type: ignore[call-overload]
    mid = int(row["level_3"])  # type: ignore[call-overload]
    high = int(row["level_4"]) + int(row["level_5"])  # type: ignore[call-overload]
    return f"{low} at levels 1–2, {mid} at level 3, {high} at levels 4–5"


def roles_slide(d: Dashboard) -> Slide:
    """How roles see it: only roles of k or more people; the others named, never counted."""
    lines: list[str] = []
    if not d.shown_roles:
        lines.append(f"No role has {people(d.k)} or more with answers yet.")
    else:
        shown = [f"{d.role_labels.get(r, r)} ({people(d.role_n(r))})" for r in d.shown_roles]
        lines.append(f"Shown: {join(shown)}.")
        gaps = d.role_gaps[d.role_gaps["gap_flag"].fillna(False).astype(bool)]
        medians = d.role_medians.set_index(["role", "dimension"])["median"]
        for g in gaps.head(MOST_LINES).to_dict("records"):
            at = [
                f"{d.role_labels.get(r, r)} at level {_number(medians[(r, g['dimension'])])}"
                for r in (g["highest"], g["lowest"])
            ]
            lines.append(f"{g['name']}: {', '.join(at)}")
        if len(lines) == 1:
            lines.append("The roles shown see every dimension within a level of each other.")
    note = ""
    if d.suppressed_roles:
        names = join([d.role_labels.get(r, r) for r in d.suppressed_roles])
        note = (
            f"Not shown on their own (fewer than {people(d.k)}): {names}. "
            "Their answers still count in the room's results."
        )
    return Slide("How roles see it", tuple(lines), note=note)


def moved_slide(c: RoundComparison | None) -> Slide:
    """What moved since the last round: who changed their answers, the dimensions whose
    middle level moved, and the questions now agreed or now split."""
    heading = "What moved since the last round"
    if c is None:
        return Slide(heading, ("This is the first round: nothing to compare yet.",))
    heading = f"What moved since round {c.first}"
    if not c.shown:
        return Slide(heading, (f"Too few to tell: fewer than {people(c.k)} in a round.",))
    lines = [stability_sentence(c.stability, c.k)]
    moved = c.moved[c.moved["change"].fillna(0) != 0]
    for r in moved.head(MOST_LINES).to_dict("records"):
        lines.append(
            f"{r['name']}: the room's middle level went from {_number(r['median_first'])} "
            f"to {_number(r['median_second'])}"
        )
    if moved.empty:
        lines.append("No dimension's middle level moved.")
    lines += [f"Now agreed: {_text(t)}" for t in c.closed["text"].head(3)]
    lines += [f"Now split: {_text(t)}" for t in c.opened["text"].head(3)]
    return Slide(heading, tuple(lines))


def agreed_slide(
    records: Iterable[AgreedLevel], bank: Bank, dimensions: Sequence[str], round: int
) -> Slide:
    """Agreed levels: what the room agreed for each dimension in ``round``, or could not."""
    found = {a.dimension_id: a for a in records if a.round == round}
    lines = []
    for dim in dimensions:
        a = found.get(dim)
        if a is None:
            continue
        name = bank.dimension(dim).name
        level = "" if a.level is None else f"level {a.level} ({bank.scale.level_label(a.level)})"
        if a.status == "agreed":
            lines.append(f"{name}: {level}")
        else:
            lines.append(f"{name}: not agreed" + (f" (for now {level})" if level else ""))
    if not lines:
        lines = [f"No level has been agreed in round {round} yet."]
    return Slide(f"Agreed levels, round {round}", tuple(lines[: MOST_LINES * 3]))


def _number(value: object) -> str:
    v = float(value)  # type: ignore[arg-type]
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _text(text: object) -> str:
    return " ".join(str(text).split())


def _more(total: int) -> str:
    extra = total - MOST_LINES
    return f"And {extra} more on the facilitator's screen." if extra > 0 else ""


def _based_on(d: Dashboard) -> str:
    return f"Round {d.round}, {people(d.n)} with answers."
