"""common.memo: a bounded least-recently-used store, safe across threads."""

from __future__ import annotations

import threading

import pytest

from common.memo import Memo


def test_the_least_recently_used_entry_goes_first_past_the_size():
    memo = Memo(2)
    memo["a"], memo["b"] = 1, 2
    assert memo["a"] == 1  # a is now the most recent
    memo["c"] = 3
    assert "b" not in memo
    assert dict(memo) == {"a": 1, "c": 3}
    assert len(memo) == 2


def test_kept_makes_once_and_then_returns_what_it_kept():
    memo, made = Memo(4), []

    def make() -> list[int]:
        made.append(1)
        return [len(made)]

    first = memo.kept("k", make)
    assert memo.kept("k", make) is first
    assert made == [1]
    del memo["k"]
    assert memo.kept("k", make) == [2]


def test_a_memo_holds_at_least_one_entry():
    with pytest.raises(ValueError, match="at least one"):
        Memo(0)


def test_threads_writing_at_once_leave_it_within_its_size():
    memo = Memo(50)

    def write(start: int) -> None:
        for i in range(start, start + 500):
            memo[i] = i
            memo.get(i - 3)

    threads = [threading.Thread(target=write, args=(n * 1000,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(memo) == 50
    assert all(memo[k] == k for k in list(memo))


def test_kept_with_is_kept_for_the_very_owner_and_made_again_for_an_equal_one():
    from common.memo import kept_with

    memo, made = Memo(8), []

    def make() -> int:
        made.append(1)
        return len(made)

    owner, twin = [1, 2], [1, 2]  # equal, not the same object
    assert kept_with(memo, ("k",), owner, make) == 1
    assert kept_with(memo, ("k",), owner, make) == 1
    assert kept_with(memo, ("k",), twin, make) == 2
    assert kept_with(None, ("k",), owner, make) == 3  # no memo: made every time
    memo[("k", id(owner))] = ([9], 99)  # an entry whose owner is another object
    assert kept_with(memo, ("k",), owner, make) == 4


def test_a_frame_digest_follows_the_values_and_columns_not_the_index():
    import pandas as pd

    from common.memo import frame_digest

    frame = pd.DataFrame({"a": ["x", "y"], "b": [1, None]})
    assert frame_digest(frame) == frame_digest(frame.copy().set_axis([7, 8]))
    assert frame_digest(frame) != frame_digest(frame.assign(b=[1, 2]))
    assert frame_digest(frame) != frame_digest(frame.iloc[::-1])  # row order counts
    assert frame_digest(frame) != frame_digest(frame.rename(columns={"b": "c"}))
