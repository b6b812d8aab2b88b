"""What the report says about drivers: one area named as mattering most only when its interval
clears the next one's, the minimum sample stated, and chart and focus list in agreement."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest
from test_report_safety import write_answers

from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs
from cxassess.rendering.brand import default_brand
from cxassess.rendering.render import render_html
from cxassess.report.charts import Palette
from cxassess.report.context import build_context
from cxassess.report.drivers import driver_pages, driver_sentence
from cxassess.results import Driver, Drivers, Results
from cxassess.scoring.drivers import MIN_DRIVER_RESPONDENTS, focus_cut


def _dims(*figures: tuple[str, float, float, float]) -> list[Driver]:
    return [
        Driver(id=i.lower(), kind="dimension", title=i, weight=w, weight_low=lo, weight_high=hi)
        for i, w, lo, hi in figures
    ]


def test_one_area_is_named_when_its_interval_clears_the_next() -> None:
    drivers = Drivers(
        outcome="recommend",
        method="relative-weights",
        dimensions=_dims(("Capability", 0.20, 0.15, 0.25), ("Access", 0.08, 0.04, 0.12)),
        dimensions_leading=["capability"],
    )
    sentence = driver_sentence(drivers)
    assert sentence.startswith("Capability matters most to that answer")
    assert "20.0%" in sentence and "Access (8.0%)" in sentence


def test_close_areas_are_said_to_matter_about_equally() -> None:
    # The case: 0.44, 0.42 and 0.41, whose intervals overlap.
    drivers = Drivers(
        outcome="recommend",
        method="relative-weights",
        dimensions=_dims(
            ("Capability", 0.044, 0.030, 0.060),
            ("Accessibility", 0.042, 0.028, 0.058),
            ("Enjoyability", 0.041, 0.027, 0.057),
        ),
        dimensions_leading=["capability", "accessibility", "enjoyability"],
    )
    sentence = driver_sentence(drivers)
    assert "matter about equally" in sentence
    assert "Capability, Accessibility and Enjoyability" in sentence
    assert "matters most" not in sentence and "likeliest" not in sentence


def test_too_few_respondents_are_stated_instead_of_a_driver() -> None:
    why = f"20 respondents answered; driver analysis needs at least {MIN_DRIVER_RESPONDENTS}"
    drivers = Drivers(outcome="recommend", method="relative-weights", dimensions_why_not=why)
    assert driver_sentence(drivers).endswith(f"at least {MIN_DRIVER_RESPONDENTS}.")
    assert driver_sentence(Drivers(outcome="recommend")) == ""  # an older results file


def _scored(tmp_path: Path, teams: dict[str, int]) -> Results:
    answers = write_answers(tmp_path / "answers.csv", teams, {})
    results, _problems = score_inputs([answers], resolve_questionnaire("three-abilities"))
    return results


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return _scored(tmp_path_factory.mktemp("drivers"), {"North": 60, "South": 50})


def test_chart_quadrant_and_focus_list_agree(scored: Results) -> None:
    colours = default_brand().settings.colours
    pages = driver_pages(scored, Palette(colours.primary, colours.accent))
    assert pages is not None and pages["ran"]
    assert scored.drivers is not None
    listed = {f["title"] for f in pages["focus"]}
    for level, found in (
        (pages["dimensions"], scored.drivers.dimensions),
        (pages["items"], scored.drivers.items),
    ):
        cut = focus_cut([(d.weight, d.score) for d in found])
        assert cut is not None
        for row, driver in zip(level["rows"], found, strict=True):
            in_quadrant = (driver.weight or 0) > cut[0] and (driver.score or 0) < cut[1]
            assert row["focus"] == driver.focus == in_quadrant
            assert (row["text"] in listed) == row["focus"]
    # On the questions' chart, open circles are exactly the questions that are not focus areas.
    chart = str(pages["items"]["chart"])
    open_circles = len(re.findall(r'<circle [^>]*fill="#ffffff"', chart))
    assert open_circles == sum(not r["focus"] for r in pages["items"]["rows"])
    assert any(r["focus"] for r in pages["items"]["rows"])


def test_report_page_shows_weights_and_the_minimum(scored: Results) -> None:
    page = html_module.unescape(render_html(build_context(scored, default_brand())))
    assert "Johnson’s relative weights" in page
    assert f"at least {MIN_DRIVER_RESPONDENTS} of them" in page
    assert "r = " not in page and "moves most closely" not in page


def test_report_page_says_when_driver_analysis_does_not_run(tmp_path: Path) -> None:
    results = _scored(tmp_path, {"North": 12, "South": 8})
    page = html_module.unescape(render_html(build_context(results, default_brand())))
    assert "is not worked out" in page
    assert f"needs at least {MIN_DRIVER_RESPONDENTS}" in page
    assert "What moves the outcome" not in page


def test_a_negatively_worded_question_is_named_by_its_positive_wording(scored: Results) -> None:
    reversed_items = [i for i in scored.items if i.reverse and i.positive]
    assert reversed_items
    colours = default_brand().settings.colours
    pages = driver_pages(scored, Palette(colours.primary, colours.accent))
    assert pages is not None
    texts = [row["text"] for row in pages["items"]["rows"]]
    for item in reversed_items:
        assert item.positive in texts and item.text not in texts


def test_drivers_blanked_for_anonymity_say_so_and_rank_nothing(tmp_path: Path) -> None:
    # 30 people, so the analysis runs, but a minimum group size of 28 leaves fewer complete
    # answers than that: the weights are removed, and with them the ranking and R².
    from typer.testing import CliRunner

    from cxassess.cli import app

    answers = write_answers(tmp_path / "answers.csv", {"North": 15, "South": 15}, {})
    lines = answers.read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",").index("recommend")
    for row in range(1, 5):  # four people skip the outcome, so 26 answered everything
        cells = lines[row].split(",")
        cells[column] = ""
        lines[row] = ",".join(cells)
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = tmp_path / "results.json"
    runner = CliRunner()
    scored = runner.invoke(
        app,
        [
            "score",
            str(answers),
            "-q",
            "three-abilities",
            "--min-group-size",
            "28",
            "-o",
            str(results),
        ],
    )
    assert scored.exit_code == 0, scored.output
    drivers = Results.model_validate_json(results.read_text(encoding="utf-8")).drivers
    assert drivers is not None
    assert drivers.dimensions_leading == [] and drivers.dimensions_r2 is None
    assert all(d.weight is None for d in drivers.dimensions)
    page = tmp_path / "report.html"
    made = runner.invoke(app, ["report", str(results), "-o", str(page)])
    assert made.exit_code == 0, made.output
    text = html_module.unescape(page.read_text(encoding="utf-8"))
    assert "without risk to anonymity" in text
    assert "matters most" not in text and "0.0%" not in text
