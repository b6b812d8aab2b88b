"""The interview state machine, driven with plain strings (no terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.models import Questionnaire
from cxassess.interview.record import new_record
from cxassess.interview.session import Session
from cxassess.interview.steps import build_steps

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return resolve_questionnaire(MINIMAL)


def session_for(q: Questionnaire, **segments: str) -> Session:
    record = new_record(q, language="en", segments=segments)
    return Session(build_steps(q, "en", given_segments=segments), record)


def feed(session: Session, *lines: str) -> list[str]:
    return [session.submit(line).kind for line in lines]


def test_session_steps_are_segments_items_outcomes_comments(q):
    session = session_for(q)
    ids = [s.id for s in session.steps.steps]
    assert ids == ["team", "a1", "a2", "a3", "b1", "b2", "b3", "recommend", "note"]
    assert session.view().step.section == "About you"
    assert session.steps[1].section == "Alpha"
    assert (session.steps[4].section_index, session.steps[4].section_size) == (1, 3)


def test_session_full_run_records_raw_values(q):
    session = session_for(q)
    kinds = feed(session, "Support", "1", "2", "3", "4", "5", "n", "9", "All good")
    assert kinds == ["answered"] * 9
    assert session.done
    record = session.record
    assert record.segments == {"team": "Support"}
    assert record.answers == {
        "a1": 1.0,
        "a2": 2.0,  # raw, before reversal
        "a3": 3.0,
        "b1": 4.0,
        "b2": 5.0,
        "b3": None,
        "recommend": 9.0,
    }
    assert record.not_applicable == ["b3"]
    assert record.comments == {"note": "All good"}


def test_session_segment_given_in_advance_is_not_asked(q):
    session = session_for(q, team="Support")
    assert session.view().step.id == "a1"


def test_session_back_shows_the_earlier_answer_and_enter_keeps_it(q):
    session = session_for(q, team="Support")
    feed(session, "4", "2")
    assert session.submit("b").kind == "back"
    view = session.view()
    assert view.step.id == "a2"
    assert view.earlier == "2 Disagree"
    assert session.submit("").kind == "kept"
    assert session.view().step.id == "a3"
    assert session.record.answers["a2"] == 2.0


def test_session_back_then_new_answer_replaces_the_earlier_one(q):
    session = session_for(q, team="Support")
    feed(session, "n", "b", "5")
    assert session.record.answers["a1"] == 5.0
    assert session.record.not_applicable == []


def test_session_back_on_the_first_question_is_refused(q):
    session = session_for(q)
    reply = session.submit("b")
    assert reply.kind == "rejected" and "first question" in reply.message
    assert session.index == 0


def test_session_back_from_items_reaches_the_segment_question(q):
    session = session_for(q)
    feed(session, "Sales", "b")
    assert session.view().step.id == "team"
    assert session.view().earlier == "Sales"


def test_session_skip_required_question_is_refused_with_the_not_applicable_way_out(q):
    session = session_for(q, team="x")
    reply = session.submit("s")
    assert reply.kind == "rejected"
    assert "needs an answer" in reply.message and "n for Don't know" in reply.message
    assert not reply.changed
    assert session.view().step.id == "a1"


def test_session_skip_optional_segment_and_comment_records_null(q):
    session = session_for(q)
    assert session.submit("s").kind == "skipped"
    assert session.record.segments == {"team": None}
    feed(session, "1", "1", "1", "1", "1", "1", "1")
    assert session.submit("").kind == "skipped"
    assert session.record.comments == {"note": None}
    assert session.done


def test_session_enter_on_unanswered_question_asks_again(q):
    session = session_for(q, team="x")
    reply = session.submit("")
    assert reply.kind == "rejected" and reply.message == "Please choose an answer."
    assert session.view().step.id == "a1"


def test_session_invalid_keys_change_nothing(q):
    session = session_for(q, team="x")
    for line in ("7", "0", "x", "str", "yes please"):
        reply = session.submit(line)
        assert reply.kind == "rejected" and reply.message and not reply.changed
    assert session.record.answers == {}
    assert session.view().step.id == "a1"


def test_session_help_returns_the_question_help(q):
    session = session_for(q, team="x")
    reply = session.submit("?")
    assert reply.kind == "help" and not reply.changed


def test_session_quit_changes_nothing(q):
    session = session_for(q, team="x")
    feed(session, "3")
    assert session.submit("q").kind == "quit"
    assert session.record.answers == {"a1": 3.0}


def test_session_resumes_at_the_first_unanswered_question(q):
    session = session_for(q, team="x")
    feed(session, "3", "4", "5")
    resumed = Session(session.steps, session.record.model_copy(deep=True))
    assert resumed.view().step.id == "b1"
    assert resumed.answered_count() == 3


def test_session_progress_counts_every_step(q):
    session = session_for(q)
    feed(session, "A", "1")
    view = session.view()
    assert (view.position, view.total, view.answered) == (3, 9, 2)


def test_session_end_of_input_with_required_answers_missing_changes_nothing(q):
    session = session_for(q, team="x")
    feed(session, "3")
    missing = session.end_of_input()
    assert [s.id for s in missing][:2] == ["a2", "a3"]
    assert not session.done
    assert session.record.answers == {"a1": 3.0}


def test_session_end_of_input_after_the_last_required_answer_skips_the_rest(q):
    session = session_for(q)
    feed(session, "A", "1", "2", "3", "4", "5", "4", "10")
    assert session.end_of_input() == []
    assert session.done
    assert session.record.comments == {"note": None}


def test_session_optional_question_can_be_skipped():
    # version 1.0 of three-abilities has an optional item (acc-options)
    q = resolve_questionnaire(
        str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")
    )
    session = Session(build_steps(q, "en"), new_record(q, language="en"))
    feed(session, "", "", *["4"] * 10)
    assert session.view().step.id == "acc-options"
    assert session.submit("").message == "Please choose an answer. Type s to skip it."
    assert session.submit("s").kind == "skipped"
    assert session.record.answers["acc-options"] is None
    assert "acc-options" not in session.record.not_applicable


LINES = st.sampled_from(
    [
        "",
        "b",
        "s",
        "?",
        "q",
        "n",
        "d",
        "0",
        "1",
        "3",
        "5",
        "6",
        "10",
        "11",
        "str",
        "agree",
        "x",
        "Ops",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_session_any_keystrokes_keep_the_record_valid(script):
    q = resolve_questionnaire(MINIMAL)
    session = Session(build_steps(q, "en"), new_record(q, language="en"))
    before = session.record.model_copy(deep=True)
    for line in script:
        if session.done:
            break
        reply = session.submit(line)
        assert 0 <= session.index <= len(session.steps)
        if session.record != before:  # every change is flagged, so it is saved at once
            assert reply.changed
        before = session.record.model_copy(deep=True)
    record = session.record
    for question_id, value in record.answers.items():
        scale = q.scale_of(q.question(question_id))
        points = {p.value for p in scale.resolved_points()}
        assert value is None or value in points
        if value is None and q.question(question_id).required:
            assert record.non_answer(question_id) is not None
    assert all(record.answers[i] is None for i in [*record.not_applicable, *record.dont_know])
    assert not set(record.not_applicable) & set(record.dont_know)
    # resuming the same record starts at the first step without an answer
    resumed = Session(session.steps, record.model_copy(deep=True))
    assert all(resumed.is_answered(s) for s in session.steps.steps[: resumed.index])
