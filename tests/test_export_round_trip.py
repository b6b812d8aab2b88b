"""Round trip: export a questionnaire, fill the form as each tool would, score the tool's
answer export with no `--map`, and get results identical to the same answers in our layout.

Each tool's answer export is built from OUR EXPORTED FILE (the names, titles and choice values
the tool would take from it), laid out as the tool's documentation describes it:
- KoboToolbox CSV: `;`-separated, `start`/`end` first, `_id`, `_uuid`, `_submission_time`,
  `_validation_status`, `_index` last; either XML values (question and choice names) or labels.
- KoboToolbox XLS: the same columns in a workbook, numbers stored as numbers.
- SurveyJS: one column per question name holding the choice `value`.
- Google Forms: `Timestamp` first, one column per question title, answers as choice labels.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from cxassess.exporting import render_export
from cxassess.exporting.common import DONT_KNOW_VALUE, NOT_APPLICABLE_VALUE, options, value_text
from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs

NON_ANSWERS = (NOT_APPLICABLE_VALUE, DONT_KNOW_VALUE)
"""Stored values of the answers that are not scored (does not apply, don't know)."""
USER_WRITTEN = Path(__file__).parent / "data" / "export" / "user-written-four-point.yaml"
RESPONDENTS = 12


@pytest.fixture(params=["three-abilities", str(USER_WRITTEN)], ids=["built-in", "user-written"])
def q(request):
    return resolve_questionnaire(request.param)


def answers(q) -> list[dict[str, str | None]]:
    """Twelve people's answers by our ids: scale values as text, `na` for does not apply,
    None for a skipped question; segments and comments as text."""
    people = []
    for n in range(RESPONDENTS):
        row: dict[str, str | None] = {}
        for s in q.segments:
            row[s.id] = (s.choices or ["Sales", "Support"])[
                n % 2 if not s.choices else n % len(s.choices)
            ]
        for i, question in enumerate(q.scored_questions()):
            values = [opt.value for opt in options(q, q.scale_of(question))]
            points = [v for v in values if v not in NON_ANSWERS]
            row[question.id] = points[((n + 1) * (i + 3) * 2654435761 >> 9) % len(points)]
            if (n + i) % 11 == 0 and NOT_APPLICABLE_VALUE in values:
                row[question.id] = NOT_APPLICABLE_VALUE
            if (n + 2 * i) % 13 == 0:
                row[question.id] = None
        for c in q.comments:
            row[c.id] = f"Comment {n}, with a comma; and a semicolon." if n % 3 == 0 else None
        people.append(row)
    return people


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _label_of(q, question, value: str) -> str:
    """The label a respondent sees for a stored value, on this question's own scale."""
    found = {opt.value: opt.labels[q.default_language] for opt in options(q, q.scale_of(question))}
    return found[value]


def our_layout(q, people, path: Path) -> Path:
    questions = {x.id: x for x in q.scored_questions()}
    ids = (
        [s.id for s in q.segments]
        + [x.id for x in q.scored_questions()]
        + [c.id for c in q.comments]
    )
    rows = [
        [f"r{n:02d}"]
        + [
            (_label_of(q, questions[i], v) if v in NON_ANSWERS else v) if v is not None else ""
            for i, v in ((i, row[i]) for i in ids)
        ]
        for n, row in enumerate(people)
    ]
    return write_csv(path, ["respondent", *ids], rows)


def _xlsform_sheets(q, tmp_path: Path) -> tuple[list[dict], list[dict]]:
    import fastexcel

    form = tmp_path / "form.xlsx"
    form.write_bytes(render_export(q, "xlsform"))
    book = fastexcel.read_excel(form)
    survey = book.load_sheet("survey", dtypes="string").to_polars().fill_null("").to_dicts()
    choices = book.load_sheet("choices", dtypes="string").to_polars().fill_null("").to_dicts()
    return survey, choices


def kobo(q, people, tmp_path: Path, labels: bool) -> Path:
    survey, choices = _xlsform_sheets(q, tmp_path)
    label = "label::English (en)" if "label::English (en)" in survey[0] else None
    questions = [r for r in survey if r["type"] not in ("begin_group", "end_group")]
    choice_label = {(c["list_name"], c["name"]): c[label] for c in choices}
    header = ["start", "end"] + [r[label] if labels else r["name"] for r in questions]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    rows = []
    for n, person in enumerate(people):
        cells = ["2026-03-02T09:00:00.000+01:00", "2026-03-02T09:07:12.000+01:00"]
        for r in questions:
            value = person[r["name"]]
            if value is not None and r["type"].startswith("select_one "):
                list_name = r["type"].split(" ", 1)[1]
                name = "_".join(value.split()) if list_name.startswith("segment_") else value
                assert (list_name, name) in choice_label  # the form offers this answer
                value = choice_label[(list_name, name)] if labels else name
            cells.append(value or "")
        cells += [
            str(1000 + n),
            f"5f0c{n:04d}-aaaa-bbbb-cccc-0123456789ab",
            "2026-03-02T08:07:13",
            "",
            str(n + 1),
        ]
        rows.append(cells)
    return write_csv(tmp_path / "kobo.csv", header, rows, delimiter=";")


def surveyjs(q, people, tmp_path: Path) -> Path:
    form = json.loads(render_export(q, "surveyjs"))
    elements = [e for page in form["pages"] for e in page["elements"]]
    header = [e["name"] for e in elements]
    rows = []
    for person in people:
        cells = []
        for e in elements:
            value = person[e["name"]]
            if value is not None and "choices" in e:
                offered = [c if isinstance(c, str) else c["value"] for c in e["choices"]]
                assert value in offered
            cells.append(value or "")
        rows.append(cells)
    return write_csv(
        tmp_path / "surveyjs.csv", ["HappenedAt", *header], [["2026-03-02", *r] for r in rows]
    )


def google_forms(q, people, tmp_path: Path) -> Path:
    script = render_export(q, "google-forms").decode()
    titles = [json.loads(t) for t in re.findall(r'\.setTitle\(("(?:[^"\\]|\\.)*")\)', script)]
    section_titles = {q.text(d.title) for d in q.dimensions}
    titles = [t for t in titles if t not in section_titles]
    by_title = {q.text(x.text): x.id for x in [*q.scored_questions(), *q.comments]}
    by_title |= {q.text(s.title): s.id for s in q.segments}
    ids = [by_title[t] for t in titles]
    scored = {x.id: x for x in q.scored_questions()}
    rows = []
    for n, person in enumerate(people):
        cells = [f"2026/03/02 09:{n:02d}:00"]
        for ident in ids:
            value = person[ident]
            if value is not None and ident in scored:
                value = _label_of(q, scored[ident], value)
                assert json.dumps(value) in script
            cells.append(value or "")
        rows.append(cells)
    return write_csv(tmp_path / "google.csv", ["Timestamp", *titles], rows)


def comparable(results) -> dict:
    return results.model_dump(exclude={"generated", "sources", "input_hash"})


def kobo_xlsx(q, people, tmp_path: Path) -> Path:
    """KoboToolbox's XLS export: the same columns as its CSV, in a workbook."""
    import xlsxwriter

    with kobo(q, people, tmp_path, labels=False).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    path = tmp_path / "kobo.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Front desk" if q.id != "three-abilities" else "three-abilities")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r and cell.isdigit():
                sheet.write_number(r, c, int(cell))
            elif cell:
                sheet.write_string(r, c, cell)
    book.close()
    return path


LAYOUTS = {
    "kobo-xlsx": kobo_xlsx,
    "kobo-xml-values": lambda q, p, t: kobo(q, p, t, labels=False),
    "kobo-labels": lambda q, p, t: kobo(q, p, t, labels=True),
    "surveyjs": surveyjs,
    "google-forms": google_forms,
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_round_trip_tool_export_scores_like_our_layout(q, layout, tmp_path) -> None:
    people = answers(q)
    segments = [s.id for s in q.segments]
    reference, problems = score_inputs(
        [our_layout(q, people, tmp_path / "ours.csv")], q, segments=segments
    )
    assert problems == []
    assert reference.respondents == RESPONDENTS
    path = LAYOUTS[layout](q, people, tmp_path)
    results, problems = score_inputs([path], q, segments=segments)
    assert [p for p in problems if p.severity == "error"] == []
    assert comparable(results) == comparable(reference)


def test_round_trip_answers_are_really_read(q, tmp_path) -> None:
    # guards the comparison above: the reference holds the answers, not an empty result
    people = answers(q)
    results, _ = score_inputs([our_layout(q, people, tmp_path / "ours.csv")], q)
    first = q.all_items()[0].id
    given = [p[first] for p in people if p[first] not in (None, *NON_ANSWERS)]
    item = next(i for i in results.model_dump()["items"] if i["id"] == first)
    assert item["n"] == len(given) > 0
    assert value_text(1) == "1"
