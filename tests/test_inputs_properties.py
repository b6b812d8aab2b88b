"""Property tests: whatever way a CSV is written (delimiter, byte-order mark, line endings,
numbers or labels in any case and spacing, quoting), the answers read back are the answers."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxassess.errors import InputError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs import read_responses

Q = load_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
ITEMS = [s.id for s in Q.scored_questions() if s.id != "recommend"]
LABELS = {p.value: str(p.label) for p in Q.scales["agree5"].points or []}

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
comment_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;\t\"'|\n-=+@é")), min_size=0, max_size=12
)
row = st.fixed_dictionaries(
    {
        "items": st.lists(answer, min_size=len(ITEMS), max_size=len(ITEMS)),
        "recommend": st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
        "note": comment_text,
        "as_label": st.lists(st.booleans(), min_size=len(ITEMS), max_size=len(ITEMS)),
        "style": st.sampled_from(["plain", "lower", "upper", "spaced"]),
    }
)


def styled(text: str, style: str) -> str:
    return {"plain": text, "lower": text.lower(), "upper": text.upper(), "spaced": f"  {text} "}[
        style
    ]


def write_csv(rows: list[dict], delimiter: str, bom: bool, newline: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["respondent", *ITEMS, "recommend", "note"])
    for index, data in enumerate(rows):
        cells = []
        for value, as_label in zip(data["items"], data["as_label"], strict=True):
            if value is None:
                cells.append("")
            elif as_label:
                cells.append(styled(LABELS[value], data["style"]))
            else:
                cells.append(styled(str(value), data["style"]))
        recommend = "" if data["recommend"] is None else str(data["recommend"])
        writer.writerow([f"r{index}", *cells, recommend, data["note"]])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row, min_size=1, max_size=15),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_properties_csv_answers_read_back_exactly(rows, delimiter, bom, newline) -> None:
    # rows with nothing in them are not respondents
    kept = [r for r in rows if any(v is not None for v in r["items"])
            or r["recommend"] is not None or r["note"].strip()]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_bytes(write_csv(rows, delimiter, bom, newline))
        if not kept:
            with pytest.raises(InputError, match="no answers, only header rows"):
                read_responses([path], Q)
            return
        responses = read_responses([path], Q)
    frame = responses.frame
    assert responses.problems == []
    assert frame.height == len(kept)
    for index, item in enumerate(ITEMS):
        expected = [None if r["items"][index] is None else float(r["items"][index]) for r in kept]
        assert frame[item].to_list() == expected
    assert frame["recommend"].to_list() == [
        None if r["recommend"] is None else float(r["recommend"]) for r in kept
    ]
    assert frame["note"].to_list() == [r["note"].strip() or None for r in kept]


@settings(max_examples=40, deadline=None)
@given(bad=st.text(alphabet=st.sampled_from(list("abz789. -")), min_size=1, max_size=8))
def test_properties_any_unknown_text_is_reported_never_guessed(bad) -> None:
    known = {k.casefold().replace(" ", "") for k in LABELS.values()} | {"dontknow", "na"}
    stripped = bad.strip()
    if not stripped or stripped.casefold().replace(" ", "") in known:
        return
    try:
        number = float(stripped)
    except ValueError:
        number = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_text(f'a1,a2\n"{bad}",4\n', encoding="utf-8")
        responses = read_responses([path], Q)
    value = responses.frame["a1"][0]
    cells = [p for p in responses.problems if p.location.column is not None]
    if number is not None and number in LABELS:
        assert value == number and not cells
    else:
        assert value is None
        assert len(cells) == 1 and cells[0].location.line == 2


def test_properties_label_after_thousands_of_numbers_is_still_read(tmp_path) -> None:
    lines = ["a1,a2,a3,b1,b2,b3,recommend"]
    lines += ["4,2,4,4,4,4,9"] * 3000
    lines += ["Agree,2,4,4,4,4,9", "Nope,2,4,4,4,4,9"]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    responses = read_responses([path], Q)
    assert responses.frame["a1"].to_list()[-2:] == [4.0, None]
    (problem,) = responses.problems
    assert problem.location.line == 3003
