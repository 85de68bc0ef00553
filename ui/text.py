"""Text from people and from the bank, shown as typed: never read as Markdown.

Why: Streamlit's text elements (titles, captions, markdown, errors, widget labels) interpret
Markdown, so an area called ``![x](http://host/x.png)`` would fetch an image and
``[Verify](…)`` would become a link; Streamlit adds its own: ``:red[…]`` colours,
``:material/home:`` icons, ``$…$`` mathematics, and bare addresses become links.

Why not escape every punctuation mark: a widget's label is also its name for a screen reader
(``aria-label``), taken from the text before Markdown is applied, so every backslash added
is read out. `literal` escapes only what would start Markdown where it stands: the marks
that work anywhere in a line (``* _ ` [ ] < > ~ $ | \\``), ``&`` before an entity, and a
mark at the start of a line that would make a heading, a list or a rule. Bare addresses,
short codes and double hyphens (printed as a dash) are found by Streamlit after escapes are
undone, so no escape stops them: they get an invisible word joiner (`JOINER`) instead.
Ordinary prose such as "Leeds (West): 2.5 out of 5." comes out unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["JOINER", "literal"]

_ANYWHERE = re.compile(r"([\\`*_\[\]<>~$|])")  # emphasis, code, links, HTML, maths, tables
#: Streamlit's own short codes: :smile:, :material/home:, :red[…]. Like addresses they are
#: found after escapes are undone; a joiner after the colon stops them.
_SHORT_CODE = re.compile(r"(?<=:)(?=[A-Za-z0-9_+/\\-]+(?::|\\?\[))")
#: Two hyphens would be printed as a dash (also after escapes are undone): a joiner between.
_DASHES = re.compile(r"(?<=-)(?=-)")
#: Where Streamlit's Markdown would turn a bare address into a link: http://…, www.…,
#: name@host. It finds them in the text after escapes are undone, so no escape stops it;
#: an invisible WORD JOINER (U+2060) between the parts does, and shows nothing.
_ADDRESS = re.compile(r"(?<=\w)(?=://)|(?i:(?<=\bwww))(?=\.)|(?<=@)")
JOINER = "\u2060"
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # &amp; would show as &
_LINE_START = re.compile(r"^([ \t]*)([#+=-])", re.MULTILINE)  # heading, list, rule
_ORDERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)  # "1. " or "1) ": a numbered list


def literal(text: object) -> str:
    """``text`` (a name, a title, a question, a message) escaped so Markdown shows it as typed."""
    plain = str(text)
    # Bank texts and names are short and come back every run; a long text (an error quoting
    # a file's cell) is escaped afresh, so the cache cannot be filled with big strings.
    return _literal(plain) if len(plain) <= _CACHED_LENGTH else _escape(plain)


_CACHED_LENGTH = 2000  # characters: longer texts are not kept


@lru_cache(maxsize=4096)
def _literal(text: str) -> str:
    """Cached: the survey draws every level's words on every run (Streamlit formats each
    option more than once), so the same few hundred bank texts come back each time and
    seven passes of regular expressions over them cost a rerun some 3 ms."""
    return _escape(text)


def _escape(text: str) -> str:
    out = _ANYWHERE.sub(r"\\\1", text)
    out = _SHORT_CODE.sub(JOINER, out)
    out = _DASHES.sub(JOINER, out)
    out = _ADDRESS.sub(JOINER, out)
    out = _ENTITY.sub(r"\\&", out)
    out = _ORDERED.sub(r"\1\\\2", out)
    return _LINE_START.sub(r"\1\\\2", out)
