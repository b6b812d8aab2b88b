"""The interview as a state machine: lines in, replies out, no terminal involved.

A `Session` walks the steps of a run and records each answer in a `ResponseFile` (the same
model as the file on disk, so saving is a dump and resuming is a load). Each typed line goes
through `submit`, which returns a `Reply` saying what happened and whether the record changed
(so the caller saves the partial file before showing the next question). The terminal layer
only renders `view()` and `Reply` messages; tests drive a `Session` with plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cxassess.interview.answers import (
    Answer,
    Command,
    Rejected,
    answer_hint,
    describe_choice,
    format_number,
    parse_line,
)
from cxassess.interview.steps import Step, StepList
from cxassess.responses import ResponseFile

ReplyKind = Literal["answered", "kept", "skipped", "back", "rejected", "help", "quit"]

SKIPPED = "skipped"


@dataclass(frozen=True)
class Reply:
    """What a line did: the kind of event, a message for the respondent, and whether the
    record changed (and must be saved before going on)."""

    kind: ReplyKind
    message: str = ""
    changed: bool = False


@dataclass(frozen=True)
class View:
    """Everything needed to show the current question."""

    step: Step
    position: int
    """1-based position of this step among all steps."""
    total: int
    answered: int
    """How many steps hold an answer (or a deliberate skip)."""
    earlier: str | None
    """The earlier answer to this step, as shown (`4 Agree`, `skipped`), if any."""
    hint: str
    """How to answer, in one sentence."""


class Session:
    """One respondent's pass through the steps, recording into `record`."""

    def __init__(self, steps: StepList, record: ResponseFile, start: int | None = None):
        self.steps = steps
        self.record = record
        self.index = self.first_unanswered() if start is None else start

    # -- what has been answered ---------------------------------------------------------

    def is_answered(self, step: Step) -> bool:
        """Whether the record holds an answer (or a deliberate skip) for this step."""
        if step.kind == "segment":
            return step.id in self.record.segments
        if step.kind == "comment":
            return step.id in self.record.comments and not (
                step.required and not self.record.comments[step.id]
            )
        if self.record.non_answer(step.id) is not None:
            return True
        if step.id not in self.record.answers:
            return False
        return not (step.required and self.record.answers[step.id] is None)

    def first_unanswered(self) -> int:
        """Position (0-based) of the first step without an answer; the number of steps if all
        are answered."""
        for index, step in enumerate(self.steps.steps):
            if not self.is_answered(step):
                return index
        return len(self.steps)

    def answered_count(self) -> int:
        """How many steps hold an answer or a deliberate skip."""
        return sum(1 for step in self.steps.steps if self.is_answered(step))

    def missing_required(self) -> list[Step]:
        """Required steps still without an answer."""
        return [s for s in self.steps.steps if s.required and not self.is_answered(s)]

    @property
    def done(self) -> bool:
        """Whether every step has been passed."""
        return self.index >= len(self.steps)

    def earlier_answer(self, step: Step) -> str | None:
        """The recorded answer to a step as shown to the respondent, or None if unanswered."""
        if not self.is_answered(step):
            return None
        if step.kind == "segment":
            return self.record.segments.get(step.id) or SKIPPED
        if step.kind == "comment":
            return self.record.comments.get(step.id) or SKIPPED
        extra = step.non_answer(self.record.non_answer(step.id))
        if extra is not None:
            return describe_choice(extra)
        value = self.record.answers.get(step.id)
        if value is None:
            return SKIPPED
        for choice in step.choices:
            if choice.value == value:
                return describe_choice(choice)
        return format_number(value)

    def view(self) -> View:
        """The current question, its position and its earlier answer."""
        step = self.steps[self.index]
        return View(
            step=step,
            position=self.index + 1,
            total=len(self.steps),
            answered=self.answered_count(),
            earlier=self.earlier_answer(step),
            hint=answer_hint(step),
        )

    # -- changing the record ------------------------------------------------------------

    def _record(self, step: Step, answer: Answer | None) -> None:
        """Store an answer, or a skip when `answer` is None."""
        if step.kind == "segment":
            self.record.segments[step.id] = None if answer is None else str(answer.value)
            return
        if step.kind == "comment":
            self.record.comments[step.id] = None if answer is None else str(answer.value)
            return
        kind = None if answer is None else answer.non_answer
        value = None if answer is None or kind is not None else answer.value
        self.record.answers[step.id] = None if value is None else float(value)
        self.record.mark_non_answer(step.id, kind)

    def _skip(self, step: Step) -> Reply:
        if step.required:
            text = "This question needs an answer."
            extras = " or ".join(f"{c.key} for {c.label}" for c in step.non_answers)
            if extras:
                text += f" If you cannot say, type {extras}."
            return Reply("rejected", text)
        self._record(step, None)
        self.index += 1
        return Reply("skipped", changed=True)

    def submit(self, line: str) -> Reply:
        """Apply one typed line to the current step (see `answers.parse_line` for the keys)."""
        if self.done:
            return Reply("rejected", "The questionnaire is complete.")
        step = self.steps[self.index]
        parsed = parse_line(step, line)
        if isinstance(parsed, Rejected):
            return Reply("rejected", parsed.hint)
        if isinstance(parsed, Answer):
            self._record(step, parsed)
            self.index += 1
            return Reply("answered", changed=True)
        assert isinstance(parsed, Command)
        if parsed.name == "quit":
            return Reply("quit")
        if parsed.name == "help":
            return Reply("help", step.help)
        if parsed.name == "back":
            if self.index == 0:
                return Reply("rejected", "This is the first question.")
            self.index -= 1
            return Reply("back")
        if parsed.name == "skip":
            return self._skip(step)
        # An empty line keeps an earlier answer, skips a free-text or segment question, and
        # otherwise asks again.
        if self.is_answered(step):
            self.index += 1
            return Reply("kept")
        if step.kind in ("segment", "comment"):
            return self._skip(step)
        suffix = "" if step.required else " Type s to skip it."
        return Reply("rejected", "Please choose an answer." + suffix)

    def end_of_input(self) -> list[Step]:
        """Input has ended: skip every optional step still unanswered and finish, unless a
        required answer is missing, in which case return the missing steps (nothing changes)."""
        missing = self.missing_required()
        if missing:
            return missing
        for step in self.steps.steps:
            if not self.is_answered(step):
                self._record(step, None)
        self.index = len(self.steps)
        return []
