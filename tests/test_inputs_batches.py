"""A CSV read a batch at a time gives exactly what reading it whole gives: the same answers,
results and problems (row numbers included), and the same refusals."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from results_compare import assert_close, assert_same_outcome

from cxassess.errors import InputError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs import limits
from cxassess.inputs.reader import read_batched, read_inputs
from cxassess.pipeline import score_answers

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
HEADER = "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note"
LABELS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree", "Don't know"]


def _export(path: Path, *, rows: int = 300, seed: int = 1, repeat_at: int | None = None) -> Path:
    """An export with segments spelt two ways, labels as text, unreadable cells (one in a
    number column past the sampled rows), blank lines, and optionally a repeated id."""
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(rows):
        team = rng.choice(["North", "north ", "South", "East", ""])
        a1 = rng.choice(LABELS)
        a2, a3, b1 = (str(rng.randint(1, 5)) for _ in range(3))
        if i % 37 == 5:
            a3 = rng.choice(["9", "12"])  # outside the scale: grouped into one problem
        b2 = "lots" if i == 250 else str(rng.randint(1, 5))  # past the sample of 200 rows
        ident = "p3" if repeat_at is not None and i == repeat_at else f"p{i}"
        lines.append(f"{ident},{team},{a1},{a2},{a3},{b1},{b2},4,{rng.randint(0, 10)},hi {i}")
        if i % 50 == 7:
            lines.append(",,,,,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _score(path: Path, **options: object) -> tuple[dict, list]:
    """The results (but the time they were made) and the problems of scoring one file."""
    scored = score_answers([path], MINIMAL, segments=["team"], min_group_size=3, **options)
    return scored.results.model_dump(exclude={"generated"}), scored.problems


def test_batches_give_the_same_results_and_problems_as_reading_whole(tmp_path: Path) -> None:
    path = _export(tmp_path / "answers.csv")
    whole = _score(path, stream_from=None)
    batched = _score(path, stream_from=0, batch_rows=7)
    assert_close(batched, whole)
    rows = [p.location.line for p in whole[1] if p.location.column]
    assert rows and min(rows) > 1  # problems name the file's rows


def test_batches_hold_the_same_answers_in_the_same_order(tmp_path: Path) -> None:
    path = _export(tmp_path / "answers.csv")
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=11)
    assert read.streamed
    batches = list(read.batches())
    assert len(batches) > 10 and max(b.height for b in batches) <= 11
    whole = read_inputs([path], MINIMAL).responses
    assert pl.concat(batches).equals(whole.frame)
    assert read.outcome.responses.problems == whole.problems
    assert [s.rows for s in read.outcome.responses.sources] == [whole.frame.height]


@pytest.fixture(params=["in memory", "on disk"])
def hashes_kept(request, monkeypatch) -> str:
    """Each repeat test twice: the hashes of the rows kept in memory, and on disk."""
    from cxassess.inputs import spill

    if request.param == "on disk":
        monkeypatch.setattr(spill, "IN_MEMORY_VALUES", 20)
    return request.param


def test_a_repeat_in_a_later_batch_is_refused_as_when_read_whole(tmp_path, hashes_kept) -> None:
    path = _export(tmp_path / "answers.csv", repeat_at=280)
    with pytest.raises(InputError) as whole:
        _score(path, stream_from=None)
    with pytest.raises(InputError) as batched:
        _score(path, stream_from=0, batch_rows=13)
    assert batched.value.message == whole.value.message
    assert "repeats" in batched.value.message and "respondent id 'p3'" in batched.value.message


def test_a_repeat_in_a_later_batch_is_left_out_as_when_read_whole(tmp_path, hashes_kept) -> None:
    path = _export(tmp_path / "answers.csv", repeat_at=280)
    whole = _score(path, stream_from=None, keep_first_duplicate=True)
    batched = _score(path, stream_from=0, batch_rows=13, keep_first_duplicate=True)
    assert_close(batched, whole)
    assert any(p.where == "duplicates" for p in batched[1])


def test_a_copy_of_an_export_in_a_second_file_is_found_across_batches(
    tmp_path, hashes_kept
) -> None:
    first = _export(tmp_path / "a.csv", rows=40)
    second = tmp_path / "b.csv"
    second.write_text(
        HEADER + "\n" + "x1,South,Agree,2,3,4,5,4,9,a copy\n" + first.read_text().splitlines()[3],
        encoding="utf-8",
    )
    options = {"segments": ["team"], "keep_first_duplicate": True}
    whole = score_answers([first, second], MINIMAL, stream_from=None, **options)
    batched = score_answers([first, second], MINIMAL, stream_from=0, batch_rows=4, **options)
    same = {"generated"}
    assert_close(batched.results.model_dump(exclude=same), whole.results.model_dump(exclude=same))
    assert batched.problems == whole.problems
    assert "repeats" in whole.problems[-1].what


def test_the_frame_is_kept_only_when_asked_for(tmp_path: Path) -> None:
    path = _export(tmp_path / "answers.csv", repeat_at=280)
    options = {"stream_from": 0, "batch_rows": 9, "keep_first_duplicate": True}
    assert score_answers([path], MINIMAL, **options).frame is None  # type: ignore[arg-type]
    kept = score_answers([path], MINIMAL, keep_frame=True, **options).frame
    whole = score_answers(
        [path], MINIMAL, keep_frame=True, stream_from=None, keep_first_duplicate=True
    ).frame
    assert kept is not None and whole is not None
    assert kept.equals(whole)
    assert "p3" in kept.get_column("respondent").to_list()


def test_a_file_over_the_byte_cap_is_read_when_streamed(tmp_path: Path, monkeypatch) -> None:
    path = _export(tmp_path / "answers.csv")
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=None)
    assert "too large to read" in refused.value.message
    results, _problems = _score(path, stream_from=0)
    assert results["respondents"] > 250


def test_a_file_not_in_utf8_is_read_whole_as_before(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    text = _export(tmp_path / "plain.csv").read_text().replace("North", "Nörth")
    path.write_bytes(text.encode("cp1252"))
    read = read_batched([path], MINIMAL, stream_from=0)
    assert not read.streamed
    assert _score(path, stream_from=0) == _score(path, stream_from=None)


def test_a_small_file_is_read_whole_by_default(tmp_path: Path) -> None:
    path = _export(tmp_path / "answers.csv")
    assert not read_batched([path], MINIMAL).streamed
    assert read_batched([path], MINIMAL, stream_from=path.stat().st_size).streamed


def test_a_line_longer_than_the_bound_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    from cxassess.inputs import batches

    path = _export(tmp_path / "answers.csv")
    monkeypatch.setattr(batches, "MAX_LINE_BYTES", 20)
    monkeypatch.setattr(batches, "BLOCK_BYTES", 64)
    assert not read_batched([path], MINIMAL, stream_from=0).streamed


def test_a_quoted_cell_of_many_short_lines_counts_as_one_long_record(
    tmp_path: Path, monkeypatch
) -> None:
    """Found by the reviewer: one quoted cell of ten million short lines passed the line
    bound, and a batch held it all (2.5 GB for a 300 MB file)."""
    from cxassess.inputs import batches

    short = "\n".join(["ok ok ok"] * 400)
    path = tmp_path / "answers.csv"
    path.write_text(f'{HEADER}\np1,North,1,2,3,4,5,4,9,"{short}"\n', encoding="utf-8")
    monkeypatch.setattr(batches, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(batches, "BLOCK_BYTES", 256)
    assert not read_batched([path], MINIMAL, stream_from=0).streamed
    many = tmp_path / "many.csv"  # many short quoted cells with newlines are fine
    rows = [f'p{i},North,1,2,3,4,5,4,9,"two\nlines"' for i in range(300)]
    many.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert read_batched([many], MINIMAL, stream_from=0).streamed


answer = st.sampled_from(["", "1", "2", "3", "4", "5", "7", "Agree", "Don't know", "so-so"])
row = st.tuples(
    st.sampled_from(["", "A", "a", "B", " b"]), st.lists(answer, min_size=6, max_size=6)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, min_size=1, max_size=40), batch_rows=st.integers(1, 9))
def test_any_batch_size_gives_the_results_of_reading_whole(tmp_path, rows, batch_rows) -> None:
    path = tmp_path / "random.csv"
    lines = ["team,a1,a2,a3,b1,b2,b3"] + [",".join([team, *cells]) for team, cells in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_same_outcome(
        lambda: _score(path, stream_from=None),
        lambda: _score(path, stream_from=0, batch_rows=batch_rows),
    )
