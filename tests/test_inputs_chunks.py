"""A CSV without quotes, read a block of lines at a time, gives exactly the rows, row numbers,
results and problems of polars' reading of the whole file, whatever the block size; a file
with quotes is read by polars' streaming reader instead."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from results_compare import assert_close

from cxassess.format.loader import load_questionnaire
from cxassess.inputs import chunks
from cxassess.inputs.batches import open_streamed
from cxassess.inputs.reader import read_batched, read_inputs
from cxassess.pipeline import score_answers

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
HEADER = "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note"

cell = st.sampled_from(["", "1", "2", "5", "9", "Agree", "x y", "-3.5", " 4 "])
line = st.one_of(
    st.lists(cell, min_size=0, max_size=6).map(",".join),  # ragged, short and blank lines
    st.just(""),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(line, min_size=0, max_size=30),
    ending=st.sampled_from(["\n", "\r\n"]),
    last_newline=st.booleans(),
    sep_line=st.booleans(),
    block=st.integers(1, 40),
    batch_rows=st.integers(1, 7),
)
def test_blocks_of_lines_give_the_rows_of_the_whole_file(
    tmp_path, monkeypatch, lines, ending, last_newline, sep_line, block, batch_rows
) -> None:
    path = tmp_path / "any.csv"
    text = ("sep=,\n" if sep_line else "") + ending.join(["h1,h2,h3,h4", *lines])
    if last_newline:
        text += ending
    path.write_bytes(text.encode())
    export = open_streamed(path)
    if export is None:  # nothing after the header: the file is read whole
        return
    assert not export.quotes
    wanted = {0: "a", 1: "b", 3: "d"}
    whole = export.scan(wanted).collect()
    monkeypatch.setattr(chunks, "CHUNK_BYTES", block)
    batches = list(export.batches(wanted, batch_rows=batch_rows))
    assert all(b.height <= batch_rows for b in batches)
    joined = pl.concat(batches) if batches else whole.clear()
    assert joined.equals(whole)


def _export(path: Path, rows: int = 300, quoted: bool = False) -> Path:
    rng = random.Random(4)
    lines = [HEADER]
    for i in range(rows):
        team = rng.choice(["North", "north ", "South", ""])
        a = [str(rng.randint(1, 5)) for _ in range(6)]
        note = f'"said ""hi"", then\nleft {i}"' if quoted and i % 7 == 0 else f"note {i}"
        lines.append(f"p{i},{team},{','.join(a)},{rng.randint(0, 10)},{note}")
        if i % 40 == 3:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _score(path: Path, **options: object) -> dict:
    scored = score_answers([path], MINIMAL, segments=["team"], min_group_size=3, **options)
    return {
        "results": scored.results.model_dump(exclude={"generated"}),
        "problems": [p.model_dump() for p in scored.problems],
    }


@pytest.mark.parametrize("block", [37, 1000, chunks.CHUNK_BYTES])
def test_scoring_in_blocks_gives_the_results_of_reading_whole(tmp_path, monkeypatch, block):
    path = _export(tmp_path / "answers.csv")
    whole = _score(path, stream_from=None)
    monkeypatch.setattr(chunks, "CHUNK_BYTES", block)
    assert_close(_score(path, stream_from=0, batch_rows=11), whole)
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=11)
    assert pl.concat(list(read.batches())).equals(read_inputs([path], MINIMAL).responses.frame)


def test_a_file_with_quotes_is_read_by_the_streaming_reader(tmp_path, monkeypatch) -> None:
    path = _export(tmp_path / "answers.csv", quoted=True)
    export = open_streamed(path)
    assert export is not None and export.quotes
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 37)  # would cut inside quoted cells
    assert_close(_score(path, stream_from=0, batch_rows=11), _score(path, stream_from=None))


def test_the_data_starts_after_the_header_lines(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_bytes(b"sep=;\r\na;b\r\n1;2\r\n")
    assert chunks.data_start(path, 2) == len(b"sep=;\r\na;b\r\n")
    assert chunks.data_start(path, 5) == path.stat().st_size


def test_blocks_end_at_line_ends_and_cover_the_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes(b"a,b\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(50)) + b"7,7")
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 9)
    start = chunks.data_start(path, 1)
    assert start == 4
    blocks = list(chunks.line_blocks(path, start))
    assert b"".join(blocks) == path.read_bytes()[4:]
    assert all(b.endswith(b"\n") for b in blocks[:-1]) and blocks[-1] == b"7,7"
