"""What a report says about itself: which area, which form, when, how many people, which bank.

Why: every export (HTML, PDF, Excel, JSON) opens with the same facts, and a
reader must be able to tell which bank version the numbers rest on (design:
"Store raw answers, derive scores"). Building them once, as frozen data,
keeps the title block, the Summary sheet and the JSON ``meta`` identical.

Every text field may hold anything a person typed (an area called
``<script>``): this module never formats HTML; the renderers escape.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from questions.model import Bank
from scoring.assessment.results import Results

__all__ = ["HASH_SHOWN", "ReportMeta", "report_filename"]

#: How many characters of the bank's content hash a person is shown (enough to tell versions).
HASH_SHOWN = 12


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """The facts on a report's title block.

    ``assessment_date`` is the day the assessment was held (None if not
    recorded); ``generated_at`` the moment the report was made (UTC).
    """

    title: str
    area_name: str
    area_kind: str
    ons_code: str | None
    form_title: str
    assessment_date: date | None
    generated_at: datetime
    n_respondents: int
    bank_title: str
    bank_version: str
    bank_hash: str
    #: What the file names say before the date, when not the area ("workshop Leadership
    #: team round 2"); empty: the area's name.
    file_label: str = ""

    @classmethod
    def for_results(
        cls,
        results: Results,
        bank: Bank,
        *,
        area_name: str,
        area_kind: str,
        ons_code: str | None = None,
        assessment_date: date | None = None,
        title: str | None = None,
        generated_at: datetime | None = None,
    ) -> ReportMeta:
        """The meta of a report on `results`, taking the form, n and bank from them."""
        form_title = "Questions from several forms"
        if results.form is not None and any(f.id == results.form for f in bank.forms):
            form_title = bank.form(results.form).title
        return cls(
            title=title or f"Next-practice self-assessment: {area_name}",
            area_name=area_name,
            area_kind=area_kind,
            ons_code=ons_code or None,
            form_title=form_title,
            assessment_date=assessment_date,
            generated_at=generated_at or datetime.now(UTC),
            n_respondents=results.n_respondents,
            bank_title=bank.title,
            bank_version=results.bank_version,
            bank_hash=results.bank_hash,
        )

    @property
    def area_line(self) -> str:
        """ "Camden (council, E09000007)"."""
        extra = [p for p in (self.area_kind, self.ons_code) if p]
        return f"{self.area_name} ({', '.join(extra)})" if extra else self.area_name

    @property
    def date_text(self) -> str:
        """The assessment date as people write it ("25 November 2026"), or "not recorded"."""
        return _day(self.assessment_date) if self.assessment_date else "not recorded"

    @property
    def generated_text(self) -> str:
        stamp = self.generated_at
        return f"{_day(stamp.date())}, {stamp:%H:%M} {stamp.tzname() or ''}".rstrip()

    @property
    def bank_text(self) -> str:
        """ "Ladder bank version 1.0.0 (content 014eeee8c851)"."""
        short = self.bank_hash[:HASH_SHOWN]
        content = f" (content {short})" if short else ""
        return f"{self.bank_title}, version {self.bank_version}{content}"

    def facts(self) -> tuple[tuple[str, str], ...]:
        """The title block as (label, value) pairs, in reading order."""
        people = "one respondent" if self.n_respondents == 1 else f"{self.n_respondents} people"
        return (
            ("Area", self.area_line),
            ("Form", self.form_title),
            ("Assessment date", self.date_text),
            ("Respondents", people),
            ("Question bank", self.bank_text),
            ("Report made", self.generated_text),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates as ISO 8601 text)."""
        return {
            "title": self.title,
            "area_name": self.area_name,
            "area_kind": self.area_kind,
            "ons_code": self.ons_code,
            "form_title": self.form_title,
            "assessment_date": self.assessment_date.isoformat() if self.assessment_date else None,
            "generated_at": self.generated_at.isoformat(),
            "n_respondents": self.n_respondents,
            "bank_title": self.bank_title,
            "bank_version": self.bank_version,
            "bank_hash": self.bank_hash,
        }


def report_filename(meta: ReportMeta, extension: str) -> str:
    """A safe download name: ``ladder-camden-2026-11-25.html``, or with the report's own
    label (``ladder-workshop-leadership-team-round-2-2026-11-25.html``).

    Why: the area name and a workshop's title are typed by people and may hold slashes,
    quotes or control characters; a file name keeps only ASCII letters, digits and dashes.
    """
    named = meta.file_label or meta.area_name
    ascii_name = unicodedata.normalize("NFKD", named).encode("ascii", "ignore").decode()
    longest = 60 if meta.file_label else 40
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:longest].strip("-") or "area"
    day = (meta.assessment_date or meta.generated_at.date()).isoformat()
    return f"ladder-{slug}-{day}.{extension.lstrip('.')}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
