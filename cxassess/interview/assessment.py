"""One interactive assessment from start to finish: `cxassess run` as a library function.

Decides where the answers go and whether an earlier run is continued, then asks the
questions (`terminal.ask_all`), saving the partial file after every answer, and at the end
writes the response file with its scores and shows the summary. Every way of stopping early
keeps the partial file and says how to continue.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.console import RenderableType
from rich.text import Text

from cxassess.errors import (
    Cancelled,
    CxError,
    InputError,
    InterruptedRun,
    QuestionnaireNotFound,
    ResponseError,
)
from cxassess.format.models import Questionnaire
from cxassess.interview import autosave, render
from cxassess.interview.answers import normalise
from cxassess.interview.record import finished_record, new_record, reconcile
from cxassess.interview.session import Session
from cxassess.interview.steps import build_steps
from cxassess.interview.terminal import Terminal, ask_all
from cxassess.responses import ResponseFile

if TYPE_CHECKING:
    from cxassess.results import Results


class InputEnded(InputError):
    """Input ended (a pipe ran dry, Ctrl-D) before the last required answer (exit code 2)."""


@dataclass
class RunRequest:
    """What the respondent asked for on the command line."""

    questionnaire: str | None = None
    """A built-in id or a YAML path; may be left out with `resume`."""
    output: Path | None = None
    respondent: str | None = None
    segments: Sequence[str] = ()
    """`KEY=VALUE` texts from `--segment`."""
    lang: str | None = None
    resume: Path | None = None
    overwrite: bool = False


@dataclass
class RunOutcome:
    """How a run ended and what it left on disk."""

    status: Literal["completed", "quit"]
    output: Path
    partial: Path
    record: ResponseFile
    results: Results | None = None


@dataclass
class _Plan:
    q: Questionnaire
    output: Path
    record: ResponseFile
    resumed_from: Path | None = None
    notes: list[RenderableType] = field(default_factory=list)


def parse_segment_options(q: Questionnaire, texts: Sequence[str]) -> dict[str, str]:
    """`--segment KEY=VALUE` options checked against the questionnaire's segments; a value of
    a closed list may be typed in any case and is stored as the list spells it."""
    known = {s.id: s for s in q.segments}
    found: dict[str, str] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise InputError(
                f"--segment '{text}' is not KEY=VALUE", hint="for example --segment team=Support"
            )
        segment = known.get(key)
        if segment is None:
            names = ", ".join(known) or "none"
            raise InputError(
                f"--segment: '{q.id}' has no segment '{key}'", hint=f"its segments: {names}"
            )
        if not value:
            raise InputError(f"--segment {key}= has no value", hint=f"for example {key}=Support")
        if segment.choices:
            match = [c for c in segment.choices if normalise(c) == normalise(value)]
            if not match:
                raise InputError(
                    f"--segment: '{value}' is not a choice of '{key}'",
                    hint="choose one of: " + ", ".join(segment.choices),
                )
            value = match[0]
        if key in found and found[key] != value:
            raise InputError(f"--segment {key} is given twice, as '{found[key]}' and '{value}'")
        found[key] = value
    return found


def _check_language(q: Questionnaire, lang: str) -> None:
    if lang not in q.languages:
        raise InputError(
            f"'{q.id}' has no texts in language '{lang}'",
            hint="its languages: " + ", ".join(q.languages),
        )


def resume_command(questionnaire_ref: str, partial: Path) -> str:
    """The command that continues a saved run."""
    return render.command_line("cxassess", "run", questionnaire_ref, "--resume", partial)


def _saved_run(path: Path) -> tuple[Path, ResponseFile]:
    """The partial file named by `--resume` (the partial itself, or the response beside it)."""
    if path.is_file():
        record = autosave.read_response(path)
        if record.completed is None:
            return path, record
        beside = autosave.partial_path(path)
        if beside.is_file():
            return beside, autosave.read_response(beside)
        raise InputError(
            f"{path} is already complete; there is nothing to continue",
            hint="start a new run with another -o, or score it with `cxassess score`",
        )
    beside = autosave.partial_path(path)
    if beside.is_file():
        return beside, autosave.read_response(beside)
    raise InputError(
        f"no saved run at {path}",
        hint="give the .partial.json file kept beside the response while a run is unfinished",
    )


def questions_answered(session: Session) -> str:
    """How far a run is: `6 of 26 questions answered`. Every step the run asks counts as a
    question (segments, items, outcomes, comments), as in "question 7 of 26" on the screen
    and in the intro's "26 questions", so that the figures shown side by side agree."""
    return f"{session.answered_count()} of {len(session.steps)} questions answered"


def _progress(q: Questionnaire, record: ResponseFile, lang: str) -> str:
    session = Session(build_steps(q, lang), record.model_copy(deep=True))
    reconcile(q, session.record)
    return questions_answered(session)


def _check_same_questionnaire(q: Questionnaire, record: ResponseFile, path: Path) -> None:
    if record.questionnaire.id != q.id:
        raise ResponseError(
            f"{path} holds answers to '{record.questionnaire.id}', not '{q.id}'",
            hint=f"run `cxassess run {record.questionnaire.id} --resume {path}`, "
            "or choose another output file with -o",
        )


SAVED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _catalogue_questionnaire(saved_id: str, partial: Path) -> Questionnaire:
    """The questionnaire a saved run names, looked up by id in the catalogue only (the
    built-in set, ./questionnaires, $CXASSESS_PATH). The id comes from a file that anyone may
    have edited, so it is never opened as a path: a run started from a questionnaire file is
    resumed by naming that file again."""
    from cxassess.format.catalog import list_questionnaires, search_path
    from cxassess.format.loader import load_questionnaire

    shown = repr(saved_id)[1:-1][:100]
    if SAVED_ID.fullmatch(saved_id) and ".." not in saved_id:
        for folder, _source in search_path():
            for candidate in (folder / f"{saved_id}.yaml", folder / f"{saved_id}.yml"):
                if candidate.is_file() and not candidate.is_symlink():
                    return load_questionnaire(candidate)
        entries, _notes = list_questionnaires()
        for entry in entries:
            if entry.questionnaire.id == saved_id:
                return entry.questionnaire
    raise QuestionnaireNotFound(
        f"{partial}: the saved run names the questionnaire '{shown}', which is not in the "
        "catalogue (cxassess list)",
        hint=f"name the questionnaire file it was started with: cxassess run FILE --resume "
        f"{partial}",
    )


def _plan(request: RunRequest, terminal: Terminal) -> _Plan:
    """Load the questionnaire and decide the output file and the record to start from."""
    from cxassess.format.catalog import resolve_questionnaire

    if request.resume is not None:
        partial, record = _saved_run(request.resume)
        if request.questionnaire is not None:
            q = resolve_questionnaire(request.questionnaire)
        else:
            q = _catalogue_questionnaire(record.questionnaire.id, partial)
        _check_same_questionnaire(q, record, partial)
        output = request.output or autosave.output_of_partial(partial)
        return _Plan(q, output, record, resumed_from=partial)
    if request.questionnaire is None:
        raise InputError(
            "which questionnaire?",
            hint="give a built-in id (see `cxassess list`) or a YAML file, or --resume FILE",
        )
    q = resolve_questionnaire(request.questionnaire)
    lang = request.lang or q.default_language
    _check_language(q, lang)
    fresh = new_record(q, language=lang, respondent=request.respondent)
    if request.output is None:
        return _plan_default_output(request, terminal, q, fresh)
    output = request.output
    partial = autosave.partial_path(output)
    if partial.exists():
        record = autosave.read_response(partial)
        _check_same_questionnaire(q, record, partial)
        command = resume_command(request.questionnaire, partial)
        if not terminal.interactive:
            raise InputError(
                f"an unfinished run ({_progress(q, record, lang)}) is saved in {partial}",
                hint=f"to continue it: {command}; to start again, delete that file first",
            )
        if terminal.confirm(
            f"An unfinished run ({_progress(q, record, lang)}) is saved in {partial}. Continue it?",
            default=True,
        ):
            return _Plan(q, output, record, resumed_from=partial)
    replace = (
        request.overwrite
        or not output.exists()
        or (
            terminal.interactive
            and terminal.confirm(
                f"{output} already exists. Replace it when this run is complete?", default=False
            )
        )
    )
    if not replace:
        if terminal.interactive:  # the user answered no: their choice, not an error
            raise Cancelled(f"{output} already exists and was kept; nothing was changed")
        raise InputError(
            f"{output} already exists; nothing was changed",
            hint="choose another file with -o, or add --force to replace it",
        )
    return _Plan(q, output, fresh)


def _plan_default_output(
    request: RunRequest, terminal: Terminal, q: Questionnaire, fresh: ResponseFile
) -> _Plan:
    lang = fresh.language or q.default_language
    output = autosave.default_output(q.id, request.respondent)
    saved = autosave.find_partials(output.parent, q.id, request.respondent)
    if not saved:
        return _Plan(q, output, fresh)
    newest = saved[0]
    record = autosave.read_response(newest)
    progress = _progress(q, record, lang)
    if terminal.interactive and terminal.confirm(
        f"An unfinished run ({progress}) is saved in {newest.name}. Continue it?", default=True
    ):
        return _Plan(q, autosave.output_of_partial(newest), record, resumed_from=newest)
    notes: list[RenderableType] = [
        f"Note: an unfinished run ({progress}) is saved in {newest.name}; to continue it:",
        render.command(resume_command(request.questionnaire or q.id, newest)),
    ]
    return _Plan(q, output, fresh, notes=notes)


def _check_writable(output: Path) -> None:
    folder = output.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CxError(
            f"cannot create the folder {folder}: {exc.strerror or exc}",
            hint="choose another file with -o",
        ) from None
    if not os.access(folder, os.W_OK):
        raise CxError(
            f"cannot write in {folder}", hint="choose a file in a folder you may write to, with -o"
        )


def _apply_request(plan: _Plan, request: RunRequest, segments: dict[str, str]) -> str:
    """Options given again on a resumed run win over the saved ones; returns the language."""
    record = plan.record
    if plan.resumed_from is not None:
        plan.notes = reconcile(plan.q, record) + plan.notes
    lang = request.lang or record.language or plan.q.default_language
    _check_language(plan.q, lang)
    record.language = lang
    if request.respondent is not None:
        record.respondent = request.respondent
    record.segments.update(segments)
    return lang


def run_assessment(request: RunRequest, terminal: Terminal) -> RunOutcome:
    """Run the assessment described by `request` on `terminal`; see the module docstring."""
    plan = _plan(request, terminal)
    q = plan.q
    segments = parse_segment_options(q, request.segments)
    lang = _apply_request(plan, request, segments)
    _check_writable(plan.output)
    ours = request.output is None and plan.resumed_from is None
    output, lock = autosave.claim_output(plan.output, ours=ours)
    try:
        return _run_locked(request, terminal, plan, output, lang, segments)
    finally:
        lock.release()


def _run_locked(
    request: RunRequest,
    terminal: Terminal,
    plan: _Plan,
    output: Path,
    lang: str,
    segments: dict[str, str],
) -> RunOutcome:
    """The run itself, once its output file is locked."""
    q = plan.q
    replace = output.exists()  # checked by `_plan`: --overwrite or the user agreed
    partial = autosave.partial_path(output)
    steps = build_steps(q, lang, given_segments=segments)
    session = Session(steps, plan.record)
    ref = request.questionnaire or q.id
    notes: list[RenderableType] = list(plan.notes)
    if plan.resumed_from is not None:
        notes.insert(
            0,
            f"Continuing your saved run: {questions_answered(session)}. "
            "Type b to review earlier answers.",
        )
    save = autosave.PartialSaver(partial, session.record)
    if plan.resumed_from is not None:
        save()  # the fitted record, beside the output it will complete

    def where_saved() -> str:
        if not save.written:
            return "no answers were saved yet"
        return (
            f"your answers ({questions_answered(session)}) are saved in {partial}; "
            f"to continue: {resume_command(ref, partial)}"
        )

    title = q.text(q.title, lang)
    intro = render.intro(q, lang, len(steps), output, terminal.width, notes, partial=partial)
    try:
        end = ask_all(session, terminal, title=title, save=save, intro=intro)
    except KeyboardInterrupt:
        terminal.show()  # leave the prompt line
        raise InterruptedRun(
            f"interrupted at question {session.index + 1} of {len(steps)}", hint=where_saved()
        ) from None
    if end == "ended":
        missing = session.end_of_input()
        if missing:
            first = steps.steps.index(missing[0]) + 1
            more = f" and {len(missing) - 1} more are" if len(missing) > 1 else " is"
            raise InputEnded(
                f"input ended before the last required answer: question {first} of "
                f"{len(steps)} ('{missing[0].id}'){more} unanswered",
                hint=where_saved(),
            )
    if end == "quit":
        terminal.show()
        if save.written:
            terminal.show(Text(f"Saved ({questions_answered(session)}) in:", style="bold"))
            terminal.show(render.command(str(partial)))
            terminal.show("To continue later, run the same command again, or:")
            terminal.show(render.command(resume_command(ref, partial)))
        else:
            terminal.show("Stopped before the first answer; nothing was saved.")
        return RunOutcome("quit", output, partial, session.record)
    final, results = finished_record(q, session.record)
    written = autosave.save_response(output, final, replace=replace)
    autosave.remove_partial(partial)
    source = plan.resumed_from
    if source is not None and source != partial and autosave.is_partial_name(source):
        autosave.remove_partial(source)
    terminal.clear()
    if written != output:
        terminal.show(f"{output} was written by someone else meanwhile; yours is {written}")
    terminal.show(render.summary(results, written, terminal.width))
    return RunOutcome("completed", written, partial, final, results)
