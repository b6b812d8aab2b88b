"""From an opened export to answers: which column holds what, and every cell read as a value.

Each column is converted through its distinct values (a handful per question even in a million
rows): each distinct text is read once by the question's `AnswerReader`, and the column is then
replaced in one columnar step. Cells that cannot be read become missing and are reported with
their spreadsheet row, column letter and header, the value, and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxassess.errors import Location, Problem, TooManyGroups
from cxassess.format.models import Questionnaire
from cxassess.inputs.exports import (
    QUALTRICS_SPAM_STATUS,
    QUALTRICS_TEST_STATUS,
    ROW_COLUMN,
    Export,
    hidden_status,
)
from cxassess.inputs.mapfile import HeaderMap
from cxassess.inputs.matching import (
    AnswerReader,
    HeaderIndex,
    SegmentReader,
    Unreadable,
    closest_question,
    key,
    tidy,
)
from cxassess.inputs.valuecounts import count_values, too_many_groups
from cxassess.responses import (
    NON_ANSWER_CODES,
    RESPONDENT_COLUMN,
    answers_schema,
    non_answer_column,
    non_answer_questions,
)

if TYPE_CHECKING:
    import polars as pl

GROUPED_AFTER = 3
"""Unreadable cells of one column listed one by one; more become one line with the count."""
MAX_EXAMINED_CELLS = 1_000_000
"""Unreadable cells gathered to describe them (their values and first rows); past this, the
rest are only counted, so a file of millions of junk cells costs no more memory."""

STATUS_COLUMN = "__status"

METADATA = frozenset(
    {
        # Google Forms, Microsoft Forms
        "timestamp", "emailaddress", "email", "name", "id", "starttime", "completiontime",
        "lastmodifiedtime", "totalpoints", "quizfeedback", "score",
        # Qualtrics
        "startdate", "enddate", "status", "ipaddress", "progress", "durationinseconds",
        "finished", "recordeddate", "responseid", "recipientlastname", "recipientfirstname",
        "recipientemail", "externalreference", "externaldatareference", "locationlatitude",
        "locationlongitude", "distributionchannel", "userlanguage", "qrecaptchascore",
        "qrelevantidduplicate", "qrelevantidduplicatescore", "qrelevantidfraudscore",
        "qrelevantidlaststartdate", "responseset",
        # SurveyMonkey
        "respondentid", "collectorid", "firstname", "lastname", "customdata1", "customdata",
        # KoboToolbox (`_id`, `_uuid`, `__version__`, `meta/instanceID`, ... as keys)
        "start", "end", "today", "deviceid", "uuid", "submissiontime", "validationstatus",
        "notes", "submittedby", "version", "tags", "index", "parentindex", "metainstanceid",
        "metainstancename", "metarootuuid", "metadeprecatedid", "formhubuuid", "username",
        "simserial", "subscriberid", "phonenumber", "audit",
        # LimeSurvey (question codes, then full question texts)
        "submitdate", "lastpage", "startlanguage", "seed", "datestamp", "ipaddr", "refurl",
        "token", "datesubmitted", "datestarted", "datelastaction", "lastpagevisited",
        "referrerurl", "accesscode",
    }
)  # fmt: skip
"""Headers (as keys) that survey tools add and that never hold answers: not worth a warning."""


def _is_metadata(header: str) -> bool:
    """Whether a header is one survey tools add beside the answers (never worth a warning)."""
    header_key = key(header)
    return header_key in METADATA or header_key.endswith("npsgroup")


@dataclass
class CellGroup(Problem):
    """The unreadable cells of one column, in one problem: how many, the values, their rows."""

    cells: int = 0


def cell_count(problems: list[Problem]) -> int:
    """How many unreadable cells a list of problems stands for."""
    return sum(
        p.cells if isinstance(p, CellGroup) else 1
        for p in problems
        if p.severity == "error" and p.location.column is not None
    )


@dataclass
class ColumnPlan:
    """Which export column feeds which answers column, and what did not match."""

    wanted: dict[int, str] = field(default_factory=dict)
    """Export column index -> answers column name."""
    source: dict[str, int] = field(default_factory=dict)
    """Answers column name -> export column index."""
    problems: list[Problem] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[str]:
        """The question ids found."""
        return [name for name in self.source if not name.startswith("__")]


def _where(export: Export, column: int) -> str:
    return f"column {export.letter(column)} '{_short(export.shown[column])}'"


def _short(text: str, limit: int = 60) -> str:
    text = tidy(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plan_columns(export: Export, q: Questionnaire, index: HeaderIndex) -> ColumnPlan:
    """Match every column of an export; report shared texts, repeats and missing questions."""
    plan = ColumnPlan()
    kinds: dict[str, str] = {}
    header_location = Location(export.file, export.origin[0] + 1)
    for column, texts in enumerate(export.headers):
        target, shared = index.lookup(_candidates(texts))
        if target is None:
            if shared:
                plan.problems.append(
                    Problem(
                        header_location,
                        _where(export, column),
                        "the header is the text of several questions ("
                        + ", ".join(shared)
                        + "); column ignored",
                        "name the column by the item id, or map it with --map",
                        severity="warning",
                    )
                )
            elif texts and not any(_is_metadata(t) for t in texts):
                plan.unmatched.append(export.shown[column])
            if export.layout.name == "qualtrics" and any(key(t) == "status" for t in texts):
                plan.wanted[column] = STATUS_COLUMN
                plan.source[STATUS_COLUMN] = column
            continue
        if target.kind == "ignore":
            continue
        name = RESPONDENT_COLUMN if target.kind == "respondent" else target.id
        if name in plan.source:
            first = plan.source[name]
            hint = "remove or rename one of the two columns, or map them with --map"
            if export.layout.name == "kobotoolbox":
                hint += (
                    " (in KoboToolbox, export with 'Include groups in headers' so that each "
                    "column's group path tells them apart)"
                )
            plan.problems.append(
                Problem(
                    header_location,
                    _where(export, column),
                    f"also matches '{name}', already read from column {export.letter(first)}; "
                    "column ignored",
                    hint,
                    severity="warning",
                )
            )
            continue
        plan.wanted[column] = name
        plan.source[name] = column
        kinds[name] = target.kind
    plan.unmatched = _without_expansions(plan.unmatched, export.shown)
    missing = [
        question
        for question in q.scored_questions()
        if question.required and question.id not in plan.source
    ]
    if missing and len(missing) < len(q.scored_questions()):
        plan.problems.append(_missing_problem(export, q, missing, plan.unmatched))
    return plan


def _without_expansions(unmatched: list[str], headers: list[str]) -> list[str]:
    """Unmatched headers without select-multiple expansions (`question/option`, one column per
    option in KoboToolbox exports) whose question is itself a column: one question, one
    entry."""
    columns = {key(header) for header in headers}
    return [
        header
        for header in unmatched
        if "/" not in header or key(header.rsplit("/", 1)[0]) not in columns
    ]


def _missing_problem(
    export: Export, q: Questionnaire, missing: list[Any], unmatched: list[str]
) -> Problem:
    """One problem naming every required question no column matched, with a guess."""
    ids = ", ".join(question.id for question in missing[:8])
    if len(missing) > 8:
        ids += f" and {len(missing) - 8} more"
    if len(missing) == 1:
        what = (
            f"no column matches the required question {missing[0].id} "
            f"('{_short(q.text(missing[0].text))}'); its answers are missing"
        )
    else:
        what = (
            f"no column matches {len(missing)} required questions ({ids}); "
            "their answers are missing"
        )
    hint = "add columns headed by the question ids, or map the headers with --map"
    for header in unmatched:
        guess = closest_question(q, header)
        if guess in {question.id for question in missing}:
            hint = f"column '{_short(header)}' looks like {guess}: rename it or map it with --map"
            break
    return Problem(Location(export.file, export.origin[0] + 1), "header row", what, hint)


def _candidates(texts: list[str]) -> list[str]:
    from cxassess.inputs.matching import header_candidates

    found: list[str] = []
    for text in texts:
        found += header_candidates(text)
    return found


@dataclass
class Converted:
    """One export's answers in the answers-frame schema, and its problems."""

    frame: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    segment_values: dict[str, set[str]] = field(default_factory=dict)
    """The distinct values of each segment column the export has."""
    test_rows: int = 0
    """Qualtrics previews and test responses left out."""


@dataclass
class _Column:
    """An answers column being converted: its name, where it came from, and what it found."""

    export: Export
    name: str
    index: int
    pending: list[_Report]
    non_answers: dict[str, int] = field(default_factory=dict)
    """Texts of the column that are a non-answer, with their `NON_ANSWER_CODES` code."""

    def report(self, bad: pl.Expr, expected: str, reasons: dict[Any, str]) -> None:
        """Note the column's unreadable cells (those where `bad` holds), to be listed once
        every column is planned (`_report_all`, one pass over the rows for all columns)."""
        self.pending.append(_Report(self, bad, expected, reasons))


@dataclass
class _Report:
    """The unreadable cells of one column, still to be found among the rows."""

    column: _Column
    bad: pl.Expr
    expected: str
    reasons: dict[Any, str]

    def problems(
        self, rows: pl.DataFrame, total: int | None = None
    ) -> list[tuple[int, int, Problem]]:
        """A problem per unreadable cell, or, past `GROUPED_AFTER` cells, one for the column
        with the count, its most frequent values and the rows they are on. `rows` holds the
        row number and this column's `value` of every unreadable cell, in row order, or of
        the first of them when `total` (all of them) is more."""
        import polars as pl

        export, index = self.column.export, self.column.index
        header = export.shown[index]
        where = _where(export, index)

        def reason(value: Any) -> str:
            shown = f"{value:g}" if isinstance(value, float) else tidy(str(value))
            return self.reasons.get(value) or f"'{shown}' cannot be read"

        if rows.height <= GROUPED_AFTER and (total is None or total <= rows.height):
            return [
                (
                    int(row),
                    index,
                    Problem(
                        Location(export.file, int(row), header),
                        where,
                        reason(value),
                        f"expected {self.expected}",
                    ),
                )
                for row, value in rows.iter_rows()
            ]
        groups = (
            rows.group_by("value", maintain_order=True)
            .agg(pl.col(ROW_COLUMN).head(4).alias("rows"), pl.len().alias("n"))
            .sort("n", descending=True, maintain_order=True)
        )
        parts = []
        for value, first_rows, n in groups.head(3).iter_rows():
            listed = ", ".join(str(r) for r in first_rows[:3]) + (", ..." if n > 3 else "")
            parts.append(f"{reason(value)} ({n} cell(s), row(s) {listed})")
        if groups.height > 3:
            parts.append(f"and {groups.height - 3} other value(s)")
        first = int(rows.get_column(ROW_COLUMN).min())  # type: ignore[arg-type]
        count = rows.height if total is None else max(total, rows.height)
        among = "" if count == rows.height else f" (in the first {rows.height:,} of them)"
        problem = CellGroup(
            Location(export.file, first, header),
            where,
            f"{count:,} cells cannot be read{among}: " + "; ".join(parts),
            f"expected {self.expected}",
            cells=count,
        )
        return [(first, index, problem)]


def _report_all(pending: list[_Report], source: pl.LazyFrame) -> list[Problem]:
    """The problems of every column's unreadable cells, in row then column order, found in
    one pass over `source` (the whole export: a frame in memory, or a scan of the file)."""
    import polars as pl

    if not pending:
        return []
    names = list(dict.fromkeys(report.column.name for report in pending))
    rows = (
        source.filter(pl.any_horizontal([report.bad for report in pending]))
        .select(ROW_COLUMN, *names)
        .head(MAX_EXAMINED_CELLS + 1)
        .collect(engine="streaming")
    )
    totals: list[int | None] = [None] * len(pending)
    if rows.height > MAX_EXAMINED_CELLS:
        counted = source.select(
            [report.bad.sum().alias(str(i)) for i, report in enumerate(pending)]
        ).collect(engine="streaming")
        totals = [int(n or 0) for n in counted.row(0)]
    found: list[tuple[int, int, Problem]] = []
    for report, total in zip(pending, totals, strict=True):
        value = pl.col(report.column.name).alias("value")
        if total is None:
            cells = rows.filter(report.bad).select(ROW_COLUMN, value)
        elif total == 0:
            continue
        else:  # this column's own first cells: the rows gathered may hold none of them
            cells = (
                source.filter(report.bad)
                .select(ROW_COLUMN, value)
                .head(MAX_EXAMINED_CELLS)
                .collect(engine="streaming")
            )
        found += report.problems(cells, total)
    return [problem for _row, _index, problem in sorted(found, key=lambda f: f[:2])]


def _typed(texts: list[str], dtype: Any) -> list[Any]:
    """`texts` (a column's values cast to text) back as values of the column's type."""
    import polars as pl

    if dtype == pl.String:
        return texts
    if dtype == pl.Boolean:
        return [text == "true" for text in texts]
    return pl.Series(texts, dtype=pl.String).cast(dtype).to_list()


def _column_facts(
    source: pl.LazyFrame,
    schema: pl.Schema,
    readers: dict[str, AnswerReader],
    segments: list[str],
    batches: Callable[[], Iterable[pl.DataFrame]] | None = None,
    counted: dict[str, pl.DataFrame] | None = None,
) -> tuple[set[str], dict[str, list[Any]], dict[str, dict[str, int]]]:
    """Each question column's distinct values, each segment column's distinct texts with how
    many cells hold each, and the numeric columns whose every value is a point of their
    scale (kept as they are): counted a column at a time over `source` (a frame in memory, or
    a Parquet or Arrow scan, where a column is read on its own at no extra cost), or, where
    `batches` is given (a text file, which each column alone would parse again), in one pass
    over its batches; `counted` gives the counts (`valuecounts.ValueCounts`) instead. Conversion
    is decided from these alone, so that every batch of a file read in parts is converted
    alike; the values are in sorted order, so that the same values give the same conversion."""
    import polars as pl

    names = list(dict.fromkeys([*readers, *segments]))
    if not names:
        return set(), {}, {}
    if counted is not None:
        counted = {name: counted[name] for name in names}
    elif batches is None:
        # A streaming group-by of each column's own values, turned into text once each:
        # a quarter of the time of a long (column, text) table on a 20-million-row Parquet
        # file, in a fifth of its memory. (Collected together, polars caches the shared scan.)
        # A question's values are only wanted, a segment's counted.
        counted = {}
        for name in names:
            values = source.select(pl.col(name).alias("value")).drop_nulls("value")
            found = values.group_by("value").len() if name in segments else values.unique()
            counted[name] = found.collect(engine="streaming")
    else:
        counted = count_values((batch.select(names) for batch in batches()), names, segments)

    def texts_of(name: str) -> list[str]:
        return counted[name].get_column("value").cast(pl.String).to_list()

    distinct: dict[str, list[Any]] = {
        name: _typed(sorted(set(texts_of(name))), schema[name]) for name in readers
    }
    counts: dict[str, dict[str, int]] = {}
    for name in segments:
        tally: dict[str, int] = {}
        for text, n in zip(texts_of(name), counted[name].get_column("len").to_list(), strict=True):
            tally[text] = tally.get(text, 0) + int(n)
        counts[name] = tally
        distinct[name] = sorted(tally)
    clean = {
        name
        for name, reader in readers.items()
        if schema[name] == pl.Float64
        and reader.scale.type != "number"
        and reader.points
        and set(distinct[name]) <= set(reader.points)
    }
    return clean, distinct, counts


def _question_expr(
    column: _Column, reader: AnswerReader, dtype: Any, distinct: list[Any], clean: bool = False
) -> pl.Expr:
    import polars as pl

    name = column.name
    if clean:
        return pl.col(name)
    reasons: dict[Any, str] = {}
    if dtype == pl.Float64:
        good, dropped = [], False
        mapped: dict[float, float | None] = {}
        for value in distinct:
            is_mapped, to = reader.mapped(value)
            if is_mapped:
                mapped[value] = to
            elif reader.accepts(value):
                good.append(value)
            elif column.export.layout.name == "qualtrics" and value == -99:
                dropped = True  # Qualtrics' code for "seen but not answered"
            else:
                reasons[value] = f"{value:g} is outside the scale"
        if not reasons and not dropped and not mapped:
            return pl.col(name)
        if reasons:
            bad = pl.col(name).is_in(list(reasons)) | pl.col(name).is_nan()
            column.report(bad, reader.expected(), reasons)
        kept = pl.when(pl.col(name).is_in(good)).then(pl.col(name))
        for value, to in mapped.items():
            kept = kept.when(pl.col(name) == value).then(pl.lit(to, dtype=pl.Float64))
        return kept.otherwise(None).alias(name)
    old: list[str] = []
    new: list[float | None] = []
    for text in distinct:
        value = reader.read(text)
        if isinstance(value, Unreadable):
            reasons[text] = value.reason
            continue
        old.append(text)
        new.append(value)
        if value is None and (kind := reader.non_answer(text)) is not None:
            column.non_answers[text] = NON_ANSWER_CODES[kind]
    if reasons:
        column.report(pl.col(name).is_in(list(reasons)), reader.expected(), reasons)
    return pl.col(name).replace_strict(old, new, default=None, return_dtype=pl.Float64).alias(name)


def _non_answer_expr(column: _Column) -> pl.Expr | None:
    """Which non-answer each cell of a question's text column was (`NON_ANSWER_CODES`), from
    the texts `_question_expr` found; None when the column holds none."""
    import polars as pl

    if not column.non_answers:
        return None
    texts = list(column.non_answers)
    codes = [column.non_answers[t] for t in texts]
    return (
        pl.col(column.name)
        .cast(pl.String)
        .replace_strict(texts, codes, default=None, return_dtype=pl.UInt8)
        .alias(non_answer_column(column.name))
    )


def _segment_expr(
    column: _Column,
    reader: SegmentReader,
    distinct: list[str],
    values: set[str],
    read_as: dict[str, str | None],
) -> pl.Expr:
    """The segment column read by `reader`, from its distinct texts; the values it holds then
    are added to `values`, and what each readable text is read as to `read_as`."""
    import polars as pl

    name = column.name
    text_column = pl.col(name).cast(pl.String)
    old: list[str] = []
    new: list[str | None] = []
    reasons: dict[Any, str] = {}
    for text in distinct:
        value = reader.read(text)
        if isinstance(value, Unreadable):
            reasons[text] = value.reason
            continue
        old.append(text)
        new.append(value)
        read_as[text] = value
    values.update(value for value in new if value is not None)
    if reasons:
        column.report(text_column.is_in(list(reasons)), reader.expected(), reasons)
    elif old == new:
        return text_column.alias(name)
    return text_column.replace_strict(old, new, default=None, return_dtype=pl.String).alias(name)


def _leave_out_status(
    export: Export, frame: pl.DataFrame, problems: list[Problem], include_tests: bool
) -> tuple[pl.DataFrame, int]:
    """The rows of a Qualtrics export without spam and (unless `include_tests`) without survey
    previews and test responses, by their `Status`; each kind left out is counted in a warning.
    Also returns how many previews and tests were left out."""
    left_out = {"spam": QUALTRICS_SPAM_STATUS}
    if not include_tests:
        left_out = {"test": QUALTRICS_TEST_STATUS, **left_out}
    counts: dict[str, int] = {}
    for kind, statuses in left_out.items():
        counts[kind] = frame.select(hidden_status(STATUS_COLUMN, statuses).sum()).item()
        if counts[kind]:
            frame = frame.filter(~hidden_status(STATUS_COLUMN, statuses))
    if counts.get("test"):
        problems.append(
            Problem(
                Location(export.file),
                "Status",
                f"left out {counts['test']} survey preview or test response(s)",
                "to score them as well, add --include-test-responses",
                severity="warning",
            )
        )
    if counts["spam"]:
        problems.append(
            Problem(
                Location(export.file),
                "Status",
                f"left out {counts['spam']} response(s) Qualtrics marked as spam",
                severity="warning",
            )
        )
    return frame, counts.get("test", 0)


@dataclass
class Conversion:
    """How every row of one export is read into the answers-frame schema, decided once from
    the whole export's distinct values: `apply` then converts the rows, all at once or a
    batch at a time, and gives the same answers either way."""

    file_name: str
    exprs: list[pl.Expr]
    present: list[str]
    schema: Any
    problems: list[Problem]
    segment_values: dict[str, set[str]]
    """The distinct values of each segment column the export has."""
    segment_counts: dict[str, dict[str, int]]
    """Per segment column, how many rows hold each value it is read as."""
    facts: dict[str, frozenset[Any]] = field(default_factory=dict)
    """The distinct values of each question and segment column the conversion was decided
    from: two conversions of an export with the same facts convert every row alike."""

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Rows read by `Export.read` (or a batch of them) in the answers-frame schema: rows
        with nothing in them left out, and a made-up id (`FILE:ROW`) where none is given."""
        import polars as pl

        if RESPONDENT_COLUMN in frame.columns:
            respondent = pl.col(RESPONDENT_COLUMN).cast(pl.String).str.strip_chars()
        else:
            respondent = pl.lit(None, dtype=pl.String)
        converted = frame.select(ROW_COLUMN, respondent.alias(RESPONDENT_COLUMN), *self.exprs)
        given = pl.col(RESPONDENT_COLUMN)
        if converted.select((given.str.len_bytes() == 0).any()).item():  # blank ids are none
            converted = converted.with_columns(pl.when(given != "").then(given).otherwise(None))
        # a row with nothing in it (Excel's trailing rows, blank lines) is no respondent; there
        # is none when some column has no missing value
        present = self.present
        blank = pl.all_horizontal([pl.col(c).is_null() for c in present] or [pl.lit(False)])
        if (
            min((converted.get_column(c).null_count() for c in present), default=0)
            and converted.select(blank.any()).item()
        ):
            converted = converted.filter(~blank)
        if converted.get_column(RESPONDENT_COLUMN).null_count():
            generated = pl.concat_str(
                [pl.lit(f"{self.file_name}:"), pl.col(ROW_COLUMN).cast(pl.String)]
            )
            converted = converted.with_columns(pl.col(RESPONDENT_COLUMN).fill_null(generated))
        converted = converted.select(list(self.schema))
        return converted.cast(self.schema)


MAX_SEGMENT_VALUES = 20_000
"""Most different values a segment column may hold. A segment groups people (teams, stores,
regions); a column with more values is an id or free text, and scoring a group for each value
would need memory for every one of them (200,000 values took 4.5 GB)."""


def _refuse_too_many_groups(
    export: Export, plan: ColumnPlan, counts: dict[str, dict[str, int]]
) -> None:
    """Refuse (exit 2) a segment column with more than `MAX_SEGMENT_VALUES` different values."""
    for name, values in counts.items():
        if len(values) > MAX_SEGMENT_VALUES:
            column = plan.source.get(name)
            raise too_many_groups(
                f"the segment '{name}' has {len(values):,} different values",
                MAX_SEGMENT_VALUES,
                Location(str(export.file), 1, None if column is None else column + 1),
            )


def crowded_segment(
    values: Mapping[str, Collection[str]], at_least: bool = False
) -> TooManyGroups | None:
    """The refusal of the first segment whose values, gathered from every input, are more
    than `MAX_SEGMENT_VALUES` (each input's own are checked as it is read: a segment of ids
    spread over many exports, each under the limit, would still build a group for each);
    `at_least` when some input's values are those of its first batch alone."""
    for name, found in values.items():
        if len(found) > MAX_SEGMENT_VALUES:
            many = f"at least {len(found):,}" if at_least else f"{len(found):,}"
            return too_many_groups(
                f"the segment '{name}' has {many} different values across the inputs",
                MAX_SEGMENT_VALUES,
            )
    return None


def plan_conversion(
    export: Export,
    q: Questionnaire,
    plan: ColumnPlan,
    header_map: HeaderMap,
    source: pl.LazyFrame,
    schema: pl.Schema,
    batches: Callable[[], Iterable[pl.DataFrame]] | None = None,
    counted: dict[str, pl.DataFrame] | None = None,
    report: bool = True,
) -> Conversion:
    """Decide how an export's rows are read, from `source`, every row of it as `Export.read`
    gives them (the frame itself, or a scan of the file with the same columns and `schema`):
    one pass finds each column's distinct values (over `batches()`, the same rows a batch at
    a time, where given; `counted` gives them counted already), and one more, only when some
    cell cannot be read, finds those cells' rows for the problems. Without `report` there are
    no problems and no such pass (a provisional conversion, from part of the rows)."""
    import polars as pl

    pending: list[_Report] = []
    present: list[str] = []
    exprs: list[pl.Expr] = []
    readers = {
        question.id: AnswerReader(q, question, header_map.labels_of(question.id))
        for question in q.scored_questions()
        if question.id in schema
    }
    segments = [segment.id for segment in q.segments if segment.id in schema]
    clean, distinct, raw_counts = _column_facts(source, schema, readers, segments, batches, counted)
    _refuse_too_many_groups(export, plan, raw_counts)
    segment_values: dict[str, set[str]] = {}
    segment_counts: dict[str, dict[str, int]] = {}
    non_answers: dict[str, pl.Expr] = {}
    for question in q.scored_questions():
        if question.id in readers:
            column = _Column(export, question.id, plan.source[question.id], pending)
            exprs.append(
                _question_expr(
                    column,
                    readers[question.id],
                    schema[question.id],
                    distinct[question.id],
                    question.id in clean,
                )
            )
            present.append(question.id)
            marked = _non_answer_expr(column)
            if marked is not None:
                non_answers[question.id] = marked
        else:
            exprs.append(pl.lit(None, dtype=pl.Float64).alias(question.id))
    for question_id in non_answer_questions(q):
        name = non_answer_column(question_id)
        if question_id in non_answers:
            exprs.append(non_answers[question_id])
            present.append(name)
        else:
            exprs.append(pl.lit(None, dtype=pl.UInt8).alias(name))
    for segment in q.segments:
        if segment.id in schema:
            reader_s = SegmentReader(segment, header_map.labels_of(segment.id))
            column = _Column(export, segment.id, plan.source[segment.id], pending)
            segment_values[segment.id] = set()
            read_as: dict[str, str | None] = {}
            exprs.append(
                _segment_expr(
                    column, reader_s, distinct[segment.id], segment_values[segment.id], read_as
                )
            )
            counts: dict[str, int] = {}
            for text, n in raw_counts[segment.id].items():
                value = read_as.get(text)
                if value is not None:
                    counts[value] = counts.get(value, 0) + n
            segment_counts[segment.id] = counts
            present.append(segment.id)
        else:
            exprs.append(pl.lit(None, dtype=pl.String).alias(segment.id))
    for comment in q.comments:
        if comment.id in schema:
            text = pl.col(comment.id).cast(pl.String).str.strip_chars()
            exprs.append(pl.when(text != "").then(text).otherwise(None).alias(comment.id))
            present.append(comment.id)
        else:
            exprs.append(pl.lit(None, dtype=pl.String).alias(comment.id))
    return Conversion(
        export.path.name,
        exprs,
        present,
        answers_schema(q),
        _report_all(pending, source) if report else [],
        segment_values,
        segment_counts,
        {name: _fact(values) for name, values in distinct.items()},
    )


class _NotANumber:
    """The one value that stands for NaN among a column's facts: NaN equals no NaN, not even
    itself, so two conversions from the same values would never be found alike."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NaN"


_NAN = _NotANumber()


def _fact(values: Iterable[Any]) -> frozenset[Any]:
    """A column's distinct values as `Conversion.facts` holds them (NaN as `_NAN`)."""
    return frozenset(_NAN if isinstance(v, float) and math.isnan(v) else v for v in values)


def numeric_columns(export: Export, q: Questionnaire, plan: ColumnPlan) -> set[int]:
    """The export columns of questions to read as numbers when every cell is one (as far as
    the sample of the first rows shows)."""
    return {
        column
        for name, column in plan.source.items()
        if name not in (RESPONDENT_COLUMN, STATUS_COLUMN)
        and any(name == s.id for s in q.scored_questions())
        and export.numeric_in_sample(column)
    }


def convert_export(
    export: Export,
    q: Questionnaire,
    plan: ColumnPlan,
    header_map: HeaderMap,
    *,
    include_tests: bool = False,
) -> Converted:
    """Read an export's matched columns into the answers-frame schema of `q`, all in memory.
    Qualtrics previews and test responses are left out unless `include_tests`."""
    frame = export.read(plan.wanted, numeric_columns(export, q, plan))
    problems: list[Problem] = []
    test_rows = 0
    if STATUS_COLUMN in frame.columns:
        frame, test_rows = _leave_out_status(export, frame, problems, include_tests)
    conversion = plan_conversion(export, q, plan, header_map, frame.lazy(), frame.schema)
    return Converted(
        conversion.apply(frame),
        problems + conversion.problems,
        conversion.segment_values,
        test_rows,
    )
