"""A large CSV, Parquet or Arrow file is converted as its first batch decides, and scored in
the same pass that counts its values (`read_batched(provisional=True)`,
`BatchedRead.settled`): when the whole file
decides otherwise (a value first seen later, a spelling that most respondents write only
later, a number column with text further down), the pass is not trusted and the answers are
scored again, so the results and problems are always those of reading the file whole."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from results_compare import assert_close, assert_same_outcome

from cxassess import pipeline
from cxassess.errors import InputError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs.reader import read_batched, read_inputs
from cxassess.pipeline import score_answers

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
HEADER = "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note"


def _write(path: Path, teams: list[str], *, late: str = "") -> Path:
    """An export with one row per team given; `late` replaces the last row's a1 answer."""
    rng = random.Random(len(teams))
    lines = [HEADER]
    for i, team in enumerate(teams):
        a1 = late if late and i == len(teams) - 1 else rng.choice(["Agree", "Disagree", "3"])
        cells = ",".join(str(rng.randint(1, 5)) for _ in range(5))
        lines.append(f"p{i},{team},{a1},{cells},{rng.randint(0, 10)},note {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few lines, so that the first batch is a small part of each file."""
    from cxassess.inputs import chunks

    monkeypatch.setattr(chunks, "CHUNK_BYTES", 300)


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the passes `score_answers` makes over the answers."""
    calls: list[int] = []
    real = pipeline._first_pass

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_first_pass", counted)
    return calls


def _as(kind: str, path: Path) -> Path:
    """The CSV at `path` as it is (`csv`), or its cells as text in a Parquet or Arrow file."""
    if kind == "csv":
        return path
    frame = pl.read_csv(path, infer_schema=False)
    other = path.with_suffix(f".{kind}")
    frame.write_parquet(other) if kind == "parquet" else frame.write_ipc(other)
    return other


def _score(path: Path, **options: object) -> tuple[dict, list]:
    scored = score_answers([path], MINIMAL, segments=["team"], min_group_size=3, **options)
    return scored.results.model_dump(exclude={"generated"}), scored.problems


def _assert_scored_once_as_whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scored in batches of 30 rows, `path` gives the results and problems of reading it
    whole, in one pass over its answers."""
    whole = _score(path, stream_from=None)
    passes = _passes(monkeypatch)
    batched = _score(path, stream_from=0, batch_rows=30)
    assert_close(batched, whole)
    assert batched[1] == whole[1]
    assert len(passes) == 1


@pytest.mark.parametrize("kind", ["csv", "parquet", "arrow"])
def test_a_first_batch_with_every_value_is_trusted_and_scored_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from cxassess.inputs import chunks

    monkeypatch.setattr(chunks, "CHUNK_BYTES", 1200)  # about 30 rows: every value is in it
    lines = [HEADER]
    for i in range(400):
        team, a1 = ["North", "South", "East"][i % 3], ["Agree", "Disagree", "3"][i % 3]
        cells = ",".join(str(1 + (i + k) % 5) for k in range(5))
        lines.append(f"p{i},{team},{a1},{cells},{i % 11},note {i}")
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = _as(kind, path)
    _assert_scored_once_as_whole(path, monkeypatch)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize(
    ("what", "teams", "late"),
    [
        ("a team first seen in the last row", ["North", "South"] * 30 + ["West"], ""),
        ("a label first seen in the last row", ["North", "South"] * 30, "Strongly agree"),
        ("an unreadable answer in the last row", ["North", "South"] * 30, "lots"),
        ("a spelling most respondents use later", ["North"] * 5 + ["north "] * 60, ""),
    ],
)
def test_a_later_value_that_changes_the_conversion_is_scored_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    teams: list[str],
    late: str,
    kind: str,
) -> None:
    path = _as(kind, _write(tmp_path / "answers.csv", teams, late=late))
    whole = _score(path, stream_from=None)
    passes = _passes(monkeypatch)
    batched = _score(path, stream_from=0, batch_rows=10)
    assert_close(batched, whole)
    assert batched[1] == whole[1]
    assert len(passes) == 2, what


def test_text_in_a_number_column_past_the_first_batch_is_read_as_reading_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "answers.csv"
    rows = [f"p{i},North,{1 + i % 5},2,3,4,5,4,9,x" for i in range(300)]
    rows[280] = "p280,North,4,2,3,4,lots,4,9,x"  # b2 parses as a number until here
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    whole = _score(path, stream_from=None)
    batched = _score(path, stream_from=0, batch_rows=25)
    assert_close(batched, whole)
    assert batched[1] == whole[1]
    assert any(p.location.line == 282 for p in whole[1])  # the header is line 1


def test_the_settled_read_has_the_whole_files_problems_and_counts(tmp_path: Path) -> None:
    path = _write(tmp_path / "answers.csv", ["North", "South"] * 30 + ["West"], late="lots")
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=10, provisional=True)
    assert read.provisional
    assert not any(p.location.column for p in read.outcome.responses.problems)
    list(read.batches())
    settled, same = read.settled(MINIMAL)
    assert not same and not settled.provisional
    whole = read_inputs([path], MINIMAL).responses
    assert settled.outcome.responses.problems == whole.problems
    assert settled.filled == {"team": 61}
    assert pl.concat(list(settled.batches())).equals(whole.frame)


def test_settling_before_a_whole_pass_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "answers.csv", ["North", "South"] * 30)
    read = read_batched([path], MINIMAL, stream_from=0, batch_rows=10, provisional=True)
    next(iter(read.batches()))
    with pytest.raises(RuntimeError, match="whole pass"):
        read.settled(MINIMAL)


def test_strict_scoring_decides_each_conversion_before_scoring(tmp_path: Path) -> None:
    path = _write(tmp_path / "answers.csv", ["North", "South"] * 30)
    read = read_batched([path], MINIMAL, stream_from=0, strict=True, provisional=True)
    assert read.streamed and not read.provisional


answer = st.sampled_from(["", "1", "2", "3", "4", "5", "7", "Agree", "Don't know", "so-so"])
row = st.tuples(
    st.sampled_from(["", "A", "a", "B", " b"]), st.lists(answer, min_size=6, max_size=6)
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.lists(row, min_size=1, max_size=12),
    rest=st.lists(row, min_size=0, max_size=40),
    batch_rows=st.integers(1, 12),
)
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_any_file_scored_in_one_pass_or_two_gives_the_results_of_reading_whole(
    tmp_path, first, rest, batch_rows, kind
) -> None:
    path = tmp_path / "random.csv"
    rows = first + rest  # `first` repeated later often makes the first batch show every value
    lines = ["team,a1,a2,a3,b1,b2,b3"] + [",".join([team, *cells]) for team, cells in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = _as(kind, path)
    assert_same_outcome(
        lambda: _score(path, stream_from=None),
        lambda: _score(path, stream_from=0, batch_rows=batch_rows),
    )


def _many_late_teams(path: Path, first: int, late: int) -> Path:
    """An export whose first `first` rows hold two teams, and the next `late` a team each."""
    teams = ["North", "South"] * (first // 2) + [f"team {i}" for i in range(late)]
    return _write(path, teams)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_segment_past_the_group_limit_after_the_first_batch_stops_the_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Found by the reviewer: the limit was checked on the first batch only, so a file with
    60,000 teams after its first batch built a group for each (1.2 GB, not 0.15 GB read whole).
    Counting stops at the batch that passes the limit, and the refusal is the whole read's."""
    from cxassess.errors import TooManyGroups
    from cxassess.inputs import columns
    from cxassess.inputs.valuecounts import ValueCounts

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 5)
    path = _as(kind, _many_late_teams(tmp_path / "answers.csv", 20, 40))
    with pytest.raises(TooManyGroups) as whole:
        _score(path, stream_from=None)
    added: list[int] = []
    real = ValueCounts.add

    def add(self: ValueCounts, batch: pl.DataFrame) -> None:
        if self.limits:  # the counting beside the scoring pass
            added.append(batch.height)
        real(self, batch)

    monkeypatch.setattr(ValueCounts, "add", add)
    with pytest.raises(TooManyGroups) as batched:
        _score(path, stream_from=0, batch_rows=10)
    assert str(batched.value) == str(whole.value)
    assert "the segment 'team' has 42 different values" in str(whole.value)
    assert batched.value.location == whole.value.location
    assert 0 < sum(added) < 60  # stopped before the last batch


@pytest.mark.parametrize("rows", [30, 200])
def test_a_mistyped_segment_is_named_before_a_segment_with_too_many_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """Found by the reviewer: with `-g team,nosuch` a large file said "unknown segment" and a
    small one "too many values"; both now name the mistyped -g first (it is known at once)."""
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 5)
    path = _many_late_teams(tmp_path / "answers.csv", rows, 12)
    for stream_from in (None, 0):
        with pytest.raises(InputError, match="unknown segment 'nosuch'"):
            score_answers(
                [path],
                MINIMAL,
                segments=["team", "nosuch"],
                stream_from=stream_from,
                batch_rows=10,
            )


def test_nan_in_a_number_column_does_not_make_the_pass_run_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the reviewer: NaN equals no NaN, so a Parquet column holding NaN never had the
    same values twice, and every such file was scored twice."""
    frame = pl.DataFrame(
        {
            "respondent": [f"p{i}" for i in range(300)],
            "team": [["North", "South", "East"][i % 3] for i in range(300)],
            "a1": [float("nan") if i % 5 == 0 else float(1 + i % 5) for i in range(300)],
            **{c: [1 + (i + k) % 5 for i in range(300)] for k, c in enumerate(["a2", "b1"])},
        }
    )
    path = tmp_path / "answers.parquet"
    frame.write_parquet(path)
    _assert_scored_once_as_whole(path, monkeypatch)


def test_a_refused_file_stays_the_error_when_a_later_file_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the reviewer: with the refusal kept until the -g names were checked, a later
    file with no answers was named instead, unlike a read that stops at the refusal."""
    from cxassess.errors import TooManyGroups
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 5)
    late = _many_late_teams(tmp_path / "late.csv", 20, 12)
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER + "\n", encoding="utf-8")
    for stream_from in (None, 0):
        with pytest.raises(TooManyGroups, match="'team' has 14 different values"):
            score_answers(
                [late, empty], MINIMAL, segments=["team"], stream_from=stream_from, batch_rows=10
            )


def test_a_segment_spread_over_inputs_each_under_the_limit_is_refused_across_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the reviewer: the limit held per file, so an id spread over many exports, each
    with fewer values than the limit, was scored with a group for each value. Read whole or in
    batches, the inputs' values together are refused, and a mistyped -g is still named first."""
    from cxassess.errors import TooManyGroups
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 20)
    first = _write(tmp_path / "march.csv", ["North", "South"] * 5 + [f"m{i}" for i in range(14)])
    second = _write(tmp_path / "april.csv", ["North", "South"] * 5 + [f"a{i}" for i in range(15)])
    second.write_text(second.read_text(encoding="utf-8").replace("\np", "\nq"), encoding="utf-8")
    for stream_from in (None, 0):
        with pytest.raises(TooManyGroups) as refused:
            score_answers(
                [first, second], MINIMAL, segments=["team"], stream_from=stream_from, batch_rows=10
            )
        assert str(refused.value).startswith(
            "the segment 'team' has 31 different values across the inputs; a segment groups "
            "people, and at most 20 groups are scored"
        )
        with pytest.raises(InputError, match="unknown segment 'nosuch'"):
            score_answers(
                [first, second],
                MINIMAL,
                segments=["team", "nosuch"],
                stream_from=stream_from,
                batch_rows=10,
            )
    for alone in (first, second):  # 16 and 17 values: each under the limit
        score_answers([alone], MINIMAL, segments=["team"], stream_from=0, batch_rows=10)


@pytest.mark.parametrize("batch_rows", [3, 1000])
def test_values_across_inputs_seen_in_first_batches_are_refused_with_the_whole_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """Found by the reviewer: when the first batches already passed the limit, the refusal
    said "at least 9" where the whole files give 9; it now gives the whole files' count."""
    from cxassess.errors import TooManyGroups
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 8)
    first = _write(tmp_path / "march.csv", [f"T{i}" for i in range(6)] * 2)
    second = _write(tmp_path / "april.csv", [f"T{i}" for i in range(3, 9)] * 2 + ["T3"])
    second.write_text(second.read_text(encoding="utf-8").replace("\np", "\nq"), encoding="utf-8")
    messages = []
    for stream_from in (None, 0):
        with pytest.raises(TooManyGroups) as refused:
            score_answers(
                [first, second],
                MINIMAL,
                segments=["team"],
                stream_from=stream_from,
                batch_rows=batch_rows,
            )
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("the segment 'team' has 9 different values across the inputs")
