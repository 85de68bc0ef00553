"""Load the whole instrument: the bank and the corpus it cites, checked together.

Why: the app, the command line and the reports all need the bank and the
corpus as one checked pair; loading them through one function means a number
or a link means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common import catalogue
from common.issue import Issue, has_errors
from common.yamlfile import LList, YamlDoc, read_yaml
from corpus.load import validate_corpus
from corpus.model import Corpus
from questions.model import Bank
from questions.validate import validate_bank

DEFAULT_BANK = Path(__file__).with_name("bank.yaml")
DEFAULT_CORPUS = Path(__file__).parent.parent / "corpus" / "essays.yaml"


@dataclass(frozen=True, slots=True)
class Instrument:
    """The result of loading: the bank and corpus (None when broken) and every issue."""

    bank: Bank | None
    corpus: Corpus | None
    issues: tuple[Issue, ...]
    strict: bool = False

    @property
    def ok(self) -> bool:
        """Usable: no errors (and, in strict mode, no warnings either)."""
        if self.bank is None or self.corpus is None:
            return False
        return not self.issues if self.strict else not has_errors(self.issues)


def load_instrument(
    bank_path: str | Path | None = None,
    corpus_path: str | Path | None = None,
    strict: bool = False,
) -> Instrument:
    """Read, validate and cross-check a bank and its corpus; never raises for bad files."""
    bank_file = Path(bank_path) if bank_path else DEFAULT_BANK
    corpus_file = Path(corpus_path) if corpus_path else DEFAULT_CORPUS
    corpus_doc, issues = read_yaml(corpus_file, _display(corpus_file))
    corpus = None
    if corpus_doc is not None:
        corpus, more = validate_corpus(corpus_doc)
        corpus = None if has_errors(issues) else corpus
        issues += more
    bank_doc, bank_issues = read_yaml(bank_file, _display(bank_file))
    bank = None
    if bank_doc is not None:
        bank, more = validate_bank(bank_doc, corpus, _display(corpus_file))
        bank = None if has_errors(bank_issues) else bank
        bank_issues += more
    issues += bank_issues
    if bank is not None and corpus is not None and corpus_doc is not None:
        issues += cross_check(bank, corpus, corpus_doc)
    return Instrument(bank, corpus, tuple(issues), strict)


def cross_check(bank: Bank, corpus: Corpus, corpus_doc: YamlDoc) -> list[Issue]:
    """Corpus entries name real dimensions; every essay is cited somewhere."""
    corpus_file = corpus_doc.file
    lines = _entry_lines(corpus_doc.data)
    dims = [d.id for d in bank.dimensions]
    cited = {c.essay for q in bank.questions for c in q.essays}
    cited |= {e for d in bank.dimensions for e in d.essays}
    out: list[Issue] = []
    for i, essay in enumerate(corpus.essays):
        line = lines.get(essay.id, 0)
        for key, ids in (("themes", essay.themes), ("criteria", essay.criteria)):
            for j, dim in enumerate(ids):
                if dim not in dims:
                    out.append(
                        catalogue.UNKNOWN_DIMENSION.at(
                            corpus_file,
                            line,
                            f"essays[{i}].{key}[{j}]",
                            key=key,
                            id=dim,
                            suggestion=catalogue.did_you_mean(dim, dims),
                        )
                    )
        if essay.id not in cited:
            out.append(catalogue.UNCITED_ESSAY.at(corpus_file, line, f"essays[{i}]", id=essay.id))
    return out


def _entry_lines(data: object) -> dict[str, int]:
    essays = data.get("essays") if isinstance(data, dict) else None
    if not isinstance(essays, LList):
        return {}
    return {
        e["id"]: essays.lines[i]
        for i, e in enumerate(essays)
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    }


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
