"""Hashes kept on disk beyond a bound give the same repeats as hashes kept in memory, and
leave nothing behind."""

from __future__ import annotations

import stat
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.inputs.spill import HashStore

value = st.integers(0, 2**64 - 1) | st.sampled_from([0, 1, 2**63, 2**64 - 1, 12345])


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.lists(value, max_size=30), max_size=8),
    in_memory=st.integers(0, 40),
    buckets=st.sampled_from([1, 2, 8, 64]),
)
def test_the_repeats_are_those_of_counting_every_value(batches, in_memory, buckets) -> None:
    store = HashStore(in_memory=in_memory, buckets=buckets)
    for batch in batches:
        store.add(np.array(batch, dtype=np.uint64))
    counted = Counter(v for batch in batches for v in batch)
    expected = sorted(v for v, n in counted.items() if n > 1)
    assert store.repeated().tolist() == expected


def test_values_beyond_the_bound_go_to_a_private_folder_removed_once_read() -> None:
    store = HashStore(in_memory=10, buckets=4)
    store.add(np.arange(8, dtype=np.uint64))
    assert not store.spilled
    store.add(np.array([3, 2**63 + 5, 2**63 + 5], dtype=np.uint64))
    assert store.spilled
    folder = store._folder
    assert folder is not None and folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["0.u64", "2.u64"]  # by the top 2 bits
    assert store.repeated().tolist() == [3, 2**63 + 5]
    assert not folder.exists()


def test_a_store_let_go_of_before_it_is_read_removes_its_files() -> None:
    store = HashStore(in_memory=1, buckets=2)
    store.add(np.array([1, 2, 3], dtype=np.uint64))
    folder = store._folder
    assert folder is not None and folder.exists()
    del store
    assert not folder.exists()


def test_the_number_of_buckets_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        HashStore(buckets=3)
