"""Headers to questions, answer texts to values, and `--map` files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.errors import FileNotFound, ValidationError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.inputs.mapfile import load_map, parse_map
from cxassess.inputs.matching import (
    AnswerReader,
    HeaderIndex,
    SegmentReader,
    Target,
    Unreadable,
    header_candidates,
    key,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def q():
    return resolve_questionnaire("three-abilities")


@pytest.fixture(scope="module")
def minimal():
    return load_questionnaire(DATA / "valid" / "minimal.yaml")


def test_matching_key_ignores_case_spacing_and_punctuation() -> None:
    assert key("  Don’t   KNOW! ") == key("dont know")
    assert key("cap-stock") == key("CAP_STOCK") == key("Cap Stock")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("cap-stock", "cap-stock"),
        ("CAP_STOCK", "cap-stock"),
        ("Our opening hours suit our customers", "acc-hours"),
        ("our opening hours suit our customers!!", "acc-hours"),
        ("How much do you agree? [Our opening hours suit our customers.]", "acc-hours"),
        ("Please rate - Our opening hours suit our customers.", "acc-hours"),
        ("Q12. Our opening hours suit our customers.", "acc-hours"),
        ("Team", "team"),
        ("ROLE", "role"),
        ("one-change", "one-change"),
    ],
)
def test_matching_headers_name_questions_by_id_or_text(q, header, expected) -> None:
    target, _shared = HeaderIndex.build(q).lookup(header_candidates(header))
    assert target is not None and target.id == expected


def test_matching_shared_text_names_no_question(minimal) -> None:
    # items a1 and b1 are both worded "One"
    target, shared = HeaderIndex.build(minimal).lookup(header_candidates("One"))
    assert target is None
    assert shared == ["a1", "b1"]


def test_matching_map_columns_win_over_texts(minimal) -> None:
    index = HeaderIndex.build(minimal, {key("One"): Target("question", "b1")})
    target, _ = index.lookup(["One"])
    assert target == Target("question", "b1")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4", 4.0),
        ("4.0", 4.0),
        (" 4 ", 4.0),
        ("Agree", 4.0),
        ("  strongly   AGREE ", 5.0),
        ("Neither agree nor disagree", 3.0),
        ("d. Agree", 4.0),
        ("4 - Agree", 4.0),
        ("Agree (4)", 4.0),
        ("Don't know", None),
        ("DON’T KNOW", None),
        ("n/a", None),
        ("", None),
        ("   ", None),
    ],
)
def test_matching_answers_read_as_numbers_or_labels(q, text, value) -> None:
    reader = AnswerReader(q, q.question("cap-stock"))
    assert reader.read(text) == value


@pytest.mark.parametrize("text", ["Agreee", "7", "0", "4.5", "yes", "-1"])
def test_matching_unknown_or_outside_answers_are_unreadable(q, text) -> None:
    reader = AnswerReader(q, q.question("cap-stock"))
    result = reader.read(text)
    assert isinstance(result, Unreadable)
    assert text.strip() in result.reason


def test_matching_nps_reads_numbers_and_decorated_ends(q) -> None:
    reader = AnswerReader(q, q.question("recommend"))
    assert reader.read("0") == 0.0
    assert reader.read("10 - Extremely likely") == 10.0
    assert reader.read("0 - Not at all likely") == 0.0
    assert isinstance(reader.read("11"), Unreadable)
    assert reader.expected() == "a whole number from 0 to 10"


def test_matching_labels_in_every_language_are_read() -> None:
    q = resolve_questionnaire("three-abilities")
    points = q.scales["agree5"].points
    assert points is not None
    scale = q.scales["agree5"].model_copy(
        update={
            "points": [
                p.model_copy(update={"label": {"en": str(p.label), "es": f"es-{p.value:g}"}})
                for p in points
            ]
        }
    )
    bilingual = q.model_copy(update={"scales": {**q.scales, "agree5": scale}})
    reader = AnswerReader(bilingual, bilingual.question("cap-stock"))
    assert reader.read("ES-4") == 4.0
    assert reader.read("Agree") == 4.0


def test_matching_segment_choices_take_the_listed_spelling(q) -> None:
    role = next(s for s in q.segments if s.id == "role")
    reader = SegmentReader(role)
    assert reader.read("  front   LINE ") == "Front line"
    assert isinstance(reader.read("Boss"), Unreadable)
    team = SegmentReader(next(s for s in q.segments if s.id == "team"))
    assert team.read("  Sales  Floor ") == "Sales Floor"
    assert team.read("  ") is None


def test_matching_map_file_is_read(minimal) -> None:
    header_map = load_map(DATA / "exports" / "minimal-odd-headers-map.yaml", minimal)
    assert header_map.columns[key("Dept")] == Target("segment", "team")
    assert header_map.columns[key("Internal ref")].kind == "ignore"
    assert header_map.labels[key("Bof")] == 3.0
    assert header_map.labels_of("recommend")[key("Very likely")] == 10.0


def test_matching_map_mistakes_are_all_reported_with_lines(minimal) -> None:
    with pytest.raises(ValidationError) as caught:
        load_map(DATA / "exports" / "minimal-map-with-mistakes.yaml", minimal)
    lines = caught.value.lines()
    assert len(lines) == 3
    assert "minimal-map-with-mistakes.yaml:2: columns.Dept: 'teem'" in lines[0]
    assert "did you mean 'team'?" in lines[0]
    assert ":4: labels.Bof: 'three' is not a number" in lines[1]
    assert ":5: labelz: unknown section 'labelz'; did you mean 'labels'?" in lines[2]


def test_matching_map_label_values_must_fit_the_scale(minimal) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_map({"labels_for": {"a1": {"Top": 9}}}, minimal)
    assert "9 is not a value of a1's scale" in caught.value.lines()[0]


def test_matching_missing_map_file_names_it(minimal, tmp_path) -> None:
    with pytest.raises(FileNotFound) as caught:
        load_map(tmp_path / "nope.yaml", minimal)
    assert "map file not found" in caught.value.message
