"""The built-in templates, compiled once and kept on disk between runs.

Compiling the built-in theme's templates takes about a quarter of a second, on every report.
Jinja can keep the compiled code (Python bytecode) in a cache; loading that code runs it, so
the cache is kept where only this user can write, and holds the built-in templates only:

- a template of the user's `--template` folder is never stored or loaded (a folder of
  someone else's templates must not leave code behind for a later run, nor find any);
- a cached entry is named by a hash of everything its code depends on (cxassess, Jinja and
  Python versions, the environment's settings, the template's name, file and exact text),
  and Jinja checks the text's checksum again on loading: an edited template is compiled anew;
- the folder must belong to this user and be closed to others, and so must each file read
  (on systems with file owners); otherwise nothing is read from it or written to it;
- files are written whole (a temporary file, then renamed), so that two reports running at
  once never read half an entry; any fault reading or writing just compiles as before.

The folder is `$CXASSESS_CACHE_DIR` if set (an empty value turns the cache off), else the
user's cache folder (`~/.cache/cxassess` on Linux).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from cxassess import __version__

CACHE_ENV = "CXASSESS_CACHE_DIR"
FORMAT = "1"
"""Raised when what the compiled code depends on changes in a way the key does not show."""


def user_cache_dir() -> Path | None:
    """Where cxassess keeps files it can rebuild (None: the user turned it off)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / "cxassess" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cxassess"
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cxassess"


def _private(path: Path) -> bool:
    """Whether `path` belongs to this user and no one else may write to it."""
    if not hasattr(os, "getuid"):
        return True  # no POSIX owners (Windows): the user's own profile folder
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class BuiltinTemplateCache(BytecodeCache):
    """A Jinja bytecode cache for the templates under `theme` only (see the module text)."""

    def __init__(self, folder: Path, theme: Path, settings: str) -> None:
        self.folder = folder
        self.theme = theme.resolve()
        self.settings = settings
        self._ready: bool | None = None

    def _usable(self) -> bool:
        """Create the folder (private) on first use, and check it is this user's alone."""
        if self._ready is None:
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._ready = self.folder.is_dir() and _private(self.folder)
            except OSError:
                self._ready = False
        return self._ready

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """The cache entry of a built-in template; an empty, never stored one otherwise."""
        checksum = self.get_source_checksum(source)
        if filename is None or not Path(filename).resolve().is_relative_to(self.theme):
            return Bucket(environment, "", checksum)
        parts = (FORMAT, __version__, jinja2.__version__, sys.version, self.settings)
        key = hashlib.sha256(
            "\0".join((*parts, name, filename, source)).encode("utf-8", "surrogatepass")
        ).hexdigest()
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from its file, if there is one and it is this user's alone."""
        if not bucket.key or not self._usable():
            return
        path = self.folder / f"{bucket.key}.jinja"
        try:
            with path.open("rb") as file:
                if _private(path):
                    bucket.load_bytecode(file)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store a built-in template's code, whole or not at all."""
        if not bucket.key or bucket.code is None or not self._usable():
            return
        target = self.folder / f"{bucket.key}.jinja"
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def clear(self) -> None:
        """Remove every stored template (they are compiled again when next used)."""
        if self.folder.is_dir():
            for path in self.folder.glob("*.jinja"):
                with contextlib.suppress(OSError):
                    path.unlink()


def builtin_template_cache(theme: Path, settings: str) -> BuiltinTemplateCache | None:
    """The cache for the built-in theme's templates, or None when the user turned it off."""
    root = user_cache_dir()
    if root is None:
        return None
    return BuiltinTemplateCache(root / "templates", theme, settings)
