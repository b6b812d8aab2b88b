"""The built-in templates' compiled code, kept between runs: used when it matches, never for
the user's own templates, never from a folder others could write to."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from cxassess.rendering import compiled
from cxassess.rendering.compiled import BuiltinTemplateCache, builtin_template_cache
from cxassess.rendering.render import ConfinedLoader, builtin_theme, make_environment


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(compiled.CACHE_ENV, str(folder))
    return folder / "templates"


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.jinja")} if folder.is_dir() else set()


def _refuse_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def compile_refused(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although a cached copy was expected")

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "compile", compile_refused)


def test_builtin_templates_are_compiled_once_and_loaded_after(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_environment([builtin_theme()]).get_template("partials/cover.html")
    assert _entries(cache_dir), "nothing was stored"
    assert stat.S_IMODE(cache_dir.stat().st_mode) & 0o077 == 0
    _refuse_compiling(monkeypatch)
    again = make_environment([builtin_theme()]).get_template("partials/cover.html")
    assert again.filename == first.filename


def test_user_templates_are_never_stored(cache_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "note.html").write_text("<p>{{ text }}</p>", encoding="utf-8")
    env = make_environment([mine.resolve(), builtin_theme()])
    assert env.get_template("note.html").render(text="hi") == "<p>hi</p>"
    assert _entries(cache_dir) == set()


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    page = theme / "page.html"
    page.write_text("old {{ n }}", encoding="utf-8")
    cache = BuiltinTemplateCache(tmp_path / "cache", theme, "settings")

    def rendered() -> str:
        env = ImmutableSandboxedEnvironment(loader=ConfinedLoader([str(theme)]))
        env.bytecode_cache = cache
        return env.get_template("page.html").render(n=1)

    assert rendered() == "old 1"
    page.write_text("new {{ n }}", encoding="utf-8")
    assert rendered() == "new 1"
    assert len(_entries(tmp_path / "cache")) == 2


def test_a_damaged_entry_is_compiled_again(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_environment([builtin_theme()]).get_template("partials/cover.html")
    for entry in cache_dir.glob("*.jinja"):
        entry.write_bytes(b"j2 not a template at all")
    compiled_names: list[str] = []
    original = ImmutableSandboxedEnvironment.compile

    def counting(
        self: ImmutableSandboxedEnvironment,
        source: str,
        name: str | None = None,
        filename: str | None = None,
        *args: object,
        **kwargs: object,
    ) -> object:
        compiled_names.append(str(name))
        return original(self, source, name, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "compile", counting)
    make_environment([builtin_theme()]).get_template("partials/cover.html")
    assert compiled_names == ["partials/cover.html"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
def test_a_folder_others_may_write_to_is_neither_read_nor_written(cache_dir: Path) -> None:
    make_environment([builtin_theme()]).get_template("partials/cover.html")
    stored = _entries(cache_dir)
    cache_dir.chmod(0o777)
    # a fresh environment must compile (the folder is not trusted) and store nothing more
    for entry in cache_dir.glob("*.jinja"):
        entry.unlink()
    env = make_environment([builtin_theme()])
    env.get_template("partials/cover.html")
    assert _entries(cache_dir) == set()
    assert stored


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
def test_an_entry_others_may_write_to_is_not_loaded(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_environment([builtin_theme()]).get_template("partials/cover.html")
    for entry in cache_dir.glob("*.jinja"):
        entry.chmod(0o666)
    _refuse_compiling(monkeypatch)
    with pytest.raises(AssertionError, match="compiled although"):
        make_environment([builtin_theme()]).get_template("partials/cover.html")


def test_an_empty_cache_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compiled.CACHE_ENV, "")
    assert builtin_template_cache(builtin_theme(), "settings") is None
    assert make_environment([builtin_theme()]).bytecode_cache is None


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(compiled.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    monkeypatch.setattr(compiled.sys, "platform", "linux")
    assert compiled.user_cache_dir() == Path("/somewhere/cache/cxassess")
