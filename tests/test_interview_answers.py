"""What a typed line means: keys, label starts, not applicable, numbers, commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.models import Questionnaire, Scale, ScalePoint
from cxassess.interview.answers import Answer, Command, Rejected, answer_hint, parse_line
from cxassess.interview.steps import Step, build_steps, scale_choices


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return resolve_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")


def step_of(q: Questionnaire, step_id: str) -> Step:
    return next(s for s in build_steps(q).steps if s.id == step_id)


def test_answers_number_key_records_the_point_value(q):
    parsed = parse_line(step_of(q, "a1"), " 4 ")
    assert parsed == Answer(value=4.0, shown="4 Agree")


def test_answers_label_start_is_accepted_case_insensitively(q):
    assert parse_line(step_of(q, "a1"), "NEITHER").value == 3.0
    assert parse_line(step_of(q, "a1"), "strongly a").value == 5.0
    assert parse_line(step_of(q, "a1"), "Disagree").value == 2.0


def test_answers_ambiguous_label_start_names_the_candidates(q):
    parsed = parse_line(step_of(q, "a1"), "str")
    assert isinstance(parsed, Rejected)
    assert "Strongly disagree, Strongly agree" in parsed.hint


def test_answers_not_applicable_key_and_label(q):
    for line in ("n", "N", "don't know", "Don\u2019t"):
        parsed = parse_line(step_of(q, "a1"), line)
        assert isinstance(parsed, Answer) and parsed.value is None
        assert parsed.non_answer == "not_applicable"


def test_answers_number_outside_the_scale_is_rejected(q):
    for line in ("0", "6", "3.5", "-1"):
        parsed = parse_line(step_of(q, "a1"), line)
        assert isinstance(parsed, Rejected), line
        assert "not one of the choices" in parsed.hint


def test_answers_unknown_text_is_rejected(q):
    assert isinstance(parse_line(step_of(q, "a1"), "maybe"), Rejected)


def test_answers_nps_keys_run_from_zero_to_ten(q):
    step = step_of(q, "recommend")
    assert step.compact
    assert parse_line(step, "0").value == 0.0
    assert parse_line(step, "10").value == 10.0
    assert isinstance(parse_line(step, "11"), Rejected)
    assert answer_hint(step) == "Type a number from 0 to 10."


@pytest.mark.parametrize(
    ("line", "name"), [("b", "back"), ("S", "skip"), ("?", "help"), ("q", "quit"), ("  ", "enter")]
)
def test_answers_command_keys(q, line, name):
    assert parse_line(step_of(q, "a1"), line) == Command(name)


def test_answers_free_text_is_taken_as_written(q):
    parsed = parse_line(step_of(q, "note"), "  Fewer forms & <faster> refunds  ")
    assert parsed == Answer(value="Fewer forms & <faster> refunds", shown=parsed.shown)


def test_answers_segment_without_choices_takes_any_text(q):
    assert parse_line(step_of(q, "team"), "Support").value == "Support"


def test_answers_hint_names_keys_and_not_applicable(q):
    assert answer_hint(step_of(q, "a1")) == "Type a number from 1 to 5, or n for Don't know."


def test_answers_number_scale_accepts_values_in_range():
    q_number = Questionnaire.model_validate(
        {
            "format": "cxassess/1",
            "id": "numbers",
            "version": "1",
            "title": "Numbers",
            "audience": "staff",
            "scales": {"hours": {"type": "number", "min": 0, "max": 24}},
            "dimensions": [
                {"id": "d", "title": "D", "items": [{"id": "x", "text": "X", "scale": "hours"}]}
            ],
            "levels": [{"id": "l", "min": 0, "title": "L"}],
        }
    )
    step = step_of(q_number, "x")
    assert parse_line(step, "7,5").value == 7.5
    assert isinstance(parse_line(step, "25"), Rejected)
    assert isinstance(parse_line(step, "seven"), Rejected)
    assert answer_hint(step) == "Type a number from 0 to 24."


def test_answers_scale_with_fractional_values_uses_positions_as_keys(q):
    scale = Scale(
        type="likert",
        points=[ScalePoint(value=v, label=f"p{v}") for v in (-1.5, 0, 1.5)],
    )
    assert [c.key for c in scale_choices(q, scale, None)] == ["1", "2", "3"]


@given(st.sampled_from(["a1", "b2", "recommend"]), st.data())
def test_answers_every_key_and_full_label_picks_its_own_choice(step_id, data):
    q = resolve_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
    step = step_of(q, step_id)
    choice = data.draw(st.sampled_from(step.all_choices))
    for line in {choice.key, choice.label, choice.label.upper()}:
        parsed = parse_line(step, line)
        assert isinstance(parsed, Answer), line
        assert parsed.value == choice.value
        assert parsed.non_answer == choice.non_answer
