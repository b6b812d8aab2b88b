"""Chart marks never hide one another: the level bar's marker and its numbers, driver points,
the radar's band numbers and a customer ring on the staff dot."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from cxassess.gap.chart import GapPalette, dumbbell
from cxassess.report.charts import Band, Palette, level_scale, radar
from cxassess.report.svg import spread

BANDS = [Band(0, "Reactive"), Band(40, "Developing"), Band(60, "Established"), Band(80, "Leading")]


def _palette() -> Palette:
    return Palette(primary="#16425b", accent="#d1603d")


def test_level_bar_marker_sits_below_every_band_number() -> None:
    chart = str(level_scale(60, BANDS, _palette(), margin=2))
    marker_top = min(
        float(y) for y in re.findall(r"<path d=\"M[\d.]+,([\d.]+)", chart)
    )  # the triangle's upper edge
    number_bottoms = [
        float(y) for y, t in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>(\d+)</text>', chart)
    ]
    assert len(number_bottoms) == 5  # 0, 40, 60, 80, 100
    assert max(number_bottoms) < marker_top


@given(
    st.lists(
        st.tuples(st.floats(50, 590), st.floats(30, 290)),
        min_size=1,
        max_size=25,
    )
)
def test_spread_markers_never_overlap_and_stay_in_bounds(points: list[tuple[float, float]]) -> None:
    placed = spread(points, 15, (40, 20, 600, 300))
    assert len(placed) == len(points)
    for x, y in placed:
        assert 40 <= x <= 600 and 20 <= y <= 300
    for i, (x1, y1) in enumerate(placed):
        for x2, y2 in placed[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= 15 - 1e-6


def test_spread_keeps_a_point_that_has_room() -> None:
    assert spread([(100, 100), (200, 200)], 15, (0, 0, 400, 400)) == [(100, 100), (200, 200)]


def test_equal_staff_and_customer_scores_draw_a_dashed_ring_on_top() -> None:
    same = str(dumbbell(60, 60.4, GapPalette()))
    apart = str(dumbbell(40, 70, GapPalette()))
    assert "stroke-dasharray" in same
    # the dashed ring comes after (over) the staff dot
    assert same.index("stroke-dasharray") > same.index('fill="#1f3a5f"')
    assert "stroke-dasharray" not in apart


def test_radar_band_numbers_are_drawn_over_the_scores_off_the_axes() -> None:
    chart = str(radar([("A", 40), ("B", 60), ("C", 80)], BANDS, _palette()))
    last_shape = chart.rindex("<circle")
    for number in ("40", "60", "80"):
        found = re.search(
            rf'<text x="([\d.]+)" y="[\d.]+" font-size="7.5"[^>]*>{number}</text>', chart
        )
        assert found, number
        assert found.start() > last_shape
        # not on the vertical first axis, where the first score dot sits
        assert abs(float(found.group(1)) - 320) > 10
