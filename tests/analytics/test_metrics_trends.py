"""Trailing means (pure; no database)."""

import pytest

from analytics.metrics.trends import trailing_mean


def test_window_of_three_by_hand():
    # i=0: 1/1 = 1; i=1: (1+2)/2 = 1.5; i=2: (1+2+4)/3 = 2.33; i=3: (2+4+8)/3 = 4.67
    assert trailing_mean([1, 2, 4, 8], 3) == [1.0, 1.5, 2.33, 4.67]


def test_none_values_are_skipped_and_empty_slices_are_none():
    # i=0: None; i=1: 10; i=2: 10; i=3: (10 + 20)/2 = 15; i=4: slice [None, 20, None] → 20;
    # i=5: slice [20, None, None] → 20; i=6: slice [None, None, None] → None
    values = [None, 10.0, None, 20.0, None, None, None]
    assert trailing_mean(values, 3) == [None, 10.0, 10.0, 15.0, 20.0, 20.0, None]


def test_window_of_one_is_the_values_rounded():
    assert trailing_mean([1.234, None, 5.678], 1) == [1.23, None, 5.68]


def test_window_longer_than_the_series():
    # (3 + 4 + 5) / 3 = 4.0 at the end, fewer values at the start
    assert trailing_mean([3, 4, 5], 30) == [3.0, 3.5, 4.0]


def test_empty_and_bad_window():
    assert trailing_mean([], 7) == []
    with pytest.raises(ValueError, match="window"):
        trailing_mean([1.0], 0)
