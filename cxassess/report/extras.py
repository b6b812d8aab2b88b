"""What `cxassess report` adds to the results when asked: the perception gap against customer
answers (`--customer`) and the change since previous results (`--compare`).

Both are worked out with the libraries `cxassess gap` and `cxassess score --compare` use
(`cxassess.gap`, `cxassess.compare`), so the report's figures match theirs. The inputs are
checked before any scoring work, so a mistake costs the user no waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError, Problem
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.models import Questionnaire
from cxassess.inputs.classify import classify_all, refuse_missing
from cxassess.outputs.files import write_text_atomic
from cxassess.report.context import Section
from cxassess.results import Overall, Results
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE

# The gap and comparison code (`cxassess.gap`, `cxassess.compare` and their models) is
# imported inside the functions that use it: a report without --customer or --compare,
# the common case, would otherwise spend a quarter of a second loading it.
if TYPE_CHECKING:
    from cxassess.compare import Comparison
    from cxassess.gap.inputs import Side
    from cxassess.gap.model import GapResults
    from cxassess.gap.pairing import Pairing
    from cxassess.rendering.brand import Brand
    from cxassess.report.context import Section
    from cxassess.report.request import LoadedInputs, ReportRequest
    from cxassess.results import Results
    from cxassess.scoring.participation import Participation

GAP_TITLE = "The experience perception gap"


# ---------------------------------------------------------------- change since last time


def group_previous(previous: Results, segment: str, value: str) -> Results | None:
    """The previous figures of one group, as results of their own, for a per-group report's
    comparison; None when the group was not in the previous results or was hidden there."""

    group = next((g for g in previous.groups if g.segment == segment and g.value == value), None)
    if group is None or group.suppressed:
        return None
    return previous.model_copy(
        update={
            "respondents": group.n,
            "overall": group.overall or Overall(score=None, level=None, n=group.n),
            "dimensions": group.dimensions,
            "items": group.items,
            "outcomes": group.outcomes,
            "groups": [],
        }
    )


# ---------------------------------------------------------------- the perception gap


@dataclass
class CustomerSide:
    """The customers' side, scored, and how it pairs with the staff questionnaire."""

    side: Side
    pairing: Pairing
    segments: list[str]
    """The report's segments that either questionnaire declares: the gap is shown by these."""
    notes: list[str] = field(default_factory=list)

    @property
    def results(self) -> Results:
        """The customers' results."""
        assert self.side.results is not None
        return self.side.results

    @property
    def problems(self) -> list[Problem]:
        """What reading the customer answers met."""
        return self.side.problems


def staff_questionnaire(
    results: Results, known: Questionnaire | None, ref: str | None
) -> tuple[Questionnaire, list[str]]:
    """The staff questionnaire to pair with: the one the report already has, else the one the
    results name (a results file scored on another version still pairs, with a note)."""
    if known is not None:
        return known, []
    try:
        q = resolve_questionnaire(ref or results.questionnaire.id)
    except InputError:
        raise InputError(
            f"the questionnaire of these results, '{results.questionnaire.id}', cannot be "
            "found to pair it with the customers'",
            hint="name its file with -q",
        ) from None
    notes = []
    if q.version != results.questionnaire.version:
        notes.append(
            f"The staff results were scored on version {results.questionnaire.version} of "
            f"'{q.id}'; questions are paired using version {q.version}."
        )
    return q, notes


def customer_side(
    inputs: Sequence[Path],
    *,
    staff: Questionnaire,
    questionnaire: str | None = None,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    strict: bool = False,
    lang: str | None = None,
    include_tests: bool = False,
) -> CustomerSide:
    """Open the customer inputs (a results.json, survey exports or response files), pair their
    questionnaire with the staff one (two sharing no dimension are refused, exit 2), and score
    them, the way `cxassess gap` does (`gap.build.open_customers`, `gap.inputs.score_side`)."""
    from cxassess.gap.build import open_customers
    from cxassess.gap.inputs import score_side

    if staff.audience == "customer":
        raise InputError(
            f"these are customers' answers ('{staff.id}'): --customer sets your people's "
            "answers against customers'",
            hint="report on the staff answers and give the customers' with --customer",
        )
    side, pairing = open_customers(
        inputs, staff, questionnaire=questionnaire, option="--customer input", customers_only=True
    )
    declared = {s.id for s in (*staff.segments, *side.questionnaire.segments)}
    shown = [s for s in segments if s in declared]
    score_side(
        side,
        segments=shown,
        min_group_size=min_group_size,
        strict=strict,
        lang=lang,
        include_tests=include_tests,
    )
    assert side.results is not None
    notes = []
    present = {g.segment for g in side.results.groups}
    for segment in list(shown):
        customer_declares = any(seg.id == segment for seg in side.questionnaire.segments)
        if customer_declares and segment not in present and side.results.respondents:
            shown.remove(segment)
            notes.append(
                f"The customers' results hold no breakdown by {segment}, so the gap is not "
                f"shown by {segment}; score them with `-g {segment}` to see it."
            )
    return CustomerSide(side, pairing, shown, notes)


def compute_report_gap(
    staff_results: Results, customers: CustomerSide, *, with_groups: bool = True
) -> GapResults:
    """The perception gap between the report's results and the customers' (by the report's
    segments that the questionnaires declare, when `with_groups`), built as `cxassess gap`
    builds it (`gap.build.gap_of`)."""
    from cxassess.gap.build import gap_of

    return gap_of(
        staff_results,
        customers.side,
        customers.pairing,
        segments=customers.segments if with_groups else (),
        notes=customers.notes,
    )


def gap_section(gap: GapResults, brand: Brand) -> Section:
    """The gap as a section of the main report (template `gap/section.html`)."""
    from cxassess.gap.report import gap_context, palette_of

    return Section(
        id="gap",
        template="gap/section.html",
        title=GAP_TITLE,
        data=gap_context(gap, palette_of(brand), actions_in_plan=True),
    )


def gap_anchor(results: Results, personal: bool) -> str:
    """The section the gap follows: outcomes, else the heatmap, else the last dimension."""
    if results.outcomes:
        return "outcomes"
    if results.groups and not personal:
        return "heatmap"
    return f"dimension-{results.dimensions[-1].id}" if results.dimensions else "glance"


def gap_sentence(gap: GapResults) -> str:
    """One sentence for the executive summary: how customers' view differs, naming the
    largest blind spot (or hidden strength), with figures the gap section shows."""

    from cxassess.gap.report import shown_gap

    def score(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f}"

    blind = [d for d in gap.dimensions if d.status == "blind-spot"]
    strengths = [d for d in gap.dimensions if d.status == "hidden-strength"]
    overall = gap.overall
    opening = "Customers see the service differently"
    if overall is not None and overall.clear and overall.gap is not None:
        opening = (
            f"Customers rate the service "
            f"{abs(shown_gap(overall.staff, overall.customer) or 0):.0f} points "
            f"{'lower' if overall.gap > 0 else 'higher'} than our people do "
            f"({score(overall.customer)} against {score(overall.staff)})"
        )
    if blind:
        worst = max(blind, key=lambda d: d.gap or 0.0)
        text = (
            f"{opening}; the largest blind spot is {worst.title}, which our people score "
            f"{score(worst.staff)} and customers {score(worst.customer)}"
        )
        if strengths:
            best = min(strengths, key=lambda d: d.gap or 0.0)
            text += f", while customers rate {best.title} higher than our people do"
        return text + " (see the perception gap)."
    if strengths:
        best = min(strengths, key=lambda d: d.gap or 0.0)
        return (
            f"{opening}; customers rate {best.title} higher than our people do "
            f"({score(best.customer)} against {score(best.staff)}), a strength to tell the "
            "teams about (see the perception gap)."
        )
    if overall is not None and overall.clear:
        return opening + ", though no dimension is a blind spot (see the perception gap)."
    return (
        "Our people and customers rate every shared dimension about the same: no blind spot "
        "stands out from the noise (see the perception gap)."
    )


def gap_documents(
    gap: GapResults, outputs: Sequence[Path], brand: Brand, template: Path | None
) -> list[tuple[Path, str]]:
    """Write the `.json` gap outputs now; return the (file, HTML) of each `.pdf` or `.html`
    stand-alone gap report (as `cxassess gap -o gap.pdf`) for the report's writer."""
    from cxassess.gap.outputs import check_output_paths
    from cxassess.gap.report import render_gap_html

    check_output_paths(outputs)
    documents = []
    for path in outputs:
        if path.suffix.lower() == ".json":
            write_text_atomic(path, gap.to_json() + "\n")
        else:
            documents.append((path, render_gap_html(gap, brand=brand, template_folder=template)))
    return documents


# ---------------------------------------------------------------- both, for one report


@dataclass
class Additions:
    """What the report shows beyond the results: sections, summary sentences, and the
    figures behind them (kept for the per-group reports and the caller)."""

    comparison: Comparison | None = None
    gap: GapResults | None = None
    customers: CustomerSide | None = None
    sections: list[tuple[str, Section]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    participation: Participation | None = None
    """Response rates, with `--headcounts` (`report.participation`)."""


def additions_for(
    results: Results,
    brand: Brand,
    *,
    previous: Results | None = None,
    customers: CustomerSide | None = None,
    personal: bool = False,
    with_groups: bool = True,
) -> Additions:
    """The comparison with `previous` and the gap against `customers` for one report's
    results (the whole organisation's, or one group's)."""

    found = Additions(customers=customers)
    if previous is not None:
        from cxassess.outputs.writers import compare_with_previous

        found.comparison = compare_with_previous(results, previous)
    if customers is not None:
        found.gap = compute_report_gap(results, customers, with_groups=with_groups)
        found.sections.append((gap_anchor(results, personal), gap_section(found.gap, brand)))
        found.summary.append(gap_sentence(found.gap))
    return found


def refuse_for_one_person(customer: bool, compare: bool) -> None:
    """A personal report (one response file) has no spread to judge noise by: `--customer`
    and `--compare` are refused for it (exit 2)."""
    option = "--customer" if customer else "--compare" if compare else None
    if option is None:
        return
    raise InputError(
        f"{option} needs the answers of a group: a single response file is one person's",
        hint="give the response files of everyone (or a folder of them), or an export",
    )


# ---------------------------------------------------------------- for make_report


def check_extras(request: ReportRequest) -> Results | None:
    """Check `--customer`, `--compare` and the gap outputs before any scoring work; returns
    the previous results (None without `--compare`)."""

    refuse_missing(classify_all(request.customer), "customer input")
    if request.customer_questionnaire and not request.customer:
        raise InputError(
            "--customer-questionnaire goes with --customer",
            hint="add --customer CUSTOMER_ANSWERS",
        )
    if request.gap_outputs:
        if not request.customer:
            raise InputError("gap outputs need customer answers", hint="add --customer")
        from cxassess.gap.outputs import check_output_paths

        check_output_paths(request.gap_outputs)
    if request.compare is None:
        return None
    from cxassess.outputs.writers import read_previous_results

    return read_previous_results(request.compare)


def report_additions(
    request: ReportRequest,
    loaded: LoadedInputs,
    brand: Brand,
    previous: Results | None,
    step: Callable[[str], None],
) -> Additions:
    """The change since `previous` and the gap against the request's customer answers, for
    the main report (nothing when neither was asked for)."""
    if not request.customer and previous is None:
        return Additions()
    if loaded.kind == "personal":
        refuse_for_one_person(bool(request.customer), previous is not None)
    customers = None
    if request.customer:
        step("Scoring customer answers")
        staff, notes = staff_questionnaire(
            loaded.results, loaded.questionnaire, request.questionnaire
        )
        customers = customer_side(
            request.customer,
            staff=staff,
            questionnaire=request.customer_questionnaire,
            segments=list(dict.fromkeys(g.segment for g in loaded.results.groups)),
            min_group_size=loaded.results.min_group_size,
            strict=request.strict,
            lang=request.lang,
            include_tests=request.include_tests,
        )
        customers.notes[:0] = notes
    added = additions_for(loaded.results, brand, previous=previous, customers=customers)
    if customers is not None:
        added.warnings = [f"customer answers: {p}" for p in customers.problems]
    return added


def group_additions(
    results: Results,
    brand: Brand,
    added: Additions,
    previous: Results | None,
    segment: str,
    value: str,
) -> Additions:
    """For one group's report: its gap against all customers, and its change since its own
    figures in the previous results (none when it was absent or hidden there)."""
    before = group_previous(previous, segment, value) if previous is not None else None
    return additions_for(
        results, brand, previous=before, customers=added.customers, with_groups=False
    )
