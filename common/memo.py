"""A bounded store of results by what they rest on, shared by the threads of one server.

Why: a page reruns on every click, and much of what it computes rests on data that did not
change (a comparison's entries, a workshop round's view). Callers keep such results here
under a key naming everything they rest on; the oldest are dropped past ``size``, so a
server that runs for weeks holds a bounded amount. Streamlit runs each session's script in
a thread of its own, so every read and write holds a lock.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from typing import Any, TypeVar, cast

import pandas as pd

__all__ = ["Memo", "frame_digest", "kept_with"]

T = TypeVar("T")


class Memo(MutableMapping[Hashable, Any]):
    """A least-recently-used mapping of at most ``size`` entries, safe across threads."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a memo holds at least one entry, not {size}")
        self._size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> Any:
        with self._lock:
            value = self._kept[key]
            self._kept.move_to_end(key)
            return value

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._kept[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._kept))

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value under ``key``, made by ``make()`` and kept when there is none.

        Two threads asking at once may both make it; both get an equal value, and the
        last one made is kept (results here are pure functions of their key).
        """
        try:
            value: T = self[key]
        except KeyError:
            value = make()
            self[key] = value
        return value


def kept_with(
    memo: MutableMapping[Hashable, Any] | None,
    key: tuple[Hashable, ...],
    owner: object,
    make: Callable[[], T],
) -> T:
    """``make()``, kept in ``memo`` for as long as it rests on this very ``owner`` object
    (a bank, a comparison, a frame: things compared by identity, not by value).

    The key holds ``id(owner)`` and the entry holds ``owner`` itself, checked with ``is`` on
    a hit: an id is reused once its object is freed, and an entry keeps its owner alive.
    No memo: ``make()``.
    """
    if memo is None:
        return make()
    full = (*key, id(owner))
    found = memo.get(full)
    if found is not None and found[0] is owner:
        return cast(T, found[1])
    made = make()
    memo[full] = (owner, made)
    return made


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a frame's values, row by row and column by column (not its index): equal
    content, equal digest; a key for what rests on a frame read afresh on every rerun."""
    rows = pd.util.hash_pandas_object(frame, index=False)
    named = "\x1f".join(map(str, frame.columns)).encode()
    return hashlib.blake2b(rows.to_numpy().tobytes() + named, digest_size=16).hexdigest()
