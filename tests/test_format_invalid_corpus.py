"""Every malformed questionnaire in tests/data/invalid/ fails with the right line and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.errors import ValidationError
from cxassess.format.loader import load_questionnaire

INVALID = Path(__file__).parent / "data" / "invalid"

# file name: [(line, fragment of the message), ...] - one entry per expected error line
EXPECTED: dict[str, list[tuple[int, str]]] = {
    "invalid-alias-bomb.yaml": [(1, "expands to more than")],
    "invalid-duplicate-item-id.yaml": [(20, "id 'care-1' is already used by")],
    "invalid-duplicate-key.yaml": [(28, "key 'title' appears twice")],
    "invalid-favorable-not-a-point.yaml": [(13, "favourable value 4 is not a point")],
    "invalid-id-not-a-slug.yaml": [(15, "'Care Team' is not a valid id")],
    "invalid-levels-not-ascending.yaml": [(24, "min 40 is not above the previous level's 60")],
    "invalid-levels-not-starting-at-zero.yaml": [(22, "the first level starts at 10, not 0")],
    "invalid-missing-audience.yaml": [(1, "required key 'audience' is missing")],
    "invalid-missing-translation.yaml": [(20, "no text in es")],
    "invalid-misspelt-key.yaml": [(16, "unknown key 'tittle'; did you mean 'title'?")],
    "invalid-not-a-mapping.yaml": [(1, "expected a mapping")],
    "invalid-offers-not-on-the-scale.yaml": [(27, "offers 'dont_know' but scale 'agree5'")],
    "invalid-offers-unknown-kind.yaml": [(34, "'not_sure' is not allowed; use 'dont_know'")],
    "invalid-python-tag.yaml": [(14, "tags such as !!python/... are not allowed")],
    "invalid-reverse-on-choice-scale.yaml": [(25, "reverse is set but scale 'channel'")],
    "invalid-tab-indentation.yaml": [(15, "a tab character cannot be used")],
    "invalid-three-mistakes.yaml": [
        (2, "'Broken Id' is not a valid id"),
        (5, "'everyone' is not allowed; use 'staff', 'customer' or 'leader'"),
        (17, "'heavy' is not a number"),
    ],
    "invalid-threshold-outside-scale.yaml": [(29, "threshold 4.5 is outside the scale")],
    "invalid-unknown-dimension-reference.yaml": [(26, "unknown dimension 'caring'")],
    "invalid-unknown-item-reference.yaml": [(29, "unknown item 'care-9'")],
    "invalid-unknown-scale.yaml": [(19, "unknown scale 'agree7'")],
    "invalid-yaml-syntax.yaml": [(18, "while scanning a quoted scalar that starts on line 16")],
}


def test_corpus_every_file_has_an_expectation() -> None:
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_fails_with_its_line_and_message(name: str) -> None:
    path = INVALID / name
    with pytest.raises(ValidationError) as caught:
        load_questionnaire(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(p.location.line, p.location.file) for p in errors] == [
        (line, str(path)) for line, _ in EXPECTED[name]
    ]
    for problem, (_, fragment) in zip(errors, EXPECTED[name], strict=True):
        assert fragment in str(problem)
        assert problem.hint, f"no hint for {problem}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gives_exit_2_and_one_line_per_error_without_traceback(
    name: str, runner
) -> None:
    path = INVALID / name
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == len(EXPECTED[name])
    for line, (number, fragment) in zip(error_lines, EXPECTED[name], strict=True):
        assert f"{path}:{number}" in line
        assert fragment in line


def test_three_mistakes_are_reported_together_in_file_order() -> None:
    with pytest.raises(ValidationError) as caught:
        load_questionnaire(INVALID / "invalid-three-mistakes.yaml")
    lines = caught.value.lines()
    assert len(lines) == 3
    assert [int(line.split(":")[1]) for line in lines] == [2, 5, 17]
