"""The gap report: what its templates see, that the section fits into the main report, and
that rendering reads nothing outside the template folder."""

from __future__ import annotations

import pytest

from cxassess.errors import InputError
from cxassess.gap.compute import gap_row
from cxassess.gap.model import GapComparison, GapResults, SideInfo
from cxassess.gap.report import gap_context, headline, render_gap_html, render_gap_pdf
from cxassess.rendering.render import make_environment, template_folders


def _gap(**extra) -> GapResults:
    def dim(ident, staff, customer):
        return gap_row(
            "dimension", ident, (staff, 10, 200), (customer, 10, 200), 10.0, title=ident.title()
        )

    return GapResults(
        generated="2025-03-04T10:00:00+00:00",
        threshold=10,
        staff=SideInfo(questionnaire="s", title="Staff <survey>", respondents=200),
        customer=SideInfo(questionnaire="c", title="Customer survey", respondents=200),
        overall=gap_row("overall", "overall", (70, 8, 200), (60, 8, 200), 10.0, title="Overall"),
        dimensions=[dim("accessibility", 75, 50), dim("enjoyability", 60, 68), dim("x", 60, 60)],
        items=[
            gap_row(
                "item",
                "i1",
                (80, 10, 200),
                (50, 10, 200),
                10.0,
                dimension="accessibility",
                title="We pick up the phone.",
                customer_text="They pick up the phone.",
            )
        ],
        **extra,
    )


def test_headline_names_overall_gap_blind_spot_item_and_strength() -> None:
    lines = headline(_gap())
    assert lines[0] == (
        "Our people rate the service 10 points higher than customers do "
        "(overall index 70 against 60)."
    )
    assert "The widest blind spot is Accessibility: our people score it 75, customers 50." in lines
    assert any("“They pick up the phone”: customers score it 50" in line for line in lines)
    assert lines[-1].startswith("Customers rate Enjoyability higher than our people do")


def test_headline_reports_change_only_beyond_noise() -> None:
    from cxassess.compare import Change

    moved = Change(
        kind="gap",
        id="accessibility",
        previous=35,
        current=25,
        change=-10,
        ci_low=-14,
        ci_high=-6,
        marked=True,
        direction="down",
    )
    still = Change(kind="gap", id="x", previous=1, current=0, change=-1, ci_low=-5, ci_high=3)
    gap = _gap(
        comparison=GapComparison(
            previous_generated="2024-03-01T00:00:00+00:00", dimensions=[moved, still]
        )
    )
    line = next(x for x in headline(gap) if x.startswith("Since"))
    assert line == "Since 1 March 2024, on Accessibility it narrowed from +35 to +25."


def test_gap_context_holds_formatted_rows_and_charts() -> None:
    context = gap_context(_gap())
    first = context["summary"][0]
    assert (first["staff"], first["customer"], first["gap"]) == ("75", "50", "+25")
    assert first["status_word"] == "blind spot"
    assert str(first["dumbbell"]).startswith("<svg")
    assert "staff 75, customers 50" in str(first["dumbbell"])
    assert context["summary"][-1]["kind"] == "overall"
    assert [d["id"] for d in context["dimensions"]] == ["accessibility", "enjoyability", "x"]
    assert context["dimensions"][0]["items"][0]["customer_text"] == "They pick up the phone."


def test_gap_section_renders_as_a_section_of_the_main_report() -> None:
    from cxassess.report.context import Section

    env = make_environment(template_folders())  # the main report's environment
    page = env.from_string(
        "<main>{% for section in sections %}{% include section.template %}{% endfor %}</main>"
    )
    section = Section(
        id="gap",
        template="gap/section.html",
        title="Staff and customers compared",
        data=gap_context(_gap()),
    )
    html = page.render(sections=[section])
    assert '<section class="gap section" id="gap"' in html
    assert "<h1>Staff and customers compared</h1>" in html
    assert '<h2 class="gap-h3">At a glance</h2>' in html
    assert ".gap-chart" in html  # brings its own styles
    assert "Staff &lt;survey&gt;" in html


def test_gap_section_renders_anywhere_given_gap() -> None:
    env = make_environment(template_folders())
    html = env.from_string('{% include "gap/section.html" %}').render(gap=gap_context(_gap()))
    assert '<h2 class="gap-h2">The experience perception gap</h2>' in html
    assert '<h3 class="gap-h3">At a glance</h3>' in html
    assert "Dimension by dimension" in html


def test_gap_html_is_one_self_contained_document() -> None:
    html = render_gap_html(_gap())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert ".gap-chart" in html  # the stylesheet is inline
    assert "<script" not in html


def test_gap_template_override_is_used_and_cannot_read_outside(tmp_path) -> None:
    folder = tmp_path / "theme"
    (folder / "gap").mkdir(parents=True)
    (folder / "gap" / "report.html").write_text(
        "<html><body><h1>{{ gap.title }} for {{ document.organisation or 'us' }}</h1>"
        '<img src="file:///etc/passwd"></body></html>'
    )
    assert "The experience perception gap for us" in render_gap_html(_gap(), template_folder=folder)
    with pytest.raises(InputError, match="may not"):
        render_gap_pdf(_gap(), template_folder=folder)


def test_gap_html_says_within_the_noise_only_when_it_is() -> None:
    from cxassess.gap.model import GroupGap, NpsGap

    def dim(ident, staff, customer, sd):
        return gap_row("dimension", ident, (staff, sd, 50), (customer, sd, 50), 10.0, title=ident)

    gap = _gap(
        nps=[
            NpsGap(id="recommend", staff=5, customer=4, gap=1, ci_low=-15, ci_high=17, clear=False)
        ],
        groups=[
            GroupGap(
                segment="team",
                value="Quiet",
                side="staff",
                n_staff=50,
                n_customer=50,
                dimensions=[dim("accessibility", 61, 60, 20), dim("x", 90, 40, 5)],
            )
        ],
    )
    html = render_gap_html(gap)
    assert "a gap of +1 (95% interval −15 to +17;\n      within the noise)" in html
    assert '<td class="num">+1</td>' in html  # the unclear group gap is not in bold
    assert '<td class="num gap-strong gap-cell-blind-spot">+50</td>' in html
