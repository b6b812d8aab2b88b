"""The `score` tables in narrow terminals: at 60 and 80 columns each item keeps its text (cut
with an ellipsis, not dropped), the n column stays, level names are whole, and "(reversed)"
stays on the row of its item. Checked at 60, 80 and 120 columns with Rich's own width."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from cxassess.format.catalog import resolve_questionnaire
from cxassess.outputs.terminal import results_view
from cxassess.pipeline import score_inputs

EXPORT = Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv"


@pytest.fixture(scope="module")
def results():
    scored, _problems = score_inputs([EXPORT], resolve_questionnaire("three-abilities"))
    return scored


def shown(results, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(results_view(results))
    return console.file.getvalue().splitlines()


@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_line_fits_the_width(results, width) -> None:
    assert all(len(line) <= width for line in shown(results, width))


@pytest.mark.parametrize("width", [60, 80, 120])
def test_items_keep_their_text_and_n(results, width) -> None:
    lines = shown(results, width)
    header = next(line for line in lines if line.split()[:2] == ["item", "mean"])
    assert header.split()[-1] == "n"
    text = "\n".join(lines)
    for item in results.items:
        row = next(line for line in lines if line.lstrip().startswith(item.id + " "))
        figures = row.split()[-6:]  # mean, score, three shares, n: never cut
        assert figures[-1] == str(item.n) and not any("…" in f for f in figures), row
        # at least the first words of the statement are shown, beside or under the id
        assert item.text.split()[0] + " " + item.text.split()[1] in text, item.id


@pytest.mark.parametrize("width", [60, 80, 120])
def test_reversed_stays_on_the_row_of_its_item(results, width) -> None:
    lines = shown(results, width)
    reversed_items = [i for i in results.items if i.reverse]
    assert reversed_items
    for item in reversed_items:
        row = next(line for line in lines if line.lstrip().startswith(item.id + " "))
        assert f"{item.id} (reversed)" in row
        assert row.rstrip().endswith(str(item.n))  # the figures are on the same line
    assert not any(line.strip() == "(reversed)" for line in lines)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_level_names_are_whole_and_figures_uncut(results, width) -> None:
    lines = shown(results, width)
    text = "\n".join(lines)
    for dim in results.dimensions:
        level = results.level(dim.level)
        row = next(line for line in lines if line.lstrip().startswith(dim.title))
        assert level.title in row
        assert row.rstrip().split()[-2] == str(dim.n)
    assert "Established" in text and "Developing" in text
