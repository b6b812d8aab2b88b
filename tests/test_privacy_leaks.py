"""Rule 11 against a determined reader, checked from respondent-level data.

Each test builds answers whose people we know, scores them, and checks the released numbers
the way a reader who knows who belongs where would combine them: by subtracting one shown
group from another, or by any sum and difference of shown groups.
"""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.format.loader import load_questionnaire
from cxassess.outputs.tables import tidy_rows
from cxassess.responses import answers_schema
from cxassess.results import Results, read_results
from cxassess.scoring.privacy_groups import protect_within
from cxassess.scoring.summary import summarise

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
ITEMS = ["a1", "a2", "a3", "b1", "b2", "b3"]


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(MINIMAL)


def answers(q, people: list[dict], segments: list[str]) -> pl.DataFrame:
    schema = answers_schema(q)
    for segment in segments:
        schema.setdefault(segment, pl.String)
    data = {name: [p.get(name) for p in people] for name in schema}
    data["respondent"] = [f"r{i}" for i in range(len(people))]
    return pl.DataFrame(data, schema=schema)


def write_csv(path: Path, people: list[dict], segments: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", *segments, *ITEMS, "note"])
        for i, p in enumerate(people):
            writer.writerow(
                [
                    f"R{i}",
                    *(p[s] for s in segments),
                    *(p.get(x, "") for x in ITEMS),
                    p.get("note", ""),
                ]
            )
    return path


def memberships(frame: pl.DataFrame, segments: list[str]) -> dict[tuple[str, str], frozenset]:
    found: dict[tuple[str, str], set] = {}
    for index, row in enumerate(frame.select(segments).iter_rows(named=True)):
        for segment in segments:
            found.setdefault((segment, str(row[segment])), set()).add(index)
    return {k: frozenset(v) for k, v in found.items()}


def in_span(rows: list[np.ndarray], vector: np.ndarray) -> bool:
    matrix = np.array(rows, dtype=float)
    return np.linalg.matrix_rank(np.vstack([matrix, vector])) == np.linalg.matrix_rank(matrix)


def assert_no_reader_can_single_anyone_out(
    frame: pl.DataFrame, segments: list[str], shown: set, hidden: set, minimum: int
) -> None:
    """The differencing rule, checked on people rather than on cell counts."""
    groups = memberships(frame, segments)
    everyone = frozenset(range(frame.height))
    sets = [everyone, *(groups[k] for k in shown)]
    for a in sets:  # pairwise: empty or at least the minimum
        for b in sets:
            if a < b:
                assert len(b - a) >= minimum, (sorted(a), sorted(b))
    hidden = {k for k in hidden if groups[k] != everyone}  # the whole sample is always shown
    for key in hidden:
        assert all(groups[key] != s for s in sets), key
    vectors = [np.array([i in s for i in range(frame.height)]) for s in sets]
    for key in hidden:  # no sum or difference of shown groups is a hidden one
        target = np.array([i in groups[key] for i in range(frame.height)])
        assert not in_span(vectors, target), key
    cells: dict[tuple, set] = {}
    for index, row in enumerate(frame.select(segments).iter_rows()):
        cells.setdefault(tuple(map(str, row)), set()).add(index)
    if len(cells) > 1:  # nor crossed cells that hold fewer than the minimum together
        small = [people for people in cells.values() if len(people) < minimum]
        for size in range(1, len(small) + 1):
            for chosen in itertools.combinations(small, size):
                people = set().union(*chosen)
                if len(people) < minimum and len(people) < frame.height:
                    target = np.array([i in people for i in range(frame.height)])
                    assert not in_span(vectors, target), sorted(people)


def split(results: Results) -> tuple[set, set]:
    shown = {(g.segment, g.value) for g in results.groups if not g.suppressed}
    hidden = {(g.segment, g.value) for g in results.groups if g.suppressed}
    return shown, hidden


def person(team: str, role: str, value: float, note: str = "") -> dict:
    return {"team": team, "role": role, **dict.fromkeys(ITEMS, value), "note": note or None}


def manager_and_front_line() -> list[dict]:
    """The issue's case: team A is one manager and five front-line staff, who are all of the
    front line; subtracting the front line from team A would give the manager's answers."""
    people = [person("A", "manager", 1.0, "the manager wrote this")]
    people += [person("A", "front line", 5.0, f"front line {i}") for i in range(5)]
    people += [person("B", "manager", 3.0, f"b {i}") for i in range(8)]
    people += [person("C", "manager", 4.0, f"c {i}") for i in range(7)]
    return people


def test_a_team_minus_a_role_never_gives_one_persons_answers(q) -> None:
    frame = answers(q, manager_and_front_line(), ["role"])
    results = summarise(q, frame, segments=["team", "role"], min_group_size=5)
    shown, hidden = split(results)
    assert ("team", "A") in hidden or ("role", "front line") in hidden
    assert_no_reader_can_single_anyone_out(frame, ["team", "role"], shown, hidden, 5)
    why = next(g for g in results.groups if g.suppressed)
    assert why.hidden_reason == "differencing" and why.hidden_why
    assert "the manager wrote this" not in results.model_dump_json()


def test_a_hidden_team_is_not_a_shown_role_minus_a_shown_team(q) -> None:
    people = [person("T", "x", 1.0) for _ in range(3)] + [person("W", "y", 2.0) for _ in range(3)]
    people += [person("U", "x", 4.0) for _ in range(6)]
    people += [person("V", "y", 3.0) for _ in range(10)]
    frame = answers(q, people, ["role"])
    results = summarise(q, frame, segments=["team", "role"], min_group_size=5)
    shown, hidden = split(results)
    assert {("team", "T"), ("team", "W")} <= hidden
    assert_no_reader_can_single_anyone_out(frame, ["team", "role"], shown, hidden, 5)
    notes = " ".join(results.notes)
    assert "is also hidden" in notes


def test_a_site_minus_its_big_team_does_not_give_away_its_small_team(q) -> None:
    people = [person("A", "north", 4.0) for _ in range(10)]
    people += [person("B", "north", 1.0) for _ in range(3)]
    people += [person("C", "south", 3.0) for _ in range(10)]
    people += [person("D", "south", 2.0) for _ in range(3)]
    frame = answers(q, [{**p, "site": p["role"]} for p in people], ["site"])
    results = summarise(q, frame, segments=["team", "site"], min_group_size=5)
    shown, hidden = split(results)
    assert not {("team", "A"), ("site", "north")} <= shown
    assert_no_reader_can_single_anyone_out(frame, ["team", "site"], shown, hidden, 5)


segment_values = st.sampled_from(["p", "q", "r", "s"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(segment_values, segment_values, segment_values), min_size=1, max_size=40),
    st.integers(min_value=2, max_value=3),
    st.integers(min_value=2, max_value=6),
)
def test_property_no_combination_of_shown_groups_isolates_anyone(q, people, width, minimum):
    segments = ["team", "role", "site"][:width]
    rows = [
        {**dict(zip(segments, values, strict=False)), **dict.fromkeys(ITEMS, 3.0)}
        for values in people
    ]
    frame = answers(q, rows, segments)
    results = summarise(q, frame, segments=segments, min_group_size=minimum)
    shown, hidden = split(results)
    assert_no_reader_can_single_anyone_out(frame, segments, shown, hidden, minimum)
    # every output holds figures for shown groups only, and the same groups
    figures = {
        (r["segment"], r["group"])
        for r in tidy_rows(results)
        if r["segment"] != "(all)" and r["measure"] not in {"n", "suppressed", "hidden_why"}
    }
    assert figures <= shown
    again = Results.model_validate_json(results.to_json())
    from cxassess.scoring.privacy import PrivacySettings, apply_privacy

    assert split(apply_privacy(again, PrivacySettings(minimum))) == (shown, hidden)
    for group in results.groups:
        assert group.suppressed == bool(group.hidden_reason)


def test_an_item_answered_by_too_few_in_a_shown_group_is_hidden(q, tmp_path) -> None:
    people = [person("A", "x", 4.0) for _ in range(6)] + [person("B", "x", 2.0) for _ in range(9)]
    for p in people[1:6]:
        p["b3"] = None  # only one person of team A answered b3
    path = write_csv(tmp_path / "answers.csv", people, ["team"])
    args = ["score", str(path), "-q", str(MINIMAL), "-g", "team"]
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    team_a = next(g for g in read_results(tmp_path / "r.json").groups if g.value == "A")
    b3 = next(i for i in team_a.items if i.id == "b3")
    assert b3.n == 1 and b3.mean is None and b3.distribution == {}
    assert b3.hidden_why == "answered by fewer than 5 people"
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["group"] == "A" and r["id"] == "b3"]
    assert rows and all(
        r["measure"] in {"n", "hidden_why"} for r in rows if r["value"] or r["label"]
    )


def test_two_copies_of_one_export_are_refused_naming_both(q, tmp_path) -> None:
    people = [person("A", "x", 4.0) for _ in range(3)]
    first = write_csv(tmp_path / "first.csv", people, ["team"])
    copy = tmp_path / "copy.csv"
    copy.write_bytes(first.read_bytes())
    result = CliRunner().invoke(
        app, ["score", str(first), str(copy), "-q", str(MINIMAL), "-g", "team"]
    )
    assert result.exit_code == 2
    assert "appear more than once" in result.output
    assert "copy.csv (response 1) repeats" in result.output and "first.csv" in result.output
    assert "--keep-first-duplicate" in result.output
    result = CliRunner().invoke(
        app,
        [
            *("score", str(first), str(copy), "-q", str(MINIMAL), "-g", "team"),
            *("--keep-first-duplicate", "-o", str(tmp_path / "r.json")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "left out 3 repeated response(s)" in result.output
    assert read_results(tmp_path / "r.json").respondents == 3


def test_identical_responses_in_two_files_are_refused(tmp_path) -> None:
    finished = Path(__file__).parent / "data" / "exports" / "minimal-response-finished.json"
    copies = []
    for i in range(5):
        copy = tmp_path / f"copy{i}.json"
        copy.write_bytes(finished.read_bytes())
        copies.append(str(copy))
    result = CliRunner().invoke(app, ["score", *copies, "-q", str(MINIMAL)])
    assert result.exit_code == 2
    assert "appear more than once" in result.output


def test_comments_need_their_own_larger_group(q) -> None:
    people = [person("A", "x", 4.0, f"a {i}") for i in range(7)]
    people += [person("B", "x", 2.0, f"zb {9 - i}") for i in range(12)]
    frame = answers(q, people, [])
    results = summarise(q, frame, segments=["team"], min_group_size=5)
    by_team = {g.value: g for g in results.groups}
    assert by_team["A"].comments[0].answers == []  # 7 people: scores yes, comments no
    # B's 12 are within 7 of everyone's 19: its list would give A's comments away
    assert by_team["B"].comments[0].answers == []
    assert results.comments[0].answers == sorted(results.comments[0].answers)
    assert results.min_comment_group_size == 10


def test_comment_threshold_below_the_score_threshold_is_refused(tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", [person("A", "x", 3.0)], ["team"])
    result = CliRunner().invoke(
        app, ["score", str(path), "-q", str(MINIMAL), "--min-comment-group-size", "3"]
    )
    assert result.exit_code == 2
    assert "--min-comment-group-size 3 is below --min-group-size 5" in result.output


def test_a_results_file_is_checked_again_group_by_group(q, tmp_path) -> None:
    people = [person("A", "x", 4.0) for _ in range(6)] + [person("B", "x", 2.0) for _ in range(9)]
    results = summarise(q, answers(q, people, []), segments=["team"], min_group_size=5)
    data = json.loads(results.to_json())
    data["groups"][0]["n"] = 2  # a file that claims 5 but shows a group of two
    data["crossing"] = None
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", str(tampered), "-q", str(MINIMAL), "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "fewer than 5 respondents" in html
    good = tmp_path / "current.json"
    good.write_text(results.to_json(), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            *("score", str(write_csv(tmp_path / "a.csv", people, ["team"])), "-q", str(MINIMAL)),
            *("-g", "team", "--compare", str(tampered), "-o", str(tmp_path / "c.json")),
        ],
    )
    assert result.exit_code == 0, result.output
    compared = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["comparison"]
    assert all(g["suppressed"] for g in compared["groups"] if g["value"] == "A")


def test_a_per_group_report_breakdown_is_checked_against_the_whole_report(q) -> None:
    people = [person("A", "front line", 4.0) for _ in range(6)]
    people += [person("A", "manager", 3.0) for _ in range(6)]
    people += [person("B", "front line", 1.0) for _ in range(2)]
    people += [person("B", "manager", 2.0) for _ in range(10)]
    frame = answers(q, people, ["role"])
    whole = summarise(q, frame, segments=["team", "role"], min_group_size=5)
    assert not any(g.suppressed for g in whole.groups)
    team_a = summarise(q, frame.filter(pl.col("team") == "A"), segments=["role"])
    assert not any(g.suppressed for g in team_a.groups)
    checked = protect_within(whole, "team", {"A": team_a})["A"]
    front_line = next(g for g in checked.groups if g.value == "front line")
    # all front-line staff minus team A's would be team B's two front-line people
    assert front_line.suppressed and front_line.hidden_reason == "differencing"
    assert front_line.overall is None
