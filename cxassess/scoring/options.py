"""The options of scoring and of the report, checked once, in the library.

Every command and every library entry point (`score_inputs`, `make_report`, `build_gap`)
checks its options here, so `make_report(paper="B5")` fails with the same `InputError` (exit 2
on the command line) as `cxassess report --paper B5`. The default minimum group size lives in
`DEFAULT_MIN_GROUP_SIZE` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cxassess.errors import InputError

if TYPE_CHECKING:
    from cxassess.format.models import Questionnaire

DEFAULT_MIN_GROUP_SIZE = 5
"""Smallest group whose figures are shown: below it, single answers could be recognised."""

Paper = Literal["A4", "Letter"]
PAPERS: dict[str, Paper] = {"a4": "A4", "letter": "Letter"}


def check_min_group_size(min_group_size: int) -> int:
    """The minimum group size if it is usable (a whole number of at least 1), else `InputError`."""
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int):
        raise InputError(
            f"--min-group-size must be a whole number, not {min_group_size!r}",
            hint=f"the default, {DEFAULT_MIN_GROUP_SIZE}, keeps individual answers from being "
            "recognised",
        )
    if min_group_size < 1:
        raise InputError(
            f"--min-group-size must be at least 1, not {min_group_size}",
            hint=f"the default, {DEFAULT_MIN_GROUP_SIZE}, keeps individual answers from being "
            "recognised",
        )
    return min_group_size


def check_lang(questionnaire: Questionnaire, lang: str | None) -> str | None:
    """The language if the questionnaire has texts in it (None: its default), else `InputError`."""
    if lang is not None and lang not in questionnaire.languages:
        raise InputError(
            f"'{questionnaire.id}' has no texts in '{lang}'",
            hint="choose one of its languages: " + ", ".join(questionnaire.languages),
        )
    return lang


def check_paper(paper: str | None) -> Paper | None:
    """'A4' or 'Letter' for any spelling of them (None: the brand's choice), else `InputError`."""
    if paper is None:
        return None
    chosen = PAPERS.get(str(paper).strip().casefold())
    if chosen is None:
        raise InputError(f"unknown paper size '{paper}'", hint="use --paper A4 or --paper Letter")
    return chosen


def check_workers(workers: int | None) -> int | None:
    """The number of report processes if usable (None: one per core), else `InputError`."""
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(
            f"--jobs must be at least 1, not {workers!r}",
            hint="leave it out to use one process per core",
        )
    return workers


@dataclass(frozen=True)
class ScoringOptions:
    """How answers are scored and shown: checked when made, so no caller can skip the checks.

    `segments` are the `-g` names as given (resolved against the questionnaire later);
    the language is checked against a questionnaire with `for_questionnaire`.
    """

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    segments: tuple[str, ...] = ()
    strict: bool = False
    lang: str | None = None

    def __post_init__(self) -> None:
        check_min_group_size(self.min_group_size)
        object.__setattr__(self, "segments", tuple(self.segments))

    @classmethod
    def of(
        cls,
        *,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
        segments: Sequence[str] = (),
        strict: bool = False,
        lang: str | None = None,
    ) -> ScoringOptions:
        """The checked options (`InputError` for a minimum below 1)."""
        return cls(
            min_group_size=min_group_size, segments=tuple(segments), strict=strict, lang=lang
        )

    def for_questionnaire(self, questionnaire: Questionnaire) -> ScoringOptions:
        """These options, with the language checked against the questionnaire's."""
        check_lang(questionnaire, self.lang)
        return self


@dataclass(frozen=True)
class ReportFileOptions:
    """How the report files are made: paper size and worker processes, checked when made."""

    paper: Paper | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "paper", check_paper(self.paper))
        object.__setattr__(self, "workers", check_workers(self.workers))
