"""Answers to results in one library call: check the options, read, refuse duplicates, score.

`score_answers` opens exports and response files with `cxassess.inputs.reader.read_batched`
and scores their answers a batch at a time with `cxassess.scoring.stream.summarise_batches`,
the one scoring engine (which applies rule 11 through `cxassess.scoring.privacy.apply_privacy`),
so that a large CSV is scored in memory that does not grow with it. It adds what only the
combination knows: which `-g` names are segments (declared in the questionnaire, or any column
of the input), a `-g` that matches nothing or that no respondent has a value for (refused,
naming the closest columns), and the notes that tell a reader of the results what was left
out. `score`,
`report`, `report --customer` and `gap` all score answers through it; asked to, it keeps the
answers it read, so per-group reports score their groups without reading the inputs again.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import re
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cxassess.errors import InputError, Problem
from cxassess.format.models import Questionnaire, Segment
from cxassess.inputs.classify import classify_all, refuse_missing, refuse_not_inputs
from cxassess.inputs.columns import cell_count
from cxassess.inputs.matching import key, texts_of, tidy
from cxassess.inputs.reader import ReadOutcome, read_batched
from cxassess.results import Results, SourceFile
from cxassess.scoring.duplicates import RepeatHashes, find_repeats
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE, ScoringOptions
from cxassess.scoring.privacy import PrivacySettings

if TYPE_CHECKING:
    import polars as pl

    from cxassess.inputs.reader import BatchedRead
    from cxassess.scoring.stream import BatchSums


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

    def load() -> None:
        with contextlib.suppress(Exception):  # the import in the main thread reports it
            importlib.import_module(module)

    if module not in sys.modules:
        threading.Thread(target=load, daemon=True).start()


def _closest(name: str, candidates: Iterable[str]) -> list[str]:
    """Up to three of `candidates` nearest to `name` (case and spacing aside), for a hint."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        text = tidy(candidate)
        if key(text):
            by_key.setdefault(key(text), text)
    found = difflib.get_close_matches(key(name), list(by_key), n=3, cutoff=0.5)
    return [by_key[k] for k in found]


def _segment_hint(q: Questionnaire, outcome: ReadOutcome, name: str, ident: str) -> str:
    """What to do about a `-g` that matched no column: the closest columns and segments by
    name, then the questionnaire's segments and the input's other columns."""
    declared = [s.id for s in q.segments if s.id in outcome.segments_found and s.id != ident]
    columns = [h for h in outcome.unmatched_headers if key(h)]
    near = _closest(name, [*declared, *columns])
    hint = f"the closest columns: {', '.join(repr(n) for n in near)}; " if near else ""
    hint += f"the questionnaire's segments are: {', '.join(s.id for s in q.segments) or 'none'}"
    if columns:
        hint += "; other columns in the input: " + ", ".join(
            f"'{tidy(c)[:40]}'" for c in columns[:8]
        )
    return hint


def _check_segments(
    q: Questionnaire,
    names: Sequence[str],
    ids: Sequence[str],
    extra: Sequence[Segment],
    outcome: ReadOutcome,
    filled: Mapping[str, int] | None,
) -> None:
    """Refuse (exit 2) a `-g` that names no segment and no column of the input, or one that no
    respondent has a value for (`filled`: how many have one, per segment; None to check only
    the names): its breakdown would be one group "(not stated)" of everyone."""
    made = {s.id for s in extra}
    scoring_q = q.model_copy(update={"segments": [*q.segments, *extra]}) if extra else q
    named = dict(zip(ids, _names_of(scoring_q, names, ids), strict=True))
    for ident in ids:
        name = named[ident]
        if ident in made and ident not in outcome.segments_found:
            raise InputError(
                f"unknown segment '{name}': not a segment of '{q.id}' and not a column of "
                "the input",
                hint=_segment_hint(q, outcome, name, ident),
            )
        if filled is not None and not filled.get(ident, 0):
            why = (
                "its column is empty"
                if ident in outcome.segments_found
                else "no input has a column for it"
            )
            raise InputError(
                f"segment '{name}': no respondent has a value for it ({why}), so every "
                "respondent would be in one group '(not stated)'",
                hint=f"add a column headed {ident} to the input, or map one with --map; "
                + _segment_hint(q, outcome, name, ident)
                + f"; or leave out -g {name}",
            )


def _names_of(q: Questionnaire, names: Sequence[str], ids: Sequence[str]) -> list[str]:
    """The first `-g` name given for each segment id (for messages in the user's words)."""
    found: dict[str, str] = {}
    for name in names:
        resolved, _extra = resolve_segments(q, [name])
        if resolved:
            found.setdefault(resolved[0], name.strip())
    return [found.get(ident, ident) for ident in ids]


def _refuse_scored_files(paths: Sequence[str | Path]) -> None:
    """Refuse (exit 2) figures given where answers are wanted: a results, gap or comparison
    file holds no answers to score."""
    infos = classify_all(paths)
    refuse_missing(infos)
    refuse_not_inputs(
        infos,
        "answers",
        "give survey exports or response files of `cxassess run`; for the gap, use `cxassess gap`",
    )
    scored = next((i for i in infos if i.kind == "results"), None)
    if scored is not None:
        raise InputError(
            f"{scored.path}: this is {scored.describe()}, not answers to score",
            hint="give the survey exports or response files it was scored from; to write "
            f"a report from it, run `cxassess report {scored.path}`",
        )


@dataclass
class ScoredInputs:
    """Answers read and scored: the results, the problems met while reading, and what the
    answers were scored from (the answers frame, the questionnaire with any segments made
    for `-g` columns, the segment ids), so that a report per group scores from them again
    without reading the inputs a second time."""

    results: Results
    problems: list[Problem]
    frame: pl.DataFrame | None
    """The answers scored (repeated respondents already dropped when asked to), when asked
    for with `score_answers(keep_frame=True)`; None otherwise."""
    questionnaire: Questionnaire
    """The questionnaire scored with: the given one plus segments made for `-g` columns."""
    segment_ids: list[str]
    sources: list[SourceFile] = field(default_factory=list)


def _rows_progress(on_step: Callable[[str], None]) -> Callable[[int], None]:
    """Tell `on_step` how many rows were read and how fast, at most twice a second."""
    started = time.monotonic()
    shown = [started]

    def rows_read(rows: int) -> None:
        now = time.monotonic()
        if now - shown[0] < 0.5:
            return
        shown[0] = now
        rate = rows / max(now - started, 1e-9)
        on_step(f"Reading and scoring the answers: {rows:,} rows ({rate:,.0f} a second)")

    return rows_read


def score_answers(
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
    keep_frame: bool = False,
    stream_from: int | Literal["auto"] | None = "auto",
    batch_rows: int | None = None,
) -> ScoredInputs:
    """Score survey exports and response files against a questionnaire.

    The results hold the overall figures, dimensions, items, outcomes, drivers, one breakdown
    per segment and recommendations, with rule 11 applied; `problems` are what reading met
    (unreadable cells, missing columns, skipped files), for the caller to show. Bad options,
    unusable inputs, repeated respondents and `-g` names that match no column raise
    `InputError`; with `strict=True` the first reading problem does. `on_step` is told each
    step (reading, scoring, and rows read while a large file is read) for a progress display.

    UTF-8 CSV exports of at least `stream_from` bytes ("auto": `STREAM_FROM_BYTES` of
    `cxassess.inputs.limits`; None: none) are read and scored `batch_rows` rows at a time
    (None: `DEFAULT_BATCH_ROWS` of `cxassess.inputs.batches`) with `summarise_batches`, so
    memory does not grow with them; the results are the same. Such a file is converted as its
    first batch decides and scored in the pass that counts its values; where the whole file
    decides otherwise (`BatchedRead.settled`), it is scored again. With `keep_frame`, the answers
    scored are kept in `ScoredInputs.frame` (a report per group scores its groups from them),
    which holds every row in memory.
    """
    # the scoring modules are not imported until the inputs are read: NumPy loads in the
    # background while they parse (see `_import_in_background`), instead of delaying the
    # start (importing them here first took 0.3 s of a 1.7 s score of a million rows).
    # polars first: two imports at once only share the interpreter lock.
    importlib.import_module("polars")
    _import_in_background("cxassess.scoring.aggregate")
    q = questionnaire
    paths = list(paths)
    _refuse_scored_files(paths)
    ScoringOptions.of(
        min_group_size=min_group_size, segments=segments, strict=strict, lang=lang
    ).for_questionnaire(q)
    PrivacySettings(min_group_size, min_comment_group_size)  # refuses bad thresholds early
    ids, extra = resolve_segments(q, segments)
    scoring_q = q.model_copy(update={"segments": [*q.segments, *extra]}) if extra else q
    if on_step is not None:
        on_step("Reading the answers")
    # the inputs' SHA-256 goes on in the background while scoring runs; filled in after
    open_inputs = functools.partial(
        read_batched,
        paths,
        scoring_q,
        mapping=mapping,
        strict=strict,
        defer_hashes=True,
        include_tests=include_tests,
        stream_from=stream_from,
        batch_rows=batch_rows,
    )
    read = open_inputs(provisional=True, defer_refusal=True)
    outcome = read.outcome
    if read.rows_known == 0:
        raise InputError(
            "no answers to score: every input was empty or unfinished",
            hint="give exports with at least one response, or finished `cxassess run` files",
        )
    # a file read in batches may turn out to hold no answers only once read: that refusal
    # comes first, as when it is read whole, so empty segments are refused after the pass
    _check_segments(q, segments, ids, extra, outcome, None if read.streamed else read.filled)
    if read.refusal is not None:  # after the -g names, as whatever the file's size
        if read.refusal is read.crowded and read.provisional:
            # counted from first batches: reading the whole files raises the same refusal
            # with the exact number (each file is within the limit alone, so counting it
            # whole holds few values); the provisional refusal below is only a fallback
            open_inputs()
        raise read.refusal
    on_rows = None
    if on_step is not None:
        if read.rows_known is None:
            on_step("Reading and scoring the answers")
            on_rows = _rows_progress(on_step)
        else:
            on_step(f"Scoring {read.rows_known:,} responses")
    sources = list(outcome.responses.sources)
    try:
        passed = _first_pass(scoring_q, read, ids, sources, keep_frame, on_rows)
    except (InputError, *_polars_errors()):
        if not read.provisional:
            raise
        passed = None  # a provisional conversion met what the whole file decides otherwise
    if passed is None or read.provisional:
        settled, same = (None, False) if passed is None else read.settled(scoring_q)
        if settled is None:  # read again, each file's conversion decided before scoring
            # a segment with too many values, met part-way in the pass, is refused here
            read = open_inputs()
            outcome = read.outcome
            sources = list(outcome.responses.sources)
        else:
            read = settled
        if not same:
            passed = _first_pass(scoring_q, read, ids, sources, keep_frame, on_rows)
    assert passed is not None
    sums, hashes, kept = passed
    problems = list(outcome.responses.problems)
    if read.streamed:
        _check_segments(q, segments, ids, extra, outcome, read.filled)

    from cxassess.scoring.stream import count_batches, summarise_sums
    from cxassess.scoring.summary import hash_sources

    def scored(found: BatchSums) -> Results:
        return summarise_sums(
            scoring_q,
            found,
            min_group_size=min_group_size,
            min_comment_group_size=min_comment_group_size,
            lang=lang,
            sources=outcome.responses.sources,
            notes=_reading_notes(problems),
        )

    results = scored(sums)
    drop, dropped = find_repeats(read.batches, sources, hashes, keep_first_duplicate)
    if drop:  # scored again without the repeats (rare: the same export given twice)
        results = scored(count_batches(scoring_q, read.batches(drop), segments=ids))
    problems += dropped
    frame = _kept_frame(kept, drop) if keep_frame else None
    outcome.finish_hashes()
    results.sources = sources
    results.input_hash = hash_sources(sources)
    return ScoredInputs(results, problems, frame, scoring_q, list(ids), sources)


def _polars_errors() -> tuple[type[Exception], ...]:
    import polars as pl

    return (pl.exceptions.PolarsError,)


def _first_pass(
    q: Questionnaire,
    read: BatchedRead,
    segments: Sequence[str],
    sources: list[SourceFile],
    keep_frame: bool,
    on_rows: Callable[[int], None] | None,
) -> tuple[BatchSums, RepeatHashes, list[pl.DataFrame]]:
    """One pass over every batch: the scoring sums, the hashes that find repeated
    respondents, and (with `keep_frame`) the batches themselves. A batch is hashed in a
    thread of its own while it is scored (a tenth of the time of a Parquet file's pass, where
    scoring, not reading, is the slowest step), at most one batch behind."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from cxassess.scoring.stream import count_batches

    hashes = RepeatHashes(len(sources) > 1)
    kept: list[pl.DataFrame] = []

    def batches() -> Iterator[pl.DataFrame]:
        hashing: Future[None] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxassess-hashes") as pool:
            for batch in read.batches(on_rows=on_rows):
                if hashing is not None:
                    hashing.result()
                hashing = pool.submit(hashes.add, batch)
                if keep_frame:
                    kept.append(batch)
                yield batch
            if hashing is not None:
                hashing.result()

    return count_batches(q, batches(), segments=segments), hashes, kept


def _kept_frame(kept: list[pl.DataFrame], drop: Sequence[int]) -> pl.DataFrame:
    """The batches of the first pass as one frame, without the rows at positions `drop`."""
    import polars as pl

    frame = pl.concat(kept, how="vertical", rechunk=False)
    if not drop:
        return frame
    return frame.with_row_index("__index").filter(~pl.col("__index").is_in(drop)).drop("__index")


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
    """Score survey exports and response files against a questionnaire: `score_answers`,
    giving only the results and the problems met while reading (for scripts, as
    `cxassess.score_inputs`)."""
    scored = score_answers(
        paths,
        questionnaire,
        segments=segments,
        min_group_size=min_group_size,
        mapping=mapping,
        strict=strict,
        lang=lang,
        include_tests=include_tests,
        min_comment_group_size=min_comment_group_size,
        keep_first_duplicate=keep_first_duplicate,
        on_step=on_step,
    )
    return scored.results, scored.problems
