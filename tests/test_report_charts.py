"""SVG charts: escaped text, labels on the chart, hatching, and colours that read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cxassess.report import charts
from cxassess.report.svg import luminance

PALETTE = charts.Palette("#1f3a5f", "#c8553d")
BANDS = [charts.Band(0, "Low"), charts.Band(40, "Mid"), charts.Band(70, "High")]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(markup: str) -> list[str]:
    return [t.text or "" for t in parse(markup).iter("{http://www.w3.org/2000/svg}text")]


def test_chart_labels_are_escaped_and_the_svg_stays_well_formed() -> None:
    hostile = "<b>Care</b> & Co"
    chart = charts.radar([(hostile, 50.0), ("B", 60.0), ("C", 70.0)], BANDS, PALETTE)
    assert "<b>" not in str(chart)
    assert hostile in texts(chart)  # as text, once parsed


def test_stacked_bar_writes_each_share_and_hatches_the_unfavourable_one() -> None:
    bar = charts.stacked_bar(62.0, 25.0, 13.0, PALETTE, key="t")
    assert texts(bar) == ["62%", "25%", "13%"]
    assert 'fill="url(#t-hatch)"' in str(bar)
    assert "<pattern" in str(bar)


def test_stacked_bar_without_answers_says_so() -> None:
    assert "no answers" in texts(charts.stacked_bar(None, None, None, PALETTE))


def test_heatmap_marks_hidden_groups_with_their_reason() -> None:
    rows = [
        charts.HeatRow("All respondents", 30, [61.0, 55.0], total=True),
        charts.HeatRow("North", 20, [70.0, 64.0]),
        charts.HeatRow("Tiny", 3, [], suppressed=True, reason="too_few"),
        charts.HeatRow("Next", 7, [], suppressed=True, reason="protects_smaller"),
        charts.HeatRow("Overlap", 9, [], suppressed=True, reason="differencing"),
    ]
    words = texts(charts.heatmap(["Overall", "Care"], rows, PALETTE, min_group_size=5))
    assert "hidden: fewer than 5 respondents" in words
    assert "hidden: it would reveal a smaller group" in words
    assert "hidden: with other groups it would reveal a few people" in words
    assert "70" in words and "64" in words


def test_radar_falls_back_to_bars_for_fewer_than_three_dimensions() -> None:
    chart = charts.radar([("A", 50.0), ("B", 62.0)], BANDS, PALETTE)
    assert "polygon" not in str(chart)
    assert {"A", "B", "50", "62"} <= set(texts(chart))


def test_dark_text_colours_meet_contrast_on_white() -> None:
    for colour in ("#ffcc00", "#c8553d", "#88ccee"):
        readable = charts.readable(colour)
        assert (1.05) / (luminance(readable) + 0.05) >= 4.5


def test_heatmap_ramp_gets_darker_with_the_score() -> None:
    shades = [luminance(PALETTE.ramp(s)) for s in (20, 40, 60, 80, 95)]
    assert shades == sorted(shades, reverse=True)
    assert shades[0] > shades[-1]


def _label_extents(markup: str) -> list[tuple[str, float, float]]:
    """Each axis label's left and right edge, sized a tenth wider than estimated (a wider
    fallback font)."""
    from cxassess.report.svg import text_width

    out = []
    for t in parse(markup).iter("{http://www.w3.org/2000/svg}text"):
        if t.get("font-weight") != "600" or t.get("font-size") != "10":
            continue
        x, w = float(t.get("x", 0)), text_width(t.text or "", 10) * 1.1
        left = {"start": x, "end": x - w, "middle": x - w / 2}[t.get("text-anchor", "start")]
        out.append((t.text or "", left, left + w))
    return out


def test_radar_axis_labels_keep_whole_words_inside_the_chart_even_in_a_wider_font() -> None:
    """Side labels sized against the chart's edge, not a fixed width: "Accessibility" on the
    right of a 400-unit chart ran past its edge in DejaVu Sans and was clipped in a browser."""
    for width, names in (
        (400, ["Capability", "Accessibility", "Enjoyability"]),
        (400, ["Trust", "Responsiveness", "Understanding", "Communication", "Recognition"]),
        (640, ["Capability", "Accessibility", "Enjoyability", "Trustworthiness"]),
    ):
        chart = charts.radar([(n, 60.0) for n in names], BANDS, PALETTE, size=380, width=width)
        shown = _label_extents(chart)
        assert sorted(text for text, _l, _r in shown) == sorted(names), shown
        for text, left, right in shown:
            assert left >= 0 and right <= width, (width, text, left, right)
