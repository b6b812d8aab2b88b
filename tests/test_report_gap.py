"""`cxassess report --customer`: the perception gap as a section of the leadership report, its
sentence in the executive summary, its bookmark, and the inputs it refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_report_safety import pdf_text
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.demo import DemoFiles, write_data
from cxassess.gap.build import build_gap
from cxassess.gap.compute import gap_row
from cxassess.gap.model import GapResults, SideInfo
from cxassess.report.extras import GAP_TITLE, gap_anchor, gap_sentence
from cxassess.results import read_results

STAFF_Q = "three-abilities"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    files = write_data(tmp_path_factory.mktemp("gapdemo"))
    code, output = run(
        "score", str(files.staff_csv), "-q", STAFF_Q, "-g", "team",
        "-o", str(files.folder / "results.json"),
    )  # fmt: skip
    assert code == 0, output
    code, output = run(
        "score", str(files.customer_csv), "-q", "three-abilities-customer",
        "-o", str(files.folder / "customers.json"),
    )  # fmt: skip
    assert code == 0, output
    return files


@pytest.fixture(scope="module")
def html_report(demo: DemoFiles) -> str:
    output = demo.folder / "report.html"
    code, text = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team",
        "--customer", str(demo.customer_csv), "-o", str(output),
    )  # fmt: skip
    assert code == 0, text
    assert f"wrote {output}" in text
    return output.read_text(encoding="utf-8")


def _visible(html: str) -> str:
    """The text of the HTML, tags and the style block removed, whitespace collapsed."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<style>.*?</style>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", text.replace("&#34;", '"').replace("&#39;", "'"))


def test_report_with_customers_has_the_gap_section_after_the_outcomes(html_report: str) -> None:
    ids = re.findall(r'<section class="[^"]*section[^"]*" id="([^"]+)"', html_report)
    assert "gap" in ids
    assert ids.index("gap") == ids.index("outcomes") + 1
    assert ids[-1] == "appendix"
    text = _visible(html_report)
    assert GAP_TITLE in text
    for heading in ("At a glance", "The largest gaps on single questions", "Gap by team"):
        assert heading in text


def test_report_gap_figures_match_the_gap_command(demo: DemoFiles, html_report: str) -> None:
    gap = build_gap(demo.folder / "results.json", demo.customer_csv).gap
    text = _visible(html_report)
    for dim in gap.dimensions:
        figures = f"Our people {dim.staff:.0f}, customers {dim.customer:.0f}: gap"
        assert figures in text, figures


def test_report_summary_names_the_largest_blind_spot(demo: DemoFiles, html_report: str) -> None:
    gap = build_gap(demo.folder / "results.json", demo.customer_csv).gap
    worst = max((d for d in gap.dimensions if d.status == "blind-spot"), key=lambda d: d.gap)
    summary = html_report.split('id="summary"', 1)[1].split("</section>", 1)[0]
    sentence = (
        f"the largest blind spot is {worst.title}, which our people score {worst.staff:.0f} "
        f"and customers {worst.customer:.0f}"
    )
    assert sentence in _visible(summary)


def test_report_gap_heading_is_a_pdf_bookmark(demo: DemoFiles, html_report: str) -> None:
    from weasyprint import HTML

    tree = HTML(string=html_report).render().make_bookmark_tree()
    titles = [entry[0] for entry in tree]
    assert GAP_TITLE in titles
    assert titles.index(GAP_TITLE) == titles.index("Outcomes and drivers") + 1
    children = [child[0] for child in tree[titles.index(GAP_TITLE)][2]]
    assert "Dimension by dimension" in children
    # the gap's advice is in the one action plan, not in a second list of its own
    assert "What to do about the gap" not in children


def test_report_customers_from_a_results_file(demo: DemoFiles, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    code, text = run(
        "report", str(demo.folder / "results.json"),
        "--customer", str(demo.folder / "customers.json"), "-o", str(output),
    )  # fmt: skip
    assert code == 0, text
    assert GAP_TITLE in _visible(output.read_text(encoding="utf-8"))


def test_report_default_customer_questionnaire_is_the_paired_one(
    demo: DemoFiles, html_report: str
) -> None:
    # no --customer-questionnaire: three-abilities pairs with three-abilities-customer
    assert "three-abilities-customer" in _visible(html_report)
    assert "The customer answers were scored with the questionnaire" in _visible(html_report)


def test_report_per_group_reports_hold_their_team_gap(demo: DemoFiles, tmp_path: Path) -> None:
    out = tmp_path / "teams"
    code, text = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team", "--per-group", "team",
        "--out-dir", str(out), "--customer", str(demo.customer_csv), "-o",
        str(out / "overview.html"),
    )  # fmt: skip
    assert code == 0, text
    team = (out / "team-contact-centre.html").read_text(encoding="utf-8")
    assert GAP_TITLE in _visible(team)
    # the team's own staff figures against all customers: its n, not the organisation's
    n_team = next(
        g.n
        for g in read_results(demo.folder / "results.json").groups
        if g.value == "Contact centre"
    )
    assert f"{n_team} answers from our people" in _visible(team)


def test_report_gap_pdf_renders(demo: DemoFiles, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    code, text = run(
        "report", str(demo.folder / "results.json"),
        "--customer", str(demo.folder / "customers.json"), "-o", str(output),
    )  # fmt: skip
    assert code == 0, text
    assert "The experience perception gap" in pdf_text(output)


# ---------------------------------------------------------------- refused inputs


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--customer-questionnaire", "trust-culture"],
            "but 'trust-culture' is answered by staff",
        ),
        (
            ["--customer-questionnaire", "three-abilities"],
            "but 'three-abilities' is answered by staff",
        ),
    ],
)
def test_report_customers_of_a_staff_questionnaire_are_exit_2(
    demo: DemoFiles, tmp_path: Path, extra: list[str], message: str
) -> None:
    code, output = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "--customer", str(demo.customer_csv),
        *extra, "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2
    assert message in output
    assert not (tmp_path / "r.html").exists()


def test_report_customer_questionnaire_sharing_no_dimension_is_exit_2(
    demo: DemoFiles, tmp_path: Path
) -> None:
    other = tmp_path / "other-customer.yaml"
    source = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^audience: \w+", "audience: customer", text)
    text = re.sub(r"(?m)^id: [\w-]+", "id: other-customer", text)
    other.write_text(text, encoding="utf-8")
    code, output = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "--customer", str(demo.customer_csv),
        "--customer-questionnaire", str(other), "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2
    assert "share no dimension" in output
    assert "capability, accessibility, enjoyability" in output


def test_report_missing_customer_file_is_exit_2_before_scoring(
    demo: DemoFiles, tmp_path: Path
) -> None:
    code, output = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q, "--customer", str(tmp_path / "none.csv"),
    )  # fmt: skip
    assert code == 2
    assert "customer input not found" in output and "none.csv" in output


def test_report_customer_questionnaire_alone_is_exit_2(demo: DemoFiles) -> None:
    code, output = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q,
        "--customer-questionnaire", "three-abilities-customer",
    )  # fmt: skip
    assert code == 2
    assert "--customer-questionnaire goes with --customer" in output


def test_report_customer_answers_as_the_main_input_are_exit_2(demo: DemoFiles) -> None:
    code, output = run(
        "report", str(demo.customer_csv), "-q", "three-abilities-customer",
        "--customer", str(demo.customer_csv),
    )  # fmt: skip
    assert code == 2
    assert "these are customers' answers" in output


def test_report_customer_results_file_must_be_alone(demo: DemoFiles) -> None:
    code, output = run(
        "report", str(demo.staff_csv), "-q", STAFF_Q,
        "--customer", str(demo.folder / "customers.json"), "--customer", str(demo.customer_csv),
    )  # fmt: skip
    assert code == 2
    assert "a customer results file must be the only --customer input" in output


def test_report_personal_report_refuses_customers(demo: DemoFiles, tmp_path: Path) -> None:
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
    code, output = run("report", str(path), "--customer", str(demo.customer_csv))
    assert code == 2
    assert "--customer needs the answers of a group" in output


# ---------------------------------------------------------------- summary sentence


def _gap(dims: list[tuple[str, float, float]], overall: tuple[float, float]) -> GapResults:
    rows = [
        gap_row("dimension", d.lower(), (s, 10, 300), (c, 10, 300), 10.0, title=d)
        for d, s, c in dims
    ]
    return GapResults(
        generated="2025-03-04T10:00:00+00:00",
        threshold=10,
        staff=SideInfo(questionnaire="s", respondents=300),
        customer=SideInfo(questionnaire="c", respondents=300),
        overall=gap_row("overall", "overall", (overall[0], 8, 300), (overall[1], 8, 300), 10.0),
        dimensions=rows,
    )


def test_gap_sentence_names_blind_spot_and_hidden_strength() -> None:
    sentence = gap_sentence(
        _gap([("Accessibility", 70, 50), ("Care", 60, 66), ("Speed", 60, 45)], (63, 54))
    )
    assert sentence.startswith("Customers rate the service 9 points lower than our people do")
    assert (
        "the largest blind spot is Accessibility, which our people score 70 and customers 50"
        in sentence
    )
    assert "while customers rate Care higher than our people do" in sentence


def test_gap_sentence_without_blind_spot_names_the_hidden_strength() -> None:
    sentence = gap_sentence(_gap([("Care", 60, 67), ("Speed", 60, 60)], (60, 63)))
    assert "customers rate Care higher than our people do (67 against 60)" in sentence


def test_gap_sentence_when_nothing_is_clear() -> None:
    sentence = gap_sentence(_gap([("Care", 60, 60.5), ("Speed", 61, 60)], (60.5, 60.2)))
    assert sentence.startswith("Our people and customers rate every shared dimension about the")


def test_gap_section_follows_outcomes_else_heatmap_else_last_dimension(demo: DemoFiles) -> None:
    results = read_results(demo.folder / "results.json")
    assert gap_anchor(results, personal=False) == "outcomes"
    no_outcomes = results.model_copy(update={"outcomes": []})
    assert gap_anchor(no_outcomes, personal=False) == "heatmap"
    bare = no_outcomes.model_copy(update={"groups": []})
    assert gap_anchor(bare, personal=False) == f"dimension-{results.dimensions[-1].id}"


def test_gap_json_of_the_report_matches_the_gap_command(demo: DemoFiles, tmp_path: Path) -> None:
    from cxassess.report.build import ReportRequest, make_report

    target = tmp_path / "gap.json"
    outcome = make_report(
        ReportRequest(
            inputs=[demo.folder / "results.json"],
            output=tmp_path / "r.html",
            customer=[demo.folder / "customers.json"],
            gap_outputs=[target],
        )
    )
    written = json.loads(target.read_text(encoding="utf-8"))
    direct = build_gap(demo.folder / "results.json", demo.folder / "customers.json").gap
    assert outcome.gap is not None
    assert [d["gap"] for d in written["dimensions"]] == [d.gap for d in direct.dimensions]
    assert [i["id"] for i in written["items"]] == [i.id for i in direct.items]


def test_gap_of_a_questionnaire_against_itself_is_exit_2(demo: DemoFiles) -> None:
    staff = str(demo.folder / "results.json")
    code, output = run("gap", staff, staff)
    assert code == 2
    assert "both inputs are answers to 'three-abilities'" in output
    code, output = run("report", staff, "--customer", staff)
    assert code == 2
    assert "--customer takes customers' answers" in output


def test_report_gap_names_the_input_data_of_both_sides(demo: DemoFiles, html_report: str) -> None:
    gap = build_gap(demo.folder / "results.json", demo.customer_csv).gap
    text = _visible(html_report)
    assert f"(input data {gap.staff.input_hash[:16]})" in text
    assert f"(input data {gap.customer.input_hash[:16]})" in text
