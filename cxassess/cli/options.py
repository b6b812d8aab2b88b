"""The options several commands share, each declared once with one help text.

Commands use these `Annotated` aliases (the way sqlite-utils and fastapi-cli share theirs), so
`score`, `report` and `gap` spell, explain and default `-q`, `-g`, `--min-group-size`,
`--strict`, `--lang` and `--map` alike. The values are checked in the library
(`cxassess.scoring.options`), not here, so the library refuses what the command line does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxassess.cli.app import set_quiet
from cxassess.cli.completion import complete_questionnaire, complete_segment
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "IncludeTestResponsesOption",
    "KeepFirstDuplicateOption",
    "LangOption",
    "MapOption",
    "MinCommentGroupSizeOption",
    "MinGroupSizeOption",
    "QuestionnaireOption",
    "QuietOption",
    "SegmentsOption",
    "StrictOption",
]

QuestionnaireOption = Annotated[
    str,
    typer.Option(
        "-q",
        "--questionnaire",
        metavar="QUESTIONNAIRE",
        help="The questionnaire answered: a built-in id (see `cxassess list`) or a YAML file.",
        show_default=False,
        autocompletion=complete_questionnaire,
    ),
]

SegmentsOption = Annotated[
    list[str],
    typer.Option(
        "-g",
        "--segment",
        metavar="SEGMENT",
        help="Break the results down by a segment of the questionnaire, or by any column of "
        "the input (repeatable).",
        show_default=False,
        autocompletion=complete_segment,
    ),
]

MinGroupSizeOption = Annotated[
    int,
    typer.Option(
        "--min-group-size",
        metavar="N",
        help="Groups with fewer respondents show only their number, to protect anonymity.",
    ),
]

MinCommentGroupSizeOption = Annotated[
    int | None,
    typer.Option(
        "--min-comment-group-size",
        metavar="N",
        help="Groups with fewer respondents show no comments (default 10, never below "
        "--min-group-size).",
        show_default=False,
    ),
]

KeepFirstDuplicateOption = Annotated[
    bool,
    typer.Option(
        "--keep-first-duplicate",
        help="Keep the first of repeated responses (the same respondent id, or the same "
        "answers in two files) instead of refusing them.",
    ),
]

IncludeTestResponsesOption = Annotated[
    bool,
    typer.Option(
        "--include-test-responses",
        help="Also score Qualtrics survey previews and test responses (left out by default).",
    ),
]

StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Stop at the first unreadable answer (exit 2) instead of counting it as missing.",
    ),
]

LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="LANG", help="Language of the questionnaire's texts, e.g. en."),
]

MapOption = Annotated[
    Path | None,
    typer.Option(
        "--map",
        metavar="FILE",
        help="A YAML file mapping odd headers to question ids and odd answers to values.",
        show_default=False,
    ),
]

HeadcountsOption = Annotated[
    Path | None,
    typer.Option(
        "--headcounts",
        metavar="FILE",
        help="A CSV of each group's number of people (first row e.g. `team,headcount`): "
        "adds response rates, flagged under 50%.",
        show_default=False,
    ),
]

QuietOption = Annotated[
    bool,
    typer.Option(
        "-Q",
        "--quiet",
        callback=set_quiet,
        help="No messages on stderr (progress, files written); warnings and errors still show.",
    ),
]
