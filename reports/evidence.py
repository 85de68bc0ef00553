"""The evidence notes respondents wrote, as a report section.

Why: "a level is only as good as the evidence behind it" (docs/method.md);
a report lists each note beside the answer it supports, so a reader can check
it. Notes are shown exactly as typed (line breaks kept, nothing rendered:
Markdown or HTML in a note is shown as text by the renderer).
"""

from __future__ import annotations

import pandas as pd

from questions.model import Bank, Scale
from reports.blocks import Note, Notes, Paragraphs, Section

__all__ = ["WITHHELD", "answer_text", "evidence_notes", "evidence_section", "withheld_section"]


def answer_text(answer: object, scale: Scale) -> str:
    """ "3 Developing", "Don't know", "Not applicable", "Not answered"."""
    text = "" if answer is None or (not isinstance(answer, str) and pd.isna(answer)) else answer
    text = str(text).strip().lower().removesuffix(".0")
    levels = {str(level): f"{level} {label}" for level, label in scale.levels}
    options = dict(scale.options)
    return levels.get(text) or options.get(text) or (text or "Not answered")


def evidence_section(answers: pd.DataFrame, bank: Bank, scale: Scale) -> Section:
    """Every evidence note given, by question in bank order, with the answer it supports."""
    return Section(
        "evidence",
        "Evidence notes",
        (Notes(evidence_notes(answers, bank, scale), "No evidence notes were given."),),
        intro="What respondents said they could show, as they wrote it. A level is only as good "
        "as the evidence behind it.",
    )


def withheld_section() -> Section:
    """In place of `evidence_section` in a report an administrator makes from a published
    result: the owner's evidence notes stay with the owner, and the report says so."""
    return Section(
        "evidence",
        "Evidence notes",
        (Paragraphs((WITHHELD,)),),
        intro="What respondents said they could show.",
    )


#: Why a published result's report has no evidence notes.
WITHHELD = (
    "This report was made by an administrator from the published result. The evidence notes "
    "stay with the people who wrote them, so none are printed here."
)


def evidence_notes(answers: pd.DataFrame, bank: Bank, scale: Scale) -> tuple[Note, ...]:
    """One `Note` per answer with non-blank evidence: by question (bank order), then
    in the answers' order. Unknown question ids are kept, last, without question text."""
    notes: list[tuple[int, int, Note]] = []
    order = {q.id: i for i, q in enumerate(bank.questions)}
    roles = {r.id: r.label for r in bank.roles}
    for position, record in enumerate(answers.to_dict("records")):
        evidence = _text(record.get("evidence"))
        if not evidence.strip():
            continue
        qid = _text(record.get("question_id"))
        question = bank.question(qid).text if bank.has_question(qid) else ""
        who = _text(record.get("respondent_id"))
        role = _text(record.get("role"))
        details = [("Respondent", f"{who} ({roles.get(role, role)})" if role else who)]
        details.append(("Answer", answer_text(record.get("answer"), scale)))
        confidence = _text(record.get("confidence"))
        details.append(("Confidence", confidence or "not given"))
        heading = f"{qid}: {question}" if question else qid
        note = Note(heading, tuple(details), evidence)
        notes.append((order.get(qid, len(order)), position, note))
    notes.sort(key=lambda n: (n[0], n[1]))
    return tuple(n for _, _, n in notes)


def _text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    return str(value)
