"""Keep many 64-bit hashes, and find those that repeat, in memory that does not grow with them.

Finding a repeated respondent among answers read a batch at a time needs one hash per
respondent until the last batch is in: 800 MB for 100 million, twice that while they are sorted.
`HashStore` keeps the first `IN_MEMORY_VALUES` in memory (every survey but the largest never
touches the disk); beyond that it writes them, as many at a time, split by their top bits into
`BUCKETS` files, into a private temporary folder (readable by this user alone, removed once the
repeats are found or the store is let go of), and then finds the repeats a bucket at a time:
equal values fall in the same bucket. The hashes are salted by the caller, so a file left
behind by a killed process says nothing of the ids it was made from.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

IN_MEMORY_VALUES = 2_000_000
"""Values kept in memory before the store goes to disk (16 MB, twice that while sorted): a
larger store would be the largest thing a large read holds (8 million: 64 MB, and about
250 MB more of peak on a 20M-row score), and writing beyond it costs little."""
BUCKETS = 64
"""Files the values are split into on disk: 100 million values sort 12.5 MB at a time."""


class HashStore:
    """64-bit values added a batch at a time; `repeated` gives those added more than once."""

    def __init__(self, in_memory: int | None = None, buckets: int = BUCKETS) -> None:
        if buckets < 1 or buckets & (buckets - 1):
            raise ValueError("buckets must be a power of two")
        self._in_memory = IN_MEMORY_VALUES if in_memory is None else in_memory
        self._buckets = buckets
        self._parts: list[np.ndarray] = []
        self._held = 0
        self._folder: Path | None = None
        self._cleanup: weakref.finalize | None = None

    @property
    def spilled(self) -> bool:
        """Whether the values went to disk."""
        return self._folder is not None

    def add(self, values: np.ndarray) -> None:
        """Keep these values (uint64) as well."""
        import numpy as np

        values = np.ascontiguousarray(values, dtype=np.uint64)
        self._parts.append(values)
        self._held += len(values)
        if self._held <= self._in_memory:
            return
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="cxassess-hashes-"))
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._flush()

    def _flush(self) -> None:
        """Write the values held in memory to the bucket files: `IN_MEMORY_VALUES` at a time,
        not a batch at a time, so that each file is opened once per write of 16 MB (writing
        each 200,000-row batch to 64 files took a tenth of a 20-million-row score)."""
        import numpy as np

        if self._parts:
            values = np.concatenate(self._parts)
            self._parts.clear()
            self._held = 0
            self._write(values)

    def _write(self, values: np.ndarray) -> None:
        import numpy as np

        assert self._folder is not None
        shift = np.uint64(64 - (self._buckets.bit_length() - 1))
        # bucket numbers as small integers: numpy's stable sort of 8- and 16-bit integers is a
        # radix sort, eight times as fast as that of the 64-bit index type on 500,000 values
        small = (
            np.uint8 if self._buckets <= 256 else np.uint16 if self._buckets <= 65536 else np.intp
        )
        bucket = (values >> shift).astype(small) if self._buckets > 1 else None
        if bucket is None:
            order, counts = np.arange(len(values)), np.array([len(values)])
        else:
            order = np.argsort(bucket, kind="stable")
            counts = np.bincount(bucket, minlength=self._buckets)
        grouped = values[order]
        start = 0
        for index, count in enumerate(counts.tolist()):
            if count:
                with open(self._folder / f"{index}.u64", "ab") as handle:
                    grouped[start : start + count].tofile(handle)
            start += count

    def repeated(self) -> np.ndarray:
        """The values added more than once, sorted; the store is emptied (asked once)."""
        import numpy as np

        if self._folder is None:
            found = _repeats_among(self._parts)
            self._held = 0
            return found
        try:
            self._flush()
            found = []
            for index in range(self._buckets):
                path = self._folder / f"{index}.u64"
                if path.exists():
                    found.append(_repeats_among([np.fromfile(path, dtype=np.uint64)]))
                    path.unlink()
            return np.concatenate(found) if found else np.empty(0, dtype=np.uint64)
        finally:
            self.close()

    def close(self) -> None:
        """Remove the store's files (if it has any) and forget its values."""
        self._parts.clear()
        if self._cleanup is not None:
            self._cleanup()
        self._folder = None


def _repeats_among(parts: list[np.ndarray]) -> np.ndarray:
    """The values found more than once among `parts`, which it empties: the parts are joined
    and sorted in place, and equal neighbours are repeats. That needs one byte per value
    beyond the values themselves (a hash table, as `is_duplicated` builds, needed three
    times the values' own memory)."""
    import numpy as np

    if not parts:
        return np.empty(0, dtype=np.uint64)
    values = np.concatenate(parts)  # a copy: the parts may be read-only views
    parts.clear()
    values.sort()
    same = values[1:] == values[:-1]
    return np.unique(values[1:][same])


__all__ = ["BUCKETS", "IN_MEMORY_VALUES", "HashStore"]
