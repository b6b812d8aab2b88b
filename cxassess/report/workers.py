"""Render PDFs in worker processes, started before they are needed.

WeasyPrint takes about half a second to import and lays out one document on one core. The
workers are started (and import WeasyPrint) while the main process reads and scores the
answers, so that start-up overlaps real work; with several documents (`--per-group`) they
render in parallel, one per core.

A worker is `python -m cxassess.report.workers`, talking over its standard input and output
(length-prefixed pickles, between this process and the child it started). Unlike
`multiprocessing`, this never re-runs the caller's main script, and never forks a process
whose polars thread pool is running.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from cxassess.errors import CxError, InputError, Location, ReportError

Job = tuple[str, str | None, list[str], str | None]
_HEADER = struct.Struct("!Q")


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # our own child process, over its own pipe


def render_job(job: Job) -> tuple[str, Any]:
    """Render one document; errors come back as data so that their hint and place survive."""
    from cxassess.rendering.render import html_to_pdf

    html, template_folder, brand_files, variant = job
    try:
        pdf = html_to_pdf(
            html,
            template_folder=template_folder,
            brand_files=[Path(f) for f in brand_files],
            variant=variant,
        )
    except CxError as exc:
        where = exc.location
        return "error", (
            isinstance(exc, InputError),
            exc.message,
            exc.hint,
            (where.file, where.line) if where else None,
        )
    return "ok", pdf


def _unpack(outcome: tuple[str, Any]) -> bytes:
    kind, value = outcome
    if kind == "ok":
        return value
    is_input, message, hint, where = value
    location = Location(*where) if where else None
    raise (InputError if is_input else ReportError)(message, hint=hint, location=location)


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The worker's loop: import WeasyPrint at once, then render each job it is sent."""
    import warnings

    warnings.simplefilter("ignore")
    import weasyprint  # noqa: F401

    import cxassess.rendering.fetcher
    import cxassess.rendering.render  # noqa: F401  (Jinja, for the template folders)

    while True:
        try:
            job = _receive(source)
        except EOFError:
            return
        _send(sink, render_job(job))


class _Worker:
    """One child process and the pipes to it."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cxassess.report.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        self.used = False

    def run(self, job: Job) -> tuple[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.used = True
        try:
            _send(self.process.stdin, job)
            return _receive(self.process.stdout)
        except (EOFError, OSError, ValueError):  # ValueError: the pipe was closed
            self.log.seek(0)
            tail = self.log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            detail = " / ".join(tail) or f"exit code {self.process.poll()}"
            return "error", (False, f"the PDF renderer stopped unexpectedly: {detail}", "", None)

    def close(self) -> None:
        if not self.used:
            # Never given a document (the inputs were refused, or there were fewer documents
            # than workers): stop it now rather than wait for it to finish importing.
            self.process.kill()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class PdfWorkers:
    """Rendering processes, started at once; use as a context manager."""

    def __init__(self, workers: int = 1) -> None:
        self.size = max(1, workers)
        self._workers: list[_Worker] = []
        try:
            self._workers = [_Worker() for _ in range(self.size)]
        except OSError:  # no processes here: render in this one
            self.close()

    def __enter__(self) -> PdfWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (they finish the job they are on)."""
        for worker in self._workers:
            worker.close()
        self._workers = []

    def render(
        self,
        documents: Sequence[str],
        *,
        template_folder: str | Path | None = None,
        brand_files: Sequence[Path] = (),
        variant: str | None,
        on_done: Callable[[int, bytes], None] | None = None,
    ) -> list[bytes]:
        """Render the documents to PDF, in parallel over the workers, calling
        `on_done(index, pdf)` (in this thread) as each one finishes."""
        folder = None if template_folder is None else str(template_folder)
        files = [str(f) for f in brand_files]
        jobs: list[Job] = [(html, folder, files, variant) for html in documents]
        results: list[bytes] = [b""] * len(jobs)
        if not self._workers:
            for index, job in enumerate(jobs):
                results[index] = _unpack(render_job(job))
                if on_done:
                    on_done(index, results[index])
            return results
        keep = max(1, len(jobs))  # no more workers than documents
        for surplus in self._workers[keep:]:
            surplus.close()
        del self._workers[keep:]
        todo: queue.Queue[int] = queue.Queue()
        for index in range(len(jobs)):
            todo.put(index)
        finished: queue.Queue[tuple[int, tuple[str, Any]]] = queue.Queue()

        def feed(worker: _Worker) -> None:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                finished.put((index, worker.run(jobs[index])))

        threads = [threading.Thread(target=feed, args=(w,), daemon=True) for w in self._workers]
        for thread in threads:
            thread.start()
        failure: CxError | None = None
        try:
            for _ in range(len(jobs)):
                index, outcome = finished.get()
                try:
                    results[index] = _unpack(outcome)
                except CxError as exc:
                    failure = failure or exc
                    continue
                if on_done and failure is None:
                    on_done(index, results[index])
        finally:
            # If `on_done` failed, hand out no more documents and let each thread finish the
            # one it is on before the workers' pipes are closed under it.
            with contextlib.suppress(queue.Empty):
                while True:
                    todo.get_nowait()
            for thread in threads:
                thread.join()
        if failure is not None:
            raise failure
        return results


def worker_count(jobs: int | None, documents: int | None) -> int:
    """Rendering processes worth starting: never more than asked for (`--jobs`), than there
    are documents (None: not known yet), or than there are cores (each renders on one)."""
    cores = os.cpu_count() or 1
    limits = [cores] + [n for n in (jobs, documents) if n is not None]
    return max(1, min(limits))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout.flush()
    # Every result has been sent and flushed; skip the interpreter's teardown (freeing
    # WeasyPrint's fonts and caches), which the caller would otherwise sit waiting for.
    os._exit(0)
