"""Parquet and Arrow IPC inputs, and folders of Parquet files: the same answers score as a CSV
does, and damaged, wrongly typed or oversized files are refused with the file and column named."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from export_layouts import USER_WRITTEN, answers, our_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.inputs import columnar
from cxassess.inputs.columnar import is_columnar_dataset
from cxassess.inputs.parquet_footer import read_footer
from cxassess.pipeline import score_inputs

DATA = Path(__file__).parent / "data"
OURS = DATA / "exports" / "three-abilities-our-layout.csv"
THREE = str(DATA / "questionnaires" / "three-abilities-1.0.yaml")


def comparable(results) -> dict:
    return results.model_dump(exclude={"generated", "sources", "input_hash"})


def run(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result


def partitioned(frame: pl.DataFrame, folder: Path, *keys: str) -> Path:
    """A hive-style dataset: one `key=value/.../part-0.parquet` per group, keys not in files."""
    for values, part in frame.group_by(list(keys), maintain_order=True):
        target = folder.joinpath(*(f"{k}={v}" for k, v in zip(keys, values, strict=True)))
        target.mkdir(parents=True, exist_ok=True)
        part.drop(*keys).write_parquet(target / "part-0.parquet")
    (folder / "_SUCCESS").write_text("")
    return folder


@pytest.fixture(params=["three-abilities", str(USER_WRITTEN)], ids=["built-in", "user-written"])
def q(request):
    return resolve_questionnaire(request.param)


def test_parquet_arrow_and_dataset_score_like_the_same_csv(q, tmp_path: Path) -> None:
    segments = [s.id for s in q.segments]
    csv_path = our_layout(q, answers(q), tmp_path / "ours.csv")
    frame = pl.read_csv(csv_path)  # numbers as integers, labels and comments as text
    # rows ordered as the dataset's folders list them, so comment lists keep the same order
    frame = frame.sort(segments[0], maintain_order=True)
    frame.write_csv(csv_path)
    reference, problems = score_inputs([csv_path], q, segments=segments)
    assert problems == []
    frame.write_parquet(tmp_path / "ours.parquet")
    frame.write_ipc(tmp_path / "ours.arrow")
    frame.write_ipc(tmp_path / "ours.feather", compression="zstd")
    dataset = partitioned(frame, tmp_path / "dataset", segments[0])
    for path in ("ours.parquet", "ours.arrow", "ours.feather", "dataset"):
        results, problems = score_inputs([tmp_path / path], q, segments=segments)
        assert problems == [], path
        assert comparable(results) == comparable(reference), path
    assert results.sources[0].file == str(dataset)
    assert len(results.sources[0].sha256) == 64


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["Sales", "Support", "Online"]), st.integers(0, 2**32)),
        min_size=1,
        max_size=40,
    )
)
def test_random_answers_score_the_same_from_csv_and_parquet(tmp_path: Path, people) -> None:
    q = resolve_questionnaire(THREE)
    items = [s.id for s in q.scored_questions() if s.id != "recommend"]
    rows = []
    for n, (team, seed) in enumerate(people):
        row = {"respondent": f"p{n}", "team": team}
        for i, item in enumerate(items):
            point = (seed >> (2 * i)) % 6  # 0 is a skipped question
            row[item] = point or None
        rows.append(row)
    frame = pl.DataFrame(
        rows,
        schema={"respondent": pl.String, "team": pl.String} | {item: pl.Int64 for item in items},
    )
    frame.write_csv(tmp_path / "random.csv")
    frame.write_parquet(tmp_path / "random.parquet")
    reference, _ = score_inputs([tmp_path / "random.csv"], q, segments=["team"])
    results, _ = score_inputs([tmp_path / "random.parquet"], q, segments=["team"])
    assert comparable(results) == comparable(reference)


def test_labels_and_map_work_in_parquet_as_in_csv(tmp_path: Path) -> None:
    q = resolve_questionnaire(THREE)
    frame = pl.read_csv(OURS).rename({"cap-stock": "Stock question", "team": "Department"})
    frame = frame.with_columns(
        pl.col("cap-busy").cast(pl.String).replace({"1": "Strongly disagree"})
    )
    frame.write_csv(tmp_path / "renamed.csv")
    frame.write_parquet(tmp_path / "renamed.parquet")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  Stock question: cap-stock\n  Department: team\n")
    reference, _ = score_inputs([tmp_path / "renamed.csv"], q, mapping=mapping, segments=["team"])
    results, problems = score_inputs(
        [tmp_path / "renamed.parquet"], q, mapping=mapping, segments=["team"]
    )
    assert comparable(results) == comparable(reference)
    assert not [p for p in problems if p.severity == "error"]


def test_partition_key_is_a_segment_named_with_g(runner, tmp_path: Path) -> None:
    frame = (
        pl.read_csv(OURS)
        .drop("team")
        .with_columns(pl.Series("region", ["North", "South"] * 6 + ["North"]))
    )
    dataset = partitioned(frame, tmp_path / "by-region", "region")
    out = tmp_path / "results.json"
    result = run(runner, "score", str(dataset), "-q", THREE, "-g", "region", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["respondents"] == 13
    assert {(g["segment"], g["value"], g["n"]) for g in data["groups"]} == {
        ("region", "North", 7),
        ("region", "South", 6),
    }


def test_a_folder_is_a_dataset_only_when_it_holds_parquet_files_alone(tmp_path: Path) -> None:
    pl.read_csv(OURS).write_parquet(tmp_path / "a.parquet")
    (tmp_path / ".hidden.csv").write_text("x")
    assert is_columnar_dataset(tmp_path)
    (tmp_path / "b.csv").write_text("respondent\n")
    assert not is_columnar_dataset(tmp_path)
    assert not is_columnar_dataset(tmp_path / "a.parquet")


def test_list_struct_and_date_columns_are_refused_all_at_once(runner, tmp_path: Path) -> None:
    frame = pl.read_csv(OURS).with_columns(
        pl.col("cap-stock").map_elements(lambda v: [v], return_dtype=pl.List(pl.Int64)),
        pl.struct(pl.col("cap-busy")).alias("cap-busy"),
        pl.lit("2024-05-01").str.to_date().alias("cap-training"),
    )
    path = tmp_path / "typed.parquet"
    frame.write_parquet(path)
    result = run(runner, "score", str(path), "-q", THREE)
    assert result.exit_code == 2
    err = result.stderr
    assert "column 'cap-stock': holds lists (type List(Int64))" in err
    assert "column 'cap-busy': holds nested records" in err
    assert "column 'cap-training': holds dates or times (type Date)" in err
    assert str(path) in err and "CAST(col AS VARCHAR)" in err


@pytest.mark.parametrize("suffix", [".parquet", ".arrow"])
def test_truncated_file_is_refused_with_its_name(runner, tmp_path: Path, suffix) -> None:
    whole = tmp_path / f"whole{suffix}"
    frame = pl.read_csv(OURS)
    frame.write_parquet(whole) if suffix == ".parquet" else frame.write_ipc(whole)
    cut = tmp_path / f"cut-short{suffix}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = run(runner, "score", str(cut), "-q", THREE)
    assert result.exit_code == 2
    assert f"{cut}: cannot read this" in result.stderr
    assert "damaged or cut short" in result.stderr


def test_text_named_parquet_is_refused(runner, tmp_path: Path) -> None:
    path = tmp_path / "not-parquet.parquet"
    path.write_bytes(OURS.read_bytes())
    result = run(runner, "score", str(path), "-q", THREE)
    assert result.exit_code == 2
    assert f"{path}: cannot read this Parquet file" in result.stderr


def test_damaged_pages_in_parquet_are_exit_2(runner, tmp_path: Path) -> None:
    path = tmp_path / "damaged-pages.parquet"
    frame = pl.concat([pl.read_csv(OURS)] * 400)
    frame = frame.with_columns(pl.format("r{}", pl.int_range(pl.len())).alias("respondent"))
    frame.write_parquet(path, compression="zstd", statistics=False)
    data = bytearray(path.read_bytes())
    for at in range(8, len(data) // 3, 5):  # the pages come first, the footer last
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    result = run(runner, "score", str(path), "-q", THREE)
    assert result.exit_code == 2, result.output
    assert f"{path}: cannot read this Parquet file" in result.stderr


def test_small_file_that_unpacks_to_much_is_refused(runner, tmp_path, monkeypatch) -> None:
    frame = pl.read_csv(OURS).with_columns(pl.lit("x" * 2_000_000).alias("one-change"))
    path = tmp_path / "unpacks-large.parquet"
    frame.write_parquet(path, compression="zstd")
    assert path.stat().st_size < 100_000
    assert read_footer(path).column_bytes["one-change"] > 2_000_000
    monkeypatch.setattr(columnar, "MAX_DECODED_BYTES", 1_000_000)
    result = run(runner, "score", str(path), "-q", THREE)
    assert result.exit_code == 2
    assert f"{path}: the columns to read would take" in result.stderr
    # the wide column is only decoded when read: without it the file scores
    frame.drop("one-change").hstack([frame.get_column("one-change").alias("notes")]).write_parquet(
        path, compression="zstd"
    )
    assert run(runner, "score", str(path), "-q", THREE).exit_code == 0


def test_too_many_cells_is_refused(runner, tmp_path, monkeypatch) -> None:
    path = tmp_path / "many-rows.arrow"
    pl.read_csv(OURS).write_ipc(path)
    monkeypatch.setattr(columnar, "MAX_CELLS", 100)
    result = run(runner, "score", str(path), "-q", THREE)
    assert result.exit_code == 2
    assert "too large to read: 13 rows of" in result.stderr


def test_report_accepts_parquet(runner, tmp_path: Path) -> None:
    path = tmp_path / "answers.parquet"
    pl.read_csv(OURS).write_parquet(path)
    html = tmp_path / "report.html"
    result = run(runner, "report", str(path), "-q", THREE, "-o", str(html))
    assert result.exit_code == 0, result.stderr
    assert "Capability" in html.read_text(encoding="utf-8")


def test_gap_accepts_parquet_and_a_dataset(runner, tmp_path: Path) -> None:
    from test_gap_cli import _frame

    staff = _frame(resolve_questionnaire("three-abilities"), 60, 1, {"*": 4.0})
    customer = _frame(resolve_questionnaire("three-abilities-customer"), 80, 2, {"*": 3.0})
    staff.write_parquet(tmp_path / "staff.parquet")
    customer.write_csv(tmp_path / "customers.csv")
    dataset = (
        partitioned(customer, tmp_path / "customers", "channel")
        if ("channel" in customer.columns)
        else partitioned(
            customer.with_row_index("part").with_columns(pl.col("part") % 2),
            tmp_path / "customers",
            "part",
        )
    )
    by_csv, by_dataset = tmp_path / "gap-csv.json", tmp_path / "gap-dataset.json"
    customer_q = ["--customer-questionnaire", "three-abilities-customer"]
    staff_parquet = str(tmp_path / "staff.parquet")
    for answers_path, out in ((tmp_path / "customers.csv", by_csv), (dataset, by_dataset)):
        result = run(
            runner, "gap", staff_parquet, str(answers_path), "-q", "three-abilities",
            *customer_q, "-o", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    figures = [json.loads(p.read_text())["dimensions"] for p in (by_csv, by_dataset)]
    assert figures[0] == figures[1]


def test_pandas_index_column_is_ignored_without_a_warning(tmp_path: Path) -> None:
    q = resolve_questionnaire(THREE)
    path = tmp_path / "from-pandas.parquet"
    pl.read_csv(OURS).with_row_index("__index_level_0__").write_parquet(path)
    results, problems = score_inputs([path], q)
    assert problems == []
    assert results.respondents == 13
