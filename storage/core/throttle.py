"""Back-off for guesses: a few free tries, then a wait that doubles up to a cap.

Why: a join code, a resume code, a facilitator key and a passphrase can each be
guessed by trying many. Every place that checks one slows a guesser the same
way (issue 13, item 3), so the rule lives here once:

- `backoff`, the rule itself: after ``free`` failures in a row each further one
  waits ``base`` seconds, doubling, never more than ``cap``. The database-held
  locks (administrator accounts, `storage.core.admins`; a workshop's key entry,
  `storage.core.access`) use it as it is.
- `Throttle`, failures counted in this process's memory per *subject* (a
  browser session, a client address, an unknown account name): thread-safe,
  and bounded, so a flood of new subjects (addresses, names) forgets the
  oldest rather than growing without end; a subject that has not failed for
  ``forget`` seconds starts again from nothing.

A person who mistypes once or twice never waits: only ``free`` failures in a
row start the waits. Nothing here sees what was typed, only that it failed.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Final

__all__ = ["Locked", "Throttle", "backoff", "duration"]

#: Doublings past which any base is beyond any cap Ladder uses (2**20 s is 12 days).
_MOST_DOUBLINGS: Final = 20


def backoff(failures: int, free: int, base: float, cap: float) -> float:
    """Seconds to wait after ``failures`` failures in a row (0: none yet).

    >>> [backoff(n, 3, 5, 60) for n in range(2, 8)]
    [0.0, 5.0, 10.0, 20.0, 40.0, 60.0]
    """
    if failures < free:
        return 0.0
    return float(min(base * 2 ** min(failures - free, _MOST_DOUBLINGS), cap))


def duration(seconds: int) -> str:
    """A wait in words: "1 second", "45 seconds", "3 minutes"."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


class Locked(Exception):
    """Too many failures: nothing was checked. Subclasses say what was locked (``what``).

    Attributes:
        until: when the next attempt will be checked (UTC).
        seconds: whole seconds from ``at`` until then (at least 1).
        message: one line for people, saying when to try again.
    """

    what = "Too many failed tries"

    def __init__(self, until: datetime, at: datetime) -> None:
        self.until = until
        self.seconds = max(1, math.ceil((until - at).total_seconds()))
        self.message = (
            f"{self.what}: please wait {duration(self.seconds)} and try again "
            f"(after {until:%H:%M:%S} UTC)."
        )
        super().__init__(self.message)


class Throttle:
    """Failures in a row per subject, and how long each must wait before its next try.

    Args:
        free: failures in a row before the first wait.
        base: the first wait, in seconds; it doubles with each further failure.
        cap: the longest wait, in seconds.
        size: subjects remembered at most; past that, the one that failed longest
            ago is forgotten.
        forget: seconds after a subject's last failure when it starts again.
        clock: seconds from a fixed point (``time.monotonic``; tests pass their own).
    """

    def __init__(
        self,
        free: int,
        base: float,
        cap: float,
        *,
        size: int = 10_000,
        forget: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if free < 0 or base <= 0 or cap < base or size < 1 or forget < cap:
            raise ValueError("free >= 0, 0 < base <= cap <= forget and size >= 1, please")
        self.free, self.base, self.cap = free, base, cap
        self.size, self.forget, self.clock = size, forget, clock
        self._lock = threading.Lock()
        #: subject -> (failures in a row, when the last was); oldest first
        self._seen: OrderedDict[Hashable, tuple[int, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def _failures(self, subject: Hashable, at: float) -> tuple[int, float]:
        failures, last = self._seen.get(subject, (0, at))
        if at - last >= self.forget:
            self._seen.pop(subject, None)
            return 0, at
        return failures, last

    def wait(self, subject: Hashable) -> int:
        """Whole seconds ``subject`` must still wait before its next try is checked (0: none)."""
        at = self.clock()
        with self._lock:
            failures, last = self._failures(subject, at)
        left = backoff(failures, self.free, self.base, self.cap) - (at - last)
        return max(0, math.ceil(left))

    def failed(self, subject: Hashable) -> int:
        """Count a failure; the failures in a row now."""
        at = self.clock()
        with self._lock:
            failures = self._failures(subject, at)[0] + 1
            self._seen.pop(subject, None)
            self._seen[subject] = (failures, at)  # newest last
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
        return failures

    def succeeded(self, subject: Hashable) -> None:
        """A right answer: ``subject`` starts again from nothing."""
        with self._lock:
            self._seen.pop(subject, None)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
