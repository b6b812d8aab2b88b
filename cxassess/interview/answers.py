"""What a typed line means on a step: an answer, a command, or a mistake with a short hint.

The rules, the same in a terminal and in a pipe:
- a choice's key (`4`, `10`, `d` for don't know, `n` for does not apply, when the question
  offers them), or the start of its label
  (`str` is ambiguous, `strongly a` is not; case and curly apostrophes ignored);
- a number within the range of a `number` scale;
- `b` back, `s` skip, `?` help, `q` save and quit (single letters, checked first);
- an empty line: keep the earlier answer, or skip a free-text question;
- any text, on a comment or a segment without a closed list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cxassess.format.nonanswers import NON_ANSWER_NAMES, NonAnswer
from cxassess.interview.steps import NON_ANSWER_KEYS, Choice, Step

CommandName = Literal["back", "skip", "help", "quit", "enter"]

COMMAND_KEYS: dict[str, CommandName] = {"b": "back", "s": "skip", "?": "help", "q": "quit"}


@dataclass(frozen=True)
class Command:
    """A navigation key: back, skip, help, quit, or an empty line (`enter`)."""

    name: CommandName


@dataclass(frozen=True)
class Answer:
    """An accepted answer: the value to record and the words to show it with."""

    value: float | str | None
    shown: str
    non_answer: NonAnswer | None = None
    """Don't know or does not apply: the value is None and this says which."""


@dataclass(frozen=True)
class Rejected:
    """A line that is no answer to this step; `hint` says what was wrong (the screen shows
    how to answer next to it)."""

    hint: str


Parsed = Command | Answer | Rejected


def normalise(text: str) -> str:
    """Text compared case-insensitively, with curly quotes straightened and spaces collapsed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _number(text: str) -> float | None:
    candidate = text.strip().replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", candidate):
        return None
    return float(candidate)


def _keys_phrase(choices: tuple[Choice, ...]) -> str:
    keys = [c.key for c in choices]
    if all(k.isdigit() for k in keys):
        numbers = [int(k) for k in keys]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 2:
            return f"a number from {numbers[0]} to {numbers[-1]}"
    return "one of " + ", ".join(keys)


def format_number(value: float) -> str:
    """A number as a person writes it: `3`, `2.5`."""
    return f"{value:g}"


def answer_hint(step: Step) -> str:
    """How to answer this step, in one short sentence."""
    if step.free_text:
        return "Type your answer and press Enter (an empty line skips)."
    if step.number_range is not None:
        lo, hi = step.number_range
        text = f"Type a number from {format_number(lo)} to {format_number(hi)}"
    else:
        text = f"Type {_keys_phrase(step.choices)}"
    extras = [f"{c.key} for {c.label}" for c in step.non_answers]
    if extras:
        text += ", or " + " or ".join(extras)
    return text + "."


def describe_choice(choice: Choice) -> str:
    """A chosen answer as it is shown back: `4 Agree`, `d Don't know`, `7`."""
    if choice.key == choice.label:
        return choice.key
    return f"{choice.key} {choice.label}"


def _match_choice(step: Step, text: str) -> Choice | Rejected:
    choices = step.all_choices
    wanted = normalise(text)
    for choice in choices:
        if normalise(choice.key) == wanted:
            return choice
    for choice in choices:
        if normalise(choice.label) == wanted:
            return choice
    if _number(text) is not None:
        return Rejected(f"{text.strip()} is not one of the choices.")
    starts = [c for c in choices if normalise(c.label).startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        names = ", ".join(c.label for c in starts)
        return Rejected(f"'{text.strip()}' could be {names}: type more letters, or the number.")
    return Rejected(f"'{text.strip()}' is not one of the choices.")


def _not_offered(step: Step, text: str) -> Rejected | None:
    """The key of an extra answer this question does not offer is refused, rather than read as
    the start of a label (`n` would otherwise pick `Neither agree nor disagree`)."""
    for kind, key in NON_ANSWER_KEYS.items():
        if normalise(text) == key and step.non_answer(kind) is None:
            return Rejected(
                f"'{text}' is not one of the choices: this question has no "
                f"{NON_ANSWER_NAMES[kind]} answer."
            )
    return None


def parse_line(step: Step, line: str) -> Parsed:
    """What `line` means on `step` (see the module docstring for the rules)."""
    text = line.strip()
    if not text:
        return Command("enter")
    command = COMMAND_KEYS.get(text.casefold())
    if command is not None:
        return Command(command)
    if step.free_text:
        return Answer(value=text, shown=text)
    if step.number_range is not None:
        for extra in step.non_answers:
            if normalise(text) in (extra.key, normalise(extra.label)):
                return Answer(value=None, shown=describe_choice(extra), non_answer=extra.non_answer)
        number = _number(text)
        lo, hi = step.number_range
        if number is None or not lo <= number <= hi:
            return Rejected(f"'{text}' is not an answer here.")
        return Answer(value=number, shown=format_number(number))
    if step.kind == "question":
        refused = _not_offered(step, text)
        if refused is not None:
            return refused
    found = _match_choice(step, text)
    if isinstance(found, Rejected):
        return found
    return Answer(value=found.value, shown=describe_choice(found), non_answer=found.non_answer)
