"""Survey-design checks for `cxassess validate`: wording that makes an item's score hard to read.

Each check looks at the text of every scored question (items and outcomes) and returns a
warning naming the file, line and item, why it matters and how to fix it. An item can silence a
false alarm with `lint: {ignore: [check, ...], reason: ...}`. The word lists are English; a
questionnaire in other languages gets the checks that do not depend on words (length, near
duplicates) in those languages, and one note saying the rest were skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import Location, Problem
from cxassess.format import wording
from cxassess.format.models import Question, Questionnaire

if TYPE_CHECKING:
    from cxassess.format.nodes import NodeMap, PathKey

MAX_WORDS = 25
MAX_GRADE = 9.0
PAIR_MIN_OVERLAP = 0.4
DUPLICATE_OVERLAP = 0.8


@dataclass
class Entry:
    """A scored question, where it is in the file, and how to name it."""

    question: Question
    path: PathKey
    where: str
    dimension: str | None


def entries(q: Questionnaire) -> list[Entry]:
    """Every scored question with its path in the file and its name in messages."""
    found = [
        Entry(item, ("dimensions", d, "items", i), f"{dim.id}.items[{item.id}]", dim.id)
        for d, dim in enumerate(q.dimensions)
        for i, item in enumerate(dim.items)
    ]
    found += [
        Entry(o, ("outcomes", i), f"outcomes[{o.id}]", None) for i, o in enumerate(q.outcomes)
    ]
    return found


class _Linter:
    def __init__(self, q: Questionnaire, nodes: NodeMap | None, file: str):
        self.q = q
        self.nodes = nodes
        self.file = file
        self.problems: list[Problem] = []

    def warn(self, entry: Entry, check: str, what: str, why: str, fix: str) -> None:
        lint = entry.question.lint
        if lint is not None and check in lint.ignore:
            return
        line = self.nodes.line_of((*entry.path, "text")) if self.nodes else None
        self.problems.append(
            Problem(
                Location(self.file, line),
                entry.where,
                f"{what} [{check}]: {why}",
                fix + f" (or silence it with lint: {{ignore: [{check}], reason: ...}})",
                "warning",
            )
        )

    def texts(self, entry: Entry) -> list[tuple[str, str]]:
        """(language, text) of a question in each listed language."""
        return [(lang, self.q.text(entry.question.text, lang)) for lang in self.q.languages]

    def run(self) -> list[Problem]:
        all_entries = entries(self.q)
        for entry in all_entries:
            for lang, text in self.texts(entry):
                if lang == "en":
                    self.check_english(entry, text)
                self.check_length(entry, text, lang)
        self.check_duplicates(all_entries)
        return self.problems

    def check_english(self, entry: Entry, text: str) -> None:
        found = wording.words(text)
        reason = wording.double_barrel(text)
        if reason:
            self.warn(
                entry,
                "double-barrelled",
                f"asks two things at once ({reason})",
                "someone who agrees with one part and not the other has no right answer, "
                "so the score means neither",
                "ask one thing, or split it into two items",
            )
        vague = [w for w in found if w in wording.ABSOLUTES]
        vague += [p for p in wording.ABSOLUTE_PHRASES if wording.has_phrase(found, p)]
        if vague:
            self.warn(
                entry,
                "absolute",
                f"uses '{vague[0]}'",
                "absolutes are false after one exception, and words like 'usually' mean "
                "different amounts to different people",
                "say what happens in a concrete situation or time span instead "
                "(e.g. 'in the last month', 'when a customer asks')",
            )
        negations = [w for w in found if w in wording.NEGATIONS or w.endswith("n't")]
        negations += ["no one"] if wording.has_phrase(found, "no one") else []
        if entry.question.reverse and negations:
            self.warn(
                entry,
                "double-negative",
                f"is scored in reverse and contains '{negations[0]}'",
                "disagreeing with a negative is a double negative, which people often answer "
                "the wrong way round",
                "word it positively, or keep the negative and drop 'reverse: true'",
            )
        lowered = " ".join(found)
        for opener in wording.LEADING_OPENERS:
            if lowered.startswith(" ".join(wording.words(opener))):
                self.warn(
                    entry,
                    "leading",
                    f"opens with '{opener}'",
                    "a question that suggests its answer pushes people towards it",
                    "state it neutrally, e.g. as a statement to agree or disagree with",
                )
                break
        grade = wording.reading_grade(text)
        if len(found) >= 6 and grade > MAX_GRADE:
            self.warn(
                entry,
                "reading-grade",
                f"reads at school grade {grade:.1f} (Flesch-Kincaid; aim for 9 or below)",
                "hard wording makes some respondents guess, and they skip or answer the "
                "middle point",
                "use shorter words and a shorter sentence",
            )

    def check_length(self, entry: Entry, text: str, lang: str) -> None:
        count = len(wording.words(text))
        if count > MAX_WORDS:
            self.warn(
                entry,
                "too-long",
                f"has {count} words{'' if lang == 'en' else f' in {lang}'} (more than {MAX_WORDS})",
                "long items are skimmed, and the part people read is not the same for everyone",
                "cut it to one short sentence; move examples to 'help:'",
            )

    def check_duplicates(self, all_entries: list[Entry]) -> None:
        for lang in self.q.languages:
            english = lang == "en"
            stems = [
                wording.content_stems(self.q.text(e.question.text, lang), english)
                for e in all_entries
            ]
            for j, later in enumerate(all_entries):
                for i in range(j):
                    if min(len(stems[i]), len(stems[j])) < 3:
                        continue
                    score = wording.overlap(stems[i], stems[j])
                    if score >= DUPLICATE_OVERLAP:
                        self.warn(
                            later,
                            "near-duplicate",
                            f"says nearly the same as '{all_entries[i].question.id}'",
                            "asking one idea twice gives it double weight and tires people",
                            "drop one, or make each ask something of its own",
                        )
                        break


def skipped_languages(q: Questionnaire) -> list[str]:
    """Languages of a questionnaire whose wording the checks cannot judge (only length and
    near duplicates are checked there)."""
    return [lang for lang in q.languages if lang != "en"]


def lint_questionnaire(q: Questionnaire, file: str) -> list[Problem]:
    """Every survey-design warning about one questionnaire's items and outcomes."""
    nodes = _nodes(file)
    return _Linter(q, nodes, file).run()


def _nodes(file: str) -> NodeMap | None:
    from cxassess.errors import InputError
    from cxassess.format.loader import parse_yaml

    try:
        return parse_yaml(Path(file))[1]
    except (InputError, OSError):
        return None


def lint_pairs(staff: Questionnaire, customer: Questionnaire, customer_file: str) -> list[Problem]:
    """Warnings for customer items whose staff pair (`pair:`, or the same id in the same
    dimension) shares too few words to be asking the same thing."""
    english = "en" in staff.languages and "en" in customer.languages
    if not english:
        return []
    staff_items = {i.id: (d.id, i) for d in staff.dimensions for i in d.items}
    linter = _Linter(customer, _nodes(customer_file), customer_file)
    for entry in entries(customer):
        item = entry.question
        target = getattr(item, "pair", None) or item.id
        found = staff_items.get(target)
        if found is None or entry.dimension is None:
            continue
        staff_dim, staff_item = found
        if staff_dim != entry.dimension:
            continue
        a = wording.content_stems(staff.text(staff_item.text, "en"), True)
        b = wording.content_stems(customer.text(item.text, "en"), True)
        score = wording.overlap(a, b)
        if score < PAIR_MIN_OVERLAP:
            linter.warn(
                entry,
                "pair-overlap",
                f"shares few words with its staff pair '{staff_item.id}' in '{staff.id}' "
                f"({score:.0%} overlap)",
                "the perception gap is only fair when both sides answer the same question",
                "word both items alike, changing only who is speaking ('we' / 'they')",
            )
    return linter.problems
