"""`positive:` says what a favourable answer to a negatively worded question means."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cxassess.format.loader import read_questionnaire
from cxassess.responses import answers_schema
from cxassess.scoring.summary import summarise

DATA = Path(__file__).parent / "data"


def _with_positive(tmp_path: Path, item_line: str) -> Path:
    text = (DATA / "valid" / "minimal.yaml").read_text()
    text = text.replace("      - {id: a2, text: Two, scale: agree5, reverse: true}", item_line)
    path = tmp_path / "q.yaml"
    path.write_text(text)
    return path


def test_positive_reading_of_a_reversed_item_reaches_the_results(tmp_path: Path) -> None:
    path = _with_positive(
        tmp_path,
        "      - {id: a2, text: Two is a chore, positive: Two is easy,"
        " scale: agree5, reverse: true}",
    )
    q, problems = read_questionnaire(path)
    assert q is not None and problems == []
    schema = answers_schema(q)
    rows = {name: [None] for name in schema} | {"a2": [1.0]}
    item = next(i for i in summarise(q, pl.DataFrame(rows, schema=schema)).items if i.id == "a2")
    assert item.positive == "Two is easy" and item.reverse


def test_positive_on_an_item_not_scored_in_reverse_is_a_warning(tmp_path: Path) -> None:
    path = _with_positive(tmp_path, "      - {id: a2, text: Two, positive: Two, scale: agree5}")
    q, problems = read_questionnaire(path)
    assert q is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "not scored in reverse" in str(problems[0])
