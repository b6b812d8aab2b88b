"""Parquet and Arrow inputs read a batch at a time: the same results, problems and refusals as
reading them whole, in memory bounded by the batch, and no cap on the file's size."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from results_compare import assert_close, assert_same_outcome

from cxassess.errors import InputError, ValidationError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs import columnar, columns, limits
from cxassess.inputs.reader import read_batched, read_inputs
from cxassess.pipeline import score_answers

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
LABELS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree", "Don't know", None]


def _answers(rows: int = 300, seed: int = 1) -> pl.DataFrame:
    """Answers with segments spelt two ways, labels as text, numbers as integers, missing
    cells, and values outside the scale."""
    rng = random.Random(seed)
    records = []
    for i in range(rows):
        records.append(
            {
                "respondent": f"p{i}",
                "team": rng.choice(["North", "north ", "South", "East", None]),
                "a1": rng.choice(LABELS),
                "a2": rng.randint(1, 5),
                "a3": rng.choice([1, 2, 3, 4, 5, 9]) if i % 37 else 12,
                "b1": rng.choice([1, 2, 3, 4, 5, None]),
                "b2": rng.randint(1, 5),
                "b3": 4,
                "recommend": rng.randint(0, 10),
                "note": f"hi {i}" if i % 3 else None,
            }
        )
    return pl.DataFrame(records)


def _write(frame: pl.DataFrame, path: Path, row_group: int = 64) -> Path:
    """The frame as a Parquet file (small row groups), an Arrow file, or a dataset folder."""
    if path.suffix == ".parquet":
        frame.write_parquet(path, row_group_size=row_group)
    elif path.suffix == ".arrow":
        frame.write_ipc(path)
    else:
        for (team,), part in frame.group_by(["team"], maintain_order=True):
            folder = path / f"team={team or ''}"
            folder.mkdir(parents=True, exist_ok=True)
            part.drop("team").write_parquet(folder / "part-0.parquet", row_group_size=row_group)
    return path


def _score(path: Path, **options: object) -> tuple[dict, list]:
    """The results (but the time they were made) and the problems of scoring one input."""
    scored = score_answers([path], MINIMAL, segments=["team"], min_group_size=3, **options)
    return scored.results.model_dump(exclude={"generated"}), scored.problems


@pytest.mark.parametrize("name", ["answers.parquet", "answers.arrow", "dataset"])
def test_batches_give_the_results_and_problems_of_reading_whole(tmp_path, name) -> None:
    path = _write(_answers(), tmp_path / name)
    whole = _score(path, stream_from=None)
    batched = _score(path, stream_from=0, batch_rows=7)
    assert_close(batched, whole)
    assert any("outside" in p.what or "scale" in p.what for p in whole[1])


@pytest.mark.parametrize("name", ["answers.parquet", "answers.arrow", "dataset"])
def test_batches_hold_the_same_answers_in_the_same_order(tmp_path, name) -> None:
    path = _write(_answers(), tmp_path / name)
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=11)
    assert read.streamed and read.rows_known is None
    batches = list(read.batches())
    assert len(batches) > 10 and max(b.height for b in batches) <= 11
    whole = read_inputs([path], MINIMAL).responses
    assert pl.concat(batches).equals(whole.frame)
    assert read.outcome.responses.problems == whole.problems
    assert [s.rows for s in read.outcome.responses.sources] == [300]


def test_a_small_table_is_read_whole_by_default(tmp_path: Path) -> None:
    path = _write(_answers(), tmp_path / "answers.parquet")
    assert not read_batched([path], MINIMAL).streamed


def test_a_file_over_the_byte_cap_is_read_when_streamed(tmp_path, monkeypatch) -> None:
    path = _write(_answers(), tmp_path / "answers.parquet")
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=None)
    assert "too large to read" in refused.value.message
    results, _problems = _score(path, stream_from=0)
    assert results["respondents"] == 300


def test_too_many_cells_bound_only_what_is_read_whole(tmp_path, monkeypatch) -> None:
    path = _write(_answers(), tmp_path / "answers.arrow")
    monkeypatch.setattr(columnar, "MAX_CELLS", 100)
    with pytest.raises(InputError, match="too large to read: 300 rows"):
        _score(path, stream_from=None)
    assert _score(path, stream_from=0, batch_rows=10)[0]["respondents"] == 300


def test_a_row_group_that_unpacks_to_much_is_refused_before_decoding(tmp_path, monkeypatch) -> None:
    long_notes = pl.format("{}{}", pl.lit("x" * 20_000), pl.int_range(pl.len()))
    frame = _answers().with_columns(long_notes.alias("note"))  # 6 MB, each note different
    path = _write(frame, tmp_path / "unpacks-large.parquet", row_group=300)
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(columnar, "MAX_DECODED_BYTES", 1_000_000)
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=0, batch_rows=5)  # a small batch: the row group still counts
    assert refused.value.message.startswith(f"{path}: a batch of the columns to read would take")
    assert "exhaust" in (refused.value.hint or "")


def test_damaged_pages_are_refused_before_the_first_batch(tmp_path: Path) -> None:
    path = _write(_answers(2000), tmp_path / "damaged-pages.parquet", row_group=500)
    data = bytearray(path.read_bytes())
    for at in range(8, len(data) // 3, 5):  # the pages come first, the footer last
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as refused:
        read_batched([path], MINIMAL, stream_from=0, batch_rows=50)
    assert refused.value.message.startswith(f"{path}: cannot read this Parquet file")


def test_dataset_files_that_disagree_on_columns_and_types_batch_as_they_read_whole(
    tmp_path: Path,
) -> None:
    frame = _answers(240)
    (tmp_path / "wave=1").mkdir()
    (tmp_path / "wave=2").mkdir()
    frame.slice(0, 100).drop("note").write_parquet(tmp_path / "wave=1" / "a.parquet")
    later = frame.slice(100).with_columns(pl.col("a2").cast(pl.Float32))
    later.write_parquet(tmp_path / "wave=2" / "b.parquet", row_group_size=30)
    read = read_batched([tmp_path], MINIMAL, stream_from=0, batch_rows=13)
    batches = list(read.batches())
    whole = read_inputs([tmp_path], MINIMAL).responses
    assert pl.concat(batches).equals(whole.frame)
    assert max(b.height for b in batches) <= 13
    assert_close(_score(tmp_path, stream_from=0, batch_rows=13), _score(tmp_path, stream_from=None))


def test_a_parquet_file_is_read_at_most_one_batch_ahead_of_its_scoring(tmp_path: Path) -> None:
    from cxassess.inputs.slices import sliced_batches

    path = _write(_answers(400), tmp_path / "answers.parquet", row_group=20)
    export = columnar.open_columnar(path)
    loaded: list[int] = []

    def convert(frame: pl.DataFrame) -> pl.DataFrame:
        loaded.append(frame.height)
        return frame

    batches = sliced_batches(export, {0: "respondent", 2: "a1"}, (), convert, 25)
    first = next(batches)
    assert first.get_column("__row").to_list() == list(range(1, 26))
    assert len(loaded) <= 2  # this batch and, at most, the next
    rest = list(batches)
    assert sum(b.height for b in [first, *rest]) == 400
    assert loaded == [25] * 16 + [0]  # a short (here empty) slice ends the file
    assert rest[-1].get_column("__row").to_list()[-1] == 400


def test_a_file_damaged_while_read_stops_with_its_name(tmp_path: Path) -> None:
    path = _write(_answers(2000), tmp_path / "answers.parquet", row_group=500)
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=50)
    data = bytearray(path.read_bytes())
    for at in range(8, len(data) // 2, 3):
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as stopped:
        list(read.batches())
    assert stopped.value.message.startswith(f"{path}: reading stopped part-way")
    assert "export it again" in (stopped.value.hint or "")


answer = st.one_of(st.none(), st.integers(0, 7))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    teams=st.lists(st.sampled_from(["A", "a", "B", " b", None]), min_size=1, max_size=40),
    cells=st.data(),
    batch_rows=st.integers(1, 9),
)
def test_any_batch_size_of_a_parquet_file_gives_the_results_of_reading_whole(
    tmp_path, teams, cells, batch_rows
) -> None:
    columns = {"team": teams}
    for item in ["a1", "a2", "a3", "b1", "b2", "b3"]:
        columns[item] = cells.draw(st.lists(answer, min_size=len(teams), max_size=len(teams)))
    path = tmp_path / "random.parquet"
    pl.DataFrame(columns, schema_overrides={"team": pl.String}).write_parquet(
        path, row_group_size=5
    )
    assert_same_outcome(
        lambda: _score(path, stream_from=None),
        lambda: _score(path, stream_from=0, batch_rows=batch_rows),
    )


@pytest.mark.parametrize("name", ["repeated-text.parquet", "repeated-category.arrow"])
@pytest.mark.parametrize("stream_from", [None, 0])
def test_one_long_text_repeated_in_every_row_is_refused_before_it_is_copied(
    tmp_path, monkeypatch, name, stream_from
) -> None:
    """Stored once (a dictionary, a category), the text is a few bytes on disk and in the
    footer; turned into strings, it would fill the machine."""
    text = pl.lit("y" * 10_000)
    note = text.cast(pl.Categorical) if name.endswith(".arrow") else text
    frame = _answers(2000).with_columns(note.alias("note"))
    path = tmp_path / name
    if name.endswith(".arrow"):
        frame.write_ipc(path, compression="zstd")
    else:
        frame.write_parquet(path, compression="zstd")
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(columnar, "MAX_DECODED_BYTES", 1_000_000)
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=stream_from, batch_rows=500)
    assert refused.value.message.startswith(f"{path}: the text in ")
    assert "MiB once unpacked" in refused.value.message
    # without the comment column, the same answers score
    frame.drop("note").write_parquet(path.with_suffix(".parquet"))
    assert _score(path.with_suffix(".parquet"), stream_from=stream_from)[0]["respondents"] == 2000


@pytest.mark.parametrize("stream_from", [None, 0])
def test_comments_are_bounded_over_the_whole_file_not_only_a_batch(
    tmp_path, monkeypatch, stream_from
) -> None:
    notes = pl.format("{}{}", pl.lit("n" * 1_000), pl.int_range(pl.len()))
    path = _write(_answers().with_columns(notes.alias("note")), tmp_path / "notes.parquet")
    monkeypatch.setattr(columnar, "MAX_KEPT_TEXT_BYTES", 100_000)  # 300 kB in all
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=stream_from, batch_rows=50)  # 50 kB a batch
    assert refused.value.message.startswith(f"{path}: the comments would take")
    assert "every comment is kept for the report" in refused.value.message


def test_a_file_packed_tighter_than_real_answers_is_refused(tmp_path, monkeypatch) -> None:
    path = _write(_answers(), tmp_path / "packed.parquet")
    monkeypatch.setattr(columnar, "MAX_ROWS_PER_BYTE", 0.01)
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=0)
    assert refused.value.message.startswith(f"{path}: 300 rows in ")
    assert "real answers do not pack this tightly" in refused.value.message


def test_a_file_holding_other_rows_than_it_declares_is_refused(tmp_path: Path) -> None:
    path = _write(_answers(), tmp_path / "answers.parquet")
    export = columnar.open_columnar(path)
    export.rows = 10  # what a forged footer declares
    with pytest.raises(InputError) as refused:
        export.check_text({i: name for i, name in enumerate(export.shown)}, ())
    assert refused.value.message == (
        f"{path}: cannot read this Parquet file (it declares 10 rows and holds 300)"
    )


@pytest.mark.parametrize("stream_from", [None, 0])
def test_a_duration_segment_is_refused_with_its_column(tmp_path, stream_from) -> None:
    frame = _answers().with_columns(pl.duration(minutes=pl.int_range(pl.len())).alias("team"))
    path = _write(frame, tmp_path / "durations.parquet")
    with pytest.raises(ValidationError) as refused:
        _score(path, stream_from=stream_from)
    assert "column 'team': holds durations" in str(refused.value.problems[0])


def test_a_folder_naming_a_column_the_files_hold_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dataset" / "a2=5"
    folder.mkdir(parents=True)
    _answers().write_parquet(folder / "part-0.parquet")
    with pytest.raises(InputError) as refused:
        _score(tmp_path / "dataset", stream_from=0)
    assert "the folder name gives a column 'a2' that the file holds too" in (refused.value.message)


@pytest.mark.parametrize("stream_from", [None, 0])
def test_millions_of_unreadable_cells_are_counted_but_not_all_gathered(
    tmp_path, monkeypatch, stream_from
) -> None:
    frame = _answers().with_columns(
        pl.when(pl.int_range(pl.len()) % 2 == 0)
        .then(pl.lit("lots"))
        .otherwise(pl.lit("Agree"))
        .alias("a1")
    )
    path = _write(frame, tmp_path / "junk.parquet")
    whole = _score(path, stream_from=stream_from)
    monkeypatch.setattr(columns, "MAX_EXAMINED_CELLS", 5)
    capped = _score(path, stream_from=stream_from, batch_rows=40)
    assert_close(capped[0], whole[0])
    [found] = [p for p in capped[1] if p.location.column == "a1"]
    assert found.what.startswith("150 cells cannot be read (in the first 5 of them): 'lots'")
    assert found.location.line == 1  # rows of a table are numbered from 1


@pytest.mark.parametrize("stream_from", [None, 0])
def test_a_file_of_only_unreadable_answers_says_so(tmp_path, stream_from) -> None:
    frame = pl.DataFrame({"a1": ["lots"] * 50, "b1": ["many"] * 50})
    path = _write(frame, tmp_path / "unreadable.parquet")
    with pytest.raises(InputError) as refused:
        _score(path, stream_from=stream_from, batch_rows=7)
    assert refused.value.message == (
        f"{path}: no answers that can be read: 100 cell(s) cannot be read, and no other "
        "cell holds an answer"
    )


@pytest.mark.parametrize("name", ["numbers-only.parquet", "numbers-only.arrow"])
@pytest.mark.parametrize("stream_from", [None, 0])
def test_a_file_of_numbers_alone_is_scored(tmp_path, name, stream_from) -> None:
    """No text column to measure: the row count still comes from the file's rows."""
    frame = _answers().select("a1", "a2", "a3", "b1", "b2", "b3", "recommend")
    frame = frame.with_columns(
        pl.col("a1").replace_strict(
            dict(zip(LABELS, [1, 2, 4, 5, None, None], strict=True)), return_dtype=pl.Int64
        )
    )
    path = _write(frame, tmp_path / name)
    scored = score_answers([path], MINIMAL, stream_from=stream_from, batch_rows=7)
    assert scored.results.respondents == 300


@pytest.mark.parametrize("dtype", [pl.Int64, pl.Datetime("us", "UTC")])
@pytest.mark.parametrize("stream_from", [None, 0])
def test_comments_that_are_not_text_count_against_their_bound(
    tmp_path, monkeypatch, dtype, stream_from
) -> None:
    """A comment column of numbers or dates is turned into text and kept like any other."""
    note = (
        pl.lit(1_700_000_000_000_000).cast(dtype) if dtype != pl.Int64 else pl.int_range(pl.len())
    )
    frame = _answers(2000).with_columns(note.alias("note"))
    path = _write(frame, tmp_path / "notes.parquet")
    monkeypatch.setattr(columnar, "MAX_KEPT_TEXT_BYTES", 1_000)
    with pytest.raises(InputError, match="the comments would take"):
        _score(path, stream_from=stream_from, batch_rows=500)
