"""Scores and agreement from raw answers: pure Python, no Streamlit.

Pipeline: `read_answers` (CSV -> checked frame) -> `prepare` (integer codes)
-> `tally` (the arithmetic) -> score and agreement tables. For one
submission, `score_respondent` does the same in plain Python.
"""

from scoring.agreement import (
    CLASSES,
    ItemAgreement,
    classify,
    dimension_agreement,
    item_agreement,
    item_stats,
)
from scoring.answers import AnswersError, parse_answers, read_answers
from scoring.coding import Coded, DuplicateAnswerError, prepare
from scoring.engine import (
    RespondentScore,
    Tally,
    group_frame,
    group_scores,
    respondent_frame,
    respondent_scores,
    score_respondent,
    tally,
)
from scoring.rules import level_label, level_labels, nearest_level

__all__ = [
    "CLASSES",
    "AnswersError",
    "Coded",
    "DuplicateAnswerError",
    "ItemAgreement",
    "RespondentScore",
    "Tally",
    "classify",
    "dimension_agreement",
    "group_frame",
    "group_scores",
    "item_agreement",
    "item_stats",
    "level_label",
    "level_labels",
    "nearest_level",
    "parse_answers",
    "prepare",
    "read_answers",
    "respondent_frame",
    "respondent_scores",
    "score_respondent",
    "tally",
]
