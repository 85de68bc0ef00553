"""docs/security.md prints the access table the code enforces: the two never differ."""

from __future__ import annotations

from pathlib import Path

from storage.core.access import ACCESS, KINDS

DOC = Path(__file__).resolve().parents[4] / "docs" / "security.md"


def documented() -> dict[str, frozenset[str]]:
    """Rows of the doc's table: entry -> the kinds marked "yes"."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 + len(KINDS) and cells[0].startswith("`") and ":" in cells[0]:
            name = cells[0].strip("`")
            assert name not in rows, f"{name} is listed twice in docs/security.md"
            marks = cells[2:]
            assert set(marks) <= {"yes", "–"}, (name, marks)
            rows[name] = frozenset(k for k, m in zip(KINDS, marks, strict=True) if m == "yes")
    return rows


def test_the_document_and_the_code_give_the_same_table() -> None:
    assert documented() == dict(ACCESS)


def test_the_comparison_finds_a_difference() -> None:
    """The parser really reads the table: it finds every entry, and a flipped mark shows."""
    table = documented()
    assert len(table) == len(ACCESS)
    assert table["page:compare"] == {"admin"}
