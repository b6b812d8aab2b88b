"""How survey tools name the questions of a form that `cxassess export` wrote.

LimeSurvey needs codes of letters and digits (`cap-stock` becomes `capstock`), Qualtrics
numbers the rows of a grid (`capability_1`, `capability_2`, ...). The exporters take the
names from here and the readers match them from here, so the two cannot drift apart.
"""

from __future__ import annotations

import hashlib

from cxassess.format.models import Question, Questionnaire
from cxassess.inputs.keys import Target, key

LIMESURVEY_CODE_LENGTH = 20
"""LimeSurvey's longest question and subquestion code."""


def tool_code(ident: str) -> str:
    """A LimeSurvey-safe code for one of our ids: letters and digits only, starting with a
    letter (`q` put before a leading digit), at most 20 characters (a longer one keeps its
    first 14 and a 6-character digest of the whole id, so it stays the same in every export).
    `cap-stock` becomes `capstock`, `1-team` becomes `q1team`."""
    code = "".join(ch for ch in ident if ch.isascii() and ch.isalnum())
    if not code or not code[0].isalpha():
        code = "q" + code
    if len(code) > LIMESURVEY_CODE_LENGTH:
        digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:6]
        code = code[:14] + digest
    return code


def segment_choice_code(index: int) -> str:
    """The answer code of a segment's listed choice in LimeSurvey (its own default style,
    `AO01`, `AO02`, ...): LimeSurvey answer codes are at most 5 letters and digits."""
    return f"AO{index + 1:02d}"


def item_runs(q: Questionnaire) -> list[tuple[str, str, list[Question]]]:
    """The grids of a form: per dimension, each run of consecutive items on one scale (and
    offering the same non-answers, since a grid has one set of columns), as
    (tag, dimension id, items). A tag is the dimension's id (then `-b`, `-c`... for a second
    run), chosen so that neither it nor any `tag_n` column reads as one of our ids."""
    ids = {key(x.id) for x in [*q.scored_questions(), *q.segments, *q.comments]}
    ids |= {key(tool_code(x.id)) for x in [*q.scored_questions(), *q.segments, *q.comments]}
    runs: list[tuple[str, str, list[Question]]] = []
    used: set[str] = set()
    for dimension in q.dimensions:
        groups: list[list[Question]] = []
        for item in dimension.items:
            last = groups[-1][-1] if groups else None
            if last is not None and (last.scale, last.offers) == (item.scale, item.offers):
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            for suffix in ["", *(f"-{chr(c)}" for c in range(ord("b"), ord("z") + 1))]:
                tag = dimension.id + suffix
                names = {key(tag), key(tool_code(tag))}
                names |= {key(f"{tag}_{n}") for n in range(1, len(group) + 1)}
                if not names & (ids | used):
                    break
            else:  # pragma: no cover - 25 clashing names in one dimension
                tag = f"{dimension.id}-{len(runs)}"
            used |= {key(tag), key(tool_code(tag))}
            runs.append((tag, dimension.id, group))
    return runs


def tool_columns(q: Questionnaire) -> dict[str, Target]:
    """Headers (as keys) that the answer exports of forms written by `cxassess export` give our
    questions, beyond their ids and texts: LimeSurvey's `grid[item]` and `grid_item` codes and
    its safe codes of single questions, and Qualtrics' `tag_n` columns of each grid row."""
    found: dict[str, Target] = {}
    for tag, _dimension, items in item_runs(q):
        grid = tool_code(tag)
        for n, item in enumerate(items, start=1):
            target = Target("question", item.id)
            code = tool_code(item.id)
            for header in (f"{grid}[{code}]", f"{grid}_{code}", f"{tag}_{n}"):
                found.setdefault(key(header), target)
    for question in q.scored_questions():
        found.setdefault(key(tool_code(question.id)), Target("question", question.id))
    for segment in q.segments:
        found.setdefault(key(tool_code(segment.id)), Target("segment", segment.id))
    for comment in q.comments:
        found.setdefault(key(tool_code(comment.id)), Target("comment", comment.id))
    return found
