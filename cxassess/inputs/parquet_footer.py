"""Read what a Parquet file's footer declares, before its data is decoded, to bound the cost.

A Parquet file ends with its metadata (Thrift compact protocol), then the metadata's length and
`PAR1`. The metadata says how many rows the file holds and, per column and row group, how many
bytes the column's pages take once decompressed. `read_footer` reads only that tail of the file
(at most `MAX_FOOTER_BYTES`), so a small file that would decompress to gigabytes (a "Parquet
bomb") is refused without decoding a page. Only the few fields needed are kept.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

MAX_FOOTER_BYTES = 64 * 1024 * 1024
"""Largest metadata block read (64 MiB; thousands of columns and row groups take a few MiB)."""
MAX_DEPTH = 64
"""Deepest nesting of Thrift structures read (real footers nest five or six levels)."""


class FooterError(ValueError):
    """The footer is missing, cut short or not Parquet metadata."""


@dataclass
class Footer:
    """What a Parquet footer declares: its rows, and each top-level column's decompressed
    bytes, summed over row groups (`column_bytes`) and per row group (`group_bytes`): a
    reader decodes a row group's pages together, so the largest group bounds a batch."""

    rows: int = 0
    column_bytes: dict[str, int] = field(default_factory=dict)
    group_bytes: list[dict[str, int]] = field(default_factory=list)
    group_rows: list[int] = field(default_factory=list)
    encrypted: bool = False


class _Compact:
    """A reader of the Thrift compact protocol, keeping each struct as {field id: value}."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise FooterError("the metadata is cut short")
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            part = self.byte()
            result |= (part & 0x7F) << shift
            if not part & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise FooterError("a number in the metadata is too long")

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def value(self, kind: int, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise FooterError("the metadata nests too deeply")
        if kind in (1, 2):
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.at += 8
            return None
        if kind == 8:
            size = self.varint()
            if self.at + size > len(self.data):
                raise FooterError("the metadata is cut short")
            self.at += size
            return self.data[self.at - size : self.at]
        if kind in (9, 10):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            if size > len(self.data):
                raise FooterError("a list in the metadata is longer than the file")
            return [self.value(element, depth + 1) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            if size > len(self.data):
                raise FooterError("a map in the metadata is longer than the file")
            kinds = self.byte() if size else 0
            for _ in range(size):
                self.value(kinds >> 4, depth + 1)
                self.value(kinds & 0x0F, depth + 1)
            return None
        if kind == 12:
            return self.struct(depth + 1)
        raise FooterError(f"unknown value type {kind} in the metadata")

    def struct(self, depth: int = 0) -> dict[int, object]:
        fields: dict[int, object] = {}
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind, depth)


def read_footer(path: Path) -> Footer:
    """The rows and per-column decompressed sizes a Parquet file declares; `FooterError` when
    the file has no readable footer (not Parquet, or cut short)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < 12:
            raise FooterError("the file is too short to be Parquet")
        handle.seek(size - 8)
        tail = handle.read(8)
        length, magic = struct.unpack("<I4s", tail)
        if magic == b"PARE":
            return Footer(encrypted=True)
        if magic != b"PAR1":
            raise FooterError("the file does not end like a Parquet file (cut short?)")
        if length > min(size - 12, MAX_FOOTER_BYTES):
            raise FooterError("the metadata length is larger than the file allows")
        handle.seek(size - 8 - length)
        data = handle.read(length)
    meta = _Compact(data).struct()
    footer = Footer(rows=_int(meta.get(3)))
    groups = meta.get(4)
    for group in groups if isinstance(groups, list) else []:
        chunks = group.get(1) if isinstance(group, dict) else None
        in_group: dict[str, int] = {}
        footer.group_bytes.append(in_group)
        footer.group_rows.append(_int(group.get(3)) if isinstance(group, dict) else 0)
        for chunk in chunks if isinstance(chunks, list) else []:
            column = chunk.get(3) if isinstance(chunk, dict) else None
            if not isinstance(column, dict):
                continue
            names = column.get(3)
            if not isinstance(names, list) or not names or not isinstance(names[0], bytes):
                continue
            name = names[0].decode("utf-8", errors="replace")
            size = _int(column.get(6))
            footer.column_bytes[name] = footer.column_bytes.get(name, 0) + size
            in_group[name] = in_group.get(name, 0) + size
    return footer


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
