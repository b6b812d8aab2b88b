"""What a typed line means on a step: an answer, a command, or a mistake with a short hint.

The rules, the same in a terminal and in a pipe:
- a choice's key (`4`, `10`, `n` for the not-applicable answer), or the start of its label
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

from cxassess.interview.steps import Choice, Step

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
    not_applicable: bool = False


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
    if step.not_applicable is not None:
        text += f", or {step.not_applicable.key} for {step.not_applicable.label}"
    return text + "."


def describe_choice(choice: Choice) -> str:
    """A chosen answer as it is shown back: `4 Agree`, `n Don't know`, `7`."""
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
        if step.not_applicable is not None and normalise(text) in (
            step.not_applicable.key,
            normalise(step.not_applicable.label),
        ):
            return Answer(
                value=None, shown=describe_choice(step.not_applicable), not_applicable=True
            )
        number = _number(text)
        lo, hi = step.number_range
        if number is None or not lo <= number <= hi:
            return Rejected(f"'{text}' is not an answer here.")
        return Answer(value=number, shown=format_number(number))
    found = _match_choice(step, text)
    if isinstance(found, Rejected):
        return found
    return Answer(
        value=found.value, shown=describe_choice(found), not_applicable=found.not_applicable
    )
