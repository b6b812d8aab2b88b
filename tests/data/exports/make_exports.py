"""Write the export fixtures: the SAME 13 answers to `three-abilities`, as each tool lays them out.

Run from the repository root (`python tests/data/exports/make_exports.py`) after changing the
answers below; the files are committed so that tests read what a user's tool would hand them.
Each layout follows /work/shared/spec/export-formats.md, with the quirks real exports carry:
labels in mixed case with stray spaces, `Don't know`, skipped cells, metadata columns, a
Qualtrics preview row, SurveyMonkey's blank cells under a matrix question, a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
Q = yaml.safe_load((ROOT / "questionnaires" / "three-abilities.yaml").read_text())

ITEMS = [item for dim in Q["dimensions"] for item in dim["items"]]
LABELS = {p["value"]: p["label"] for p in Q["scales"]["agree5"]["points"]}
DIM_PROMPT = {
    "capability": "How much do you agree with each statement about what we can do?",
    "accessibility": "How much do you agree with each statement about how easy we are to reach?",
    "enjoyability": "How much do you agree with each statement about how it feels to deal with us?",
}
NPS_TEXT = Q["outcomes"][0]["text"]
COMMENTS = {c["id"]: c["text"] for c in Q["comments"]}

# respondent: (team, role, 18 item answers in file order (0 = Don't know, None = skipped),
#              recommend, one-change, got-it-right)
ANSWERS = [
    (
        "Sales",
        "Front line",
        [4, 2, 4, 4, 3, 2, 2, 4, 3, 3, 4, 4, 4, 4, 4, 5, 2, 4],
        8,
        "Answer the phone before five rings.",
        "A customer got a replacement the same day.",
    ),
    ("Sales", "Team leader", [5, 1, 5, 4, 4, 1, 2, 5, 4, 4, 5, 5, 5, 5, 4, 5, 1, 5], 10, "", ""),
    (
        "Sales",
        "Front line",
        [3, 3, 2, 3, 3, 4, 4, 3, 2, 2, 3, None, 3, 3, 3, 4, 3, 3],
        6,
        "More people on Saturdays.",
        "",
    ),
    ("Sales", "Manager", [4, 2, 4, 5, 4, 2, 3, 4, 4, 3, 0, 4, 4, 4, 5, 4, 2, 4], 9, "", ""),
    (
        "Sales",
        "Front line",
        [2, 4, 3, 3, 2, 4, 4, 3, 2, 2, 3, 3, 3, 2, 3, 3, 4, 3],
        5,
        "Fewer forms for returns.",
        "",
    ),
    ("Sales", "Front line", [4, 2, 4, 4, 4, 2, 2, 4, 3, 4, 4, 4, 4, 4, 4, 4, 2, 4], 8, "", ""),
    (
        "Support",
        "Front line",
        [3, 4, 3, 4, 3, 3, 4, 4, 3, 2, 3, 3, 3, 3, 3, 4, 3, 3],
        7,
        "",
        "We fixed a boiler on Christmas Eve.",
    ),
    (
        "Support",
        "Support function",
        [4, 3, 4, 4, 3, 2, 3, 4, 4, 3, 4, 4, 4, 4, 4, 4, 2, 4],
        8,
        "Let us refund small amounts without asking.",
        "",
    ),
    ("Support", "Team leader", [5, 2, 5, 5, 5, 1, 2, 5, 5, 4, 5, 5, 5, 5, 5, 5, 1, 5], 10, "", ""),
    (
        "Support",
        "Front line",
        [2, 5, 2, 3, 2, 4, 5, 2, 2, 1, 2, 2, 2, 2, 2, 3, 4, 2],
        3,
        "Stop moving people off the phones at lunchtime.",
        "",
    ),
    ("Support", "Front line", [3, 3, 4, None, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 4, 4, 3, 3], 7, "", ""),
    (
        "Online",
        "Front line",
        [4, 3, 3, 4, 4, 3, 3, 5, 4, 3, 4, 3, 4, 4, 4, 4, 2, 4],
        9,
        "Live chat in the evening.",
        "Orders now arrive when we say.",
    ),
    ("Online", "Manager", [4, 2, 4, 4, 4, 2, 2, 5, 5, 3, 4, 4, 4, 4, 4, 5, 2, 4], 9, "", ""),
]

TIMES = [f"2025-03-{10 + i // 4:02d} {9 + i % 8:02d}:{(i * 7) % 60:02d}:00" for i in range(13)]


def label(value: int | None, index: int) -> str:
    """An answer as label text, with the stray case and spaces real exports carry."""
    if value is None:
        return ""
    if value == 0:
        return "Don't know"
    text = LABELS[value]
    if index % 5 == 1:
        text = text.lower()
    if index % 7 == 2:
        text = f" {text} "
    return text


def write_csv(name: str, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def our_layout() -> list[list[str]]:
    header = ["respondent", "team", "role", *[i["id"] for i in ITEMS], "recommend", *COMMENTS]
    rows = [header]
    for n, (team, role, values, nps, change, right) in enumerate(ANSWERS):
        cells = ["" if v is None else ("Don't know" if v == 0 else str(v)) for v in values]
        rows.append([f"r{n + 1:02d}", team, role, *cells, str(nps), change, right])
    return rows


def google_forms() -> list[list[str]]:
    header = ["Timestamp", "Email Address", "Team", "Role"]
    for item in ITEMS:
        dim = next(d["id"] for d in Q["dimensions"] if item in d["items"])
        header.append(f"{DIM_PROMPT[dim]} [{item['text']}]")
    header += [NPS_TEXT, *COMMENTS.values()]
    rows = [header]
    for n, (team, role, values, nps, change, right) in enumerate(ANSWERS):
        stamp = TIMES[n].replace("-", "/")
        cells = [label(v, n + k) for k, v in enumerate(values)]
        rows.append(
            [stamp, f"person{n + 1}@example.org", team, role, *cells, str(nps), change, right]
        )
    return rows


def qualtrics() -> list[list[str]]:
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
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
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
        "Recipient Last Name",
        "Recipient First Name",
        "Recipient Email",
        "External Data Reference",
        "Location Latitude",
        "Location Longitude",
        "Distribution Channel",
        "User Language",
    ]
    tags, texts, imports = (
        list(meta),
        list(meta_text),
        [json.dumps({"ImportId": m[0].lower() + m[1:].replace(" ", "")}) for m in meta],
    )
    tags += ["Q1", "Q2"]
    texts += ["Team", "Role"]
    imports += ['{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2"}']
    for block, dim in enumerate(Q["dimensions"], start=3):
        for k, item in enumerate(dim["items"], start=1):
            # accessibility was given custom export tags: Qualtrics turns '-' into '_'
            tags.append(
                item["id"].replace("-", "_") if dim["id"] == "accessibility" else f"Q{block}_{k}"
            )
            texts.append(f"{DIM_PROMPT[dim['id']]} - {item['text']}")
            imports.append(json.dumps({"ImportId": f"QID{block}_{k}"}))
    tags += ["Q6", "Q6_NPS_GROUP", "Q7", "Q8"]
    texts += [NPS_TEXT, f"{NPS_TEXT} - Group", *COMMENTS.values()]
    imports += [
        '{"ImportId":"QID6"}',
        '{"ImportId":"QID6_NPS_GROUP"}',
        '{"ImportId":"QID7_TEXT"}',
        '{"ImportId":"QID8_TEXT"}',
    ]
    rows = [tags, texts, imports]
    preview = [
        "2025-03-09 08:00:00",
        "2025-03-09 08:03:00",
        "Survey Preview",
        "",
        "100",
        "180",
        "True",
        "2025-03-09 08:03:00",
        "R_preview0001",
        "",
        "",
        "",
        "",
        "",
        "",
        "preview",
        "EN",
        "Test",
        "Manager",
        *["Strongly agree"] * 18,
        "10",
        "Promoter",
        "test",
        "",
    ]
    rows.append(preview)
    for n, (team, role, values, nps, change, right) in enumerate(ANSWERS):
        group = "Promoter" if nps >= 9 else "Passive" if nps >= 7 else "Detractor"
        rows.append(
            [
                TIMES[n],
                TIMES[n],
                "IP Address",
                f"192.0.2.{n + 10}",
                "100",
                str(200 + n * 13),
                "True",
                TIMES[n],
                f"R_{n + 1:04d}abcdEFGH",
                "",
                "",
                "",
                "",
                "51.5",
                "-0.12",
                "anonymous",
                "EN",
                team,
                role,
                *[label(v, n) for v in values],
                str(nps),
                group,
                change,
                right,
            ]
        )
    return rows


def surveymonkey() -> list[list[str]]:
    meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    top = [*meta, "Team", "Role"]
    second = [*[""] * len(meta), "Response", "Response"]
    for dim in Q["dimensions"]:
        for k, item in enumerate(dim["items"]):
            top.append(DIM_PROMPT[dim["id"]] if k == 0 else "")
            second.append(item["text"])
    top += [NPS_TEXT, *COMMENTS.values()]
    second += ["Response", "Open-Ended Response", "Open-Ended Response"]
    rows = [top, second]
    for n, (team, role, values, nps, change, right) in enumerate(ANSWERS):
        rows.append(
            [
                str(114000000000 + n * 7919),
                "432100001",
                TIMES[n],
                TIMES[n],
                f"198.51.100.{n}",
                "",
                "",
                "",
                "",
                team,
                role,
                *[label(v, n + 3) for v in values],
                str(nps),
                change,
                right,
            ]
        )
    return rows


def microsoft_forms() -> list[list[str]]:
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Team",
        "Role",
        *[i["text"] for i in ITEMS],
        NPS_TEXT,
        *COMMENTS.values(),
    ]
    rows = [header]
    for n, (team, role, values, nps, change, right) in enumerate(ANSWERS):
        when = f"3/{10 + n // 4}/25 {9 + n % 8}:{(n * 7) % 60:02d}:00"
        rows.append(
            [
                str(n + 1),
                when,
                when,
                "anonymous",
                "",
                "",
                team,
                role,
                *[label(v, n + 1) for v in values],
                str(nps),
                change,
                right,
            ]
        )
    return rows


def main() -> None:
    write_csv("three-abilities-our-layout.csv", our_layout())
    write_csv("three-abilities-google-forms.csv", google_forms())
    write_csv("three-abilities-qualtrics.csv", qualtrics())
    write_csv("three-abilities-surveymonkey.csv", surveymonkey())
    write_csv("three-abilities-microsoft-forms.csv", microsoft_forms())
    write_csv("three-abilities-semicolon-bom.csv", google_forms(), delimiter=";", bom=True)


if __name__ == "__main__":
    main()
