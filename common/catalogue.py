"""The catalogue of problems a bank or corpus file can have.

Why: one place holds every message a policy officer may read, with its code,
so the command line, the app and the documentation say the same thing, and
tests assert through the catalogue rather than on copied strings.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from common.issue import Issue, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of problem: its code, severity, message and fix templates."""

    code: str
    severity: Severity
    title: str
    message: str
    fix: str

    def at(self, file: str, line: int, path: str = "", **values: object) -> Issue:
        """An Issue of this kind at a place, with the templates filled in."""
        return Issue(
            code=self.code,
            severity=self.severity,
            file=file,
            line=line,
            path=path,
            message=self.message.format(**values),
            fix=self.fix.format(**values),
        )


def _rule(code: str, title: str, message: str, fix: str) -> Rule:
    severity: Severity = "warning" if code.startswith("W") else "error"
    return Rule(code, severity, title, message, fix)


# --- The file itself -------------------------------------------------------
FILE_UNREADABLE = _rule(
    "E101",
    "File cannot be read",
    "cannot read the file: {reason}",
    "please either check the path and spelling, or save the file as UTF-8 text",
)
YAML_SYNTAX = _rule(
    "E102",
    "Not valid YAML",
    "the file is not valid YAML: {problem}",
    "please check the indentation and punctuation on this line and the one before it; "
    "text that contains a colon followed by a space must be put in quotes",
)
YAML_TAG = _rule(
    "E103",
    "Tag refused",
    "the tag '{tag}' is not allowed and was not read",
    "please remove the tag; a bank holds only plain text, numbers, lists and mappings",
)
EMPTY_FILE = _rule(
    "E104",
    "Empty file",
    "the file is empty",
    "please either choose the right file, or restore its content from a backup or from git",
)
NOT_A_MAPPING = _rule(
    "E105",
    "Top level is not a mapping",
    "the top level of the file is {found}, but it must be a mapping of keys such as {keys}",
    "please start the file with the top-level keys ({keys}), each followed by a colon",
)
DUPLICATE_KEY = _rule(
    "E106",
    "Key given twice",
    "the key '{key}' appears twice in the same mapping (first on line {first})",
    "please either delete one of them, or rename one if you meant two different keys",
)
TOO_COMPLEX = _rule(
    "E107",
    "Too deeply nested",
    "the file nests or repeats content too deeply to read safely",
    "please write the content out plainly, without anchors (&) and aliases (*)",
)
TOO_LARGE = _rule(
    "E108",
    "File too large",
    "the file is {size}, over the limit of {limit}, so it was not read",
    "please either check that this is the right file (a bank or corpus is usually well under "
    "1 MB), or split long text out of it",
)

# --- Shape of the data -----------------------------------------------------
UNKNOWN_KEY = _rule(
    "E201",
    "Unknown key",
    "unknown key '{key}'{suggestion}",
    "please either correct the spelling, or remove the key; allowed here: {allowed}",
)
MISSING_FIELD = _rule(
    "E202",
    "Missing field",
    "required field '{key}' is missing",
    "please add '{key}:' here ({expected})",
)
WRONG_TYPE = _rule(
    "E203",
    "Wrong type",
    "'{key}' should be {expected}, but it is {found}",
    "please write {expected} here{hint}",
)
BAD_VALUE = _rule(
    "E204",
    "Value not allowed",
    "'{key}' is {value}: {reason}",
    "please either {remedy}",
)
DUPLICATE_ID = _rule(
    "E205",
    "Duplicate id",
    "the id '{id}' is used twice (first on line {first})",
    "please either give one of them a new id, or delete the copy; ids must be unique",
)

# --- References between parts ----------------------------------------------
UNKNOWN_DIMENSION = _rule(
    "E301",
    "Unknown dimension",
    "'{key}' names the dimension '{id}', which is not defined{suggestion}",
    "please either correct the id, or add the dimension under 'criteria:' or 'themes:'",
)
BAD_CRITERION = _rule(
    "E302",
    "Criterion tag does not fit",
    "'criterion' is '{id}': {reason}",
    "please either {remedy}",
)
UNKNOWN_ESSAY = _rule(
    "E303",
    "Unknown essay",
    "the essay id '{id}' is not in the corpus{suggestion}",
    "please either correct the id, or add the essay to the corpus file ({corpus})",
)
LEVELS_INCOMPLETE = _rule(
    "E304",
    "Level descriptors incomplete",
    "'levels' must describe each of the five levels 1 to 5; {reason}",
    "please write one descriptor for each of 1, 2, 3, 4 and 5",
)
EMPTY_DIMENSION = _rule(
    "E305",
    "Dimension without questions",
    "the dimension '{id}' has no questions",
    "please either add at least one question with 'dimension: {id}', or remove the "
    "dimension (and its mention in forms)",
)
UNKNOWN_FORM_DIMENSION = _rule(
    "E306",
    "Form names an unknown dimension",
    "the form '{form}' includes '{id}', which is not a defined dimension{suggestion}",
    "please either correct the id, or remove it from the form",
)
MISSING_FORM = _rule(
    "E307",
    "Required form missing",
    "the form '{form}' is missing",
    "please add '{form}:' under 'forms:' with a title and its dimensions",
)
REPLACES_CURRENT = _rule(
    "E308",
    "Replaces a question still in the bank",
    "'replaces' names '{id}', but '{id}' is still a question in this bank (line {first})",
    "please either delete the question '{id}' if this one takes its place, or remove "
    "'{id}' from 'replaces' (both are then asked, and compared as different questions)",
)
REPLACED_TWICE = _rule(
    "E309",
    "Old question replaced twice",
    "the old id '{id}' is already replaced by the question '{other}' (line {first}); "
    "an old question can continue in only one new one",
    "please either keep '{id}' in the 'replaces' of one question only, or remove it from "
    "this one (a question without 'replaces' is compared as new)",
)
REPLACES_ITSELF = _rule(
    "E310",
    "Question replaces itself",
    "the question '{id}' names itself in 'replaces'",
    "please either remove '{id}' from 'replaces' (a question that keeps its id needs no "
    "'replaces'), or write the old id that it continues",
)
MODULE_REQUIRED_FORM = _rule(
    "E311",
    "Quick check or full assessment marked as a module",
    "the form '{form}' is marked 'module: true', but '{form}' is offered on its own, "
    "never as a theme module",
    "please either remove 'module: true' from '{form}', or make a new form for the module",
)

# --- Warnings: the bank works but may mislead (errors in strict mode) --------
REPEATED_DESCRIPTOR = _rule(
    "W401",
    "Levels described alike",
    "levels {a} and {b} have the same descriptor, so respondents cannot tell them apart",
    "please rewrite one of them to say what is different at that level",
)
FEW_QUESTIONS = _rule(
    "W402",
    "Few questions",
    "the theme '{id}' has {n} question(s); a theme needs at least {minimum} for a stable score",
    "please either add questions to the theme, or merge it with a related theme",
)
NO_FORM = _rule(
    "W403",
    "Dimension in no form",
    "the dimension '{id}' is in no form, so nobody will be asked about it",
    "please add it to 'full' and, where it fits, to a module",
)
LONG_QUOTE = _rule(
    "W404",
    "Quotation too long",
    "this quotation has {n} words; we quote at most {maximum}",
    "please either shorten the quotation, or say it in our own words in the summary",
)
TOO_MANY_QUOTES = _rule(
    "W405",
    "Too many quotations",
    "this entry has {n} quotations; we allow at most {maximum}",
    "please keep the most telling ones and say the rest in our own words",
)
SUMMARY_LENGTH = _rule(
    "W406",
    "Summary length",
    "the summary has {n} words; an essay summary should have {low} to {high}",
    "please either shorten or extend the summary",
)
KEY_POINTS_COUNT = _rule(
    "W407",
    "Number of key points",
    "there are {n} key points; an entry should have {low} to {high}",
    "please either merge or add key points",
)
UNCITED_ESSAY = _rule(
    "W408",
    "Essay never cited",
    "the essay '{id}' is cited by no question and no dimension",
    "please either cite it where its argument is used, or check the id is spelt the same",
)
NO_NEXT_STEPS = _rule(
    "W409",
    "No next steps",
    "the dimension '{id}' has no next steps, so results cannot say how to move up a level",
    "please add one or more next steps under 'next_steps:'",
)
PAGE_OUT_OF_RANGE = _rule(
    "W410",
    "Page outside the essay",
    "the citation of '{id}' gives page {page}, but that essay runs over pages {span}",
    "please either correct the page, or cite the essay the page belongs to",
)
MARKUP = _rule(
    "W411",
    "Markup in text",
    "the {field} of {owner} contains {what} ('{piece}'); bank text is shown exactly as "
    "written, so readers would see the markup itself",
    "please write it as plain words: leave out Markdown and HTML (say what matters in the "
    "words, and cite an essay and page rather than link to it)",
)

UNDECLARED_MODULE = _rule(
    "W412",
    "Form named like a module but not declared one",
    "the form '{form}' is named like a theme module, but it does not say 'module: true', "
    "so workshops will not offer it as a module",
    "please either add 'module: true' to '{form}' if it is a module, or 'module: false' if "
    "it is not",
)

# --- Rating discipline (bank 2.0): two officers with the same facts choose the same level --
LEVEL_BUNDLES = _rule(
    "W413",
    "Level adds more than one condition",
    "level {level} seems to ask for more than one new thing ({sign}): '{text}'",
    "please either split it so each level adds one observable thing to the level below, or "
    "move one condition to another level or another question",
)
LEVEL5_DEPENDS = _rule(
    "W414",
    "Level 5 depends on others or on events",
    "level 5 depends on what other organisations do or on events ('{word}'), which a "
    "council cannot evidence from its own records: '{text}'",
    "please rewrite level 5 as something the council can show from its own records (for "
    "example a yearly review, on record, that has changed the practice)",
)
UNDEFINED_TERM = _rule(
    "W415",
    "Breadth word not defined",
    "level {level} uses '{word}', a word of breadth or frequency that the bank does not "
    "define in 'rating: terms'",
    "please either use a word the bank defines ({terms}), or define '{word}' once in "
    "'rating: terms' and use it with that meaning everywhere",
)
NO_LOOK_FOR = _rule(
    "W416",
    "No evidence to look for",
    "there is no 'look_for' line for level {levels}, so a rater does not know what shows it",
    "please add 'look_for:' with a line for each level from 2 to 5 (or for pairs such as "
    "'2-3'), naming the documents a council keeps that would show it",
)
UNKNOWN_ROLE = _rule(
    "E312",
    "Unknown role",
    "'answerable_by' names '{id}', which is not one of the bank's roles{suggestion}",
    "please use role ids from 'roles': {roles}",
)

CATALOGUE: dict[str, Rule] = {
    rule.code: rule for rule in globals().values() if isinstance(rule, Rule)
}


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
