"""The question bank: YAML data, its loader and validator, and the ``check`` command."""

# After the model: the instrument loader imports the corpus, which reuses our readers.
from questions.instrument import DEFAULT_BANK, Instrument, load_instrument
from questions.issue import Issue, has_errors
from questions.model import Bank, Citation, Dimension, Form, Question, Role, Scale

__all__ = [
    "DEFAULT_BANK",
    "Bank",
    "Citation",
    "Dimension",
    "Form",
    "Instrument",
    "Issue",
    "Question",
    "Role",
    "Scale",
    "has_errors",
    "load_instrument",
]
