"""`report --headcounts teams.csv`: response rates for the organisation and each team, flagged
under 50%, hidden groups giving nothing away, and bad files refused with row and column."""

from __future__ import annotations

import html as html_module
from pathlib import Path

import pytest
from test_report_safety import write_answers
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.errors import InputError, ValidationError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.inputs.headcounts import read_headcounts
from cxassess.pipeline import score_inputs
from cxassess.scoring.participation import participation

TEAMS = {"North": 20, "South": 12, "East": 3, "West": 2}  # East and West are hidden


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_answers(tmp_path_factory.mktemp("headcounts") / "answers.csv", TEAMS, {})


@pytest.fixture(scope="module")
def results(answers: Path):
    found, _problems = score_inputs(
        [answers], resolve_questionnaire("three-abilities"), segments=["team"]
    )
    return found


def write(tmp_path: Path, text: str, name: str = "teams.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_headcount_file_reads_with_its_breakdown(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffteam;headcount\r\nNorth;25\r\n\r\nSouth; 1 200 \r\n")
    found = read_headcounts(path)
    assert found.segment == "team"
    assert found.counts == {"North": 25, "South": 1200}
    assert found.rows == {"North": 2, "South": 4}


def test_every_bad_row_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "team,headcount\nNorth,lots\n,12\nSouth,0\nNorth,9\nWest,7\n")
    with pytest.raises(ValidationError) as caught:
        read_headcounts(path)
    lines = caught.value.lines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}:2:2: column B (North): the headcount is 'lots'")
    assert lines[1].startswith(f"{path}:3:1: column A: no group name")
    assert lines[2].startswith(f"{path}:4:2: column B (South)")
    # A row refused for its count does not also count as a first listing.
    assert "listed twice" not in "\n".join(lines)


def test_a_group_listed_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "team,headcount\nNorth,20\nNorth,21\n")
    with pytest.raises(ValidationError) as caught:
        read_headcounts(path)
    assert "listed twice (first on row 2)" in caught.value.lines()[0]
    assert caught.value.lines()[0].startswith(f"{path}:3:2:")


def test_a_badly_quoted_file_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'team,headcount\nNorth,20\nSo"uth,12\n')
    with pytest.raises(InputError) as caught:
        read_headcounts(path)
    assert caught.value.location is not None and caught.value.location.line == 3
    assert "column A" in caught.value.message


def test_rates_and_the_flag_under_half(results, tmp_path: Path) -> None:
    path = write(tmp_path, "team,headcount\nNorth,25\nSouth,30\nEast,4\n")
    found = participation(results, read_headcounts(path))
    north, south = found.of("North"), found.of("South")
    assert north is not None and north.rate == pytest.approx(80.0) and not north.low
    assert south is not None and south.rate == pytest.approx(40.0) and south.low
    assert found.overall.respondents == 32 and found.overall.headcount == 55


def test_a_hidden_group_shows_no_rate_and_the_total_leaves_it_out(results, tmp_path) -> None:
    path = write(tmp_path, "team,headcount\nNorth,25\nSouth,30\nEast,4\nWest,6\n")
    found = participation(results, read_headcounts(path))
    east, west = found.of("East"), found.of("West")  # 3 answers; no answers at all
    for hidden in (east, west):
        assert hidden is not None and hidden.hidden
        assert hidden.rate is None and hidden.respondents is None and hidden.headcount is None
    # Nothing to subtract: the organisation's figures are the shown groups' sums.
    shown = [g for g in found.groups if not g.hidden]
    assert found.overall.respondents == sum(g.respondents or 0 for g in shown)
    assert found.overall.headcount == sum(g.headcount or 0 for g in shown)


def test_more_answers_than_people_is_refused_at_the_row(results, tmp_path: Path) -> None:
    path = write(tmp_path, "team,headcount\nNorth,25\nSouth,10\n")
    with pytest.raises(ValidationError) as caught:
        participation(results, read_headcounts(path))
    assert caught.value.lines()[0].startswith(f"{path}:3:2: column B (South): a headcount of 10")


def test_a_breakdown_the_report_lacks_is_refused(results, tmp_path: Path) -> None:
    path = write(tmp_path, "teams,headcount\nNorth,25\n")
    with pytest.raises(InputError) as caught:
        participation(results, read_headcounts(path))
    assert "no breakdown by 'teams'" in caught.value.message
    assert "team" in caught.value.hint


def test_report_shows_rates_in_the_summary_and_a_table(answers: Path, tmp_path: Path) -> None:
    heads = write(tmp_path, "team,headcount\nNorth,25\nSouth,30\nEast,4\n")
    out = tmp_path / "report.html"
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-g", "team",
        "--headcounts", str(heads), "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    page = html_module.unescape(out.read_text(encoding="utf-8"))
    assert (
        "32 of 55 people in the 2 groups with a headcount that can be shown answered (58%)." in page
    )
    assert "Who answered" in page and "under 50%" in page
    assert "40%" in page  # South


def test_report_with_a_bad_headcount_file_is_exit_2_with_row_and_column(
    answers: Path, tmp_path: Path
) -> None:
    heads = write(tmp_path, "team,headcount\nNorth,twenty\n")
    out = tmp_path / "report.html"
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-g", "team",
        "--headcounts", str(heads), "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert "teams.csv:2:2: column B (North): the headcount is 'twenty'" in " ".join(output.split())
    assert "Traceback" not in output and not out.exists()


def test_report_with_a_missing_headcount_file_is_exit_2(answers: Path, tmp_path: Path) -> None:
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-g", "team",
        "--headcounts", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2 and "not found" in output


def test_each_team_report_shows_its_rate_beside_the_organisation(
    answers: Path, tmp_path: Path
) -> None:
    heads = write(tmp_path, "team,headcount\nNorth,25\nSouth,30\nEast,4\n")
    folder = tmp_path / "teams"
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-g", "team", "--per-group", "team",
        "--out-dir", str(folder), "-o", str(folder / "overview.html"),
        "--headcounts", str(heads),
    )  # fmt: skip
    assert code == 0, output
    north = html_module.unescape((folder / "team-north.html").read_text(encoding="utf-8"))
    assert "20 of 25 people in North answered (80%)." in north
    assert "Across the organisation, 58% answered." in north
    assert "Beside the whole organisation" in north
    south = html_module.unescape((folder / "team-south.html").read_text(encoding="utf-8"))
    assert "12 of 30 people in South answered (40%). That is under 50%" in south
    assert not (folder / "team-east.html").exists()


@pytest.mark.parametrize("count", ["²", "①", "٣", "9" * 5000])
def test_digits_that_are_not_plain_numbers_are_named_not_a_crash(tmp_path: Path, count) -> None:
    path = write(tmp_path, f"team,headcount\nNorth,{count}\nSouth,10\n")
    with pytest.raises(ValidationError) as caught:
        read_headcounts(path)
    assert caught.value.lines()[0].startswith(f"{path}:2:2: column B (North): the headcount is")


def test_a_utf16_file_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    path = tmp_path / "teams-utf16.csv"
    path.write_bytes("team\theadcount\r\nNorth\t25\r\nSouth\t12\r\n".encode("utf-16"))
    assert read_headcounts(path).counts == {"North": 25, "South": 12}


def test_a_total_that_leaves_groups_out_says_whose_rate_it_is(answers: Path, tmp_path) -> None:
    heads = write(tmp_path, "team,headcount\nNorth,25\n")  # South has answers but no headcount
    out = tmp_path / "report.html"
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-g", "team",
        "--headcounts", str(heads), "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    page = html_module.unescape(out.read_text(encoding="utf-8"))
    assert "20 of 25 people in the 1 group with a headcount answered (80%)." in page
