"""The hostile-text corpus (tests/data/malformed/text/payloads.txt), read once.

Why: "text stays text" must hold for every field in every output; one list of
payloads drives the tests of figures, reports, exports, the bank checker and
the pages, so a new trick is added in one place and tried everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["MARKUP", "PAYLOADS", "Payload", "payloads"]

FILE = Path(__file__).resolve().parents[1] / "data" / "malformed" / "text" / "payloads.txt"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True, slots=True)
class Payload:
    """One line of the corpus: the text, and whether it is markup the bank checker flags."""

    text: str
    markup: bool


@cache
def payloads() -> tuple[Payload, ...]:
    lines = FILE.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if not line or line.startswith("#:"):
            continue
        text, _, tag = line.partition("\t")
        out.append(Payload(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text), tag == "markup"))
    return tuple(out)


PAYLOADS: tuple[str, ...] = tuple(p.text for p in payloads())
MARKUP: tuple[str, ...] = tuple(p.text for p in payloads() if p.markup)
