"""`cxassess score` as one library call: read the inputs, check the options, score.

`score_inputs` reads exports and response files with `cxassess.inputs.read_responses` and
scores them with `cxassess.scoring.summary.summarise`, the one scoring engine. It adds what
only the combination knows: which `-g` names are segments (declared in the questionnaire, or
any column of the input), and the notes that tell a reader of the results what was left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cxassess.errors import InputError, Location, Problem
from cxassess.format.models import Questionnaire, Segment
from cxassess.results import Results
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE, ScoringOptions


def _slug(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")[:60] or "segment"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def resolve_segments(q: Questionnaire, names: Sequence[str]) -> tuple[list[str], list[Segment]]:
    """The segment ids for `-g` names (an id or title of a declared segment, in any case), and
    the extra segments to make for names that must be columns of the input."""
    from cxassess.inputs.matching import key, texts_of

    declared: dict[str, str] = {}
    for segment in q.segments:
        declared.setdefault(key(segment.id), segment.id)
        for title in texts_of(segment.title):
            declared.setdefault(key(title), segment.id)
    questions = {key(s.id): s.id for s in q.scored_questions()}
    taken = {s.id for s in q.segments} | {s.id for s in q.scored_questions()}
    taken |= {c.id for c in q.comments}
    ids: list[str] = []
    extra: list[Segment] = []
    for name in names:
        name_key = key(name)
        if not name_key:
            raise InputError("-g needs a segment name", hint=_segments_hint(q))
        if name_key in declared:
            ident = declared[name_key]
        elif name_key in questions:
            raise InputError(
                f"'{name}' is a question, not a segment: -g groups respondents by a segment",
                hint=_segments_hint(q),
            )
        else:
            made = next((s for s in extra if key(str(s.title)) == name_key), None)
            if made is None:
                made = Segment(id=_slug(name, taken), title=name.strip())
                taken.add(made.id)
                extra.append(made)
            ident = made.id
        if ident not in ids:
            ids.append(ident)
    return ids, extra


def _segments_hint(q: Questionnaire) -> str:
    declared = ", ".join(s.id for s in q.segments)
    return (
        f"segments of '{q.id}': {declared}; or name a column of the input"
        if declared
        else f"'{q.id}' declares no segments; name a column of the input"
    )


def _reading_notes(problems: list[Problem]) -> list[str]:
    from cxassess.inputs.columns import cell_count

    notes = []
    cells = cell_count(problems)
    if cells:
        notes.append(
            f"{cells:,} answer(s) could not be read (not a value of their scale) and were "
            "counted as missing."
        )
    unfinished = sum(1 for p in problems if "unfinished run" in p.what)
    if unfinished:
        notes.append(f"{unfinished} unfinished response file(s) were left out.")
    return notes


def _import_in_background(module: str) -> None:
    """Start importing a module in a daemon thread: its import (NumPy's, for scoring) then
    overlaps the parsing of the inputs, which runs outside the interpreter lock. Whoever
    imports it later waits for this import to finish (Python's import lock); a failure is
    left for that import to report."""
    import contextlib
    import importlib
    import sys
    import threading

    def load() -> None:
        with contextlib.suppress(Exception):  # the import in the main thread reports it
            importlib.import_module(module)

    if module not in sys.modules:
        threading.Thread(target=load, daemon=True).start()


def score_inputs(
    paths: Iterable[str | Path],
    questionnaire: Questionnaire,
    *,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    mapping: Any | Mapping[str, Any] | str | Path | None = None,
    strict: bool = False,
    lang: str | None = None,
    include_tests: bool = False,
    min_comment_group_size: int | None = None,
    keep_first_duplicate: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> tuple[Results, list[Problem]]:
    """Score survey exports and response files against a questionnaire.

    Returns the results (overall, dimensions, items, outcomes, drivers, one breakdown per
    segment, recommendations) and the problems met while reading (unreadable cells, missing
    columns, skipped files), which the caller shows. Bad options and unusable inputs raise
    `InputError`; with `strict=True` the first problem does. `on_step` is told each step
    (reading, scoring) as it begins, for a progress display.
    """
    from cxassess.inputs.reader import read_inputs, unmatched_segment_hint
    from cxassess.scoring.duplicates import check_duplicates
    from cxassess.scoring.privacy import PrivacySettings
    from cxassess.scoring.summary import hash_sources, summarise

    _import_in_background("cxassess.scoring.aggregate")  # NumPy loads while the inputs parse
    q = questionnaire
    ScoringOptions.of(
        min_group_size=min_group_size, segments=segments, strict=strict, lang=lang
    ).for_questionnaire(q)
    PrivacySettings(min_group_size, min_comment_group_size)  # refuses bad thresholds early
    ids, extra = resolve_segments(q, segments)
    scoring_q = q.model_copy(update={"segments": [*q.segments, *extra]}) if extra else q
    if on_step is not None:
        on_step("Reading the answers")
    # the inputs' SHA-256 goes on in the background while scoring runs; filled in after
    outcome = read_inputs(
        paths,
        scoring_q,
        mapping=mapping,
        strict=strict,
        defer_hashes=True,
        include_tests=include_tests,
    )
    problems = list(outcome.responses.problems)
    for segment in extra:
        if segment.id not in outcome.segments_found:
            raise InputError(
                f"unknown segment '{segment.title}': not a segment of '{q.id}' "
                "and not a column of the input",
                hint=unmatched_segment_hint(q, outcome),
            )
    for ident in ids:
        if ident not in outcome.segments_found and ident not in {s.id for s in extra}:
            problems.append(
                Problem(
                    Location(None),
                    f"segment '{ident}'",
                    "no input has a column for it; every respondent is in '(not stated)'",
                    f"add a column headed {ident}, or map one with --map",
                    severity="warning",
                )
            )
    frame = outcome.responses.frame
    if frame.height == 0:
        raise InputError(
            "no answers to score: every input was empty or unfinished",
            hint="give exports with at least one response, or finished `cxassess run` files",
        )
    frame, dropped = check_duplicates(frame, outcome.responses.sources, keep_first_duplicate)
    problems += dropped
    if on_step is not None:
        on_step(f"Scoring {frame.height:,} responses")
    results = summarise(
        scoring_q,
        frame,
        segments=ids,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        lang=lang,
        sources=outcome.responses.sources,
        notes=_reading_notes(problems),
    )
    outcome.finish_hashes()
    results.sources = list(outcome.responses.sources)
    results.input_hash = hash_sources(results.sources)
    return results, problems
