"""The report tells the truth in words and figures (issue 11): the customers' NPS is the
headline, negatively worded statements are never printed as good news, differences are
those of the figures as printed, shares add to 100, gap advice follows the gap's
classification, and one action plan holds the survey's and the gap's recommendations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.compare import Change, Comparison
from cxassess.demo import DemoFiles, write_data
from cxassess.gap.advice import gap_recommendations
from cxassess.gap.build import build_gap
from cxassess.gap.compute import gap_row
from cxassess.gap.model import GapResults, SideInfo
from cxassess.gap.report import gap_context
from cxassess.outputs.writers import compare_with_previous
from cxassess.report import narrative
from cxassess.report.change import change_section, mark, summary_sentence
from cxassess.report.context import ReportOptions, build_context
from cxassess.report.rounding import difference, signed
from cxassess.report.svg import Palette
from cxassess.results import ItemResult, Results, read_results

STAFF_Q = "three-abilities"
CUSTOMER_Q = "three-abilities-customer"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    files = write_data(tmp_path_factory.mktemp("truth"))
    for source, questionnaire, target, segment in (
        (files.staff_csv, STAFF_Q, "results.json", ["-g", "team"]),
        (files.previous_csv, STAFF_Q, "previous.json", ["-g", "team"]),
        (files.customer_csv, CUSTOMER_Q, "customers.json", []),
    ):
        code, output = run(
            "score", str(source), "-q", questionnaire, *segment, "-o", str(files.folder / target)
        )
        assert code == 0, output
    return files


@pytest.fixture(scope="module")
def staff(demo: DemoFiles) -> Results:
    return read_results(demo.folder / "results.json")


@pytest.fixture(scope="module")
def customers(demo: DemoFiles) -> Results:
    return read_results(demo.folder / "customers.json")


@pytest.fixture(scope="module")
def gap(demo: DemoFiles) -> GapResults:
    return build_gap(demo.folder / "results.json", demo.customer_csv).gap


@pytest.fixture(scope="module")
def html_report(demo: DemoFiles) -> str:
    """The demo's full report (gap and change) as HTML."""
    output = demo.folder / "report.html"
    code, text = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team",
        "--customer", str(demo.customer_csv),
        "--compare", str(demo.folder / "previous.json"), "-o", str(output),
    )  # fmt: skip
    assert code == 0, text
    return output.read_text(encoding="utf-8")


def _section(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def _visible(html: str) -> str:
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def _kpis(context: dict[str, Any]) -> dict[str, str]:
    summary = next(s for s in context["sections"] if s.id == "summary")
    return dict(summary.data["kpis"])


# ------------------------------------------------------------------ 1. the headline NPS


def test_customer_nps_is_the_headline_when_customers_are_given(
    staff: Results, customers: Results, html_report: str
) -> None:
    theirs = narrative.headline_nps(customers)
    ours = narrative.headline_nps(staff)
    assert theirs is not None and ours is not None and theirs.nps != ours.nps
    kpis = _kpis(build_context(staff, options=ReportOptions(customers=customers)))
    assert kpis["Customers' Net Promoter Score"] == signed(theirs.nps)
    assert signed(ours.nps) not in kpis.values()
    summary = _visible(_section(html_report, "summary"))
    assert f"{signed(theirs.nps)} Customers' Net Promoter Score" in summary
    assert "Customers give a Net Promoter Score" in summary
    assert f"Our people predicted {signed(ours.nps)}" in summary


def test_staff_nps_is_never_a_bare_net_promoter_score(staff: Results, html_report: str) -> None:
    kpis = _kpis(build_context(staff))
    assert "Net Promoter Score" not in kpis
    assert "Staff's prediction of customers' NPS" in kpis
    outcomes = _visible(_section(html_report, "outcomes"))
    assert "Staff's prediction of customers' NPS" in outcomes
    change = _visible(_section(html_report, "change"))
    assert "Staff's prediction of customers' NPS:" in change
    assert " Net Promoter Score:" not in change


def test_staff_own_recommendation_is_labelled_as_theirs(staff: Results) -> None:
    own = staff.model_copy(deep=True)
    outcome = narrative.headline_nps(own)
    assert outcome is not None
    outcome.predicts = ""
    assert narrative.nps_label(own, outcome) == "Staff would recommend us (NPS)"
    text = " ".join(narrative.narrative(own))
    assert "not a measure of customer loyalty" in text


# ------------------------------------------------------------------ 2. negatively worded items


def _reverse_statements(results: Results) -> list[str]:
    return [i.text.rstrip(".") for i in results.items if i.reverse]


def test_no_reverse_statement_stands_beside_favourable_in_the_demo_report(
    staff: Results, html_report: str
) -> None:
    statements = _reverse_statements(staff)
    assert statements
    summary = _section(html_report, "summary")
    change = _section(html_report, "change")
    lists = re.findall(r'<li><span class="hl-title">(.*?)</li>', summary, flags=re.S)
    moved = re.findall(r'<td class="q">(.*?)</td>', change, flags=re.S)
    plan = _visible(_section(html_report, "actions"))
    assert lists and moved
    for entry in [*lists, *moved]:
        for statement in statements:
            assert statement not in _visible(entry), entry
    for statement in statements:
        assert statement not in plan


def test_a_reverse_item_without_positive_text_says_who_disagrees() -> None:
    item = ItemResult(
        id="chore",
        dimension="enjoyability",
        text="Dealing with us feels like a chore.",
        reverse=True,
        score=72,
        favorable=69,
        neutral=23,
        unfavorable=8,
        n=100,
    )
    highlight = narrative._item_highlight(item, {"enjoyability": "Enjoyability"}, False)
    assert highlight.title == "Dealing with us feels like a chore."
    assert highlight.figure == "69% disagree"
    with_positive = item.model_copy(update={"positive": "Dealing with us feels easy."})
    highlight = narrative._item_highlight(with_positive, {}, False)
    assert highlight.title == "Dealing with us feels easy."
    assert highlight.figure == "69% favourable"


def test_a_reverse_gap_row_shows_its_positive_wording_or_a_note() -> None:
    row = gap_row(
        "item", "chore", (70, 10, 100), (50, 10, 100), 10.0, dimension="enjoyability",
        title="For customers, dealing with us feels like a chore.",
        customer_text="For me, dealing with them feels like a chore.", reverse=True,
    )  # fmt: skip
    gap = _gap([_dim("enjoyability", 70, 50)], [row])
    shown = gap_context(gap)["dimensions"][0]["items"][0]
    assert shown["reverse_note"].startswith("negatively worded")
    row.positive, row.customer_positive = "Dealing with us feels easy.", "It feels easy."
    shown = gap_context(gap)["dimensions"][0]["items"][0]
    assert shown["label"] == "Dealing with us feels easy."
    assert shown["customer_text"] == "It feels easy."
    assert shown["reverse_note"] == ""


# ------------------------------------------------------------------ 5. rounding


def test_shares_add_to_100_everywhere_in_the_report(staff: Results) -> None:
    context = build_context(staff)
    dimensions = [s for s in context["sections"] if s.id.startswith("dimension-")]
    rows = [row for section in dimensions for row in section.data["items"]]
    assert rows
    for row in rows:
        assert sum(share or 0 for share in row["shares"]) == 100, row["text"]
    outcomes = next(s for s in context["sections"] if s.id == "outcomes").data["outcomes"]
    for outcome in outcomes:
        if outcome["nps"] is not None:
            assert outcome["promoters"] + outcome["passives"] + outcome["detractors"] == 100


def test_one_precision_for_the_margin_on_the_summary_page(html_report: str) -> None:
    summary = _visible(_section(html_report, "summary"))
    margins = re.findall(r"± (\d+(?:\.\d+)?)", summary)
    assert len(margins) == 2
    assert len(set(margins)) == 1 and "." in margins[0]


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(scores, scores)
def test_a_change_is_the_difference_of_the_figures_as_printed(
    previous: float, current: float
) -> None:
    change = Change(
        kind="dimension",
        id="d",
        previous=previous,
        current=current,
        change=current - previous,
        ci_low=current - previous - 1,
        ci_high=current - previous + 1,
    )
    shown = mark(change)
    assert shown is not None
    assert shown["text"] == signed(round(current) - round(previous))
    sentence = summary_sentence(_comparison(change), Results.model_construct(dimensions=[]))
    assert f"({round(previous)} then, {round(current)} now)" in sentence


@given(scores, scores)
def test_a_marked_change_never_reads_as_nothing(previous: float, current: float) -> None:
    if abs(current - previous) < 0.05:
        return
    change = Change(
        kind="dimension",
        id="d",
        previous=previous,
        current=current,
        change=current - previous,
        marked=True,
        direction="up" if current > previous else "down",
    )
    shown = mark(change)
    assert shown is not None and shown["text"] != "0"
    digits = len(shown["text"].partition(".")[2])
    expected = difference(current, previous, digits)
    assert shown["text"] == signed(expected, digits)


@given(scores, scores)
def test_a_gap_is_the_difference_of_the_scores_as_printed(staff: float, customer: float) -> None:
    gap = _gap([_dim("capability", staff, customer)])
    row = gap_context(gap)["summary"][0]
    assert row["gap"] == signed(int(row["staff"]) - int(row["customer"]))


@given(scores, scores)
def test_points_between_two_printed_scores_add_up(high: float, low: float) -> None:
    high_text, low_text = f"{high:.0f}", f"{low:.0f}"
    assert int(narrative.points_between(high_text, low_text)) == int(high_text) - int(low_text)


def test_change_section_rows_add_up(staff: Results, demo: DemoFiles) -> None:
    previous = read_results(demo.folder / "previous.json")
    data = change_section(
        staff, compare_with_previous(staff, previous), Palette("#123456", "#c05621")
    )
    for row in data["rows"] + data["up"] + data["down"]:
        if row["previous"] == "–" or row["mark"] is None:
            continue
        moved = float(row["current"]) - float(row["previous"])
        digits = len(row["previous"].partition(".")[2])
        assert row["mark"]["text"] == signed(round(moved, digits), digits)


# ------------------------------------------------------------------ 6. gap advice


def _gap(dimensions, items=()) -> GapResults:
    return GapResults(
        generated="2025-01-01T00:00:00+00:00",
        threshold=10.0,
        staff=SideInfo(questionnaire="s"),
        customer=SideInfo(questionnaire="c"),
        dimensions=list(dimensions),
        items=list(items),
    )


def _dim(ident: str, staff: float, customer: float, sd: float = 10.0, n: int = 100):
    return gap_row("dimension", ident, (staff, sd, n), (customer, sd, n), 10.0, title=ident.title())


def _item(ident: str, dimension: str, staff: float, customer: float):
    return gap_row(
        "item", ident, (staff, 10.0, 100), (customer, 10.0, 100), 10.0,
        dimension=dimension, title=f"Staff wording of {ident}.",
    )  # fmt: skip


def test_gap_advice_about_questions_never_says_the_dimension_differs() -> None:
    gap = _gap(
        [_dim("capability", 61, 60)],
        [_item("cap-training", "capability", 60, 72), _item("cap-stock", "capability", 64, 63)],
    )
    assert gap.dimensions[0].status == "aligned"
    (rec,) = gap_recommendations(gap)
    assert rec.status == "hidden-strength"
    assert "Customers rate Capability higher" not in rec.why
    assert "as a whole shows no clear gap" in rec.why
    gap.recommendations = [rec]
    (shown,) = gap_context(gap)["recommendations"]
    assert shown["status_word"] == "hidden strength on 1 question"


@given(
    st.lists(
        st.tuples(scores, scores, st.floats(min_value=1, max_value=40), st.integers(2, 300)),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.tuples(st.integers(0, 3), scores, scores), max_size=8),
)
def test_gap_advice_fires_only_for_classified_gaps(dims, items) -> None:
    rows = [_dim(f"d{n}", s, c, sd, size) for n, (s, c, sd, size) in enumerate(dims)]
    item_rows = [_item(f"i{n}", f"d{k % len(rows)}", s, c) for n, (k, s, c) in enumerate(items)]
    gap = _gap(rows, item_rows)
    anything_clear = any(r.clear for r in [*rows, *item_rows])
    for rec in gap_recommendations(gap):
        if rec.status in ("unclear", "aligned"):
            assert not anything_clear
            continue
        dim = gap.dimension(rec.dimension or "")
        assert dim is not None
        own = [i for i in item_rows if i.dimension == dim.id and i.status == rec.status]
        assert dim.status == rec.status or own
        if dim.status != rec.status:
            assert "as a whole shows no clear gap" in rec.why


# ------------------------------------------------------------------ 7. one action plan


def test_the_action_plan_holds_the_gaps_actions_ranked_together(
    staff: Results, gap: GapResults
) -> None:
    assert gap.recommendations
    context = build_context(staff, options=ReportOptions(gap=gap))
    plan = next(s for s in context["sections"] if s.id == "actions").data
    titles = [row["title"] for row in plan["rows"]]
    for rec in gap.recommendations:
        assert rec.title in titles
    for rec in staff.recommendations:
        assert rec.title in titles
    ranks = [{"high": 0, "medium": 1, "low": 2}[row["priority"]] for row in plan["rows"]]
    assert ranks == sorted(ranks)
    assert [row["number"] for row in plan["rows"]] == list(range(1, len(titles) + 1))


def test_the_demo_report_has_one_action_plan_with_columns_to_fill_in(
    html_report: str, gap: GapResults
) -> None:
    plan = _section(html_report, "actions")
    for rec in gap.recommendations:
        assert rec.title in _visible(plan)
    assert "Owner" in plan and "By when" in plan
    assert plan.count('class="c-owner"><div class="fill-in">') == plan.count('class="plan-row"')
    assert "What to do about the gap</h" not in _section(html_report, "gap")


# ------------------------------------------------------------------ 8. words and levels


def test_each_statistic_is_explained_where_it_first_appears(html_report: str) -> None:
    summary = _visible(_section(html_report, "summary"))
    assert "at 95% confidence, the margin chance alone could explain" in summary
    assert "promoters minus detractors, from −100 to +100" in summary
    assert "Favourable: the share who agree" in summary
    first = re.search(r'id="dimension-[^"]+"', html_report)
    assert first is not None
    dimension = _visible(html_report[first.start() :].split("</section>", 1)[0])
    assert "alpha runs from 0 to 1" in dimension
    change = _visible(_section(html_report, "change"))
    assert "Welch's method, which allows" in change
    appendix = _visible(_section(html_report, "appendix"))
    for term in ("Correlation (r)", "Welch’s method", "± at 95% confidence", "Net Promoter"):
        assert term in appendix, term


def test_levels_are_labelled_provisional_wherever_a_score_gets_one(
    staff: Results, html_report: str
) -> None:
    assert staff.questionnaire.provisional_levels
    glance = _visible(_section(html_report, "glance"))
    assert "All levels are provisional" in glance
    for dim in staff.dimensions:
        assert f"{staff.level_title(dim.level)}" in glance
        assert "(provisional)" in staff.level_title(dim.level)


def _comparison(change: Change) -> Comparison:
    """A comparison holding only an overall change, for `summary_sentence`."""
    side = SideInfo(questionnaire="q", generated="2025-01-01T00:00:00+00:00")
    overall = change.model_copy(update={"kind": "overall"})
    return Comparison(questionnaire="q", current=side, previous=side, overall=overall)


def test_gap_by_group_is_the_difference_of_the_scores_as_printed(demo: DemoFiles) -> None:
    from cxassess.gap.report import _groups
    from cxassess.rounding import signed

    gap = build_gap(
        demo.staff_csv, demo.customer_csv, staff_questionnaire=STAFF_Q, segments=["team"]
    ).gap

    tables = _groups(gap)
    assert tables, "the demo's gap has groups"
    checked = 0
    for group in gap.groups:
        for row in group.dimensions:
            if row.staff is None or row.customer is None:
                continue
            expected = signed(round(row.staff) - round(row.customer), 0)
            cells = [
                c["text"]
                for t in tables
                for r in t["rows"]
                if r["value"] == group.value
                for c in r["cells"]
            ]
            assert expected in cells, (group.value, row.id, row.staff, row.customer, cells)
            checked += 1
    assert checked


def test_the_summarys_priorities_are_the_top_of_the_action_plan(html_report: str) -> None:
    priorities = html_report.split('class="highlights priorities"', 1)[1].split("</ol>", 1)[0]
    listed = re.findall(r'<span class="hl-title">(.*?)</span>', priorities)
    plan = re.findall(r'<span class="plan-title">(.*?)</span>', html_report)
    assert len(plan) >= 3 and listed == plan[: len(listed)] and len(listed) == 3


def test_the_driver_sentence_says_whose_answer_it_explains(html_report: str) -> None:
    # the summary leads with the customers' NPS; the drivers come from our people's answers
    text = _visible(_section(html_report, "summary"))
    assert "to our people's prediction" in text or "to our people's own answer" in text
    assert "matter about equally to that answer" not in text
    assert "matters most to that answer" not in text
