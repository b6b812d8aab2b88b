"""What the report says about drivers: the data of the driver pages and the summary's sentence.

Both read the same `Drivers` (scored once by `cxassess.scoring.drivers`): the sentence names one
area as mattering most only when the analysis found one leader (its interval clears the next
one's), the charts draw their quadrant lines at the cut that decided the focus areas, and the
focus list is the flagged drivers, so page, chart and list agree.
"""

from __future__ import annotations

from typing import Any

from cxassess.report import charts
from cxassess.results import Driver, Drivers, Results
from cxassess.scoring.drivers import focus_cut

OLD_FILE = (
    "These results were scored by an earlier version of cxassess, which measured drivers by "
    "correlation only; score the answers again to see which areas matter most."
)


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100.0


def _names(titles: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def _title(driver: Driver, positive: dict[str, str]) -> str:
    """A driver's name; for a negatively worded question its `positive:` wording when given,
    so that a focus area never reads as the opposite of what it means."""
    return positive.get(driver.id) or driver.title or driver.id


def _level(
    drivers: Drivers, kind: str, palette: charts.Palette, key: str, positive: dict[str, str]
) -> dict[str, Any]:
    """One analysis (dimensions or questions): its chart, table rows and why it did not run."""
    found: list[Driver] = getattr(drivers, f"{kind}s")
    why_not: str = getattr(drivers, f"{kind}s_why_not")
    leading: list[str] = getattr(drivers, f"{kind}s_leading")
    shown = [d for d in found if d.weight is not None and d.score is not None]
    cut = focus_cut([(d.weight, d.score) for d in shown])
    points = [
        charts.DriverPoint(
            _title(d, positive),
            d.score or 0.0,
            _percent(d.weight) or 0.0,
            _percent(d.weight_low) or 0.0,
            _percent(d.weight_high) or 0.0,
            d.focus,
            kind,
        )
        for d in shown
    ]
    chart = None
    if points and cut is not None:
        chart = charts.drivers_matrix(
            points, palette, cut=(cut[0] * 100.0, cut[1]), width=640, height=270, key=key
        )
    return {
        "kind": kind,
        "ran": bool(shown),
        "why_not": why_not,
        "n": getattr(drivers, f"{kind}s_n"),
        "r2": _percent(getattr(drivers, f"{kind}s_r2")),
        "chart": chart,
        "one_leader": len(leading) == 1,
        "rows": [
            {
                "number": n + 1,
                "text": _title(d, positive),
                "weight": _percent(d.weight),
                "low": _percent(d.weight_low),
                "high": _percent(d.weight_high),
                "score": d.score,
                "focus": d.focus,
                "leading": d.id in leading,
            }
            for n, d in enumerate(shown)
        ],
    }


def driver_pages(results: Results, palette: charts.Palette) -> dict[str, Any] | None:
    """The data of 'Where to focus' and 'What moves the outcome', or None without drivers."""
    drivers = results.drivers
    if drivers is None:
        return None
    outcome = next((o for o in results.outcomes if o.id == drivers.outcome), None)
    positive = {i.id: i.positive for i in results.items if i.reverse and i.positive}
    dimensions = _level(drivers, "dimension", palette, "drivers-dim", positive)
    items = _level(drivers, "item", palette, "drivers-item", positive)
    focus = [
        {
            "title": _title(d, positive),
            "kind": d.kind,
            "weight": _percent(d.weight),
            "low": _percent(d.weight_low),
            "high": _percent(d.weight_high),
            "score": d.score,
        }
        for d in [*drivers.dimensions, *drivers.items]
        if d.focus and d.weight is not None
    ]
    return {
        "outcome": outcome.text if outcome else drivers.outcome,
        "old_file": not drivers.method,
        "old_note": OLD_FILE,
        "min_n": drivers.min_n,
        "dimensions": dimensions,
        "items": items,
        "ran": dimensions["ran"] or items["ran"],
        "focus": focus,
        "sentence": driver_sentence(drivers),
    }


def driver_sentence(drivers: Drivers | None, answer: str = "that answer") -> str:
    """One sentence on which dimension matters most to the outcome (`answer` names it, as the
    sentence before has it): a single one only when its interval lies wholly above the next
    one's; otherwise the leaders, as mattering about equally; or why the analysis did not run.
    Empty without drivers or for older files."""
    if drivers is None or not drivers.method:
        return ""
    if drivers.dimensions_why_not:
        why = drivers.dimensions_why_not
        return f"Which areas matter most to {answer} is not worked out: {why}."
    by_id = {d.id: d for d in drivers.dimensions}
    leading = [by_id[i] for i in drivers.dimensions_leading if i in by_id]
    if not leading:
        return ""
    if len(leading) == 1:
        top = leading[0]
        others = sorted(
            (d for d in drivers.dimensions if d.id != top.id and d.weight is not None),
            key=lambda d: -(d.weight or 0.0),
        )
        after = (
            f", clearly more than {others[0].title} ({others[0].weight * 100:.1f}%)"
            if (others and others[0].weight is not None)
            else ""
        )
        return (
            f"{top.title} matters most to {answer}: it accounts for "
            f"{(top.weight or 0) * 100:.1f}% of how the answers vary{after}."
        )
    if len(leading) == len(drivers.dimensions):
        return (
            f"{_names([d.title for d in leading])} matter about equally to {answer}: "
            "no one of them stands out beyond the noise."
        )
    return (
        f"{_names([d.title for d in leading])} matter most to {answer}, about equally: "
        "no one of them stands out beyond the noise."
    )
