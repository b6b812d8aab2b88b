"""What `cxassess report` was asked to do, what it read, and what it wrote.

Kept apart from `build` so that the modules `build` calls (`extras`, `groups`) can name these
types without importing `build` back; light to import (the models are named in annotations
only), so that `make_report` can start the PDF worker before loading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError, Problem
from cxassess.scoring.options import (
    DEFAULT_MIN_GROUP_SIZE,
    Paper,
    ReportFileOptions,
    check_min_group_size,
)

if TYPE_CHECKING:  # named in annotations only: importing them here would load the models
    from cxassess.compare import Comparison
    from cxassess.format.models import Questionnaire
    from cxassess.gap.model import GapResults
    from cxassess.pipeline import ScoredInputs
    from cxassess.report.context import ReportKind
    from cxassess.results import Results


@dataclass
class ReportRequest:
    """Everything `cxassess report` was asked to do."""

    inputs: Sequence[Path]
    questionnaire: str | None = None
    output: Path | None = None
    brand: Path | None = None
    template: Path | None = None
    segments: Sequence[str] = ()
    per_group: str | None = None
    out_dir: Path | None = None
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    min_comment_group_size: int | None = None
    keep_first_duplicate: bool = False
    include_tests: bool = False
    """Score Qualtrics survey previews and test responses too (left out by default)."""
    lang: str | None = None
    paper: Paper | str | None = None
    """A4 or Letter, in any case (None: the brand's, else A4)."""
    mapping: Path | None = None
    strict: bool = False
    results_output: Path | None = None
    """Also write the results (`cxassess.results/1`) here (used by the demo)."""
    workers: int | None = None
    customer: Sequence[Path] = ()
    """Customer answers (exports, response files, or one results.json): adds the gap."""
    customer_questionnaire: str | None = None
    """Default: the one the customer file names, else the one paired with the staff one."""
    compare: Path | None = None
    """Previous results (`cxassess.results/1`) of the same questionnaire: adds the change."""
    gap_outputs: Sequence[Path] = ()
    """Also write the gap here: gap.json, gap.pdf or gap.html (used by the demo)."""
    headcounts: Path | None = None
    """A CSV of each group's number of people (`team,headcount`): adds response rates."""

    def __post_init__(self) -> None:
        """Check the options where they are made, so the library refuses what the CLI does."""
        self.check()

    def check(self) -> None:
        """Raise `InputError` for an unusable option (paper, workers, minimum group size)."""
        check_min_group_size(self.min_group_size)
        files = ReportFileOptions(paper=self.paper, workers=self.workers)
        self.paper, self.workers = files.paper, files.workers
        if self.out_dir is not None and self.per_group is None:
            raise InputError("--out-dir goes with --per-group", hint="add --per-group SEGMENT")


@dataclass
class ReportOutcome:
    """What was written, and the problems met on the way (shown as warnings)."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The reading problems below, as text (for callers that only show text)."""
    problems: list[Problem] = field(default_factory=list)
    """What reading the answers met: unreadable cells, skipped files."""
    customer_problems: list[Problem] = field(default_factory=list)
    """The same for the customer answers of `customer`."""
    results: Results | None = None
    skipped_groups: list[str] = field(default_factory=list)
    gap: GapResults | None = None
    comparison: Comparison | None = None


@dataclass
class LoadedInputs:
    """The results to report on, and what is known besides them."""

    results: Results
    questionnaire: Questionnaire | None
    kind: ReportKind
    problems: list[Problem] = field(default_factory=list)
    respondent: str = ""
    scored: ScoredInputs | None = None
    """The answers read and scored (None for a results file): per-group reports score
    their groups from these, without reading the inputs again."""
