"""`cxassess run` offers "Don't know" (d) and "Does not apply" (n) as two keys, only those the
item offers, and the response file keeps them apart, through a save and a resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.interview.autosave import partial_path

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
# team, a1 (both), a2 (don't know only), a3 (neither), b1..b3 (both), recommend, note


@pytest.fixture
def both(tmp_path: Path) -> Path:
    text = MINIMAL.read_text().replace(
        "    not_applicable: Don't know\n",
        '    dont_know: Don\'t know\n    not_applicable: "Does not apply: not my job"\n',
    )
    text = text.replace(
        "{id: a2, text: Two, scale: agree5, reverse: true}",
        "{id: a2, text: Two, scale: agree5, reverse: true, offers: [dont_know]}",
    )
    text = text.replace(
        "{id: a3, text: Three, scale: agree5, weight: 2}",
        "{id: a3, text: Three, scale: agree5, weight: 2, offers: []}",
    )
    path = tmp_path / "both.yaml"
    path.write_text(text)
    return path


def run(runner, args: list[str], answers: list[str]):
    return runner.invoke(app, ["run", *args], input="".join(f"{a}\n" for a in answers))


def test_d_and_n_are_saved_as_two_different_answers(runner, both: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    answers = ["Support", "d", "d", "4", "n", "Does not apply", "don't know", "9", ""]
    result = run(runner, [str(both), "-o", str(out)], answers)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["dont_know"] == ["a1", "a2", "b3"]
    assert data["not_applicable"] == ["b1", "b2"]
    assert [data["answers"][i] for i in ("a1", "a2", "a3", "b1", "b2", "b3")] == [
        None,
        None,
        4.0,
        None,
        None,
        None,
    ]


def test_the_prompt_shows_only_the_keys_the_item_offers(runner, both: Path, tmp_path: Path):
    out = tmp_path / "r.json"
    # a1 offers both; a2 only don't know, so 'n' is refused there; a3 offers neither
    answers = ["Support", "3", "n", "d", "d", "n", "2", "3", "4", "5", "", "q"]
    result = run(runner, [str(both), "-o", str(out)], answers)
    text = " ".join(result.output.split())
    assert "or d for Don't know or n for Does not apply: not my job." in text
    assert "Type a number from 1 to 5, or d for Don't know." in text
    assert "Type a number from 1 to 5." in text
    assert "'n' is not one of the choices: this question has no Does not apply answer." in text
    assert "'d' is not one of the choices: this question has no Don't know answer." in text
    data = json.loads(partial_path(out).read_text()) if partial_path(out).exists() else None
    final = data or json.loads(out.read_text())
    assert final["dont_know"] == ["a2"] and final["answers"]["a3"] == 2.0


def test_resume_keeps_each_kind_and_shows_it_as_the_earlier_answer(
    runner, both: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    first = run(runner, [str(both), "-o", str(out)], ["Support", "n", "d", "q"])
    assert first.exit_code == 0, first.output
    partial = partial_path(out)
    saved = json.loads(partial.read_text())
    assert saved["not_applicable"] == ["a1"] and saved["dont_know"] == ["a2"]
    # back to a1 and a2: their earlier answers are named by kind; Enter keeps them
    second = run(
        runner,
        [str(both), "--resume", str(partial)],
        ["b", "b", "", "", "5", "4", "4", "4", "9", ""],
    )
    assert second.exit_code == 0, second.output
    text = " ".join(second.output.split())
    assert "Earlier answer: n Does not apply: not my job" in text
    assert "Earlier answer: d Don't know" in text
    data = json.loads(out.read_text())
    assert data["not_applicable"] == ["a1"] and data["dont_know"] == ["a2"]
    assert data["answers"]["a3"] == 5.0


def test_an_older_partial_file_keeps_its_one_extra_answer(runner, tmp_path: Path) -> None:
    """Before the two keys, `n` saved either answer under not_applicable; on a scale whose only
    extra answer is "Not sure" (a don't know), resuming reads it as that, and scoring counts it."""
    source = tmp_path / "not-sure.yaml"
    source.write_text(
        MINIMAL.read_text().replace("    not_applicable: Don't know\n", "    dont_know: Not sure\n")
    )
    out = tmp_path / "r.json"
    first = run(runner, [str(source), "-o", str(out)], ["Support", "d", "q"])
    assert first.exit_code == 0, first.output
    partial = partial_path(out)
    saved = json.loads(partial.read_text())
    saved["not_applicable"], saved["dont_know"] = saved.pop("dont_know"), []
    partial.write_text(json.dumps(saved))
    second = run(runner, [str(source), "--resume", str(partial)], ["b", "", "3", "3"] + ["4"] * 4)
    assert second.exit_code == 0, second.output
    assert "Earlier answer: d Not sure" in " ".join(second.output.split())
    data = json.loads(out.read_text())
    assert data["dont_know"] == ["a1"] and data["not_applicable"] == []
