"""Read a YAML file safely, keeping the line of every key and list item.

Why: a policy officer editing the bank must be told the exact line of each
mistake. PyYAML's SafeLoader composes a node tree that carries marks; we turn
it into plain dicts and lists ourselves, so a line is never lost, a tag such as
``!!python/object`` is refused before anything is constructed, and a key given
twice is reported instead of silently overwritten.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from common import catalogue
from common.issue import Issue

_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAX_NODES = 200_000
_MAX_DEPTH = 40
#: Largest bank or corpus file read (bytes); a bigger one is refused before parsing (E108),
#: and no more than one byte over it is ever read.
#: The shipped bank is about 150 kB.
MAX_FILE_BYTES = 2 * 1024 * 1024


class LDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key."""

    line: int
    lines: dict[Any, int]


class LList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int
    lines: list[int]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed file: its data (LDict/LList/scalars) and the name to report."""

    file: str
    data: Any


def read_yaml(path: str | Path, display: str | None = None) -> tuple[YamlDoc | None, list[Issue]]:
    """Read and parse one YAML file; problems come back as issues, never raised."""
    name = display or str(path)
    try:
        raw = _read_bounded(Path(path))
    except _NotAFile as exc:
        return None, [catalogue.FILE_UNREADABLE.at(name, 0, reason=exc.reason)]
    except _TooLarge as exc:
        return None, [_too_large(name, exc.size, exc.exact)]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [catalogue.FILE_UNREADABLE.at(name, 0, reason=reason.lower())]
    return parse_yaml(raw, name)


class _NotAFile(Exception):
    """The path names a folder, device, pipe or socket, not a regular file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _TooLarge(Exception):
    """More than `MAX_FILE_BYTES`: ``size`` is exact when the file's size was known."""

    def __init__(self, size: int, exact: bool) -> None:
        super().__init__(size)
        self.size = size
        self.exact = exact


def _read_bounded(path: Path) -> bytes:
    """Read a regular file, at most ``MAX_FILE_BYTES + 1`` bytes of it.

    Why: the stat size is not the bytes read. ``/dev/zero`` has size 0 and never
    ends, a FIFO blocks the reader until someone writes, and files in /proc say 0
    but have content. The file is opened without blocking and checked through
    its descriptor (so what is checked is what is read); the read itself stops
    one byte past the limit, whatever the size claimed.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise _NotAFile("it is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise _NotAFile("it is not a regular file (it is a device, pipe or socket)")
        if status.st_size > MAX_FILE_BYTES:
            raise _TooLarge(status.st_size, exact=True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise _TooLarge(len(raw), exact=False)
    return raw


def parse_yaml(raw: bytes, name: str) -> tuple[YamlDoc | None, list[Issue]]:
    """Parse bytes as a single YAML document, with issues for every problem found."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(name, len(raw))]
    if b"\x00" in raw:
        return None, [catalogue.FILE_UNREADABLE.at(name, 0, reason="it is a binary file, not text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reason = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text"
        return None, [catalogue.FILE_UNREADABLE.at(name, line, reason=reason)]
    try:
        node = _Loader(text).get_single_node()
    except _TooDeep as exc:
        return None, [catalogue.TOO_COMPLEX.at(name, exc.line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = " ".join(filter(None, [exc.context, exc.problem])) or "unreadable"
        return None, [catalogue.YAML_SYNTAX.at(name, line, problem=problem)]
    except yaml.YAMLError as exc:
        return None, [catalogue.YAML_SYNTAX.at(name, 0, problem=str(exc).splitlines()[0])]
    if node is None:
        return None, [catalogue.EMPTY_FILE.at(name, 0)]
    builder = _Builder(name)
    data = builder.build(node, 0)
    return YamlDoc(name, data), builder.issues


class _TooDeep(Exception):
    """Nesting deeper than `_MAX_DEPTH`, found while composing (before Python's stack runs out)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose (recursive) composer stops at `_MAX_DEPTH`.

    Why: ``[[[[...]]]]`` a few thousand deep would otherwise end in a
    RecursionError instead of E107.
    """

    _depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH + 1:  # the builder counts the top node as depth 0
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _too_large(name: str, size: int, exact: bool = True) -> Issue:
    shown = _megabytes(size) if exact else f"at least {size:,} bytes"
    return catalogue.TOO_LARGE.at(name, 0, size=shown, limit=_megabytes(MAX_FILE_BYTES))


def _megabytes(size: int) -> str:
    """'2.0 MB (2,097,152 bytes)': readable, and exact enough to compare with the limit."""
    return f"{size / (1024 * 1024):.1f} MB ({size:,} bytes)"


class _Builder:
    """Turns composed nodes into LDict/LList/scalars, collecting issues."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.issues: list[Issue] = []
        self.count = 0
        self.constructor = SafeConstructor()
        self.too_complex = False

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > _MAX_NODES or depth > _MAX_DEPTH:
            if not self.too_complex:
                self.too_complex = True
                self.issues.append(catalogue.TOO_COMPLEX.at(self.name, node.start_mark.line + 1))
            return None
        if isinstance(node, ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                return self._refuse(node)
            return self.constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            return self._sequence(node, depth) if node.tag == _SEQ_TAG else self._refuse(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth) if node.tag == _MAP_TAG else self._refuse(node)
        return self._refuse(node)

    def _refuse(self, node: Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.issues.append(catalogue.YAML_TAG.at(self.name, node.start_mark.line + 1, tag=tag))

    def _sequence(self, node: SequenceNode, depth: int) -> LList:
        out = LList()
        out.line = node.start_mark.line + 1
        out.lines = []
        for item in node.value:
            if self.too_complex:
                break
            out.append(self.build(item, depth + 1))
            out.lines.append(item.start_mark.line + 1)
        return out

    def _mapping(self, node: MappingNode, depth: int) -> LDict:
        out = LDict()
        out.line = node.start_mark.line + 1
        out.lines = {}
        for key_node, value_node in node.value:
            if self.too_complex:
                break
            key = self.build(key_node, depth + 1)
            key_line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                self.issues.append(catalogue.YAML_TAG.at(self.name, key_line, tag="complex key"))
                continue
            if key in out.lines:
                self.issues.append(
                    catalogue.DUPLICATE_KEY.at(self.name, key_line, key=key, first=out.lines[key])
                )
                continue
            out[key] = self.build(value_node, depth + 1)
            out.lines[key] = key_line
        return out
