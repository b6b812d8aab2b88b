"""Read any mix of survey exports and response files into one answers frame.

This is the one entry point of `cxassess.inputs`: `read_responses(paths, q)`. Each export is
opened (`exports`), its columns matched to the questionnaire (`matching`, `columns`) and read
in columnar passes; response files of `cxassess run` are read by `responses`. Every input ends
in the same answers-frame schema (`cxassess.responses.answers_schema`), so they mix freely.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cxassess.errors import (
    FileNotFound,
    InputError,
    Location,
    Problem,
    ResponseError,
    TooManyGroups,
)
from cxassess.format.models import Questionnaire
from cxassess.inputs import batches as batching
from cxassess.inputs import limits
from cxassess.inputs.batches import (
    DEFAULT_BATCH_ROWS,
    StreamedExport,
    open_streamed,
    streamable,
    streamed_batches,
)
from cxassess.inputs.columnar import COLUMNAR_SUFFIXES, is_columnar, is_columnar_dataset
from cxassess.inputs.exports import SPREADSHEET_SUFFIXES, Digest, Export
from cxassess.inputs.limits import check_regular
from cxassess.inputs.mapfile import HeaderMap, coerce_map
from cxassess.inputs.matching import tidy
from cxassess.inputs.slices import sliced_batches
from cxassess.inputs.valuecounts import ValueCounts
from cxassess.responses import Responses
from cxassess.results import SourceFile

if TYPE_CHECKING:
    import polars as pl

    from cxassess.inputs.columnar import ColumnarExport
    from cxassess.inputs.columns import ColumnPlan, Conversion

INPUT_SUFFIXES = (
    frozenset({".csv", ".tsv", ".txt", ".json"}) | SPREADSHEET_SUFFIXES | COLUMNAR_SUFFIXES
)


@dataclass
class ReadOutcome:
    """What reading found, beyond the responses: which segments had a column, and the headers
    that matched nothing (for hints)."""

    responses: Responses
    segments_found: set[str] = field(default_factory=set)
    unmatched_headers: list[str] = field(default_factory=list)
    pending_hashes: list[tuple[SourceFile, Digest]] = field(default_factory=list)
    """Sources whose SHA-256 is still being computed (see `read_inputs(defer_hashes=True)`)."""

    def finish_hashes(self) -> None:
        """Wait for the sources' SHA-256 still being computed, and fill them in."""
        for source, digest in self.pending_hashes:
            source.sha256 = digest.hexdigest()
        self.pending_hashes.clear()


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Input paths with folders replaced by the answer files they hold (sorted by name)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir() and is_columnar_dataset(path):
            inside = [path]  # a folder of Parquet files is one dataset, read as one input
        elif path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith(".")
            )
            if not inside:
                raise InputError(
                    f"{path}: no answer files in this folder",
                    hint="give CSV, XLSX, Parquet or response (.json) files, "
                    "or a folder that holds them",
                )
        elif not path.exists():
            raise FileNotFound(path, "input file")
        else:
            check_regular(path)
            inside = [path]
        for file in inside:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(file)
    if not found:
        raise InputError("no input files", hint="give one or more CSV, XLSX or .json files")
    return found


def _header_name(header: str, limit: int = 50) -> str:
    """A header short enough for a message, keeping its end (where grid rows are named)."""
    text = tidy(header)
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[: limit // 2 - 2]}…{text[-(limit // 2) :]}'"


def _better_questionnaire(export: Export, q: Questionnaire, found: int) -> str:
    """A hint naming the questionnaire on the search path whose questions the export's
    columns match best, when one matches more of them than `q` does."""
    from cxassess.format.catalog import list_questionnaires
    from cxassess.inputs.columns import plan_columns
    from cxassess.inputs.matching import HeaderIndex

    best, best_found = None, found
    for entry in list_questionnaires()[0]:
        other = entry.questionnaire
        if other.id == q.id:
            continue
        plan = plan_columns(export, other, HeaderIndex.build(other))
        matched = sum(1 for s in other.scored_questions() if s.id in plan.source)
        if matched > best_found:
            best, best_found = other, matched
    if best is None:
        return ""
    total = len(best.scored_questions())
    return f"the columns match {best_found} of {total} questions of '{best.id}': try -q {best.id}"


def _no_matching_column(export: Export, q: Questionnaire) -> InputError:
    headers = [h for h in export.shown if h]
    shown = ", ".join(_header_name(h, 40) for h in headers[:6]) or "(none)"
    example = q.all_items()[0].id
    better = _better_questionnaire(export, q, 0)
    return InputError(
        f"{export.path}: no column matches a question of '{q.id}' (headers: {shown}"
        + (", ..." if len(headers) > 6 else "")
        + ")",
        hint=(better + "; or " if better else "")
        + f"headers must be question ids such as {example} or the questions' texts; "
        f"run `cxassess template {q.id}` for a file with the right headers, check -q, "
        "or map the headers with --map",
    )


def _poor_match(export: Export, q: Questionnaire, found: list[str], unmatched: int) -> InputError:
    total = len(q.scored_questions())
    better = _better_questionnaire(export, q, len(found))
    return InputError(
        f"{export.path}: only {len(found)} of the {total} questions of '{q.id}' have a column "
        f"({', '.join(found[:4])}{', ...' if len(found) > 4 else ''}), and {unmatched} other "
        "columns match none: is this the right questionnaire?",
        hint=(better + "; or " if better else "") + "check -q, or map the headers with --map",
    )


def _respellings(
    q: Questionnaire,
    counts_of: Callable[[str], dict[str, int]],
    known: dict[str, set[str]] | None = None,
) -> dict[str, dict[str, str]]:
    """Segment values written in different case or spacing ("sales", "Sales ") become one
    group, spelt the way most respondents wrote it (`counts_of(segment)`: how many hold each
    value): per segment, each value respelt and its new spelling. `known` holds the distinct
    values of segments where they are known: when no two of them differ only so, nothing is
    counted."""
    found: dict[str, dict[str, str]] = {}
    for segment in q.segments:
        if segment.choices:
            continue
        values = (known or {}).get(segment.id)
        if values is not None and len({" ".join(v.casefold().split()) for v in values}) == len(
            values
        ):
            continue
        # fewest first, equals in descending order: the last written for a key wins
        ordered = [
            value
            for value, _n in sorted(
                counts_of(segment.id).items(), key=lambda pair: (pair[1], _Descending(pair[0]))
            )
        ]
        canonical: dict[str, str] = {}
        for value in ordered:
            canonical[" ".join(value.casefold().split())] = value
        respelt = {v: canonical[" ".join(v.casefold().split())] for v in ordered}
        respelt = {old: new for old, new in respelt.items() if old != new}
        if respelt:
            found[segment.id] = respelt
    return found


def _spelling_exprs(respelt: dict[str, dict[str, str]]) -> list[pl.Expr]:
    """The expressions that respell segment values as `_respellings` decided."""
    import polars as pl

    return [
        pl.col(segment).replace(list(values), list(values.values()))
        for segment, values in respelt.items()
    ]


class _Descending(str):
    """A text that sorts in reverse order."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)


def _frame_counts(frames: list[pl.DataFrame]) -> Callable[[str], dict[str, int]]:
    """How many rows of `frames` hold each value of a segment."""

    def counts_of(segment: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for frame in frames:
            for value, n in frame.group_by(segment).len().drop_nulls().iter_rows():
                found[value] = found.get(value, 0) + n
        return found

    return counts_of


def _first_error(problems: list[Problem]) -> Problem | None:
    return next((p for p in problems if p.severity == "error"), None)


def _strict_error(problem: Problem) -> ResponseError:
    return ResponseError(
        (f"{problem.where}: " if problem.where else "") + problem.what,
        hint=(problem.hint + "; " if problem.hint else "")
        + "without --strict, problems like this are listed and scoring goes on",
        location=Location(problem.location.file, problem.location.line),
    )


@dataclass
class Part:
    """One input read: its answers in memory, or a scan of the file and how to convert it,
    to read a batch at a time."""

    frame: pl.DataFrame | None = None
    source: SourceFile | None = None
    read: Callable[..., Iterator[pl.DataFrame]] | None = None
    """The file's converted batches, read again from the file at each call."""
    conversion: Conversion | None = None
    problems: list[Problem] = field(default_factory=list)
    """What reading the input met (with the conversion's problems)."""
    values: dict[str, set[str]] = field(default_factory=dict)
    """The distinct values of each segment the input has."""
    replan: (
        Callable[[dict[str, pl.DataFrame]], tuple[Conversion, Callable[..., Iterator]]] | None
    ) = None
    """For a provisional conversion (decided from the first batch only): the conversion of
    the whole file's counted values, and its batches."""
    counts: ValueCounts | None = None
    """For a provisional conversion: the values counted in the first pass over the batches."""
    counting_started: bool = False
    counted_whole: bool = False
    """Whether `counts` holds every row of the file (a first pass went to its end)."""
    fixed_problems: list[Problem] = field(default_factory=list)
    """For a provisional conversion: the problems that do not depend on the conversion."""
    sources: list[SourceFile] = field(default_factory=list)
    """The files the input was read from (their rows counted once read)."""
    refusal: TooManyGroups | None = None
    """Why the input cannot be scored, when it was not read (see `read_batched`)."""


@dataclass
class BatchedRead:
    """The inputs read or ready to read, a batch at a time (`batches`), with what reading
    found so far (`outcome`: sources, problems, segments found, unmatched headers)."""

    outcome: ReadOutcome
    parts: list[Part]
    spelling: list[pl.Expr]
    """Segment values to respell (see `_spelling_exprs`), applied to every batch."""
    filled: dict[str, int]
    """Per segment, how many respondents have a value for it."""
    batch_rows: int = DEFAULT_BATCH_ROWS
    respelt: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per segment, the values `spelling` respells and how (to compare two reads)."""
    crowded: TooManyGroups | None = None
    """A segment with more values across the inputs than groups can be scored, if any."""

    @property
    def provisional(self) -> bool:
        """Whether some input's conversion was decided from its first batch only: its problems,
        segment counts and spelling are then provisional too, until `settled`."""
        return any(part.replan is not None for part in self.parts)

    def settled(self, q: Questionnaire) -> tuple[BatchedRead, bool]:
        """After a pass over every batch: the read as the inputs' whole values decide it (each
        provisional conversion decided again from the values counted in that pass), and
        whether every batch of the pass was converted as this read converts it (the same
        values found, so the same conversion, and the same respelling). Its problems are the
        whole files'. A read that is not provisional is its own settled read."""
        if not self.provisional:
            return self, True
        parts: list[Part] = []
        same = True
        for part in self.parts:
            if part.replan is None:
                parts.append(part)
                continue
            assert part.counts is not None and part.conversion is not None
            if not part.counted_whole:
                raise RuntimeError("settled() needs a whole pass over the batches first")
            conversion, read = part.replan(part.counts.counted())
            same = same and conversion.facts == part.conversion.facts
            parts.append(
                Part(
                    source=part.source,
                    read=read,
                    conversion=conversion,
                    problems=part.fixed_problems + conversion.problems,
                    values=conversion.segment_values,
                    fixed_problems=part.fixed_problems,
                    sources=part.sources,
                )
            )
        final = _assembled(q, self.outcome, parts, self.batch_rows)
        if final.crowded is not None:  # the inputs' whole values, more than groups allow
            raise final.crowded
        return final, same and final.respelt == self.respelt

    @property
    def refusal(self) -> TooManyGroups | None:
        """The first input's refusal (see `read_batched(defer_refusal=True)`), else that of
        a segment with too many values across the inputs, if any: the read cannot be scored
        then."""
        found = next((part.refusal for part in self.parts if part.refusal is not None), None)
        return found if found is not None else self.crowded

    @property
    def streamed(self) -> bool:
        """Whether some input is read from its file a batch at a time."""
        return any(part.frame is None for part in self.parts)

    @property
    def rows_known(self) -> int | None:
        """How many respondents were read, when every input is in memory already."""
        if self.streamed:
            return None
        return sum(part.frame.height for part in self.parts if part.frame is not None)

    def batches(
        self, drop: Collection[int] = (), on_rows: Callable[[int], None] | None = None
    ) -> Iterator[pl.DataFrame]:
        """Every respondent's answers, a batch at a time, in the inputs' order; `drop` holds
        positions (from 0, over all inputs) of respondents to leave out. `on_rows` is told
        how many rows were read so far, after each batch. Each pass reads the files again;
        a file read in batches that yields no answers raises `InputError`."""
        import polars as pl

        dropped = sorted(drop)
        position = 0
        yielded = False
        for part in self.parts:
            counting: ValueCounts | None = None
            if part.frame is not None:
                pieces: Iterable[pl.DataFrame] = [part.frame]
            else:
                assert part.read is not None
                if part.counts is not None and not part.counting_started:
                    part.counting_started, counting = True, part.counts
                observe = {} if counting is None else {"observe": counting.add}
                pieces = _guarded(part.read(**observe), part.source)
            produced = 0
            for piece in pieces:
                height = piece.height
                produced += height
                batch = piece.with_columns(self.spelling) if self.spelling else piece
                low = bisect.bisect_left(dropped, position)
                high = bisect.bisect_left(dropped, position + height)
                if high > low:
                    local = [index - position for index in dropped[low:high]]
                    batch = (
                        batch.with_row_index("__index")
                        .filter(~pl.col("__index").is_in(local))
                        .drop("__index")
                    )
                position += height
                if on_rows is not None:
                    on_rows(position)
                if height:
                    yielded = True
                    yield batch
            if part.frame is None and part.source is not None:
                if produced == 0:
                    assert part.conversion is not None
                    raise _no_answers(part.source.file, part.conversion.problems)
                part.source.rows = produced
                if counting is not None:
                    part.counted_whole = True
        if not yielded:
            yield self.outcome.responses.frame


def _no_answers(file: str, problems: list[Problem]) -> InputError:
    """The error for an export with no answers to score: only header rows, or no cell
    that can be read as an answer."""
    from cxassess.inputs.columns import cell_count

    cells = cell_count(problems)
    if cells:
        return InputError(
            f"{file}: no answers that can be read: {cells:,} cell(s) cannot be read, and no "
            "other cell holds an answer",
            hint="check that the columns hold the questionnaire's answers, as numbers or its "
            "labels (--map can give other labels), or leave this file out",
        )
    return InputError(
        f"{file}: no answers, only header rows",
        hint="export the answers again once people have responded, or leave this file out",
    )


def _guarded(pieces: Iterator[pl.DataFrame], source: SourceFile | None) -> Iterator[pl.DataFrame]:
    """The batches of a file read a batch at a time; a failure to decode part-way (a page
    damaged after the first pass, or a file changed while read) is `InputError` (exit 2)."""
    from cxassess.inputs.columnar import failure_text, polars_failure

    try:
        yield from pieces
    except polars_failure() as exc:
        name = source.file if source is not None else "an input"
        raise InputError(
            f"{name}: reading stopped part-way ({failure_text(exc)})",
            hint="the file may be damaged, or have changed while it was read; "
            "export it again and score the new copy",
        ) from None


def _plan_streamed(
    export: StreamedExport,
    q: Questionnaire,
    plan: ColumnPlan,
    header_map: HeaderMap,
    provisional: bool = False,
) -> tuple[Conversion, set[int], Callable[..., Conversion]] | None:
    """The conversion of a file read in batches, the columns read as numbers, and how to
    decide the conversion again from given counts of the file's values (`plan_conversion`
    with `counted`); None when polars cannot read the file so (it is then read whole, whose
    reading says what is wrong with it). The conversion is decided from one pass over the
    whole file, or, `provisional`, from its first batch alone, without problems. As
    `Export.read`, columns that hold something other than plain numbers beyond the sampled
    rows are read as text."""
    import polars as pl

    from cxassess.inputs.columns import numeric_columns, plan_conversion

    numeric = numeric_columns(export, q, plan)
    for floats in (numeric, set()):
        scan = export.scan(plan.wanted, floats)
        batches = functools.partial(export.batches, plan.wanted, floats)
        if provisional:
            batches = functools.partial(_first_of, batches)
        try:
            schema = scan.collect_schema()
            replan = functools.partial(plan_conversion, export, q, plan, header_map, scan, schema)
            conversion = replan(batches, report=not provisional)
        except pl.exceptions.ComputeError:
            if not floats:
                return None
        except pl.exceptions.PolarsError:
            return None
        else:
            return conversion, floats, replan
    return None


def _first_of(batches: Callable[[], Iterator[pl.DataFrame]]) -> Iterator[pl.DataFrame]:
    """The first of `batches()` (none if there is none); the reading stops there."""
    found = batches()
    try:
        first = next(found, None)
    finally:
        found.close()  # type: ignore[attr-defined]
    if first is not None:
        yield first


def _plan_columnar(
    export: ColumnarExport,
    q: Questionnaire,
    plan: ColumnPlan,
    header_map: HeaderMap,
    numeric: Collection[int],
    batch_rows: int,
    provisional: bool = False,
) -> tuple[Conversion, Callable[..., Conversion]]:
    """The conversion of a Parquet or Arrow input read in batches (its bounds checked
    already), decided from one pass over the chosen columns or, `provisional`, from its first
    slice alone, without problems; and how to decide it again from given counts of its values
    (`plan_conversion` with `counted`). A file polars cannot decode is `InputError` (exit 2)."""
    from cxassess.inputs.columnar import polars_failure, unreadable
    from cxassess.inputs.columns import plan_conversion

    scan = export.scan_columns(plan.wanted, numeric)
    try:
        schema = scan.collect_schema()
        replan = functools.partial(plan_conversion, export, q, plan, header_map, scan, schema)
        if not provisional:
            return replan(), replan
        raw = functools.partial(
            sliced_batches, export, plan.wanted, numeric, lambda frame: frame, batch_rows
        )
        return replan(functools.partial(_first_of, raw), report=False), replan
    except polars_failure() as exc:
        raise unreadable(export.path, exc) from None


def _replanner(
    planner: Callable[..., Conversion], reader: Callable[[Conversion], Callable[..., Iterator]]
) -> Callable[..., tuple[Conversion, Callable[..., Iterator]]]:
    """`Part.replan` of a provisional read: the conversion `planner` decides from the counts
    of the whole file's values, and the file's batches read with it."""

    def replan(counted: dict[str, pl.DataFrame]) -> tuple[Conversion, Callable[..., Iterator]]:
        whole = planner(counted=counted)
        return whole, reader(whole)

    return replan


def _read_export(
    path: Path,
    q: Questionnaire,
    header_map: HeaderMap,
    outcome: ReadOutcome,
    include_tests: bool = False,
    stream_from: int | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    provisional: bool = False,
) -> Part:
    import polars as pl

    from cxassess.inputs import columns
    from cxassess.inputs.columnar import ColumnarExport, open_columnar
    from cxassess.inputs.columns import (
        STATUS_COLUMN,
        convert_export,
        numeric_columns,
        plan_columns,
    )
    from cxassess.inputs.exports import open_export
    from cxassess.inputs.limits import csv_error
    from cxassess.inputs.matching import HeaderIndex

    export: Export | None = open_streamed(path) if streamable(path, stream_from) else None
    if export is None:
        export = open_columnar(path) if is_columnar(path) else open_export(path)
    plan = plan_columns(export, q, HeaderIndex.build(q, header_map.columns))
    found = [s.id for s in q.scored_questions() if s.id in plan.source]
    if not found:
        raise _no_matching_column(export, q)
    if 2 * len(found) < len(q.scored_questions()) and len(plan.unmatched) > len(found):
        raise _poor_match(export, q, found, len(plan.unmatched))
    # known before the conversion, which may refuse a segment (`TooManyGroups`)
    outcome.segments_found |= {s.id for s in q.segments if s.id in plan.source}
    outcome.unmatched_headers += [h for h in plan.unmatched if h not in outcome.unmatched_headers]
    batched = (
        isinstance(export, ColumnarExport)
        and STATUS_COLUMN not in plan.wanted.values()
        and export.wants_batches(plan.wanted, stream_from)
    )
    numeric: Collection[int] = ()
    if isinstance(export, ColumnarExport):
        numeric = numeric_columns(export, q, plan)
        export.check_bounds(q, plan, numeric, batch_rows if batched else None)
    source = SourceFile(file=str(path), sha256="", rows=0)
    read: Callable[..., Iterator[pl.DataFrame]] | None = None
    conversion: Conversion | None = None
    replan: Callable[..., tuple[Conversion, Callable[..., Iterator]]] | None = None
    if isinstance(export, StreamedExport):
        streamed = _plan_streamed(export, q, plan, header_map, provisional)
        if streamed is None:
            return _read_export(path, q, header_map, outcome, include_tests, None)
        conversion, floats, planner = streamed
        reader = functools.partial(streamed_batches, export, plan.wanted, floats)
        read = functools.partial(reader, conversion, batch_rows)
        if provisional:
            replan = _replanner(planner, lambda whole: functools.partial(reader, whole, batch_rows))

    elif batched:
        assert isinstance(export, ColumnarExport)
        conversion, planner = _plan_columnar(
            export, q, plan, header_map, numeric, batch_rows, provisional
        )
        slicer = functools.partial(sliced_batches, export, plan.wanted, numeric)
        read = functools.partial(slicer, conversion.apply, batch_rows)
        if provisional:
            replan = _replanner(
                planner, lambda whole: functools.partial(slicer, whole.apply, batch_rows)
            )

    fixed = list(plan.problems)
    if read is not None and conversion is not None:
        export.digest.start()
        part = Part(source=source, read=read, conversion=conversion, replan=replan)
        if replan is not None:
            limit = columns.MAX_SEGMENT_VALUES
            segments = conversion.segment_values
            part.counts = ValueCounts(
                conversion.facts, dict.fromkeys(segments, limit), tallied=segments
            )
        part.values = conversion.segment_values
    else:
        try:
            converted = convert_export(export, q, plan, header_map, include_tests=include_tests)
        except pl.exceptions.PolarsError as exc:  # the CSV parser gave up: say where, and why
            if export.text is None:
                raise
            text = str(exc).strip()
            detail = text.splitlines()[0][:120] if text else type(exc).__name__
            raise csv_error(path, export.text, export.delimiter, export.shown, detail) from None
        if converted.frame.height == 0 and converted.test_rows:
            raise InputError(
                f"{path}: only survey previews and test responses ({converted.test_rows}), "
                "which are left out; no real answers to score",
                hint="export the answers again once people have responded, "
                "or add --include-test-responses to score the tests",
            )
        if converted.frame.height == 0:
            raise _no_answers(str(path), converted.problems)
        source.rows = converted.frame.height
        part = Part(frame=converted.frame, source=source, values=converted.segment_values)
        conversion = None
        fixed += converted.problems
    if plan.unmatched:
        names = ", ".join(_header_name(h) for h in plan.unmatched[:5])
        more = f" and {len(plan.unmatched) - 5} more" if len(plan.unmatched) > 5 else ""
        fixed.insert(
            0,
            Problem(
                Location(str(path), export.origin[0] + 1),
                "",
                f"{len(plan.unmatched)} column(s) match no question and were ignored: "
                f"{names}{more}",
                "if they hold answers, rename them to the question ids or map them with --map",
                severity="warning",
            ),
        )
    outcome.pending_hashes.append((source, export.digest))
    part.fixed_problems = fixed
    part.sources = [source]
    part.problems = fixed + (conversion.problems if conversion is not None else [])
    return part


def read_batched(
    paths: Iterable[str | Path],
    q: Questionnaire,
    *,
    mapping: HeaderMap | Mapping[str, Any] | str | Path | None = None,
    strict: bool = False,
    defer_hashes: bool = False,
    include_tests: bool = False,
    stream_from: int | Literal["auto"] | None = "auto",
    batch_rows: int | None = None,
    provisional: bool = False,
    defer_refusal: bool = False,
) -> BatchedRead:
    """Open every input and decide how each is read, to read their answers a batch at a time
    (`BatchedRead.batches`). UTF-8 CSV and TSV exports of at least `stream_from` bytes (None:
    none; "auto": `limits.STREAM_FROM_BYTES`) are read from their files in batches of
    `batch_rows` rows (None: `batches.DEFAULT_BATCH_ROWS`), in memory that does not grow with
    the file; the others are read whole now. Problems, segments found and unmatched headers
    are all known on return, as `read_inputs` gives them; the rows of a file read in batches
    are counted in its source once a pass over the batches is done.

    With `provisional` (and not `strict`), a CSV, Parquet or Arrow input read in batches has
    its conversion decided from its first batch alone, its values counted during the first
    pass over the batches: `BatchedRead.settled` then says whether that pass converted every
    row as the whole file decides, so that a file is parsed once, not twice, when its first
    batch shows every value. Until then the read's problems and segment counts are those of
    first batches.

    With `defer_refusal`, an input with a segment of more values than groups can be scored
    (`TooManyGroups`) does not stop the read: the other inputs are read (their columns
    known, to check the `-g` names first) and `BatchedRead.refusal` holds the error."""
    from cxassess.inputs.responses import looks_like_response_file, read_response_files
    from cxassess.responses import answers_frame

    if stream_from == "auto":
        stream_from = limits.STREAM_FROM_BYTES
    batch_rows = batch_rows or batching.DEFAULT_BATCH_ROWS
    files = expand_inputs(paths)
    header_map = coerce_map(mapping, q)
    outcome = ReadOutcome(Responses(frame=answers_frame(q, [])))
    parts: list[Part] = []
    for path in files:
        if looks_like_response_file(path):
            batch = read_response_files([path], q)
            values = {
                segment.id: set(batch.frame.get_column(segment.id).drop_nulls().unique().to_list())
                for segment in q.segments
            }
            part = Part(frame=batch.frame, problems=batch.problems, values=values)
            part.sources = batch.sources
            parts.append(part)
            outcome.segments_found |= batch.segments_found
        else:
            try:
                part = _read_export(
                    path,
                    q,
                    header_map,
                    outcome,
                    include_tests,
                    stream_from,
                    batch_rows,
                    provisional and not strict,
                )
            except TooManyGroups as refused:
                if not defer_refusal:
                    raise
                part = Part(refusal=refused)
            except InputError:
                # an earlier input's refusal stays the error, as reading without deferral
                refusal = next((p.refusal for p in parts if p.refusal is not None), None)
                if refusal is not None:
                    raise refusal from None
                raise
            parts.append(part)
        if strict and (first := _first_error(parts[-1].problems)) is not None:
            raise _strict_error(first)
    read = _assembled(q, outcome, parts, batch_rows)
    if read.crowded is not None and not defer_refusal:
        raise read.crowded
    if not defer_hashes:
        outcome.finish_hashes()
    return read


def _assembled(
    q: Questionnaire, outcome: ReadOutcome, parts: list[Part], batch_rows: int
) -> BatchedRead:
    """The read of `parts`: their sources and problems in `outcome`, the segment values to
    respell, how many respondents have each segment, and the refusal of a segment with more
    values across the parts than groups can be scored (`BatchedRead.crowded`)."""
    from cxassess.inputs.columns import crowded_segment

    known: dict[str, set[str]] = {segment.id: set() for segment in q.segments}
    problems: list[Problem] = []
    sources: list[SourceFile] = []
    for part in parts:
        sources += part.sources
        problems += part.problems
        for name in known:
            known[name] |= part.values.get(name, set())
    frames = [part.frame for part in parts if part.frame is not None]
    streamed = [part.conversion for part in parts if part.conversion is not None]
    in_memory = _frame_counts(frames)

    def counts_of(segment: str) -> dict[str, int]:
        found = in_memory(segment)
        for conversion in streamed:
            for value, n in conversion.segment_counts.get(segment, {}).items():
                found[value] = found.get(value, 0) + n
        return found

    filled = {
        segment.id: sum(f.height - f.get_column(segment.id).null_count() for f in frames)
        + sum(sum(c.segment_counts.get(segment.id, {}).values()) for c in streamed)
        for segment in q.segments
    }
    outcome.responses = Responses(frame=outcome.responses.frame, sources=sources, problems=problems)
    respelt = _respellings(q, counts_of, known)
    crowded = crowded_segment(known, at_least=any(p.replan is not None for p in parts))
    return BatchedRead(
        outcome,
        parts,
        _spelling_exprs(respelt),
        filled,
        batch_rows,
        respelt=respelt,
        crowded=crowded,
    )


def read_inputs(
    paths: Iterable[str | Path],
    q: Questionnaire,
    *,
    mapping: HeaderMap | Mapping[str, Any] | str | Path | None = None,
    strict: bool = False,
    defer_hashes: bool = False,
    include_tests: bool = False,
) -> ReadOutcome:
    """`read_responses`, also saying which segments had a column and which headers matched
    nothing (used to check `-g` names).

    With `defer_hashes`, the exports' SHA-256 may still be computing, in the background, when
    this returns: their sources hold an empty `sha256` until `outcome.finish_hashes()`.
    With `include_tests`, Qualtrics survey previews and test responses are read too."""
    import polars as pl

    read = read_batched(
        paths,
        q,
        mapping=mapping,
        strict=strict,
        defer_hashes=defer_hashes,
        include_tests=include_tests,
        stream_from=None,
    )
    outcome = read.outcome
    frames = [part.frame for part in read.parts if part.frame is not None]
    # not rechunked: scoring counts answers, so the figures do not depend on how the frame is
    # split into chunks, and copying every column of a large export costs more than it saves
    frame = pl.concat(frames, how="vertical", rechunk=False) if frames else outcome.responses.frame
    outcome.responses.frame = frame.with_columns(read.spelling) if read.spelling else frame
    return outcome


def read_responses(
    paths: Iterable[str | Path],
    q: Questionnaire,
    *,
    mapping: HeaderMap | Mapping[str, Any] | str | Path | None = None,
    strict: bool = False,
) -> Responses:
    """Read CSV/TSV/XLSX exports of any supported survey tool and `cxassess run` response
    files, mixed freely, into one answers frame for `q`.

    Unreadable cells become missing and are listed in `problems` (spreadsheet row, column
    header, value, what was expected); with `strict=True` the first one raises `ResponseError`.
    An empty or missing file, or one with no column matching a question, raises `InputError`.
    `mapping` is a `--map` file (path), its parsed data, or a `HeaderMap`.
    """
    return read_inputs(paths, q, mapping=mapping, strict=strict).responses
