"""The two kinds of trouble storage reports, kept apart from bugs.

Why: house style keeps user errors apart from bugs. A page catches
`InputError` and shows its one line beside the widget it names; the start-up
code catches `StorageError` and tells the operator what to fix (a URL, a
folder, a server that is down). Anything else is a bug and may traceback.
"""

from __future__ import annotations

from common.errors import UserError

__all__ = ["InputError", "StorageError"]


def _one_line(text: str) -> str:
    """Collapse any run of whitespace (newlines included) to one space."""
    return " ".join(str(text).split())


class StorageError(RuntimeError):
    """The database cannot be reached, opened or trusted; the message is for people.

    Why: raised for infrastructure problems (a malformed ``DATABASE_URL``, a
    server that refuses connections, a database written by a newer Ladder),
    never for a respondent's input. The message is always one line and never
    shows a password.
    """

    def __init__(self, message: str) -> None:
        self.message = _one_line(message)
        super().__init__(self.message)

    def format(self) -> str:
        """The one line to show an operator."""
        return self.message


class InputError(UserError, ValueError):
    """A value a person (or a page on their behalf) gave is not acceptable.

    Attributes:
        field: the input concerned, e.g. ``"ons_code"`` or ``"answers.p1a.evidence"``.
        message: what is wrong and how to fix it, in one line.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = _one_line(message)
        super().__init__(self.format())

    def format(self) -> str:
        """One line naming the field: ``"ons_code: 'X1' is not ... e.g. E06000001"``."""
        return f"{self.field}: {self.message}"
