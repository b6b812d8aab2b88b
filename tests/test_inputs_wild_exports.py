"""Exports as the tools really write them (issue 16): each fixture holds one fault or layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli.app import app
from cxassess.errors import InputError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs import read_inputs, read_responses
from cxassess.inputs.exports import KOBOTOOLBOX, QUALTRICS, QUALTRICS_LEGACY, open_export
from cxassess.inputs.matching import header_candidates, key
from cxassess.pipeline import score_inputs

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
MINIMAL = DATA / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(MINIMAL)


def _means(frame, column: str) -> list[float | None]:
    return frame.get_column(column).to_list()


def test_map_label_of_a_negative_code_matches_the_whole_cell_only(q) -> None:
    responses = read_responses(
        [EXPORTS / "minimal-map-negative-codes-mixed-text.csv"],
        q,
        mapping=EXPORTS / "minimal-map-negative-codes.yaml",
    )
    frame = responses.frame
    assert _means(frame, "a1") == [1.0, 2.0, None, 1.0]  # text column: 1 stays 1
    assert _means(frame, "a3") == [2.0, 4.0, 1.0, 2.0]  # "Agree" makes it a text column
    assert _means(frame, "b1") == [1.0, 2.0, 2.0, 2.0]  # "Disagree"; no -1 here
    assert _means(frame, "b2") == [None, 2.0, 2.0, 1.0]  # "-2" is n/a, "2" is 2
    assert _means(frame, "a2") == [2.0, 2.0, 2.0, None]  # an all-number column too
    assert not responses.problems


def test_number_scales_only_and_no_groups_are_scored(tmp_path) -> None:
    hours = load_questionnaire(EXPORTS / "hours-number-scales-only.yaml")
    results, problems = score_inputs([EXPORTS / "hours-number-scales-only.csv"], hours)
    items = {item.id: item for item in results.items}
    assert items["h1"].mean == pytest.approx(15.0) and items["h1"].n == 3
    assert items["h2"].mean == pytest.approx(4.0) and items["h2"].n == 2
    assert not problems


def test_qualtrics_legacy_layout_skips_the_text_row_and_takes_response_ids(q) -> None:
    path = EXPORTS / "minimal-qualtrics-legacy-status-codes.csv"
    assert open_export(path).layout is QUALTRICS_LEGACY
    outcome = read_inputs([path], q)
    frame = outcome.responses.frame
    assert frame.get_column("respondent").to_list() == ["R_legacy0001", "R_legacy0002"]
    assert _means(frame, "a1") == [4.0, 2.0]
    assert outcome.unmatched_headers == []
    (problem,) = outcome.responses.problems
    assert problem.what == "left out 2 survey preview or test response(s)"
    assert "--include-test-responses" in problem.hint


def test_qualtrics_2016_single_quoted_import_ids_are_a_header_row(q) -> None:
    path = EXPORTS / "minimal-qualtrics-2016-single-quoted-importid.csv"
    assert open_export(path).layout is QUALTRICS
    responses = read_responses([path], q)
    assert responses.frame.get_column("respondent").to_list() == ["R_2016a", "R_2016d"]
    assert [p.what for p in responses.problems] == ["left out 2 survey preview or test response(s)"]


def test_qualtrics_test_responses_are_scored_when_asked(q) -> None:
    path = EXPORTS / "minimal-qualtrics-legacy-status-codes.csv"
    outcome = read_inputs([path], q, include_tests=True)
    assert outcome.responses.frame.height == 4
    assert not outcome.responses.problems


def test_qualtrics_only_test_responses_is_refused(q) -> None:
    with pytest.raises(InputError, match=r"only survey previews and test responses \(2\)"):
        read_responses([EXPORTS / "minimal-qualtrics-only-test-responses.csv"], q)


def test_cli_only_test_responses_exits_2_and_says_so() -> None:
    path = str(EXPORTS / "minimal-qualtrics-only-test-responses.csv")
    result = CliRunner().invoke(app, ["score", path, "-q", str(MINIMAL)])
    assert result.exit_code == 2
    assert f"error: {path}: only survey previews and test responses (2)" in result.stderr
    assert "--include-test-responses" in result.stderr


def test_cli_include_test_responses_scores_them() -> None:
    path = str(EXPORTS / "minimal-qualtrics-only-test-responses.csv")
    result = CliRunner().invoke(
        app, ["score", path, "-q", str(MINIMAL), "--include-test-responses"]
    )
    assert result.exit_code == 0
    assert "left out" not in result.stderr


def test_kobotoolbox_own_columns_and_select_multiple_options_are_not_unmatched(q) -> None:
    path = EXPORTS / "minimal-kobotoolbox-groups-and-select-multiple.csv"
    assert open_export(path).layout is KOBOTOOLBOX
    outcome = read_inputs([path], q)
    assert outcome.unmatched_headers == ["channels"]  # one question, not one per option
    assert _means(outcome.responses.frame, "b1") == [5.0, 3.0, 4.0]  # `beta/b1`


def test_kobotoolbox_repeated_text_names_the_export_option(q) -> None:
    responses = read_responses([EXPORTS / "minimal-kobotoolbox-repeated-text.csv"], q)
    repeated = [p for p in responses.problems if "also matches 'recommend'" in p.what]
    assert repeated and "'Include groups in headers'" in repeated[0].hint
    assert _means(responses.frame, "recommend") == [9.0]


@pytest.mark.parametrize(
    "header", ["7. Hours", "7a. Hours", "7a2. Hours", "Q7. Hours", "7) Hours", "(7) Hours"]
)
def test_numbered_headers_are_stripped_before_matching(header: str) -> None:
    assert key(header_candidates(header)[-1]) == "hours"


@pytest.mark.parametrize("header", ["7 hours", "2024 plan", "Q7 hours"])
def test_text_that_only_starts_with_a_number_is_kept(header: str) -> None:
    assert header_candidates(header) == [header]


def test_numbered_question_texts_match(tmp_path) -> None:
    hours = load_questionnaire(EXPORTS / "hours-number-scales-only.yaml")
    path = tmp_path / "numbered.csv"
    path.write_text("7a2. Hours on calls,(8) Hours on email,Q9) Hours on chat\n4,5,6\n")
    row = read_responses([path], hours).frame.row(0, named=True)
    assert (row["h1"], row["h2"], row["h3"]) == (4.0, 5.0, 6.0)


def test_microsoft_forms_stray_letters_are_one_line_with_the_count() -> None:
    path = str(EXPORTS / "minimal-microsoft-forms-stray-letters.csv")
    result = CliRunner().invoke(app, ["score", path, "-q", str(MINIMAL)])
    assert result.exit_code == 0
    assert "22 answer(s) could not be read and were counted as missing:" in result.stderr
    assert (
        "column L 'recommend': 22 cells cannot be read: 'w' is not an answer on this scale "
        "(22 cell(s), row(s) 3, 4, 5, ...)"
    ) in result.stderr
    assert result.stderr.count("cannot be read") == 1


def test_report_leaves_test_responses_out_unless_asked(tmp_path) -> None:
    path = str(EXPORTS / "minimal-qualtrics-only-test-responses.csv")
    out = tmp_path / "report.html"
    refused = CliRunner().invoke(app, ["report", path, "-q", str(MINIMAL), "-o", str(out)])
    assert refused.exit_code == 2
    assert f"error: {path}: only survey previews and test responses (2)" in refused.stderr
    assert not out.exists()
    asked = CliRunner().invoke(
        app, ["report", path, "-q", str(MINIMAL), "-o", str(out), "--include-test-responses"]
    )
    assert asked.exit_code == 0, asked.output
    assert out.exists()


def test_kobotoolbox_group_path_decides_between_questions_sharing_a_text(q) -> None:
    # `One`, `Two` and `Three` are the texts of items in both dimensions, alpha and beta
    path = EXPORTS / "minimal-kobotoolbox-group-paths-repeated-text.csv"
    outcome = read_inputs([path], q)
    frame = outcome.responses.frame
    assert _means(frame, "a1") == [5.0, 4.0] and _means(frame, "b1") == [2.0, 1.0]
    assert _means(frame, "a3") == [4.0, 5.0] and _means(frame, "b3") == [1.0, 2.0]
    assert outcome.unmatched_headers == []
    assert not [p for p in outcome.responses.problems if "several questions" in p.what]
