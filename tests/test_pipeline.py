"""`score_inputs`: options checked, `-g` names resolved, reading and scoring tied together."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.errors import InputError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.pipeline import resolve_segments, score_inputs

THREE_V1 = str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
THREE = resolve_questionnaire(THREE_V1)


def test_pipeline_segments_resolve_by_id_or_title_in_any_case() -> None:
    ids, extra = resolve_segments(THREE, ["team", "ROLE", "Team"])
    assert ids == ["team", "role"] and extra == []


def test_pipeline_unknown_names_become_column_segments() -> None:
    ids, extra = resolve_segments(THREE, ["Store #", "Région"])
    assert ids == ["store", "region"]
    assert [(s.id, s.title) for s in extra] == [("store", "Store #"), ("region", "Région")]


def test_pipeline_a_question_is_not_a_segment() -> None:
    with pytest.raises(InputError) as caught:
        resolve_segments(THREE, ["cap-stock"])
    assert "'cap-stock' is a question, not a segment" in caught.value.message
    assert "segments of 'three-abilities': team, role" in caught.value.hint


def test_pipeline_groups_by_a_column_the_questionnaire_does_not_declare(tmp_path) -> None:
    path = tmp_path / "answers.csv"
    lines = ["Store,a1,a2,a3,b1,b2,b3,recommend"]
    lines += [f"{'Leeds' if i % 2 else 'York'},4,2,4,4,4,4,{i}" for i in range(10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results, problems = score_inputs([path], MINIMAL, segments=["store"])
    assert problems == []
    assert [(g.segment, g.value, g.n) for g in results.groups] == [
        ("store", "Leeds", 5),
        ("store", "York", 5),
    ]


def test_pipeline_unknown_segment_lists_segments_and_columns() -> None:
    with pytest.raises(InputError) as caught:
        score_inputs([EXPORTS / "three-abilities-google-forms.csv"], THREE, segments=["Region"])
    error = caught.value
    assert error.exit_code == 2
    assert error.message == (
        "unknown segment 'Region': not a segment of 'three-abilities' and not a column of the input"
    )
    assert "the questionnaire's segments are: team, role" in error.hint


def test_pipeline_declared_segment_without_column_is_refused(tmp_path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("a1,a2,a3,b1,b2,b3,recommend\n4,2,4,4,4,4,9\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        score_inputs([path], MINIMAL, segments=["team"])
    error = caught.value
    assert error.exit_code == 2
    assert error.message.startswith("segment 'team': no respondent has a value for it")
    assert "no input has a column for it" in error.message
    assert "add a column headed team" in error.hint


def test_pipeline_segment_whose_column_is_empty_for_everyone_is_refused(tmp_path) -> None:
    path = tmp_path / "answers.csv"
    lines = ["team,a1,a2,a3,b1,b2,b3,recommend"] + [",4,2,4,4,4,4,9"] * 6
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="its column is empty"):
        score_inputs([path], MINIMAL, segments=["team"])


def test_pipeline_unknown_segment_names_the_closest_columns(tmp_path) -> None:
    path = tmp_path / "answers.csv"
    lines = ["Store name,a1,a2,a3,b1,b2,b3,recommend"]
    lines += [f"{'Leeds' if i % 2 else 'York'},4,2,4,4,4,4,{i}" for i in range(10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        score_inputs([path], MINIMAL, segments=["store nme"])
    assert caught.value.message.startswith("unknown segment 'store nme'")
    assert caught.value.hint.startswith("the closest columns: 'Store name'")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_group_size": 0}, "--min-group-size must be at least 1, not 0"),
        ({"lang": "de"}, "'minimal' has no texts in 'de'"),
        ({"segments": [""]}, "-g needs a segment name"),
    ],
)
def test_pipeline_bad_options_are_input_errors(options, message) -> None:
    with pytest.raises(InputError) as caught:
        score_inputs([EXPORTS / "minimal-response-finished.json"], MINIMAL, **options)
    assert caught.value.message == message


def test_pipeline_only_unfinished_runs_leave_nothing_to_score() -> None:
    with pytest.raises(InputError) as caught:
        score_inputs([EXPORTS / "minimal-response-unfinished.json"], MINIMAL)
    assert "no answers to score" in caught.value.message


def test_pipeline_notes_say_what_was_left_out() -> None:
    results, problems = score_inputs(
        [
            EXPORTS / "minimal-bad-label-and-outside-scale.csv",
            EXPORTS / "minimal-response-unfinished.json",
        ],
        MINIMAL,
    )
    assert len(problems) == 4
    assert results.notes == [
        "3 answer(s) could not be read (not a value of their scale) and were counted as missing.",
        "1 unfinished response file(s) were left out.",
    ]
    assert [s.rows for s in results.sources] == [4, 0]


def test_pipeline_sources_carry_the_sha256_of_each_file() -> None:
    import hashlib

    path = EXPORTS / "three-abilities-qualtrics.csv"
    results, _ = score_inputs([path], THREE)
    (source,) = results.sources
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.rows == 13
    assert results.input_hash


def test_pipeline_min_group_size_is_applied() -> None:
    path = EXPORTS / "three-abilities-our-layout.csv"
    results, _ = score_inputs([path], THREE, segments=["team"], min_group_size=2)
    assert not any(g.suppressed for g in results.groups)
    assert results.min_group_size == 2
