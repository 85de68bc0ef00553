"""The Issue record: one problem found in a bank or corpus file.

Why: every check (YAML syntax, schema, references, style) reports the same
shape, so the command line, the app's table and the tests treat them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, located as precisely as we can.

    Attributes:
        code: catalogue code, e.g. ``E201``; see ``common.catalogue``.
        severity: ``error`` stops the bank loading; ``warning`` does in strict mode.
        file: the file as the user named it.
        line: 1-based line; 0 when the problem is the file as a whole (shown as line 1).
        path: key path inside the file, e.g. ``questions[3].levels``.
        message: what is wrong, in plain words.
        fix: how to mend it, starting "please either ..." or "please ...".
    """

    code: str
    severity: Severity
    file: str
    line: int
    path: str
    message: str
    fix: str

    def format(self) -> str:
        """The command line's one-line form: ``FILE:LINE: CODE message. fix``."""
        at = f" (at {self.path})" if self.path else ""
        return (
            f"{self.file}:{max(self.line, 1)}: {self.code} {self.message}{at}. "
            f"{_capitalise(self.fix)}"
        )


def has_errors(issues: list[Issue] | tuple[Issue, ...]) -> bool:
    """True when any issue is an error (warnings alone never stop a load)."""
    return any(i.severity == "error" for i in issues)


def _capitalise(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
