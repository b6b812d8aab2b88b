"""Write output files atomically: a temporary file beside the target, then a rename, so a
reader never sees half a file and a crash never leaves one."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from pathlib import Path

from cxassess.errors import CxError, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to `path` atomically, creating its folder; returns the path."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in target.parents if p.is_file()), target.parent)
        raise InputError(
            f"cannot write {target}: {blocker} is a file, not a folder",
            hint="choose another output path",
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"cannot write {target}: it is a folder",
            hint="give a file name, e.g. " + str(target / "out"),
        ) from None
    except OSError as exc:
        raise write_error(str(target), exc) from None
    return target


def write_error(target: str, exc: OSError) -> CxError:
    """The error (exit 1) for a write the system refused; a full disk is said in plain words,
    since it is the user's disk to clear, not a fault to report."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return CxError(
            f"cannot write {target}: no space left on device",
            hint="free some space on that disk, or write the output elsewhere",
        )
    return CxError(
        f"cannot write {target}: {exc.strerror or exc}",
        hint="check that the folder exists and you may write to it",
    )


def write_stdout(text: str) -> None:
    """Write text to standard output and flush it now, so that a full disk or a closed pipe
    behind `-o -` is a `CxError` with a message (exit 1), not a failure at exit."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise CxError("cannot write standard output: the reader closed it") from None
    except OSError as exc:
        raise write_error("standard output", exc) from None


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to `path` atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_text_new(path: str | Path, text: str) -> bool:
    """Write UTF-8 text to `path` only if no file of that name exists, atomically: the whole
    file appears at once (temporary file, then a hard link, which fails if the name is
    taken), so two writers can never replace each other's file. False if the name is taken."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        try:
            os.link(temp, target)
        except FileExistsError:
            return False
        except OSError:
            # a file system without hard links: exclusive creation, then the content
            try:
                with open(target, "xb") as handle:
                    handle.write(text.encode("utf-8"))
            except FileExistsError:
                return False
        return True
    except OSError as exc:
        raise CxError(
            f"cannot write {target}: {exc.strerror or exc}",
            hint="check that the folder exists and you may write to it",
        ) from None
    finally:
        Path(temp).unlink(missing_ok=True)
