"""`build_context`: the one function that builds what the report templates see.

The context is a plain mapping: `document` (titles, dates, paper, metadata), `theme` (colours
and fonts), and `sections`, an ordered list of `Section`s, each naming the template that draws
it and holding its data (figures, charts as SVG `Markup`, texts). A new part of the report,
such as the perception gap, is one more `Section` inserted with `extra_sections`; templates
loop over the list, so nothing else changes.

Privacy lives here as well as in scoring: suppressed groups reach the templates only as a
label and an n, and comments are shown only for groups at or above the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from cxassess.rendering.brand import Brand, default_brand
from cxassess.report import change, charts, narrative, rounding
from cxassess.report.closing_sections import actions_section, appendix_section, comments_section
from cxassess.report.sections import (
    dimension_sections,
    heatmap_section,
    outcomes_section,
)
from cxassess.results import Results

if TYPE_CHECKING:
    from cxassess.compare import Comparison
    from cxassess.format.models import Questionnaire
    from cxassess.gap.model import GapResults

ReportKind = Literal["organisation", "group", "personal"]


@dataclass(frozen=True)
class Section:
    """One part of the report: the template that draws it, its title (for the running header
    and the PDF bookmarks) and the data it shows."""

    id: str
    template: str
    title: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportOptions:
    """How to present the results: for whom, on what paper, with what extra context."""

    kind: ReportKind = "organisation"
    paper: Literal["A4", "Letter"] | None = None
    """None: the brand's paper size."""
    subject: str = ""
    """The group a group report is about, e.g. `Contact centre`."""
    subject_label: str = ""
    """What the group is, e.g. `Team`."""
    generated: date | None = None
    """The date printed on the report (default: when the results were scored)."""
    warnings: Sequence[str] = ()
    """Problems met while reading the inputs, listed in the appendix."""
    questionnaire: Questionnaire | None = None
    """Gives answer labels in a personal report; optional otherwise."""
    primary_segment: str | None = None
    """The breakdown comments are grouped by (default: the first one in the results)."""
    comparison: Comparison | None = None
    """Change since previous results (`compare_results`): a mark beside each figure, a
    sentence in the summary and a "Change since the last survey" section."""
    summary_extra: Sequence[str] = ()
    """Sentences added to the executive summary's narrative (e.g. the largest blind spot),
    after its second paragraph, on the dimensions."""
    customers: Results | None = None
    """The customers' results (`report --customer`): their Net Promoter Score becomes the
    summary's headline NPS, and the staff's own NPS-style answer is labelled for what it is."""
    gap: GapResults | None = None
    """The perception gap (`report --customer`): its advice joins the one action plan."""


def _report_date(results: Results, options: ReportOptions) -> date:
    if options.generated is not None:
        return options.generated
    try:
        return datetime.fromisoformat(results.generated).date()
    except ValueError:
        return date.today()


def _document(results: Results, brand: Brand, options: ReportOptions) -> dict[str, Any]:
    settings = brand.settings
    when = _report_date(results, options)
    organisation = settings.organisation
    subtitle = settings.subtitle or results.questionnaire.title
    if options.kind == "group":
        heading = f"{options.subject_label}: {options.subject}".strip(": ")
    elif options.kind == "personal":
        heading = "Personal results"
    else:
        heading = ""
    running = " · ".join(part for part in (organisation, settings.title) if part)
    return {
        "title": settings.title,
        "subtitle": subtitle,
        "heading": heading,
        "organisation": organisation,
        "author": settings.author or organisation or "cxassess",
        "language": results.language or "en",
        "date": when,
        "date_text": f"{when.day} {when:%B %Y}",
        "iso_date": when.isoformat(),
        "paper": options.paper or settings.paper,
        "kind": options.kind,
        "footer": settings.footer,
        "confidentiality": settings.confidentiality,
        "running_header": running or results.questionnaire.title,
        "pdf_title": " – ".join(part for part in (settings.title, organisation, heading) if part),
        "keywords": f"{results.questionnaire.id}, customer experience, cxassess",
        "questionnaire": results.questionnaire,
    }


def _theme(brand: Brand) -> dict[str, Any]:
    colours = brand.settings.colours
    palette = charts.Palette(colours.primary, colours.accent)
    faces: dict[str, list[dict[str, Any]]] = {}
    styles = {
        "regular": (400, "normal"),
        "bold": (700, "normal"),
        "italic": (400, "italic"),
        "bold_italic": (700, "italic"),
    }
    for role, files in brand.fonts.items():
        faces[role] = [
            {"weight": styles[s][0], "style": styles[s][1], "src": asset.data_uri()}
            for s, asset in files.items()
        ]

    def stack(role: str) -> str:
        if role in faces:
            first = f"'cxassess-brand-{role}'"
        elif brand.family(role):
            first = f"'{brand.family(role)}'"
        else:
            first = "'Inter'"
        return f"{first}, 'Inter', 'DejaVu Sans', sans-serif"

    return {
        "primary": colours.primary,
        "accent": colours.accent,
        "ink": charts.INK,
        "muted": charts.MUTED,
        "rule": charts.RULE,
        "primary_text": charts.readable(colours.primary),
        "accent_text": charts.readable(colours.accent),
        "favourable": palette.favourable,
        "primary_tint": charts.tint(colours.primary, 0.9),
        "primary_soft": charts.tint(colours.primary, 0.75),
        "accent_tint": charts.tint(colours.accent, 0.88),
        "on_primary": charts.text_on(colours.primary),
        "font_faces": faces,
        "body_font": stack("body"),
        "heading_font": stack("heading"),
        "logo": brand.logo.data_uri() if brand.logo else None,
    }


def _bands(results: Results) -> list[charts.Band]:
    return [charts.Band(min=level.min, title=level.title) for level in results.levels]


def _cover(results: Results, document: Mapping[str, Any], options: ReportOptions) -> Section:
    facts = [("Questionnaire", f"{results.questionnaire.title}")]
    if options.kind == "personal":
        facts.append(("Respondent", options.subject or "Personal response"))
    else:
        facts.append(("Respondents", str(results.respondents)))
    if options.kind == "group":
        facts.append((options.subject_label or "Group", options.subject))
    facts.append(("Date", document["date_text"]))
    return Section(id="cover", template="partials/cover.html", title="Cover", data={"facts": facts})


def _summary(results: Results, palette: charts.Palette, options: ReportOptions) -> Section:
    personal = options.kind == "personal"
    overall = results.overall
    level = results.level(overall.level)
    margin = None if personal else narrative.margin_of_error(overall.sd, overall.n)
    kpis = []
    if personal:
        kpis.append(("Questions answered", str(sum(1 for i in results.items if i.n))))
    else:
        kpis.append(("Respondents", str(results.respondents)))
    if not personal:
        kpis += _nps_kpis(results, options.customers, every_customer=options.kind == "group")
    answered = [i for i in results.items if i.favorable is not None]
    if answered and not personal:
        fav = sum(i.favorable or 0 for i in answered) / len(answered)
        kpis.append(("Favourable answers", f"{fav:.0f}%"))
    subject = options.subject if options.kind == "group" else ""
    paragraphs = narrative.narrative(
        results, personal=personal, subject=subject, customers=options.customers
    )
    comparison = None if personal else options.comparison
    # kept to the paragraphs they belong with, so that the summary stays on one page
    if comparison is not None:
        paragraphs[0] += " " + change.summary_sentence(comparison, results)
    for sentence in options.summary_extra:
        if len(paragraphs) > 1:
            paragraphs[1] += " " + sentence
        else:
            paragraphs.append(sentence)
    return Section(
        id="summary",
        template="partials/summary.html",
        title="Executive summary",
        data={
            "score": overall.score,
            "score_text": narrative.score_text(overall.score, narrative.boundaries_of(results)),
            "level": results.level_title(level.id) if level else "",
            "margin": margin,
            "margin_text": rounding.margin_text(margin) if margin is not None else "",
            "favourable_note": "" if personal else narrative.FAVOURABLE_WORDS,
            "scale": charts.level_scale(
                overall.score, _bands(results), palette, margin=margin, width=300
            ),
            "narrative": paragraphs,
            "change": change.mark(comparison.overall) if comparison else None,
            "since": change.month(comparison.previous.generated) if comparison else "",
            "strengths": narrative.strengths(results, personal=personal),
            "priorities": narrative.priorities(
                results, personal=personal, plan=actions_section(results, options.gap)["rows"]
            ),
            "kpis": kpis,
            "personal": personal,
        },
    )


def _nps_kpis(
    results: Results, customers: Results | None, *, every_customer: bool = False
) -> list[tuple[str, str]]:
    """The NPS figure of the summary: the customers' when given (the narrative says what our
    people predicted), else the respondents' own, labelled for what it is. A group's report
    says that the customers' figure is that of every customer, not the group's own."""
    ours = narrative.headline_nps(results)
    theirs = narrative.headline_nps(customers) if customers is not None else None
    if theirs is not None and theirs.nps is not None:
        label = "Customers' Net Promoter Score"
        if every_customer:
            label += " (all customers)"
        return [(label, rounding.signed(theirs.nps))]
    if ours is not None and ours.nps is not None:
        return [(narrative.nps_label(results, ours), rounding.signed(ours.nps))]
    return []


def _glance(
    results: Results, palette: charts.Palette, comparison: Comparison | None = None
) -> Section:
    bounds = narrative.boundaries_of(results)
    axes = [(d.title or d.id, d.score) for d in results.dimensions]
    ordered = sorted(results.levels, key=lambda lv: lv.min)
    levels = []
    for index, level in enumerate(ordered):
        upper = ordered[index + 1].min if index + 1 < len(ordered) else 100
        levels.append(
            {
                "title": level.title,
                "name": level.title,
                "range": f"{level.min:g}–{upper:g}",
                "summary": level.summary,
                "swatch": palette.band(index, len(ordered)),
            }
        )
    rows = [
        {
            "title": d.title or d.id,
            "score": d.score,
            "score_text": narrative.score_text(d.score, bounds),
            "level": results.level_title(d.level),
            "n": d.n,
            "summary": d.summary,
            "change": change.mark(comparison.find("dimension", d.id)) if comparison else None,
        }
        for d in results.dimensions
    ]
    return Section(
        id="glance",
        template="partials/glance.html",
        title="At a glance",
        data={
            "radar": charts.radar(
                axes,
                _bands(results),
                palette,
                size=380,
                width=400,
                labels=[r["score_text"] for r in rows],
            ),
            "dimensions": rows,
            "levels": levels,
            "compared": comparison is not None,
            "provisional": results.questionnaire.provisional_levels,
        },
    )


def insert_sections(sections: list[Section], extra: Sequence[tuple[str, Section]]) -> list[Section]:
    """Insert each extra section after the section with the given id (before the appendix
    when that id is absent)."""
    result = list(sections)
    for after, section in extra:
        ids = [s.id for s in result]
        if after in ids:
            position = len(ids) - 1 - ids[::-1].index(after) + 1
        else:
            position = ids.index("appendix") if "appendix" in ids else len(result)
        result.insert(position, section)
    return result


def build_context(
    results: Results,
    brand: Brand | None = None,
    options: ReportOptions | None = None,
    *,
    extra_sections: Sequence[tuple[str, Section]] = (),
) -> dict[str, Any]:
    """Everything the templates see for one report, computed from `Results` alone (plus the
    brand and presentation options). Charts are drawn here, as SVG."""
    brand = brand or default_brand()
    options = options or ReportOptions()
    document = _document(results, brand, options)
    theme = _theme(brand)
    palette = charts.Palette(brand.settings.colours.primary, brand.settings.colours.accent)
    personal = options.kind == "personal"
    comparison = None if personal else options.comparison
    sections: list[Section] = [
        _cover(results, document, options),
        _summary(results, palette, options),
        _glance(results, palette, comparison),
    ]
    if comparison is not None:
        sections.append(
            Section(
                id="change",
                template="partials/change.html",
                title="Change since the last survey",
                data=change.change_section(results, comparison, palette),
            )
        )
    sections += [
        Section(
            id=f"dimension-{data['id']}",
            template="partials/dimension.html",
            title=data["title"],
            data=data,
        )
        for data in dimension_sections(
            results, palette, personal, options.questionnaire, comparison=comparison
        )
    ]
    optional = [
        (
            "heatmap",
            "partials/heatmap.html",
            "Results by group",
            None if personal else heatmap_section(results, palette),
        ),
        (
            "outcomes",
            "partials/outcomes.html",
            "Outcome" if personal else "Outcomes and drivers",
            outcomes_section(
                results, palette, personal, options.questionnaire, comparison=comparison
            ),
        ),
        ("actions", "partials/actions.html", "Action plan", actions_section(results, options.gap)),
        (
            "comments",
            "partials/comments.html",
            "In their own words",
            comments_section(results, personal, options.primary_segment),
        ),
    ]
    for ident, template, title, data in optional:
        if data is not None:
            sections.append(Section(id=ident, template=template, title=title, data=data))
    sections.append(
        Section(
            id="appendix",
            template="partials/appendix.html",
            title="Appendix: method and data",
            data=appendix_section(results, personal, options.warnings, comparison),
        )
    )
    sections = insert_sections(sections, extra_sections)
    return {"document": document, "theme": theme, "sections": sections}
