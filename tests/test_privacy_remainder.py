"""What the shown groups of a breakdown leave over (everyone minus them) never speaks of fewer
than the minimum, and a team's own report hides what the organisation's report hid for it."""

from __future__ import annotations

import csv
import html
import random
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs

Q = resolve_questionnaire("three-abilities")
ITEMS = [i.id for i in Q.all_items()]


def write(path: Path, teams: dict[str, int], skip: dict[str, int], seed: int = 3) -> Path:
    """Answers of three-abilities by team; in each team of `skip`, all but that many people
    leave `cap-stock` blank."""
    rng = random.Random(seed)
    rows = [["respondent", "team", *ITEMS, "recommend"]]
    number = 0
    for team, size in teams.items():
        for index in range(size):
            number += 1
            answers = [str(rng.randint(1, 5)) for _ in ITEMS]
            if team in skip and index >= skip[team]:
                answers[ITEMS.index("cap-stock")] = ""
            rows.append([f"R{number}", team, *answers, str(rng.randint(0, 10))])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def remainders(results) -> list[int]:
    """For every breakdown and figure shown for everyone: everyone's answers minus those of
    the groups that show the figure."""
    found = []
    for segment in {g.segment for g in results.groups}:
        shown = [g for g in results.groups if g.segment == segment and not g.suppressed]
        for name in ("items", "outcomes", "dimensions"):
            for total in getattr(results, name):
                if total.hidden_why:
                    continue
                parts = [
                    f.n
                    for g in shown
                    for f in getattr(g, name)
                    if f.id == total.id and not f.hidden_why
                ]
                found.append(total.n - sum(parts))
    return found


def test_hidden_teams_answers_are_not_left_over_by_the_shown_ones(tmp_path: Path) -> None:
    # Teams of 8 and 8 are shown, 2 and 3 hidden; of the hidden five only two answer cap-stock.
    path = write(tmp_path / "answers.csv", {"A": 8, "B": 8, "C": 2, "D": 3}, {"C": 1, "D": 1})
    results, _ = score_inputs([path], Q, segments=["team"])
    assert all(r == 0 or r >= 5 for r in remainders(results))
    whole = next(i for i in results.items if i.id == "cap-stock")
    shown = [
        f
        for g in results.groups
        if not g.suppressed
        for f in g.items
        if f.id == "cap-stock" and not f.hidden_why
    ]
    assert whole.mean is not None and whole.n == 18
    assert whole.n - sum(f.n for f in shown) >= 5


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=2, max_size=5),
    answering=st.lists(st.integers(min_value=0, max_value=12), min_size=5, max_size=5),
)
def test_property_no_breakdown_leaves_a_small_remainder(tmp_path: Path, sizes, answering) -> None:
    # below the minimum in all, the whole sample is one person's (or a few people's) own
    # assessment and shows everything by design; with more, the rule must hold
    assume(sum(sizes) >= 5)
    teams = {f"T{i}": n for i, n in enumerate(sizes)}
    skip = {f"T{i}": min(a, sizes[i]) for i, a in enumerate(answering[: len(sizes)])}
    path = write(tmp_path / "random.csv", teams, skip, seed=sum(sizes))
    results, _ = score_inputs([path], Q, segments=["team"])
    assert all(r == 0 or r >= results.min_group_size for r in remainders(results))


def test_a_team_report_hides_what_the_organisation_report_hid_for_it(tmp_path: Path) -> None:
    # Two teams of 10; only 2 of B answer cap-stock, so A's cap-stock (10 of everyone's 12)
    # is hidden in the organisation's report: A's own report must not show it either.
    path = write(tmp_path / "answers.csv", {"A": 10, "B": 10}, {"B": 2})
    out = tmp_path / "teams"
    result = CliRunner().invoke(
        app,
        ["report", str(path), "-q", "three-abilities", "-g", "team", "--per-group", "team",
         "--out-dir", str(out), "-o", str(tmp_path / "org.html")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = html.unescape((out / "team-a.html").read_text(encoding="utf-8"))
    text = Q.text(next(i for i in Q.all_items() if i.id == "cap-stock").text)
    rows = [part.split("</tr>", 1)[0] for part in page.split(text)[1:]]
    assert rows, "the question is listed"
    for row in rows:  # its dimension page and the page beside the organisation
        assert "favourable" not in row, row[:300]
