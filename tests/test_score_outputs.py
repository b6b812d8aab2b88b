"""Result files: JSON, tidy CSV, XLSX and the terminal view hold the same figures, no hidden
group's figures or comments, and no cell Excel would run as a formula."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rich.console import Console

from cxassess.errors import InputError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.outputs import write_results
from cxassess.outputs.tables import TIDY_COLUMNS, safe_cell
from cxassess.outputs.terminal import results_view
from cxassess.pipeline import score_inputs
from cxassess.results import read_results

THREE_V1 = str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
HIDDEN = {"Online", "Support"}  # Online has 2; Support (5) is hidden so Online can't be derived
ONLINE_ONLY_COMMENT = "Live chat in the evening."
SUPPORT_ONLY_COMMENT = "We fixed a boiler on Christmas Eve."


@pytest.fixture(scope="module")
def results():
    q = resolve_questionnaire(THREE_V1)
    scored, _ = score_inputs([EXPORTS / "three-abilities-our-layout.csv"], q, segments=["team"])
    assert {g.value for g in scored.groups if g.suppressed} == HIDDEN
    return scored


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_outputs_json_reads_back_equal(results, tmp_path) -> None:
    path = write_results(results, tmp_path / "results.json")
    assert read_results(path) == results
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "cxassess.results/1"
    for group in data["groups"]:
        if group["value"] in HIDDEN:
            assert group["suppressed"] is True
            assert group["overall"] is None
            assert group["dimensions"] == group["items"] == group["comments"] == []


def test_outputs_csv_is_tidy_and_matches_the_json(results, tmp_path) -> None:
    rows = read_csv(write_results(results, tmp_path / "results.csv"))
    assert tuple(rows[0]) == TIDY_COLUMNS
    lookup = {
        (r["segment"], r["group"], r["kind"], r["id"], r["measure"]): r["value"] or r["label"]
        for r in rows
    }
    assert float(lookup[("(all)", "(all)", "overall", "", "score")]) == pytest.approx(
        results.overall.score, abs=1e-9
    )
    capability = results.dimension("capability")
    assert capability is not None
    assert float(lookup[("(all)", "(all)", "dimension", "capability", "alpha")]) == pytest.approx(
        capability.alpha, abs=1e-9
    )
    assert lookup[("(all)", "(all)", "item", "cap-stock", "answered 4")] == "6.0"
    assert float(lookup[("(all)", "(all)", "outcome", "recommend", "nps")]) == pytest.approx(
        results.outcomes[0].nps or 0, abs=1e-9
    )
    assert lookup[("team", "Sales", "dimension", "capability", "level")] == "established"


def test_outputs_hidden_groups_have_only_n_in_the_csv(results, tmp_path) -> None:
    rows = read_csv(write_results(results, tmp_path / "results.csv"))
    for value in HIDDEN:
        mine = [(r["measure"], r["value"], r["label"]) for r in rows if r["group"] == value]
        n = next(g.n for g in results.groups if g.value == value)
        group = next(g for g in results.groups if g.value == value)
        assert mine == [
            ("n", f"{n}.0", ""),
            ("suppressed", "1.0", "true"),
            ("hidden_why", "", group.hidden_why),
        ]


def test_outputs_hidden_groups_have_only_n_in_the_workbook(results, tmp_path) -> None:
    import fastexcel

    path = write_results(results, tmp_path / "results.xlsx")
    reader = fastexcel.read_excel(path.read_bytes())
    assert reader.sheet_names[:3] == ["Summary", "Dimensions", "Items"]
    assert "Data" in reader.sheet_names
    groups = reader.load_sheet("Groups").to_polars()
    for row in groups.iter_rows(named=True):
        if row["group"] in HIDDEN:
            assert row["overall"] is None
            assert all(row[d.id] is None for d in results.dimensions)
    comments = reader.load_sheet("Comments").to_polars()
    assert not set(comments["group"].to_list()) & HIDDEN
    data = reader.load_sheet("Data").to_polars()
    hidden = data.filter(data["group"].is_in(sorted(HIDDEN)))
    assert sorted(set(hidden["measure"].to_list())) == ["hidden_why", "n", "suppressed"]


def test_outputs_hidden_groups_show_no_figures_in_the_terminal(results) -> None:
    console = Console(record=True, width=160)
    console.print(results_view(results))
    text = console.export_text()
    for value in HIDDEN:
        line = next(row for row in text.splitlines() if row.strip().startswith(value))
        n = next(g.n for g in results.groups if g.value == value)
        assert line.split() == [value, str(n), "hidden"]
    assert ONLINE_ONLY_COMMENT not in text and SUPPORT_ONLY_COMMENT not in text


def test_outputs_hidden_groups_comments_appear_nowhere(results, tmp_path) -> None:
    # neither the whole sample's list nor any group lists a hidden group's comment
    everyone = {a for c in results.comments for a in c.answers}
    assert ONLINE_ONLY_COMMENT not in everyone and SUPPORT_ONLY_COMMENT not in everyone
    for group in results.groups:
        attributed = {a for c in group.comments for a in c.answers}
        assert ONLINE_ONLY_COMMENT not in attributed and SUPPORT_ONLY_COMMENT not in attributed


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+44 20", "'+44 20"),
        ("-minus", "'-minus"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("Sales", "Sales"),
        (-12.5, -12.5),
        (None, None),
    ],
)
def test_outputs_safe_cell_neutralises_formulas(value, safe) -> None:
    assert safe_cell(value) == safe


def test_outputs_no_cell_starts_like_a_formula(tmp_path) -> None:
    q = load_questionnaire(DATA / "valid" / "minimal.yaml")
    scored, _ = score_inputs(
        [EXPORTS / "minimal-formula-team-names.csv"],
        q,
        segments=["team"],
        min_comment_group_size=5,
    )
    path = write_results(scored, tmp_path / "results.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    for cell in risky:
        float(cell)  # only numbers may start like that
    groups = {r["group"] for r in read_csv(path)}
    assert '\'=HYPERLINK("http://example.com","click")' in groups

    import fastexcel

    book = write_results(scored, tmp_path / "results.xlsx")
    data = fastexcel.read_excel(book.read_bytes()).load_sheet("Data").to_polars()
    assert not any(str(v).startswith(("=", "+", "@")) for v in data["group"].to_list())
    comments = fastexcel.read_excel(book.read_bytes()).load_sheet("Comments").to_polars()
    assert comments["answer"].to_list() == ["'=cmd|' /C calc'!A0"] * 2  # everyone, and its team


def test_outputs_unknown_suffix_is_refused(results, tmp_path) -> None:
    with pytest.raises(InputError) as caught:
        write_results(results, tmp_path / "results.pdf")
    assert "cannot write results as '.pdf'" in caught.value.message


def test_outputs_terminal_prints_markup_in_the_data_as_is(tmp_path) -> None:
    from typer.testing import CliRunner

    from cxassess.cli import app

    q = resolve_questionnaire(THREE_V1)
    items = [i.id for i in q.all_items()]
    path = tmp_path / "rich.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "team", *items])
        for index in range(12):
            team = ("Ops [/] x", "[red]x[/red]", "[bold")[index % 3]
            writer.writerow(
                [f"R{index}", team, *(str(1 + (index + n) % 5) for n in range(len(items)))]
            )
    result = CliRunner().invoke(app, ["score", str(path), "-q", THREE_V1, "-g", "team"])
    assert result.exit_code == 0, result.output
    assert "Ops [/] x" in result.output
    assert "[red]x[/red]" in result.output
    assert "[bold" in result.output
    assert "MarkupError" not in result.output
