"""`cxassess demo`: a realistic sample data set, scored and reported in one go.

The answers are drawn from a seeded random generator, so every run writes the same files:
staff answers to `three-abilities` from seven teams of very different sizes (two of them below
the anonymity threshold), and customer answers to `three-abilities-customer`, both in
cxassess's own CSV layout (one row per respondent, item ids as headers, answers as numbers,
`Don't know` and blanks for missing answers). Teams, dimensions and items differ in plausible
ways: staff rate the customer experience higher than customers do, accessibility lags, and
the contact centre struggles with waiting times; customers, though, find the staff better
trained than the staff themselves feel (a hidden strength). A smaller survey of a year earlier,
when accessibility was worse, gives the report something to compare with.

The files then go through the same path as any user's: `score_inputs`, then the report with
the perception gap (`--customer`) and the change since the earlier survey (`--compare`).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cxassess.errors import Problem
from cxassess.format.catalog import resolve_questionnaire
from cxassess.outputs.files import write_text_atomic
from cxassess.pipeline import score_inputs
from cxassess.report.build import ReportRequest, make_report

DEFAULT_SEED = 2024
DEFAULT_OUT_DIR = Path("cxassess-demo")
STAFF_QUESTIONNAIRE = "three-abilities"
CUSTOMER_QUESTIONNAIRE = "three-abilities-customer"
NOT_APPLICABLE = "Don't know"

TEAMS: list[tuple[str, int, float]] = [
    # name, size, how much better (+) or worse (-) the team sees things, in scale points
    ("Contact centre", 92, -0.30),
    ("Stores", 78, 0.30),
    ("Online & digital", 55, 0.10),
    ("Delivery & returns", 41, -0.45),
    ("Field service", 24, 0.45),
    ("Finance & billing", 4, -0.20),
    ("Head office", 3, 0.25),
]
ROLES = [("Front line", 0.64), ("Team leader", 0.15), ("Manager", 0.08), ("Support function", 0.13)]
ROLE_LIFT = {"Front line": -0.05, "Team leader": 0.05, "Manager": 0.25, "Support function": 0.0}

DIMENSION_LIFT = {"capability": 0.10, "accessibility": -0.35, "enjoyability": 0.30}
TEAM_DIMENSION_LIFT = {
    ("Contact centre", "accessibility"): -0.45,
    ("Delivery & returns", "capability"): -0.35,
    ("Stores", "enjoyability"): 0.25,
    ("Online & digital", "accessibility"): 0.40,
    ("Field service", "capability"): 0.25,
}
ITEM_LIFT = {
    "cap-busy": -0.45,
    "cap-training": -0.20,
    "cap-unusual": -0.10,
    "acc-staffing": -0.55,
    "acc-hours": -0.25,
    "acc-hoops": -0.20,
    "acc-channels": 0.25,
    "enj-friendly": 0.35,
    "enj-chore": 0.10,
    "enj-special": -0.15,
}
NOT_APPLICABLE_RATE = {"acc-pay": 0.10, "acc-aftersales": 0.07, "cap-stock": 0.03}
BLANK_RATE = 0.02
STAFF_PREDICTIONS = ["satisfied-predicted", "come-back-predicted", "trust-predicted"]
CUSTOMER_OUTCOMES = ["satisfied", "come-back", "trust"]

CUSTOMER_CHANNELS = [("In store", 0.38), ("Phone", 0.27), ("Online", 0.28), ("Email", 0.07)]
CUSTOMER_TENURE = [("Less than a year", 0.3), ("1 to 3 years", 0.4), ("More than 3 years", 0.3)]
CUSTOMER_DIMENSION_LIFT = {"capability": -0.20, "accessibility": -0.80, "enjoyability": -0.45}
CUSTOMER_CHANNEL_LIFT = {"In store": 0.25, "Phone": -0.45, "Online": 0.1, "Email": -0.2}
CUSTOMER_ITEM_LIFT = {"cap-training": 0.65, "cap-knowledge": 0.2}
"""Customers see staff as better trained and informed than staff feel they are."""

PREVIOUS_TEAM_SIZES = {
    "Contact centre": 84,
    "Stores": 81,
    "Online & digital": 47,
    "Field service": 26,
}
"""Team sizes a year earlier (teams not listed: as now)."""
PREVIOUS_DIMENSION_LIFT = {"accessibility": -0.22, "enjoyability": 0.0}
PREVIOUS_ITEM_LIFT = {"acc-staffing": -0.25, "acc-channels": -0.3, "enj-special": 0.25}
"""A year earlier: before the callback option and the extra lunchtime staff, waiting was
worse; making customers feel valued has slipped a little since."""

STAFF_ONE_CHANGE = {
    "capability": [
        "More stock of the best sellers, we run out every weekend.",
        "Proper product training for new starters, not just shadowing for a day.",
        "A knowledge base we can actually search while the customer is on the line.",
        "Let us solve problems on the first call instead of passing them to another team.",
        "Give the delivery drivers the customer's notes before they set off, not after.",
        "Stop changing the returns policy every quarter; nobody knows the current one.",
        "Cover for holidays in summer. Two of us do the work of five in August.",
    ],
    "accessibility": [
        "Answer the phone faster. Customers tell us they waited 20 minutes.",
        "Open the contact centre on Saturdays; that is when people have time to call.",
        "Fewer forms for returns. Customers give up halfway.",
        "Put more people on the floor at lunchtime.",
        "Waiting times on the phone are < 2 min on paper & 10+ in reality; "
        "клиенты это замечают (and so do our Zoë and Łukasz in the team).",
        "Let customers book a delivery slot that suits them, including evenings.",
        "A callback option when the queue is long, so people stop hanging up.",
        "One phone number instead of four. Customers never know which one to ring.",
        "Let customers track a repair online instead of calling us for updates.",
    ],
    "enjoyability": [
        "Give us time to talk to customers instead of rushing to the next ticket.",
        "Remember returning customers: a note on the account would help.",
        "Allow us to make small goodwill gestures without asking a manager.",
        "Stop measuring call length; measure whether the customer's problem was solved.",
        "Say thank you when a customer has been patient with us.",
    ],
}
STAFF_GOT_IT_RIGHT = [
    "A customer's wedding suit was wrong two days before the wedding; the store team "
    "altered it overnight.",
    "We rang a customer back the same afternoon with the part they needed.",
    "A colleague drove a replacement router to an elderly customer after work.",
    "We waived the delivery fee when the order was late, before the customer asked.",
    "The online team fixed a payment problem in minutes over chat.",
    "Our field engineer explained everything twice, patiently, and the customer wrote in "
    "to thank him.",
    "A regular customer's order was lost, so we hand-delivered a new one on Sunday.",
    "We spotted a double charge on a bill and refunded it before the customer noticed.",
]
SMALL_TEAM_COMMENTS = {
    "Finance & billing": "Invoices for the Harbourside account went out with the wrong VAT code "
    "three months running.",
    "Head office": "The quarterly target review keeps getting moved, so nobody acts on the "
    "customer figures.",
}
CUSTOMER_ONE_CHANGE = [
    "Answer the phone! I waited 25 minutes last time.",
    "Make returns simpler: printing a label should not need an account.",
    "Stay open a bit later on weekdays.",
    "Tell me when my delivery is late before I have to chase it.",
    "Keep the staff who know what they are talking about.",
    "More stock in the small stores.",
]
CUSTOMER_MOMENTS = [
    "The lady in the Riverside store found my size in another branch and had it sent to me.",
    "My complaint was passed between three departments and nobody called back.",
    "Quick, friendly help on the chat when my order was stuck.",
    "The engineer was on time and tidied up after himself.",
]


@dataclass
class DemoData:
    """The generated answers as CSV rows (header first), staff and customers."""

    staff: list[list[str]] = field(default_factory=list)
    customers: list[list[str]] = field(default_factory=list)
    previous_staff: list[list[str]] = field(default_factory=list)
    """The staff survey of a year earlier."""


def _pick(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _likert(rng: random.Random, mean: float, reverse: bool) -> int:
    """A 1-5 answer around `mean` (the favourable reading); reversed items store 6 - value."""
    value = min(5, max(1, round(rng.gauss(mean, 0.85))))
    return 6 - value if reverse else value


def _nps(rng: random.Random, goodwill: float) -> int:
    return min(10, max(0, round(rng.gauss(7.7 + 2.4 * goodwill, 1.6))))


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _answer_cell(rng: random.Random, item_id: str, value: int) -> str:
    if rng.random() < NOT_APPLICABLE_RATE.get(item_id, 0.0):
        return NOT_APPLICABLE
    if rng.random() < BLANK_RATE:
        return ""
    return str(value)


def _staff_rows(
    rng: random.Random, items: list[tuple[str, str, bool]], *, previous: bool = False
) -> list[list[str]]:
    """Staff answers now, or (`previous`) in the survey of a year earlier."""
    header = ["respondent", "team", "role", *(i for i, _d, _r in items), "recommend"]
    header += [*STAFF_PREDICTIONS, "one-change", "got-it-right"]
    rows = [header]
    number = 0
    pools = {theme: rng.sample(texts, len(texts)) for theme, texts in STAFF_ONE_CHANGE.items()}
    moments = rng.sample(STAFF_GOT_IT_RIGHT, len(STAFF_GOT_IT_RIGHT))
    for team, size, lift in TEAMS:
        if previous:
            size = PREVIOUS_TEAM_SIZES.get(team, size)
        for index in range(size):
            number += 1
            role = _pick(rng, ROLES)
            person = rng.gauss(0, 0.42)
            goodwill = person + lift + ROLE_LIFT[role]
            cells = [f"S{number:04d}", team, role]
            for item_id, dimension, reverse in items:
                mean = 3.55 + goodwill + DIMENSION_LIFT[dimension]
                mean += TEAM_DIMENSION_LIFT.get((team, dimension), 0.0)
                mean += ITEM_LIFT.get(item_id, 0.0)
                if previous:
                    mean += PREVIOUS_DIMENSION_LIFT.get(dimension, 0.0)
                    mean += PREVIOUS_ITEM_LIFT.get(item_id, 0.0)
                cells.append(_answer_cell(rng, item_id, _likert(rng, mean, reverse)))
            cells.append("" if rng.random() < 0.03 else str(_nps(rng, goodwill)))
            cells += [str(_likert(rng, 3.7 + goodwill, False)) for _ in STAFF_PREDICTIONS]
            one_change = ""
            if team in SMALL_TEAM_COMMENTS and index == 0:
                one_change = SMALL_TEAM_COMMENTS[team]
            elif rng.random() < 0.09:
                theme = rng.choices(
                    list(pools), weights=[1, 2.5 if team == "Contact centre" else 1.2, 1]
                )[0]
                one_change = pools[theme].pop() if pools[theme] else ""
            got_it_right = moments.pop() if moments and rng.random() < 0.04 else ""
            rows.append([*cells, one_change, got_it_right])
    # the comment with <, & and non-Latin letters is always present, in a large team
    special = STAFF_ONE_CHANGE["accessibility"][4]
    if not any(row[-2] == special for row in rows[1:]):
        first_contact = next(row for row in rows[1:] if row[1] == "Contact centre")
        first_contact[-2] = special
    return rows


def _customer_rows(
    rng: random.Random, items: list[tuple[str, str, bool]], count: int = 240
) -> list[list[str]]:
    header = ["respondent", "channel", "tenure", *(i for i, _d, _r in items), "recommend"]
    header += [*CUSTOMER_OUTCOMES, "one-change", "got-it-right"]
    rows = [header]
    for number in range(1, count + 1):
        channel = _pick(rng, CUSTOMER_CHANNELS)
        tenure = _pick(rng, CUSTOMER_TENURE)
        goodwill = rng.gauss(0, 0.5) + CUSTOMER_CHANNEL_LIFT[channel]
        goodwill += 0.15 if tenure == "More than 3 years" else 0.0
        cells = [f"C{number:04d}", channel, tenure]
        for item_id, dimension, reverse in items:
            staff_item = item_id.removeprefix("c")
            mean = 3.55 + goodwill + DIMENSION_LIFT[dimension] + CUSTOMER_DIMENSION_LIFT[dimension]
            mean += ITEM_LIFT.get(staff_item, 0.0) + CUSTOMER_ITEM_LIFT.get(staff_item, 0.0)
            cells.append(_answer_cell(rng, staff_item, _likert(rng, mean, reverse)))
        cells.append(str(_nps(rng, goodwill - 0.5)))
        cells += [str(_likert(rng, 3.3 + goodwill, False)) for _ in CUSTOMER_OUTCOMES]
        cells.append(rng.choice(CUSTOMER_ONE_CHANGE) if rng.random() < 0.12 else "")
        cells.append(rng.choice(CUSTOMER_MOMENTS) if rng.random() < 0.06 else "")
        rows.append(cells)
    return rows


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """The demo's answers, the same for the same seed."""

    rng = random.Random(seed)
    data = DemoData()
    for ref, build in ((STAFF_QUESTIONNAIRE, "staff"), (CUSTOMER_QUESTIONNAIRE, "customers")):
        q = resolve_questionnaire(ref)
        items = [(i.id, d.id, i.reverse) for d in q.dimensions for i in d.items]
        if build == "staff":
            data.staff = _staff_rows(rng, items)
            data.previous_staff = _staff_rows(random.Random(seed + 1), items, previous=True)
        else:
            data.customers = _customer_rows(rng, items)
    return data


DEMO_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="260" height="64" viewBox="0 0 260 64">
  <rect x="0" y="6" width="52" height="52" rx="10" fill="#16425b"/>
  <path d="M14 44 L26 18 L38 44 Z" fill="#f2a541"/>
  <circle cx="26" cy="40" r="5" fill="#ffffff"/>
  <text x="64" y="31" font-family="Inter, sans-serif" font-size="21" font-weight="700"
        fill="#16425b">Northwind</text>
  <text x="64" y="52" font-family="Inter, sans-serif" font-size="14" fill="#5b6472"
        letter-spacing="2">OUTFITTERS</text>
</svg>
"""

DEMO_BRAND = """\
# The demo's brand: edit it and run `cxassess report` again to see the effect.
organisation: Northwind Outfitters
title: Customer experience assessment
subtitle: How our people see the experience we give our customers
logo: logo.svg
colours:
  primary: "#16425b"
  accent: "#d1603d"
footer: Prepared by the Customer Experience Office
confidentiality: Confidential. For the leadership team only.
paper: A4
"""


@dataclass
class DemoFiles:
    """Where the demo wrote its files."""

    folder: Path
    staff_csv: Path
    customer_csv: Path
    brand: Path
    previous_csv: Path | None = None
    previous_results: Path | None = None
    results: Path | None = None
    report: Path | None = None
    gap_json: Path | None = None
    gap_pdf: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    """What reading the staff answers met (shown as `cxassess report` shows it)."""
    customer_problems: list[Problem] = field(default_factory=list)
    """The same for the customer answers."""


def write_data(out_dir: str | Path = DEFAULT_OUT_DIR, seed: int = DEFAULT_SEED) -> DemoFiles:
    """Write the answers (staff, customers, and staff a year earlier), the demo brand and its
    logo into `out_dir`."""
    folder = Path(out_dir)
    data = generate(seed)
    files = DemoFiles(
        folder=folder,
        staff_csv=folder / "staff-answers.csv",
        customer_csv=folder / "customer-answers.csv",
        brand=folder / "brand.yaml",
        previous_csv=folder / "last-year-staff-answers.csv",
    )
    write_text_atomic(files.staff_csv, _csv_text(data.staff))
    write_text_atomic(files.customer_csv, _csv_text(data.customers))
    write_text_atomic(files.previous_csv, _csv_text(data.previous_staff))
    write_text_atomic(folder / "logo.svg", DEMO_LOGO)
    write_text_atomic(files.brand, DEMO_BRAND)
    return files


def write_previous_results(files: DemoFiles, when: datetime | None = None) -> Path:
    """Score last year's staff answers through the normal input path and write them as
    `previous-results.json`, dated a year before `when` (default: now), as if they had been
    scored then, so the report reads "change since" that date."""

    assert files.previous_csv is not None
    results, _problems = score_inputs(
        [files.previous_csv], resolve_questionnaire(STAFF_QUESTIONNAIRE), segments=["team", "role"]
    )
    moment = (when or datetime.now(UTC)).replace(microsecond=0)
    earlier = moment - timedelta(days=365)
    results = results.model_copy(update={"generated": earlier.isoformat()})
    target = files.folder / "previous-results.json"
    write_text_atomic(target, results.to_json() + "\n")
    return target


def run_demo(
    out_dir: str | Path = DEFAULT_OUT_DIR,
    *,
    seed: int = DEFAULT_SEED,
    on_step: Callable[[str], None] | None = None,
    on_group: Callable[[int, int, str], None] | None = None,
) -> DemoFiles:
    """Generate the sample data, score it through the normal input path, and write beside it
    `results.json`, `report.pdf` (with the perception gap against the customer answers and
    the change since last year's survey), `gap.json` and the stand-alone `gap.pdf`.
    `on_step` is told each step's name, `on_group(done, total, label)` each report written."""

    def step(name: str) -> None:
        if on_step:
            on_step(name)

    step("Generating sample answers")
    files = write_data(out_dir, seed)
    step("Scoring last year's staff answers")
    files.previous_results = write_previous_results(files)
    step("Scoring staff answers")
    files.gap_json = files.folder / "gap.json"
    files.gap_pdf = files.folder / "gap.pdf"
    request = ReportRequest(
        inputs=[files.staff_csv],
        questionnaire=STAFF_QUESTIONNAIRE,
        output=files.folder / "report.pdf",
        brand=files.brand,
        segments=["team", "role"],
        results_output=files.folder / "results.json",
        customer=[files.customer_csv],
        customer_questionnaire=CUSTOMER_QUESTIONNAIRE,
        compare=files.previous_results,
        gap_outputs=[files.gap_json, files.gap_pdf],
    )
    outcome = make_report(request, on_step=step, on_group=on_group)
    files.results = files.folder / "results.json"
    files.report = files.folder / "report.pdf"
    files.problems = list(outcome.problems)
    files.customer_problems = list(outcome.customer_problems)
    return files
