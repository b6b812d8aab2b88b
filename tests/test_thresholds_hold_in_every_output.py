"""Item, comment and group thresholds hold in every output, checked from respondent-level data.

The staff answers are the demo's, changed so that we know what must stay hidden:
- 'Tiny Team' holds three people (below the minimum of 5) who answer 5 to everything;
- cap-stock is answered by three people only (1, 2 and 2: mean 1.67, score 16.7);
- inside the shown 'Small Team' (seven people) acc-pay is answered by two (1 and 2: mean 1.50,
  score 12.5);
- the people of both teams write comments we can look for ("secret-...").
Each output (results.json, .csv, .xlsx, the terminal, HTML and PDF reports, the per-group
reports, gap.json and the gap's terminal view) is searched for what must not be there.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.demo import write_data

HIDDEN_TEXTS = ("1.67", "16.7", "12.5", "secret-")
"""The same figures as printed, and the comments."""


def leaks(text: str) -> list[str]:
    """The hidden figures and comments found in `text`. A chart's axis tick ("12.5%") and a
    gap or change of another figure ("+12.5") are other numbers that print alike, so a figure
    counts only where it stands on its own, as a score or mean is printed (not as the end of
    a range such as "0.8–12.5")."""
    return [
        hidden
        for hidden in HIDDEN_TEXTS
        if re.search(r"(?<![+\u2212\u2013\d.-])" + re.escape(hidden) + r"(?![\d%])", text)
    ]


def shown_text(html: str) -> str:
    """What a reader of an HTML report sees: its text, without styles, scripts and tags."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    demo = write_data(tmp_path_factory.mktemp("thresholds"), seed=11)
    with demo.staff_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    items = [h for h in rows[0] if h[:4] in ("cap-", "acc-", "enj-")]
    stock = iter(["1", "2", "2"])
    for index, row in enumerate(rows):
        if index < 3:
            row.update({"team": "Tiny Team", "one-change": f"secret-tiny-{index}"})
            row.update(dict.fromkeys(items, "5"))
        elif index < 10:
            row.update({"team": "Small Team", "one-change": f"secret-small-{index}"})
            row["acc-pay"] = {3: "1", 4: "2"}.get(index, "")
        row["cap-stock"] = next(stock) if index in (20, 30, 40) else ""
    staff = demo.folder / "staff-thresholds.csv"
    with staff.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return {"staff": staff, "customers": demo.customer_csv, "folder": demo.folder}


SCORE = ("-q", "three-abilities", "-g", "team", "-g", "role")


def _figures_of(holder: dict) -> list:
    """Every figure of an item, outcome or dimension entry (not its identity or n)."""
    kept = {"id", "dimension", "text", "title", "n", "reverse", "positive", "weight", "items"}
    return [v for k, v in holder.items() if k not in kept and k != "hidden_why"]


def test_results_json_hides_small_groups_items_and_comment_lists(data) -> None:
    target = data["folder"] / "results.json"
    code, output = run("score", str(data["staff"]), *SCORE, "-o", str(target))
    assert code == 0, output
    results = json.loads(target.read_text(encoding="utf-8"))
    tiny = next(g for g in results["groups"] if g["value"] == "Tiny Team")
    assert tiny["suppressed"] and tiny["hidden_why"]
    assert not tiny.get("items") and not tiny.get("dimensions") and not tiny.get("comments")
    holders = [results, *(g for g in results["groups"] if not g["suppressed"])]
    for holder in holders:
        for item in holder["items"]:
            if 0 < item["n"] < 5:
                assert item["hidden_why"], (holder.get("value"), item["id"])
                assert all(v in (None, [], {}, "") for v in _figures_of(item)), item
    small = next(g for g in results["groups"] if g["value"] == "Small Team")
    assert not small["suppressed"]  # seven people: shown, but its comment list (under 10) is not
    assert all(not c["answers"] for c in small.get("comments", []))
    for group in results["groups"]:
        if group.get("comments") and any(c["answers"] for c in group["comments"]):
            assert group["n"] >= 10
    for holder in holders:  # consistency needs as many complete answers as any figure
        for dimension in holder["dimensions"]:
            if dimension["alpha_n"] < 5:
                assert dimension["alpha"] is None, (holder.get("value"), dimension["id"])
    text = target.read_text(encoding="utf-8")
    assert "secret-tiny" not in text.split('"groups"')[1]


def test_results_csv_and_xlsx_hold_no_hidden_figure(data) -> None:
    table, book = data["folder"] / "results.csv", data["folder"] / "results.xlsx"
    for target in (table, book):
        code, output = run("score", str(data["staff"]), *SCORE, "-o", str(target))
        assert code == 0, output
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    thin = [
        r
        for r in rows
        if r["kind"] == "item"
        and (r["id"] == "cap-stock" or (r["group"], r["id"]) == ("Small Team", "acc-pay"))
    ]
    assert thin
    assert [r for r in thin if r["measure"] != "n" and r["value"] != ""] == []
    tiny = [r for r in rows if r["group"] == "Tiny Team"]
    assert tiny and all(r["measure"] in {"n", "suppressed", "hidden_why"} for r in tiny), tiny
    workbook = openpyxl.load_workbook(book, read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            numbers = [v for v in row if isinstance(v, int | float) and not isinstance(v, bool)]
            if "cap-stock" in row or {"Small Team", "acc-pay"} <= set(row):
                assert not any(isinstance(v, float) for v in numbers), (sheet.title, row)
            if "Tiny Team" in row:  # the hidden team's rows: its label, size and reason only
                flag = {1} if "suppressed" in row else set()  # the tidy sheet's flag, as 1.0
                assert set(numbers) <= {3} | flag, (sheet.title, row)
            assert not any(isinstance(v, str) and "secret-" in v for v in row[:2])


def test_terminal_shows_no_hidden_figure_nor_comment(data) -> None:
    code, output = run("score", str(data["staff"]), *SCORE, "--min-comment-group-size", "1000")
    assert code == 0, output
    assert leaks(output) == []
    tiny = [line for line in output.splitlines() if "Tiny Team" in line]
    assert tiny and all("100" not in line for line in tiny), tiny


def test_html_and_pdf_reports_and_group_reports_show_no_hidden_figure(data) -> None:
    folder = data["folder"] / "reports"
    code, output = run(
        "report", str(data["staff"]), *SCORE, "--min-comment-group-size", "1000",
        "--per-group", "team", "--out-dir", str(folder), "-o", str(folder / "overview.html"),
    )  # fmt: skip
    assert code == 0, output
    assert "skipped Tiny Team" in output
    pages = sorted(folder.glob("*.html"))
    assert len(pages) > 2 and not any("tiny" in p.name for p in pages)
    for page in pages:
        html = shown_text(page.read_text(encoding="utf-8"))
        assert leaks(html) == [], page.name
    pdf = data["folder"] / "report.pdf"
    code, output = run(
        "report", str(data["staff"]), *SCORE, "--min-comment-group-size", "1000", "-o", str(pdf)
    )
    assert code == 0, output
    shown = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Capability" in shown  # the text layer is there to search
    assert leaks(shown) == []


def test_a_shown_small_teams_own_report_keeps_its_comments_and_thin_items_back(data) -> None:
    folder = data["folder"] / "small"
    code, output = run(
        "report", str(data["staff"]), *SCORE, "--per-group", "team",
        "--out-dir", str(folder), "-o", str(folder / "overview.html"),
    )  # fmt: skip
    assert code == 0, output
    (page,) = folder.glob("team-small-team*.html")
    html = shown_text(page.read_text(encoding="utf-8"))
    assert "Small Team" in html
    assert "secret-small" not in html  # seven people: under the comment threshold of 10
    assert not {"12.5", "1.50"} & set(leaks(html) + (["1.50"] if "1.50" in html else []))


def test_gap_outputs_hide_the_small_team_and_thin_items(data) -> None:
    target = data["folder"] / "gap.json"
    code, output = run(
        "gap", str(data["staff"]), str(data["customers"]), "-g", "team", "-o", str(target)
    )
    assert code == 0, output
    assert leaks(output) == []
    gap = json.loads(target.read_text(encoding="utf-8"))
    tiny = [g for g in gap["groups"] if g["value"] == "Tiny Team"]
    assert tiny and all(g["suppressed"] and g["hidden_why"] for g in tiny)
    assert all(g["overall"] is None and not g["dimensions"] for g in tiny)
    for group in gap["groups"]:
        if group["suppressed"]:
            assert group["overall"] is None and not group["dimensions"], group
