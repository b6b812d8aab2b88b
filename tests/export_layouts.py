"""Fill the forms that `cxassess export` writes as each survey tool would, and write the tool's
answer export of those answers (used by the round-trip tests).

Each tool's answer export is built from OUR EXPORTED FILE (the names, titles and choice values
the tool would take from it), laid out as the tool's documentation describes it:
- KoboToolbox CSV: `;`-separated, `start`/`end` first, `_id`, `_uuid`, `_submission_time`,
  `_validation_status`, `_index` last; either XML values (question and choice names) or labels.
- KoboToolbox XLS: the same columns in a workbook, numbers stored as numbers.
- SurveyJS: one column per question name holding the choice `value`.
- Google Forms: `Timestamp` first, one column per question title, answers as choice labels.
- LimeSurvey CSV (*Export responses*): `id`, `submitdate`, `lastpage`, `startlanguage`, `seed`
  first; headers as *Question code* (`grid[item]`, `code`) with *Answer codes*, or as *Full
  question text* (`Question [Subquestion]`) with *Full answers*; every cell quoted.
- Qualtrics CSV: three header rows (export tags, `Question - Statement` texts, ImportIds);
  a Matrix tagged `tag` gives `tag_1`, `tag_2`... in statement order; `-` in tags becomes
  `_`; answers downloaded with *Use choice text*.
- Microsoft Forms (from the Word file by *Quick Import*): `ID`, `Start time`,
  `Completion time`, `Email`, `Name`, then one column per question title, answers as labels.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

from cxassess.exporting import render_export
from cxassess.exporting.common import DONT_KNOW_VALUE, NOT_APPLICABLE_VALUE, options

NON_ANSWERS = (NOT_APPLICABLE_VALUE, DONT_KNOW_VALUE)
"""Stored values of the answers that are not scored (does not apply, don't know)."""
USER_WRITTEN = Path(__file__).parent / "data" / "export" / "user-written-four-point.yaml"
RESPONDENTS = 12


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


def as_workbook(path: Path, delimiter: str, sheet_name: str = "Sheet1") -> Path:
    """The same rows in an `.xlsx` workbook, numbers stored as numbers (as LimeSurvey's Excel
    export and Microsoft Forms' *Open results in Excel* write them)."""
    import xlsxwriter

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    target = path.with_suffix(".xlsx")
    book = xlsxwriter.Workbook(target)
    sheet = book.add_worksheet(sheet_name)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r and cell.isdigit():
                sheet.write_number(r, c, int(cell))
            elif cell:
                sheet.write_string(r, c, cell)
    book.close()
    return target


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


def _texts(q) -> dict[str, str]:
    """Our id of each question, segment and comment by its text in the default language."""
    found = {q.text(x.text): x.id for x in [*q.scored_questions(), *q.comments]}
    return found | {q.text(s.title): s.id for s in q.segments}


def limesurvey(q, people, tmp_path: Path, full: bool, both: bool = False) -> Path:
    """LimeSurvey's response export of a survey imported from our `.txt` (base language)."""
    text = render_export(q, "limesurvey").decode()
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    language = next(r["text"] for r in rows if r["class"] == "S" and r["name"] == "language")
    rows = [r for r in rows if r["language"] == language and r["class"] in ("Q", "SQ", "A")]
    texts = _texts(q)
    columns: list[tuple[str, str, dict[str, str]]] = []  # header, our id, code -> label
    for i, row in enumerate(rows):
        if row["class"] != "Q":
            continue
        rest = []
        for later in rows[i + 1 :]:
            if later["class"] == "Q":
                break
            rest.append(later)
        labels = {r["name"]: html.unescape(r["text"]) for r in rest if r["class"] == "A"}
        qtext = html.unescape(row["text"])
        if row["type/scale"] == "F":
            for sq in (r for r in rest if r["class"] == "SQ"):
                sqtext = html.unescape(sq["text"])
                header = f"{qtext} [{sqtext}]" if full else f"{row['name']}[{sq['name']}]"
                if both:  # *Question code & question text*
                    header = f"{row['name']}[{sq['name']}]. {qtext} [{sqtext}]"
                columns.append((header, texts[sqtext], labels))
        else:
            header = qtext if full else row["name"]
            columns.append((f"{row['name']}. {qtext}" if both else header, texts[qtext], labels))
    segments = {s.id for s in q.segments}
    header = ["Response ID", "Date submitted", "Last page", "Start language", "Seed"]
    if not full:
        header = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    lines = []
    for n, person in enumerate(people):
        cells = [str(n + 1), "2026-03-02 09:12:00", "4", language, str(1234567 + n)]
        for _header, ident, labels in columns:
            value = person[ident]
            if value is not None and labels:
                code = value  # our stored value is the answer code on a scale
                if ident in segments:
                    code = next(c for c, label in labels.items() if label == value)
                assert code in labels  # the form offers this answer
                value = labels[code] if full else code
            cells.append(value or "")
        lines.append(cells)
    path = tmp_path / "limesurvey.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header + [h for h, _i, _v in columns])
        writer.writerows(lines)
    return path


def qualtrics(q, people, tmp_path: Path) -> Path:
    """Qualtrics' CSV export, choice text, of a survey imported from our Advanced Format TXT."""
    lines = render_export(q, "qualtrics").decode().splitlines()
    texts = _texts(q)
    columns: list[tuple[str, str, str, str, str | None]] = []  # tag, text, import id, id, kind
    qid = 0
    i = 0
    while i < len(lines):
        kind = lines[i]
        if not kind.startswith("[[Question:"):
            i += 1
            continue
        qid += 1
        if kind == "[[Question:DB]]":
            i += 1
            continue
        tag = lines[i + 1][len("[[ID:") : -2].replace("-", "_").replace("#", "_")
        text = lines[i + 2]
        i += 3
        block: list[str] = []
        while i < len(lines) and lines[i]:
            block.append(lines[i])
            i += 1
        if kind == "[[Question:Matrix]]":
            statements = block[1 : block.index("[[Answers]]")]
            for n, statement in enumerate(statements, start=1):
                columns.append(
                    (f"{tag}_{n}", f"{text} - {statement}", f"QID{qid}_{n}", texts[statement], "m")
                )
        else:
            columns.append((tag, text, f"QID{qid}", texts[text], None))
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "DistributionChannel",
        "UserLanguage",
    ]
    meta_text = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Distribution Channel",
        "User Language",
    ]
    scored = {x.id: x for x in q.scored_questions()}
    rows = [
        meta + [c[0] for c in columns],
        meta_text + [c[1] for c in columns],
        [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in meta]
        + [json.dumps({"ImportId": c[2]}) for c in columns],
    ]
    for n, person in enumerate(people):
        cells = [
            "2026-03-02 09:00:00",
            "2026-03-02 09:06:00",
            "IP Address",
            "192.0.2.1",
            "100",
            "360",
            "True",
            "2026-03-02 09:06:01",
            f"R_{n:04d}abcdEFGH",
            "anonymous",
            "EN",
        ]
        for _tag, _text, _import, ident, _kind in columns:
            value = person[ident]
            if value is not None and ident in scored:
                value = _label_of(q, scored[ident], value)
            cells.append(value or "")
        rows.append(cells)
    return write_csv(tmp_path / "qualtrics.csv", rows[0], rows[1:])


def microsoft_forms(q, people, tmp_path: Path) -> Path:
    """Microsoft Forms' answer export of a form made from our Word file by Quick Import: a
    paragraph followed by a bulleted list is a choice question, a paragraph alone a text."""
    import docx

    path = tmp_path / "form.docx"
    path.write_bytes(render_export(q, "docx"))
    paragraphs = docx.Document(str(path)).paragraphs
    texts = _texts(q)
    titles = [p.text for p in paragraphs if p.style.name == "Normal" and p.text.endswith("]")]
    ids = [texts[t.rsplit(" [", 1)[0]] for t in titles]
    scored = {x.id: x for x in q.scored_questions()}
    offered = {p.text for p in paragraphs if p.style.name == "List Bullet"}
    rows = []
    for n, person in enumerate(people):
        cells = [str(n + 1), "3/2/26 9:00:00", "3/2/26 9:07:10", "anonymous", ""]
        for ident in ids:
            value = person[ident]
            if value is not None and ident in scored:
                value = _label_of(q, scored[ident], value)
                assert value in offered
            cells.append(value or "")
        rows.append(cells)
    header = ["ID", "Start time", "Completion time", "Email", "Name", *titles]
    return write_csv(tmp_path / "microsoft-forms.csv", header, rows)


LAYOUTS = {
    "kobo-xlsx": kobo_xlsx,
    "limesurvey-codes": lambda q, p, t: limesurvey(q, p, t, full=False),
    "limesurvey-full-text": lambda q, p, t: limesurvey(q, p, t, full=True),
    "limesurvey-code-and-text": lambda q, p, t: limesurvey(q, p, t, full=True, both=True),
    "limesurvey-xlsx": lambda q, p, t: as_workbook(limesurvey(q, p, t, full=False), ","),
    "microsoft-forms-xlsx": lambda q, p, t: as_workbook(microsoft_forms(q, p, t), ","),
    "qualtrics": qualtrics,
    "microsoft-forms": microsoft_forms,
    "kobo-xml-values": lambda q, p, t: kobo(q, p, t, labels=False),
    "kobo-labels": lambda q, p, t: kobo(q, p, t, labels=True),
    "surveyjs": surveyjs,
    "google-forms": google_forms,
}
