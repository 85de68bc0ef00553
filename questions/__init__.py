"""The question bank: YAML data, its loader and validator, and the ``check`` command."""

from questions.instrument import DEFAULT_BANK, Instrument, load_instrument
from questions.model import Bank, Citation, Dimension, Form, Question, Role, Scale

__all__ = [
    "DEFAULT_BANK",
    "Bank",
    "Citation",
    "Dimension",
    "Form",
    "Instrument",
    "Question",
    "Role",
    "Scale",
    "load_instrument",
]
