"""Write the answer-export fixtures of forms made by `cxassess export` from
`tests/data/export/user-written-four-point.yaml` (front-desk-check): the SAME six answers, as
LimeSurvey, Qualtrics and Microsoft Forms lay them out, and in our own layout.

Run from the repository root (`python tests/data/exports/make_tool_exports.py`) after changing
the answers below; the files are committed. The layouts, and where they come from, are in
docs/export-formats.md:
- LimeSurvey *Export responses*, CSV, every cell quoted: `id`, `submitdate`, `lastpage`,
  `startlanguage`, `seed` first, then the question codes (`welcome[wgreeted]`) with *Answer
  codes*, or the full question texts (`Welcome [I was greeted quickly.]`) with *Full answers*.
- Qualtrics CSV, *Use choice text*: three header rows (export tags from `[[ID:]]`, with a
  Matrix's rows as `welcome_1`, `welcome_2`; the texts as `Question - Statement`; ImportIds),
  Qualtrics' metadata columns first, and a preview response that is left out.
- Microsoft Forms, from the Word file by Quick Import: `ID`, `Start time`, `Completion time`,
  `Email`, `Name`, then the question titles as imported (ending with the bracketed id).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).parent

SCALE = {1: "Disagree strongly", 2: "Disagree", 3: "Agree", 4: "Agree strongly", 0: "Not sure"}
ITEMS = [
    ("w-greeted", "welcome", "wgreeted", "Welcome", "I was greeted quickly."),
    ("w-ignored", "welcome", "wignored", "Welcome", "I felt ignored while I waited."),
    ("h-answer", "help", "hanswer", "Help", "My question was answered."),
    ("h-time", "help", "htime", "Help", "It took a reasonable time."),
]
SITE = "Which site did you visit?"
BETTER = "What would have made it better?"

# (site, four answers: 0 = Not sure, None = skipped, comment, start language)
ANSWERS = [
    ("North", [4, 1, 4, 3], "A seat while waiting, please.", "en"),
    ("North", [3, 2, 3, 0], "", "en"),
    ("South", [2, 3, 2, 2], 'Someone to say hello, "anyone".', "fr"),
    ("South", [4, 1, 4, None], "", "en"),
    ("North", [1, 4, 2, 1], "Shorter queue; faster answers.", "en"),
    ("South", [3, 2, 0, 3], "", "fr"),
]


def _write(name: str, rows: list[list[str]], quote_all: bool = False) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerows(rows)


def our_layout() -> None:
    rows = [["respondent", "site", *(i[0] for i in ITEMS), "better"]]
    for n, (site, values, comment, _lang) in enumerate(ANSWERS, start=1):
        cells = ["" if v is None else ("Not sure" if v == 0 else str(v)) for v in values]
        rows.append([f"r{n}", site, *cells, comment])
    _write("front-desk-check-our-layout.csv", rows)


def limesurvey(full: bool) -> None:
    meta = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    if full:
        meta = ["Response ID", "Date submitted", "Last page", "Start language", "Seed"]
    codes = [f"{grid}[{code}]" for _id, grid, code, _title, _text in ITEMS]
    texts = [f"{title} [{text}]" for _id, _grid, _code, title, text in ITEMS]
    rows = [
        [*meta, SITE if full else "site", *(texts if full else codes), BETTER if full else "better"]
    ]
    for n, (site, values, comment, lang) in enumerate(ANSWERS, start=1):
        site_cell = site if full else {"North": "AO01", "South": "AO02"}[site]
        cells = []
        for v in values:
            if v is None:
                cells.append("")
            elif full:
                cells.append(SCALE[v])
            else:
                cells.append("na" if v == 0 else str(v))
        stamp = f"2026-03-0{n} 10:1{n}:00"
        rows.append([str(n), stamp, "3", lang, str(40213 * n), site_cell, *cells, comment])
    _write(f"front-desk-check-limesurvey-{'full-text' if full else 'codes'}.csv", rows, True)


def qualtrics() -> None:
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
    tags = ["site", "welcome_1", "welcome_2", "help_1", "help_2", "better"]
    texts = [SITE, *(f"{title} - {text}" for _i, _g, _c, title, text in ITEMS), BETTER]
    imports = ["QID2", "QID3_1", "QID3_2", "QID4_1", "QID4_2", "QID5"]
    rows = [
        meta + tags,
        meta_text + texts,
        [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in meta]
        + [json.dumps({"ImportId": i}) for i in imports],
        [
            "2026-03-01 08:00:00",
            "2026-03-01 08:01:00",
            "Survey Preview",
            "",
            "100",
            "60",
            "True",
            "2026-03-01 08:01:00",
            "R_preview",
            "preview",
            "EN",
            "North",
            *(SCALE[4] for _ in ITEMS),
            "test",
        ],
    ]
    for n, (site, values, comment, lang) in enumerate(ANSWERS, start=1):
        cells = ["" if v is None else SCALE[v] for v in values]
        rows.append(
            [
                f"2026-03-0{n} 10:00:00",
                f"2026-03-0{n} 10:04:00",
                "IP Address",
                f"192.0.2.{n}",
                "100",
                "240",
                "True",
                f"2026-03-0{n} 10:04:01",
                f"R_{n:02d}xYzAbCdEf",
                "anonymous",
                lang.upper(),
                site,
                *cells,
                comment,
            ]
        )
    _write("front-desk-check-qualtrics.csv", rows)


def microsoft_forms() -> None:
    titles = [f"{SITE} [site]", *(f"{text} [{ident}]" for ident, _g, _c, _t, text in ITEMS)]
    rows = [["ID", "Start time", "Completion time", "Email", "Name", *titles, f"{BETTER} [better]"]]
    for n, (site, values, comment, _lang) in enumerate(ANSWERS, start=1):
        cells = ["" if v is None else SCALE[v] for v in values]
        rows.append(
            [
                str(n),
                f"3/{n}/26 10:00:00",
                f"3/{n}/26 10:05:12",
                "anonymous",
                "",
                site,
                *cells,
                comment,
            ]
        )
    _write("front-desk-check-microsoft-forms.csv", rows)


if __name__ == "__main__":
    our_layout()
    limesurvey(full=False)
    limesurvey(full=True)
    qualtrics()
    microsoft_forms()
