"""The options of scoring and of the report are checked in the library, as on the command line."""

from pathlib import Path

import pytest

from cxassess.errors import InputError
from cxassess.report.build import ReportRequest, make_report
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE, ReportFileOptions, ScoringOptions


def test_make_report_refuses_an_unknown_paper_size_like_the_cli():
    with pytest.raises(InputError, match="unknown paper size 'B5'"):
        make_report(ReportRequest(inputs=[Path("results.json")], paper="B5"))


def test_make_report_refuses_zero_workers():
    with pytest.raises(InputError, match="--jobs must be at least 1, not 0"):
        make_report(ReportRequest(inputs=[Path("results.json")], workers=0))


def test_a_request_changed_after_it_was_made_is_checked_again():
    request = ReportRequest(inputs=[Path("results.json")])
    request.min_group_size = 0
    with pytest.raises(InputError, match="--min-group-size must be at least 1, not 0"):
        make_report(request)


def test_paper_size_is_read_in_any_case():
    assert ReportFileOptions(paper=" letter").paper == "Letter"
    assert ReportFileOptions(paper="a4").paper == "A4"


def test_scoring_options_refuse_a_minimum_below_one_and_default_to_the_constant():
    assert ScoringOptions().min_group_size == DEFAULT_MIN_GROUP_SIZE == 5
    with pytest.raises(InputError, match="at least 1"):
        ScoringOptions.of(min_group_size=0)
    with pytest.raises(InputError, match="whole number"):
        ScoringOptions.of(min_group_size=True)


def test_score_report_and_gap_refuse_a_zero_minimum_with_one_message(tmp_path):
    from typer.testing import CliRunner

    from cxassess.cli import app

    staff = tmp_path / "staff.csv"
    staff.write_text("q1\n5\n", encoding="utf-8")
    runner = CliRunner()
    for args in (
        ["score", str(staff), "-q", "three-abilities", "--min-group-size", "0"],
        ["report", str(staff), "-q", "three-abilities", "--min-group-size", "0"],
        ["gap", str(staff), str(staff), "--min-group-size", "0"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "--min-group-size must be at least 1, not 0" in result.output, args
