"""`cxassess report --compare`: the change since previous results beside every figure, marked
only where it is larger than its noise, a "Change since the last survey" section, and the
inputs it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_report_gap import _visible
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.compare import Change, compare_results
from cxassess.demo import DemoFiles, write_data
from cxassess.report.change import mark, signed, summary_sentence
from cxassess.results import read_results

STAFF_Q = "three-abilities"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """The demo's answers, last year's scored first into previous.json, this year's into
    results.json (both by team)."""
    files = write_data(tmp_path_factory.mktemp("comparedemo"))
    for source, name in ((files.previous_csv, "previous.json"), (files.staff_csv, "results.json")):
        code, output = run(
            "score", str(source), "-q", STAFF_Q, "-g", "team", "-o", str(files.folder / name)
        )
        assert code == 0, output
    return files


@pytest.fixture(scope="module")
def html_report(demo: DemoFiles) -> str:
    output = demo.folder / "report.html"
    code, text = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team",
        "--compare", str(demo.folder / "previous.json"), "-o", str(output),
    )  # fmt: skip
    assert code == 0, text
    return output.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def comparison(demo: DemoFiles):
    return compare_results(
        read_results(demo.folder / "results.json"), read_results(demo.folder / "previous.json")
    )


def _section(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def _marks(html: str) -> list[str]:
    """The class of each change mark in table cells: chg-up, chg-down or chg-flat."""
    return re.findall(r'<td class="chg-cell"><span class="chg (chg-\w+)"', html)


def test_report_change_section_follows_the_overview(html_report: str) -> None:
    ids = re.findall(r'<section class="[^"]*section[^"]*" id="([^"]+)"', html_report)
    assert ids[ids.index("glance") + 1] == "change"
    text = _visible(_section(html_report, "change"))
    assert "Change since the last survey" in text
    assert "Questions that moved" in text and "By team" in text


def test_report_marks_only_changes_beyond_the_noise(html_report: str, comparison) -> None:
    assert any(c.marked for c in comparison.items), "the demo has clear moves"
    assert any(not c.marked for c in comparison.items), "and moves within the noise"
    for dim in comparison.dimensions:
        section = _section(html_report, f"dimension-{dim.id}")
        items = [c for c in comparison.items if c.dimension == dim.id]
        expected = [
            ("chg-" + (c.direction or "")) if c.marked else "chg-flat"
            for c in sorted(items, key=lambda c: c.id)
        ]
        found = _marks(section)
        assert sorted(found) == sorted(expected), dim.id
        card = section.split('class="score-delta"', 1)[1].split("</div>", 1)[0]
        assert ("chg-up" in card or "chg-down" in card) == dim.marked, dim.id
    glance = _marks(_section(html_report, "glance"))
    assert glance.count("chg-flat") == sum(1 for d in comparison.dimensions if not d.marked)


def test_report_change_figures_are_those_of_compare_results(html_report: str, comparison) -> None:
    text = _visible(_section(html_report, "change"))
    for change in [comparison.overall, *comparison.dimensions]:
        row = f"{change.previous:.0f} {change.current:.0f} "
        assert row in text, change.id
    moved = [c for c in comparison.items if c.marked]
    for change in moved[:3]:
        assert f"{change.previous:.0f} then, {change.current:.0f} now" in text


def test_report_summary_states_the_change(html_report: str, comparison) -> None:
    summary = _visible(_section(html_report, "summary"))
    assert "Since the previous survey" in summary
    accessibility = comparison.find("dimension", "accessibility")
    assert accessibility is not None and accessibility.marked
    assert f"Accessibility rose {accessibility.change:.0f} points" in summary


def test_report_appendix_names_the_previous_results(html_report: str, comparison) -> None:
    appendix = _visible(_section(html_report, "appendix"))
    assert "Compared with" in appendix
    assert comparison.previous.input_hash[:16] in appendix


def test_report_higher_threshold_hides_previous_groups_too(demo: DemoFiles) -> None:
    from cxassess.report.build import ReportRequest, make_report

    # Contact centre: 92 respondents now, 84 last year; with 90 only this year's is shown
    outcome = make_report(
        ReportRequest(
            inputs=[demo.folder / "results.json"],
            output=demo.folder / "strict.html",
            min_group_size=90,
            compare=demo.folder / "previous.json",
        )
    )
    assert outcome.comparison is not None
    contact = next(g for g in outcome.comparison.groups if g.value == "Contact centre")
    assert contact.suppressed and contact.overall is None and not contact.dimensions
    html = (demo.folder / "strict.html").read_text(encoding="utf-8")
    row = _visible(_section(html, "change")).split("Contact centre", 1)[1][:60]
    assert "too few answers to show" in row


def test_report_per_group_compares_each_group_with_its_own_past(
    demo: DemoFiles, tmp_path: Path
) -> None:
    out = tmp_path / "teams"
    code, text = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team", "--per-group", "team",
        "--out-dir", str(out), "--compare", str(demo.folder / "previous.json"),
        "-o", str(out / "overview.html"),
    )  # fmt: skip
    assert code == 0, text
    team = (out / "team-stores.html").read_text(encoding="utf-8")
    before = next(
        g for g in read_results(demo.folder / "previous.json").groups if g.value == "Stores"
    )
    assert "Against the previous survey of" in _visible(team)
    assert f"({before.n} respondents;" in _visible(team)


# ---------------------------------------------------------------- refused inputs


def test_report_compare_with_another_questionnaire_is_exit_2(
    demo: DemoFiles, tmp_path: Path
) -> None:
    customers = tmp_path / "customers.json"
    code, text = run(
        "score", str(demo.customer_csv), "-q", "three-abilities-customer", "-o", str(customers)
    )
    assert code == 0, text
    code, output = run(
        "report", str(demo.folder / "results.json"), "--compare", str(customers),
        "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2
    assert (
        "cannot compare results of questionnaire 'three-abilities' with results of "
        "'three-abilities-customer'" in output
    )
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "cxassess.gap/1"}', "cannot compare with this: a gap file"),
        ("team,score\nNorth,4\n", "cannot compare with this: not a results file"),
    ],
)
def test_report_compare_with_something_else_is_exit_2(
    demo: DemoFiles, tmp_path: Path, content: str, message: str
) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(content, encoding="utf-8")
    code, output = run("report", str(demo.folder / "results.json"), "--compare", str(previous))
    assert code == 2
    assert message in output
    assert "results.json written earlier by `cxassess score" in output


def test_report_compare_missing_file_is_exit_2(demo: DemoFiles, tmp_path: Path) -> None:
    code, output = run(
        "report", str(demo.folder / "results.json"), "--compare", str(tmp_path / "gone.json")
    )
    assert code == 2
    assert "previous results file not found" in output


def test_report_personal_report_refuses_compare(demo: DemoFiles, tmp_path: Path) -> None:
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.responses import ResponseFile, ResponseQuestionnaire

    q = resolve_questionnaire(STAFF_Q)
    response = ResponseFile(
        questionnaire=ResponseQuestionnaire(id=q.id, version=q.version),
        respondent="Ana",
        started="2026-01-05T09:00:00+00:00",
        completed="2026-01-05T09:07:00+00:00",
        answers={item.id: 4.0 for item in q.all_items()} | {"recommend": 9.0},
    )
    path = tmp_path / "ana.json"
    path.write_text(response.to_json(), encoding="utf-8")
    code, output = run("report", str(path), "--compare", str(demo.folder / "previous.json"))
    assert code == 2
    assert "--compare needs the answers of a group" in output


# ---------------------------------------------------------------- marks and sentences


def _change(value: float, low: float, high: float, previous: float = 50.0) -> Change:
    clear = low > 0 or high < 0
    return Change(
        kind="dimension",
        id="d",
        title="Speed",
        previous=previous,
        current=previous + value,
        change=value,
        ci_low=low,
        ci_high=high,
        marked=clear,
        direction=("up" if value > 0 else "down") if clear else None,
    )


def test_mark_shows_an_arrow_only_beyond_the_noise() -> None:
    up = mark(_change(6.2, 2.0, 10.4))
    assert up is not None and up["marked"] and up["arrow"] == "▲" and up["text"] == "+6"
    down = mark(_change(-4.0, -7.0, -1.0))
    assert down is not None and down["arrow"] == "▼" and down["text"] == "−4"
    noise = mark(_change(3.0, -1.0, 7.0))
    assert noise is not None and not noise["marked"] and noise["arrow"] == ""
    assert "within the noise" in noise["title"]
    assert mark(None) is None


def test_mark_never_shows_a_clear_change_as_zero() -> None:
    tiny = mark(_change(0.4, 0.1, 0.7))
    assert tiny is not None and tiny["text"] == "+0.4"
    assert signed(0.3) == "0" and signed(-0.2) == "0" and signed(-2.6) == "−3"


def _comparison(overall: Change, dims: list[Change]):
    from cxassess.compare import Comparison, SideInfo

    side = SideInfo(questionnaire="q", generated="2025-03-01T10:00:00+00:00")
    return Comparison(
        questionnaire="q", current=side, previous=side, overall=overall, dimensions=dims
    )


def test_summary_sentence_names_only_moves_beyond_the_noise(demo: DemoFiles) -> None:
    results = read_results(demo.folder / "results.json")
    rose = _change(7.0, 3.0, 11.0, previous=42)
    rose.id = "accessibility"
    steady = _change(-1.0, -4.0, 2.0)
    steady.id = "capability"
    sentence = summary_sentence(_comparison(_change(1.2, -1.0, 3.4), [rose, steady]), results)
    assert sentence == (
        "Since the previous survey (1 March 2025), the overall index has not moved beyond the "
        "noise (50 then, 51 now), but Accessibility rose 7 points (42 to 49), more than the "
        "noise."
    )
    quiet = summary_sentence(_comparison(_change(1.2, -1.0, 3.4), [steady]), results)
    assert quiet.endswith("; no dimension did either.")
    risen = summary_sentence(_comparison(_change(4.0, 1.0, 7.0), [steady]), results)
    assert "the overall index rose 4 points (50 to 54)" in risen
