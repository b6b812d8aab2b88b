"""Validate many questionnaire files at once, for `cxassess validate`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import Problem
from cxassess.format.loader import read_questionnaire
from cxassess.format.models import Questionnaire


@dataclass
class ValidationOutcome:
    """Every problem of every file checked, and whether they pass."""

    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False
    ids: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Things the checks could not judge, such as wording in languages without word lists."""

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def exit_code(self) -> int:
        failed = self.errors or (self.strict and self.warnings)
        return 2 if failed else 0

    def lines(self) -> list[str]:
        """One line per problem, warnings marked."""
        return [("warning: " if p.severity == "warning" else "") + str(p) for p in self.problems]

    def as_json(self) -> dict:
        """The outcome for programs (`validate --json`): the verdict, the counts, and every
        problem with its file, line, column, part, message, hint and severity."""
        return {
            "valid": self.exit_code == 0,
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [
                {
                    "file": p.location.file,
                    "line": p.location.line,
                    "column": p.location.column,
                    "where": p.where,
                    "message": p.what,
                    "hint": p.hint,
                    "severity": p.severity,
                }
                for p in self.problems
            ],
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A closing line such as `5 files checked: 0 errors, 1 warning`."""
        verdict = "valid" if self.exit_code == 0 else "not valid"
        return (
            f"{self.files} file(s) checked: {self.errors} error(s), {self.warnings} warning(s)"
            f" - {verdict}"
        )


def validate_files(
    paths: Iterable[Path], *, strict: bool = False, lint: bool = True
) -> ValidationOutcome:
    """Check each file fully (schema, meaning and, with `lint`, survey design) and ids across
    files; staff and customer files given together are also checked pair by pair. Never stops
    early."""
    from cxassess.errors import FileNotFound, Location
    from cxassess.format.lint import lint_pairs, lint_questionnaire, skipped_languages

    outcome = ValidationOutcome(strict=strict)
    loaded: list[tuple[Questionnaire, str]] = []
    for path in paths:
        outcome.files += 1
        try:
            questionnaire, problems = read_questionnaire(path)
        except FileNotFound as exc:
            outcome.problems.append(Problem(Location(str(path)), "", exc.message, exc.hint))
            continue
        outcome.problems.extend(problems)
        if questionnaire is None:
            continue
        if questionnaire.id in outcome.ids:
            outcome.problems.append(
                Problem(
                    Location(str(path)),
                    "id",
                    f"id '{questionnaire.id}' is also used by {outcome.ids[questionnaire.id]}",
                    "give each questionnaire its own id",
                )
            )
        outcome.ids[questionnaire.id] = str(path)
        if lint:
            outcome.problems.extend(lint_questionnaire(questionnaire, str(path)))
            others = skipped_languages(questionnaire)
            if others:
                outcome.notes.append(
                    f"{path}: wording checks are in English only; for "
                    + ", ".join(others)
                    + " only length and near duplicates were checked"
                )
            loaded.append((questionnaire, str(path)))
    for customer, file in loaded:
        if customer.audience != "customer":
            continue
        for staff, _staff_file in loaded:
            shared = {d.id for d in staff.dimensions} & {d.id for d in customer.dimensions}
            if staff.audience != "customer" and shared:
                outcome.problems.extend(lint_pairs(staff, customer, file))
    return outcome
