"""Every `--help` screen follows the same conventions: placeholders instead of Python type
labels, descriptions wrapped at the terminal's width (never cut where a source line ended),
upper-case argument names, and one or two examples at the end."""

from __future__ import annotations

import itertools
import re

import pytest
import typer.main

from cxassess.cli import app

TYPE_LABEL = re.compile(r"<(bool|str|int|float|path|Path|list\[[^\]]*\]|[a-z]+)>")
WIDTHS = (60, 80, 120)


def _commands() -> list[list[str]]:
    """The words naming every command and group, `[]` for cxassess itself."""
    found: list[list[str]] = []

    def walk(command, words: list[str]) -> None:
        found.append(words)
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                walk(sub, [*words, name])

    walk(typer.main.get_command(app), [])
    return found


def _command(words: list[str]):
    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]
    return command


COMMANDS = _commands()
IDS = [" ".join(words) or "cxassess" for words in COMMANDS]


def _help(runner, words: list[str], width: int) -> str:
    result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(words) for words in COMMANDS}
    for expected in ("score", "report", "run", "gap", "demo", "list", "show", "init brand"):
        assert expected in names


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
@pytest.mark.parametrize("width", WIDTHS)
def test_help_shows_no_python_type_labels(runner, words, width) -> None:
    shown = _help(runner, words, width)
    assert not TYPE_LABEL.search(shown), TYPE_LABEL.search(shown)


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_help_ends_with_one_or_two_examples_of_the_command(runner, words) -> None:
    shown = _help(runner, words, 100).rstrip().splitlines()
    heading = max(i for i, line in enumerate(shown) if line.strip() == "Examples")
    examples = [line.strip() for line in shown[heading + 1 :] if line.strip()]
    assert 1 <= len(examples) <= 2, examples
    for example in examples:
        assert example.startswith("$ " + " ".join(["cxassess", *words])), example
        assert len(example) <= 76, f"{example!r} would wrap in an 80-column terminal"


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_help_description_is_wrapped_at_the_width_not_at_source_lines(runner, words) -> None:
    width = 100
    shown = _help(runner, words, width).splitlines()
    end = next(i for i, line in enumerate(shown) if line.lstrip().startswith("╭"))
    text = [line.rstrip() for line in shown[:end]]
    for line, following in itertools.pairwise(text):
        if not line.strip() or not following.strip() or line.lstrip().startswith("Usage:"):
            continue
        next_word = following.split()[0]
        # the next line's first word would have fitted: the line was broken early
        assert len(line) + 1 + len(next_word) > width - 2, (line, following)


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_help_text_has_no_line_breaks_inside_a_paragraph(words) -> None:
    command = _command(words)
    for paragraph in (command.help or "").split("\n\n"):
        assert "\n" not in paragraph.strip(), paragraph


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_arguments_and_placeholders_are_upper_case(words) -> None:
    command = _command(words)
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.metavar and param.metavar == param.metavar.upper(), param.name
        elif param.param_type_name == "option" and not param.is_flag:
            assert param.metavar, f"{param.opts} has no placeholder"
            assert param.metavar == param.metavar.upper(), param.metavar


def test_version_has_a_short_spelling(runner) -> None:
    long = runner.invoke(app, ["--version"])
    short = runner.invoke(app, ["-V"])
    assert long.exit_code == short.exit_code == 0
    assert short.stdout == long.stdout
    assert short.stdout.startswith("cxassess ")


def test_root_help_offers_shell_completion(runner) -> None:
    shown = _help(runner, [], 100)
    assert "--install-completion" in shown and "--show-completion" in shown
