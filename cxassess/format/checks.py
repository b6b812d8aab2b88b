"""Checks of a questionnaire's meaning, beyond what the schema can say.

Every check adds `Problem`s to one list; nothing stops at the first. Each problem points at
the line of the node it concerns, using the marks kept by the loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxassess.errors import Location, Problem
from cxassess.format.models import Questionnaire
from cxassess.format.nodes import describe_path

if TYPE_CHECKING:
    from cxassess.format.nodes import NodeMap, PathKey


class _Checker:
    def __init__(self, q: Questionnaire, data: dict[str, Any], nodes: NodeMap, file: str):
        self.q = q
        self.data = data
        self.nodes = nodes
        self.file = file
        self.problems: list[Problem] = []

    def add(self, path: PathKey, where: str, what: str, hint: str, *, warning: bool = False):
        self.problems.append(
            Problem(
                Location(self.file, self.nodes.line_of(path)),
                where,
                what,
                hint,
                "warning" if warning else "error",
            )
        )

    def run(self) -> list[Problem]:
        self.check_ids()
        self.check_scales()
        self.check_questions()
        self.check_levels()
        self.check_recommendations()
        self.check_languages()
        self.check_warnings()
        if not any(p.severity == "error" for p in self.problems):
            from cxassess.format.bands import check_bands

            self.problems.extend(check_bands(self.q, self.nodes, self.file))
        return self.problems

    def id_paths(self) -> list[tuple[str, PathKey, str]]:
        found: list[tuple[str, PathKey, str]] = []
        for section in ("segments", "outcomes", "comments", "levels", "recommendations"):
            for i, entry in enumerate(getattr(self.q, section)):
                found.append((entry.id, (section, i, "id"), f"{section}[{entry.id}]"))
        for d, dim in enumerate(self.q.dimensions):
            found.append((dim.id, ("dimensions", d, "id"), f"dimensions[{dim.id}]"))
            for i, item in enumerate(dim.items):
                found.append(
                    (item.id, ("dimensions", d, "items", i, "id"), f"{dim.id}.items[{item.id}]")
                )
        return found

    def check_ids(self) -> None:
        first: dict[str, str] = {}
        for ident, path, where in self.id_paths():
            if ident in first:
                self.add(
                    path,
                    where,
                    f"id '{ident}' is already used by {first[ident]}",
                    "give every dimension, item, outcome, comment, segment, level and "
                    "recommendation its own id",
                )
            else:
                line = self.nodes.line_of(path)
                first[ident] = f"{where} (line {line})"

    def check_scales(self) -> None:
        for name, scale in self.q.scales.items():
            where = f"scales.{name}"
            path: PathKey = ("scales", name)
            values = [p.value for p in scale.resolved_points()]
            if scale.type in ("likert", "choice") and len(values) < 2:
                self.add(
                    path,
                    where,
                    f"a {scale.type} scale needs at least two points",
                    "list its answers under 'points:' as {value: ..., label: ...}",
                )
            if scale.type == "text" and scale.points:
                self.add(
                    (*path, "points"),
                    where,
                    "a text scale has no points",
                    "remove 'points:' or use type: choice",
                )
            if scale.type == "number" and scale.bounds() is None:
                self.add(
                    path,
                    where,
                    "a number scale needs 'min' and 'max' with min < max",
                    "add e.g. 'min: 0' and 'max: 10'",
                )
            if scale.type == "nps" and scale.points and any(v not in range(11) for v in values):
                self.add(
                    (*path, "points"),
                    where,
                    "nps points must be the values 0 to 10",
                    "remove 'points:' to use the standard 0-10 scale",
                )
            if len(set(values)) != len(values):
                self.add(
                    (*path, "points"),
                    where,
                    "two points share the same value",
                    "give each point its own value",
                )
            if values and values != sorted(values) and scale.type != "choice":
                self.add(
                    (*path, "points"),
                    where,
                    "points are not in ascending order of value",
                    "list the lowest value first",
                )
            for i, fav in enumerate(scale.favorable or []):
                if scale.type == "number":
                    lo, hi = scale.bounds() or (fav, fav)
                    ok = lo <= fav <= hi
                else:
                    ok = fav in values
                if not ok:
                    self.add(
                        (*path, "favorable", i),
                        where,
                        f"favourable value {fav:g} is not a point of the scale",
                        "use values from " + ", ".join(f"{v:g}" for v in values),
                    )

    def check_questions(self) -> None:
        entries: list[tuple[Any, PathKey, str]] = []
        for d, dim in enumerate(self.q.dimensions):
            for i, item in enumerate(dim.items):
                entries.append((item, ("dimensions", d, "items", i), f"{dim.id}.items[{item.id}]"))
        for i, outcome in enumerate(self.q.outcomes):
            entries.append((outcome, ("outcomes", i), f"outcomes[{outcome.id}]"))
        for question, path, where in entries:
            scale = self.q.scales.get(question.scale)
            if scale is None:
                known = ", ".join(self.q.scales) or "none defined"
                self.add(
                    (*path, "scale"),
                    where,
                    f"unknown scale '{question.scale}'",
                    f"use one of the scales defined under 'scales:' ({known})",
                )
                continue
            if not scale.is_scored:
                self.add(
                    (*path, "scale"),
                    where,
                    f"scale '{question.scale}' ({scale.type}) cannot be scored",
                    "scored questions need a likert, nps, number or choice scale; "
                    "put free-text questions under 'comments:'",
                )
            if question.reverse and not scale.is_ordinal:
                self.add(
                    (*path, "reverse"),
                    where,
                    f"reverse is set but scale '{question.scale}' ({scale.type}) is not ordered",
                    "remove 'reverse: true' or use a likert, nps or number scale",
                )
            self.check_offers(question, scale, path, where)
            if question.positive is not None and not question.reverse:
                self.add(
                    (*path, "positive"),
                    where,
                    "'positive' is given but the question is not scored in reverse",
                    "remove 'positive:' (it is for negatively worded questions) "
                    "or add 'reverse: true'",
                    warning=True,
                )

    def check_offers(self, question: Any, scale: Any, path: PathKey, where: str) -> None:
        """`offers:` may name only the extra answers the question's scale defines, once each."""
        if question.offers is None:
            return
        seen: set[str] = set()
        for i, kind in enumerate(question.offers):
            if kind in seen:
                self.add(
                    (*path, "offers", i),
                    where,
                    f"'{kind}' is listed twice under 'offers'",
                    "list each of dont_know and not_applicable at most once",
                )
            seen.add(kind)
            if getattr(scale, kind) is None:
                self.add(
                    (*path, "offers", i),
                    where,
                    f"offers '{kind}' but scale '{question.scale}' does not define it",
                    f"add '{kind}: <label>' to scale '{question.scale}', or remove "
                    f"'{kind}' from 'offers:'",
                )

    def check_levels(self) -> None:
        levels = self.q.levels
        if levels and levels[0].min != 0:
            self.add(
                ("levels", 0, "min"),
                f"levels[{levels[0].id}]",
                f"the first level starts at {levels[0].min:g}, not 0",
                "set 'min: 0' on the first level so every score has a level",
            )
        for i in range(1, len(levels)):
            if levels[i].min <= levels[i - 1].min:
                self.add(
                    ("levels", i, "min"),
                    f"levels[{levels[i].id}]",
                    f"min {levels[i].min:g} is not above the previous level's "
                    f"{levels[i - 1].min:g}",
                    "list levels in ascending order of 'min'",
                )

    def check_recommendations(self) -> None:
        dims = {d.id for d in self.q.dimensions}
        questions = {q.id: q for q in self.q.scored_questions()}
        for r, rec in enumerate(self.q.recommendations):
            path: PathKey = ("recommendations", r, "when")
            where = f"recommendations[{rec.id}].when"
            cond = rec.when
            if (cond.dimension is None) == (cond.item is None):
                self.add(
                    path,
                    where,
                    "name exactly one of 'dimension' or 'item'",
                    "e.g. {dimension: capability, below: 60}",
                )
                continue
            if cond.level is not None and (cond.below is not None or cond.at_least is not None):
                self.add(
                    (*path, "level"),
                    where,
                    "'level' is given together with 'below' or 'at_least'",
                    "use either a level (e.g. {dimension: capability, level: developing}) "
                    "or a range with 'below' and 'at_least'",
                )
                continue
            if cond.level is None and cond.below is None and cond.at_least is None:
                self.add(
                    path,
                    where,
                    "no range is given, so the advice would never be aimed",
                    "add 'below:' (and 'at_least:' for a band), or 'level:' with a level id",
                )
                continue
            if cond.level is not None and cond.item is not None:
                self.add(
                    (*path, "level"),
                    where,
                    "levels are bands of 0-100 dimension scores, not of an item's mean",
                    "use 'below:' and 'at_least:' on the item's own scale",
                )
                continue
            if cond.level is not None and cond.level not in {lv.id for lv in self.q.levels}:
                self.add(
                    (*path, "level"),
                    where,
                    f"unknown level '{cond.level}'",
                    "use one of: " + ", ".join(lv.id for lv in self.q.levels),
                )
                continue
            if (
                cond.below is not None
                and cond.at_least is not None
                and not cond.at_least < cond.below
            ):
                self.add(
                    (*path, "at_least"),
                    where,
                    f"at_least {cond.at_least:g} is not below 'below' {cond.below:g}, "
                    "so the advice can never fire",
                    "make 'at_least' the lower end of the band and 'below' its upper end",
                )
                continue
            if cond.dimension is not None:
                if cond.dimension not in dims:
                    self.add(
                        (*path, "dimension"),
                        where,
                        f"unknown dimension '{cond.dimension}'",
                        "use one of: " + ", ".join(sorted(dims)),
                    )
                elif cond.below is not None and not 0 < cond.below <= 100:
                    self.add(
                        (*path, "below"),
                        where,
                        f"threshold {cond.below:g} is outside the 0-100 dimension score",
                        "use a number above 0 and at most 100",
                    )
                continue
            question = questions.get(cond.item or "")
            if question is None:
                self.add(
                    (*path, "item"),
                    where,
                    f"unknown item '{cond.item}'",
                    "name an item or outcome id of this file",
                )
                continue
            scale = self.q.scales.get(question.scale)
            bounds = scale.bounds() if scale else None
            if bounds and cond.below is not None and not bounds[0] < cond.below <= bounds[1]:
                self.add(
                    (*path, "below"),
                    where,
                    f"threshold {cond.below:g} is outside the scale of '{cond.item}' "
                    f"({bounds[0]:g}-{bounds[1]:g})",
                    "item thresholds are on the item's own scale, e.g. 3.0 on 1-5",
                )

    def check_languages(self) -> None:
        langs = list(self.q.languages)
        if len(set(langs)) != len(langs):
            self.add(("languages",), "languages", "a language is listed twice", "list each once")

        def visit(node: Any, path: PathKey) -> None:
            if isinstance(node, dict):
                is_text = bool(path) and (
                    path[-1] in _TEXT_KEYS or (len(path) > 1 and path[-2] == "actions")
                )
                if node and is_text and all(isinstance(v, str) for v in node.values()):
                    missing = [lang for lang in langs if lang not in node]
                    extra = [k for k in node if k not in langs]
                    where = _where(self.data, path)
                    if missing:
                        self.add(
                            path,
                            where,
                            "no text in " + ", ".join(missing),
                            "add the translation, or remove the language from 'languages:'",
                        )
                    if extra:
                        self.add(
                            path,
                            where,
                            "text in unlisted language " + ", ".join(extra),
                            "add it to 'languages:' or remove it",
                        )
                    return
                for key, value in node.items():
                    visit(value, (*path, key))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    visit(value, (*path, i))

        visit(self.data, ())

    def check_warnings(self) -> None:
        top = max(self.q.levels, key=lambda lv: lv.min)
        for d, dim in enumerate(self.q.dimensions):
            if len(dim.items) < 3:
                self.add(
                    ("dimensions", d, "items"),
                    f"dimensions[{dim.id}]",
                    f"only {len(dim.items)} item(s); scores and alpha are unreliable",
                    "use at least three items per dimension",
                    warning=True,
                )
            covered = any(
                rec.when.dimension == dim.id
                and (self.q.condition_bounds(rec.when)[1] or 100) >= top.min
                for rec in self.q.recommendations
            )
            if not covered and top.min > 0:
                self.add(
                    ("dimensions", d, "id"),
                    f"dimensions[{dim.id}]",
                    f"no recommendation fires below the top level ({top.min:g})",
                    f"add one with when: {{dimension: {dim.id}, below: {top.min:g}}}",
                    warning=True,
                )


_TEXT_KEYS = {
    "title",
    "description",
    "summary",
    "text",
    "label",
    "help",
    "why",
    "not_applicable",
    "dont_know",
    "positive",
}


def _where(data: Any, path: PathKey) -> str:

    return describe_path(data, path)


def check_meaning(
    q: Questionnaire, data: dict[str, Any], nodes: NodeMap, file: str
) -> list[Problem]:
    """Every problem of meaning in a schema-valid questionnaire: references, ids, scales,
    levels, thresholds and languages as errors; thin dimensions and gaps in advice as warnings."""
    return _Checker(q, data, nodes, file).run()
