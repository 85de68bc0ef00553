"""The survey's shape: one step per dimension of a form, progress, and when to ask for evidence.

Why: the survey page, its tests and the resume logic all need the same answer
to "which questions are on step n, and how far along is this person?". It is
plain data about the bank, so it lives here, away from Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from questions.model import Bank, Dimension, Question

#: How fast a respondent reads a question and its five levels (words a minute), and how long
#: they then take to weigh the levels and choose (seconds a question).
READING_WPM = 200
DECISION_SECONDS = 10
#: Levels at which we ask (never force) a short evidence note.
EVIDENCE_LEVELS = frozenset({"4", "5"})
#: Every answer a question offers, in the order shown: five levels, then dk and na.
ANSWER_OPTIONS: tuple[str, ...] = ("1", "2", "3", "4", "5", "dk", "na")
CONFIDENCE_OPTIONS: tuple[str, ...] = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Step:
    """One page of the survey: a dimension and its questions on the chosen form."""

    index: int
    dimension: Dimension
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Progress:
    step: int  # 1-based, for "step 2 of 7"
    steps: int
    answered: int  # questions with any answer, dk and na included
    total: int

    @property
    def share(self) -> float:
        return self.answered / self.total if self.total else 0.0

    @property
    def text(self) -> str:
        return (
            f"Step {self.step} of {self.steps} · {self.answered} of {self.total} "
            f"question{'' if self.total == 1 else 's'} answered"
        )


def survey_steps(bank: Bank, form_id: str) -> tuple[Step, ...]:
    """The form's dimensions in the form's order, each with its questions in bank order."""
    return steps_for(bank, bank.form(form_id).dimensions)


def steps_for(bank: Bank, dimensions: Sequence[str]) -> tuple[Step, ...]:
    """One step per dimension id, in the order given (a workshop may combine modules)."""
    return tuple(Step(i, bank.dimension(d), bank.questions_in(d)) for i, d in enumerate(dimensions))


def clamp_step(step: int, steps: tuple[Step, ...]) -> int:
    """A stored step number made safe: inside the survey, whatever was saved."""
    return min(max(step, 0), max(len(steps) - 1, 0))


def progress(steps: tuple[Step, ...], answers: Mapping[str, str], current: int) -> Progress:
    """How far along someone is; blank answers do not count as answered."""
    ids = [q.id for s in steps for q in s.questions]
    answered = sum(1 for qid in ids if answers.get(qid, "") != "")
    return Progress(clamp_step(current, steps) + 1, len(steps), answered, len(ids))


def one_by_one(
    steps: tuple[Step, ...], role: str | None = None
) -> tuple[tuple[Step, Question], ...]:
    """Every question with its step, in order: a workshop's phone shows one per screen.

    With a ``role``, only the questions that role can judge from its own side
    (``answerable_by``; a question that does not say is everyone's): a workshop asks each
    person only what they can judge, rather than collecting guesses. A role the bank names on
    none of them (such as "Other") is asked everything: nobody is left with nothing to say."""
    every = tuple((step, q) for step in steps for q in step.questions)
    judged = tuple((step, q) for step, q in every if q.answerable(role))
    return judged or every


def screen_at(stored: int | None, questions: int, later_round: bool) -> int:
    """Where a participant's phone stands, made safe: -1 is the start of a later round (its
    "nothing changed" screen), 0 to ``questions - 1`` a question, ``questions`` the screen
    that sends. Nothing stored yet: the start (a later round) or the first question."""
    first = -1 if later_round else 0
    if stored is None:
        return first
    return min(max(stored, first), questions)


def question_progress(position: int, questions: int, answered: int) -> str:
    """ "Question 4 of 18 · 3 answered" (the sending screen: "All 18 questions seen")."""
    done = f"{answered} answered"
    if position >= questions:
        return f"All {questions} questions seen · {done}"
    return f"Question {position + 1} of {questions} · {done}"


def unanswered(step: Step, answers: Mapping[str, str]) -> tuple[Question, ...]:
    return tuple(q for q in step.questions if answers.get(q.id, "") == "")


def wants_evidence(answer: str | None, evidence: str | None) -> bool:
    """A level of 4 or 5 with no evidence note yet: ask for one (never force it)."""
    return (answer or "") in EVIDENCE_LEVELS and not (evidence or "").strip()


def minutes(bank: Bank, form_id: str) -> int:
    """The time a form takes, from its words (`reading_minutes`)."""
    return reading_minutes(bank.form_questions(form_id))


def reading_minutes(questions: Sequence[Question]) -> int:
    """The time some questions take: each question and its five levels read at
    `READING_WPM`, plus `DECISION_SECONDS` to choose; rounded up to whole minutes."""
    words = sum(len(q.text.split()) + sum(len(d.split()) for d in q.levels) for q in questions)
    return math.ceil((words / READING_WPM * 60 + len(questions) * DECISION_SECONDS) / 60)


def answer_label(bank: Bank, question: Question, option: str) -> str:
    """What a respondent reads for one option: '3 · Developing — <descriptor>'."""
    if option in ("dk", "na"):
        return bank.scale.option_label(option)
    level = int(option)
    return f"{level} · {bank.scale.level_label(level)} — {question.descriptor(level)}"


#: A role that can judge less than this share of a workshop's questions is named when the
#: workshop is set up: its people would sit through the session with little to say.
THIN_SHARE = 0.25


def asked_of(bank: Bank, dimensions: Sequence[str], role: str | None) -> tuple[Question, ...]:
    """The questions a workshop on ``dimensions`` asks someone of ``role`` (`one_by_one`)."""
    return tuple(q for _, q in one_by_one(steps_for(bank, dimensions), role))


def role_line(bank: Bank, dimensions: Sequence[str], role: str) -> str:
    """What the join page tells someone who chose ``role``: how many questions, how long."""
    asked = asked_of(bank, dimensions, role)
    total = sum(len(bank.questions_in(d)) for d in dimensions)
    time = f"about {_minutes_text(reading_minutes(asked))}"
    if len(asked) == total:
        return f"You will be asked all {total} questions: {time}."
    return (
        f"You will be asked {len(asked)} of the {total} questions, those the role you chose "
        f"({_role_label(bank, role)}) can judge from its own side: {time}."
    )


def thin_roles(bank: Bank, dimensions: Sequence[str], roles: Sequence[str]) -> tuple[str, ...]:
    """A warning for each role that can judge less than `THIN_SHARE` of the questions."""
    total = sum(len(bank.questions_in(d)) for d in dimensions)
    out = []
    for role in roles:
        asked = len(asked_of(bank, dimensions, role))
        if total and asked < THIN_SHARE * total:
            label = _role_label(bank, role)
            out.append(
                f"{label}: only {asked} of the {total} questions are ones this role can judge "
                "from its own side, so that is all its people will be asked. If they are "
                "coming, plan how they will take part in the discussion, or open a workshop "
                "on a theme module with more for them."
            )
    return tuple(out)


def _role_label(bank: Bank, role: str) -> str:
    return next((r.label for r in bank.roles if r.id == role), role)


def _minutes_text(value: int) -> str:
    return "1 minute" if value == 1 else f"{value} minutes"
