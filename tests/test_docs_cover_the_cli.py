"""Every command of the live command line has its page in the documentation, and every option
of a command is named on that page (as sqlite-utils checks its docs): an option added without
its documentation fails here, whoever adds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from cxassess.cli import app

DOCS = Path(__file__).parent.parent / "docs"
PAGES = {"init": "branding.md"}
"""Commands documented outside `docs/commands/`: `init brand` belongs with branding."""
ROOT_PAGE = "index.md"
"""Where the options of `cxassess` itself (before a command) are documented."""
SKIPPED = {"--help", "-h"}


def _commands(group, path: tuple[str, ...] = ()):
    """(command path, click command) for every visible command, groups' commands included."""
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def _options(command) -> list[str]:
    """The names a page must mention: every long name (`--output`, `--no-color`), and the
    short name of an option that has no long one."""
    names: list[str] = []
    for param in command.params:
        if param.param_type_name != "option" or param.hidden:
            continue
        every = [n for n in [*param.opts, *param.secondary_opts] if n not in SKIPPED]
        names += [n for n in every if n.startswith("--")] or every
    return names


def _page(path: tuple[str, ...]) -> Path:
    return DOCS / (PAGES.get(path[0]) or f"commands/{path[0]}.md")


def _names(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


ROOT = typer.main.get_command(app)
COMMANDS = list(_commands(ROOT))


def test_the_walk_finds_the_commands_and_their_options() -> None:
    found = {" ".join(path) for path, _ in COMMANDS}
    assert {"score", "report", "gap", "run", "init brand", "schema"} <= found
    score = next(c for p, c in COMMANDS if p == ("score",))
    assert {"--output", "--compare"} <= set(_options(score))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_a_page_naming_each_of_its_options(path, command) -> None:
    page = _page(path)
    assert page.is_file(), f"`cxassess {' '.join(path)}` has no page: write {page}"
    text = page.read_text(encoding="utf-8")
    assert f"cxassess {' '.join(path)}" in text, f"{page.name} does not name the command"
    missing = [o for o in _options(command) if not _names(text, o)]
    assert not missing, f"{page.name} does not mention {', '.join(missing)}"


def test_every_page_of_a_command_is_in_the_site_navigation() -> None:
    nav = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    for path, _ in COMMANDS:
        page = _page(path).relative_to(DOCS).as_posix()
        assert page in nav, f"{page} is not in mkdocs.yml's nav"


def test_the_options_of_cxassess_itself_are_on_the_home_page() -> None:
    text = (DOCS / ROOT_PAGE).read_text(encoding="utf-8")
    missing = [o for o in _options(ROOT) if not _names(text, o)]
    assert not missing, f"{ROOT_PAGE} does not mention {', '.join(missing)}"
