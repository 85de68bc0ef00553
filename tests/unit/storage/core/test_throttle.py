"""storage.core.throttle: free tries, a doubling wait up to a cap, forgetting, bounded memory."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from storage.core.throttle import Locked, Throttle, backoff, duration


class Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def test_backoff_is_free_then_doubles_up_to_the_cap() -> None:
    assert [backoff(n, 3, 5, 60) for n in range(9)] == [0, 0, 0, 5, 10, 20, 40, 60, 60]
    assert backoff(10**9, 0, 1, 30) == 30  # no overflow however many


def test_a_mistype_or_two_never_waits() -> None:
    clock = Clock()
    throttle = Throttle(3, 2, 60, clock=clock)
    assert throttle.failed("s") == 1
    assert throttle.failed("s") == 2
    assert throttle.wait("s") == 0
    assert throttle.failed("s") == 3
    assert throttle.wait("s") == 2


def test_the_wait_grows_runs_out_and_is_capped() -> None:
    clock = Clock()
    throttle = Throttle(2, 1, 8, clock=clock)
    waits = []
    for _ in range(7):
        throttle.failed("s")
        waits.append(throttle.wait("s"))
    assert waits == [0, 1, 2, 4, 8, 8, 8]
    clock.at += 7.5
    assert throttle.wait("s") == 1  # whole seconds, rounded up
    clock.at += 0.5
    assert throttle.wait("s") == 0
    assert throttle.wait("other") == 0  # subjects are apart


def test_a_success_starts_again_and_so_does_a_long_silence() -> None:
    clock = Clock()
    throttle = Throttle(1, 1, 10, forget=100, clock=clock)
    throttle.failed("s")
    throttle.failed("s")
    throttle.succeeded("s")
    assert throttle.wait("s") == 0
    assert throttle.failed("s") == 1
    clock.at += 100
    assert throttle.failed("s") == 1  # forgotten after `forget` seconds without a failure


def test_a_flood_of_subjects_forgets_the_oldest() -> None:
    clock = Clock()
    throttle = Throttle(1, 5, 5, size=3, clock=clock)
    for subject in ["a", "b", "c"]:
        throttle.failed(subject)
    throttle.failed("a")  # a failed again: now the newest
    throttle.failed("d")
    assert len(throttle) == 3
    assert throttle.wait("b") == 0  # the oldest, forgotten
    assert throttle.wait("a") == 5
    for n in range(10_000):
        throttle.failed(n)
    assert len(throttle) == 3


def test_failures_from_many_threads_are_all_counted() -> None:
    throttle = Throttle(0, 1, 1)

    def hammer() -> None:
        for _ in range(1000):
            throttle.failed("s")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert throttle.failed("s") == 8001


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="please"):
        Throttle(3, 10, 5)
    with pytest.raises(ValueError, match="please"):
        Throttle(3, 1, 60, forget=30)


def test_a_lock_says_when_to_come_back() -> None:
    at = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    locked = Locked(at + timedelta(seconds=299.5), at)
    assert locked.seconds == 300
    assert locked.message == (
        "Too many failed tries: please wait 5 minutes and try again (after 11:04:59 UTC)."
    )
    assert [duration(n) for n in (1, 45, 89, 90, 3600)] == [
        "1 second", "45 seconds", "89 seconds", "2 minutes", "60 minutes",
    ]  # fmt: skip
