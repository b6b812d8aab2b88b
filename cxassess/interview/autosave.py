"""Where a run's files live, and saving them so that no answer is ever lost.

The response goes to OUTPUT (by default `response-<questionnaire>-<respondent or time>.json`
in the current folder). While the run is unfinished its answers live in the partial file
`OUTPUT.partial.json`, rewritten atomically (temporary file, then rename) after every answer,
and removed once OUTPUT is written. A partial file is an ordinary response file whose
`completed` is null, so resuming is reading it back.

Two people may answer at the same time in the same folder. A run holds a lock (`RunLock`, an
advisory lock on `.OUTPUT.lock`) for as long as it writes OUTPUT and its partial file: a second
run naming the same `-o` is refused, and a run whose file name is ours (the default) takes the
next free name instead. The finished response is created only if its name is still free
(`write_text_new`), so nobody's answers replace anybody else's.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from cxassess.errors import CxError, FileNotFound, InputError, ResponseError
from cxassess.outputs.files import write_text_atomic, write_text_new
from cxassess.responses import RESPONSE_SCHEMA, ResponseFile

PARTIAL_SUFFIX = ".partial.json"


def partial_path(output: Path) -> Path:
    """The partial file kept beside `output` while the run is unfinished."""
    return output.with_name(output.name + PARTIAL_SUFFIX)


def is_partial_name(path: Path) -> bool:
    """Whether a file is named like a partial file."""
    return path.name.endswith(PARTIAL_SUFFIX) and len(path.name) > len(PARTIAL_SUFFIX)


def output_of_partial(partial: Path) -> Path:
    """The output a partial file belongs to (`r.json.partial.json` -> `r.json`)."""
    if is_partial_name(partial):
        return partial.with_name(partial.name[: -len(PARTIAL_SUFFIX)])
    return partial


def slug(text: str) -> str:
    """Text as a file-name part: ASCII letters, digits and `-` (`Ana López` -> `ana-lopez`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


def default_output(
    questionnaire_id: str,
    respondent: str | None,
    folder: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """`response-<questionnaire>-<respondent>.json`, or with the date and time when no
    respondent is named; `-2`, `-3`... is added rather than reuse the name of a response or of
    an unfinished run."""
    folder = folder or Path.cwd()
    tail = slug(respondent or "") or (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"response-{questionnaire_id}-{tail}"
    candidate = folder / f"{base}.json"
    number = 2
    while candidate.exists() or partial_path(candidate).exists():
        candidate = folder / f"{base}-{number}.json"
        number += 1
    return candidate


def save_partial(path: Path, record: ResponseFile) -> Path:
    """Write the unfinished record to its partial file, atomically."""
    return write_text_atomic(path, record.to_json() + "\n")


class PartialSaver:
    """Saves one run's record to its partial file when called (after every answer), and
    remembers whether anything has been saved, for the messages shown on stopping."""

    def __init__(self, path: Path, record: ResponseFile, *, written: bool = False):
        self.path = path
        self.record = record
        self.written = written

    def __call__(self) -> None:
        save_partial(self.path, self.record)
        self.written = True


def save_response(path: Path, record: ResponseFile, *, replace: bool = False) -> Path:
    """Write the finished response file, atomically. Unless `replace` (the user agreed to
    replace an existing file), the file is only created: if someone wrote a file of that name
    meanwhile, the response goes to the next free name (`-2`, `-3`...), which is returned."""
    text = record.to_json() + "\n"
    if replace:
        return write_text_atomic(path, text)
    for candidate in _numbered(path):
        someone_elses = candidate != path and partial_path(candidate).exists()
        if not someone_elses and write_text_new(candidate, text):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _numbered(path: Path) -> Iterator[Path]:
    """`path`, then `path-2`, `path-3`... (before the suffix), for ever."""
    yield path
    number = 2
    while True:
        yield path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1


class RunLock:
    """An advisory lock held by one run on its output file (`.OUTPUT.lock` beside it), released
    when the run ends or its process dies. Without `fcntl` (Windows) it always succeeds."""

    def __init__(self, output: Path):
        self.path = output.with_name(f".{output.name}.lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another run holds it."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            raise CxError(
                f"cannot create the lock file {self.path}: {exc.strerror or exc}",
                hint="choose a file in a folder you may write to, with -o",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Remove the lock file and let go of the lock."""
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def claim_output(output: Path, *, ours: bool) -> tuple[Path, RunLock]:
    """Lock `output` for this run. When the name is ours (the default), a name taken by a
    running or finished run is skipped for the next free one; when the user gave it, a run
    already writing it is refused with `InputError`."""
    for candidate in _numbered(output) if ours else [output]:
        if ours and (candidate.exists() or partial_path(candidate).exists()):
            continue
        lock = RunLock(candidate)
        if lock.acquire():
            if ours and (candidate.exists() or partial_path(candidate).exists()):
                lock.release()
                continue
            return candidate, lock
    raise InputError(
        f"{output} is being written by another cxassess run right now",
        hint="finish that run first, or choose another file with -o",
    )


def remove_partial(path: Path) -> None:
    """Delete a partial file once its response is written (missing is fine)."""
    path.unlink(missing_ok=True)


def read_response(path: Path) -> ResponseFile:
    """Read a response or partial file, or say clearly why it cannot be used."""
    from pydantic import ValidationError as PydanticValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFound(path, "response file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResponseError(
            f"cannot read {path}: {exc}", hint="give a file written by `cxassess run`"
        ) from None
    try:
        record = ResponseFile.model_validate_json(text)
    except PydanticValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise ResponseError(
            f"{path}: not a cxassess response file ({where}: {first['msg']})",
            hint="give a file written by `cxassess run` (its partial file ends in .partial.json)",
        ) from None
    if record.schema_ != RESPONSE_SCHEMA:
        raise ResponseError(
            f"{path}: unknown schema '{record.schema_}'",
            hint=f"this version of cxassess reads {RESPONSE_SCHEMA}",
        )
    return record


def find_partials(folder: Path, questionnaire_id: str, respondent: str | None) -> list[Path]:
    """Unfinished runs of this questionnaire (and respondent) in a folder, newest first."""
    found: list[tuple[float, Path]] = []
    for path in folder.glob(f"response-{questionnaire_id}-*{PARTIAL_SUFFIX}"):
        try:
            record = read_response(path)
        except InputError:
            continue
        if record.completed is None and record.respondent == respondent:
            found.append((path.stat().st_mtime, path))
    return [path for _mtime, path in sorted(found, key=lambda pair: pair[0], reverse=True)]
