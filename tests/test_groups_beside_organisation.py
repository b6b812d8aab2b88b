"""Each team where it stands: a group's figures beside the whole organisation's, the difference
marked only when beyond the noise, and the heatmap coloured by that difference."""

from __future__ import annotations

import html as html_module
import random
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cxassess.format.catalog import resolve_questionnaire
from cxassess.rendering.brand import default_brand
from cxassess.rendering.render import render_html
from cxassess.report import breakdown_charts
from cxassess.report.breakdown_charts import (
    ABOVE,
    BELOW,
    WITHIN,
    HeatRow,
    difference_fill,
    heat_rows,
    heatmap,
)
from cxassess.report.charts import Palette
from cxassess.report.context import build_context
from cxassess.report.groups import beside_section
from cxassess.scoring.intervals import part_versus_whole, welch_interval
from cxassess.scoring.versus import versus_organisation

PALETTE = Palette("#1f3a5f", "#c8553d")


def test_part_versus_whole_is_the_group_against_the_rest_scaled() -> None:
    rng = np.random.default_rng(3)
    group, rest = rng.normal(62, 18, 40), rng.normal(55, 20, 160)
    everyone = np.concatenate([group, rest])
    found = part_versus_whole(
        (group.mean(), group.std(ddof=1), 40), (everyone.mean(), everyone.std(ddof=1), 200)
    )
    apart = welch_interval(
        group.mean() - rest.mean(), [(group.std(ddof=1), 40), (rest.std(ddof=1), 160)]
    )
    share = 160 / 200
    assert found.difference == pytest.approx(group.mean() - everyone.mean(), abs=1e-9)
    assert found.low == pytest.approx(apart.low * share, abs=1e-9)
    assert found.high == pytest.approx(apart.high * share, abs=1e-9)


def test_a_group_that_is_everyone_has_no_interval() -> None:
    assert part_versus_whole((60.0, 10.0, 30), (60.0, 10.0, 30)).low is None


def test_cell_colour_follows_the_marked_difference_not_the_score() -> None:
    assert difference_fill(-12.0, True) == BELOW[1]
    assert difference_fill(16.0, True) == ABOVE[2]
    assert difference_fill(7.0, True) == ABOVE[0]
    assert difference_fill(-25.0, False) == WITHIN  # large but within the noise
    rows = [
        HeatRow("All respondents", 100, [60.0, 40.0], total=True),
        # Same raw score 40 in the second column as the total: neutral, not a "low" shade.
        HeatRow("North", 30, [72.0, 40.0], differences=[12.0, 0.0], marked=[True, False]),
        HeatRow("South", 30, [48.0, 30.0], differences=[-12.0, -10.0], marked=[True, True]),
    ]
    chart = ET.fromstring(str(heatmap(["Overall", "Care"], rows, PALETTE, min_group_size=5)))
    fills = [r.get("fill") for r in chart.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills.count(ABOVE[1]) == 1 and fills.count(BELOW[1]) == 2
    words = [t.text for t in chart.iter("{http://www.w3.org/2000/svg}text")]
    assert "72 (+12)" in words and "40" in words and "48 (\u221212)" in words


def test_legend_says_what_the_colours_mean() -> None:
    legend = str(breakdown_charts.difference_legend())
    assert "within the noise" in legend and "below" in legend and "above" in legend
    assert BELOW[2] in legend and ABOVE[2] in legend


@pytest.fixture(scope="module")
def scored():
    from test_compare_results import frame

    from cxassess.scoring.summary import summarise

    q = resolve_questionnaire("three-abilities")
    rnd = random.Random(9)
    rows = []
    for index in range(240):
        team = "Low" if index % 8 == 0 else ("Big", "Same")[index % 2]
        lift = {"Big": 0.0, "Low": -0.9, "Same": 0.0}[team]
        row: dict = {"team": team}
        for item in q.all_items():
            value = min(5, max(1, round(rnd.gauss(3.4 + lift, 0.9))))
            row[item.id] = float(6 - value if item.reverse else value)
        row["recommend"] = float(min(10, max(0, round(rnd.gauss(7 + lift, 2)))))
        rows.append(row)
    return q, summarise(q, frame(q, rows), segments=["team"])


def test_a_team_far_below_is_marked_and_a_team_like_everyone_is_not(scored) -> None:
    _q, results = scored
    beside = versus_organisation(results, "team")
    low = beside["Low"][("overall", "overall")]
    assert low.marked and (low.difference or 0) < -5
    same = beside["Same"][("overall", "overall")]
    assert not same.marked
    # The heatmap's cells carry the same decision.
    rows = {r.label: r for r in heat_rows(results, "team", [d.id for d in results.dimensions])}
    assert rows["Low"].marked[0] and not rows["Same"].marked[0]
    assert rows["All respondents"].total and not rows["All respondents"].marked


def test_team_section_puts_every_figure_beside_everyones(scored) -> None:
    q, results = scored
    group = next(g for g in results.groups if g.value == "Low")
    section = beside_section(results, group, versus_organisation(results, "team"))
    titles = [r["title"] for r in section.data["rows"]]
    assert titles[0] == "Overall index"
    assert len(titles) == 1 + len(q.dimensions) + len(q.all_items()) + len(q.outcomes)
    for row in section.data["rows"]:
        if row["own"] is not None and row["whole"] is not None:
            assert row["difference"] == row["own"] - row["whole"]  # the printed figures
        if row["marked"]:
            assert abs(row["difference"]) >= 4  # 5 points before rounding
    page = html_module.unescape(
        render_html(build_context(results, default_brand(), extra_sections=[("glance", section)]))
    )
    assert "Beside the whole organisation" in page
    assert re.search(r"▼ \u2212\d+", page)
