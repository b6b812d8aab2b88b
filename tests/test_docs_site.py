"""The documentation site stays true to the code: the format reference is generated from the
questionnaire models at build time and names every key with its description, the Python API
page gives the signatures the functions have, and the site builds with `--strict`."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from cxassess.format.models import Questionnaire

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _hooks() -> Any:
    spec = importlib.util.spec_from_file_location("cxassess_docs_hooks", DOCS / "hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = _hooks()


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, Any]:
    """Every model reachable from `model` through its fields, by class name."""
    seen[model.__name__] = model

    def types(annotation: Any):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in get_args(annotation) if get_origin(annotation) else ():
            yield from types(arg)

    for field in model.model_fields.values():
        for found in types(field.annotation):
            if found.__name__ not in seen:
                _models(found, seen)
    return seen


MODELS = _models(Questionnaire, {})


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (\w+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_reference_has_a_section_per_model_naming_each_of_its_keys() -> None:
    sections = _sections(HOOKS.format_reference())
    assert set(sections) == set(MODELS)
    assert {"Questionnaire", "Scale", "Item", "Recommendation", "Condition"} <= set(sections)
    for name, model in MODELS.items():
        keys = re.findall(r"^\| `(\w+)` \|", sections[name], flags=re.M)
        expected = [f.alias or key for key, f in model.model_fields.items()]
        assert keys == expected, name


def test_every_key_of_the_format_has_its_meaning_written() -> None:
    rows = [line for line in HOOKS.format_reference().splitlines() if line.startswith("| `")]
    assert len(rows) > 60
    empty = [row.split("|")[1].strip() for row in rows if not row.rstrip("| ").split("|")[-1]]
    assert empty == [], "a model field without a docstring leaves its meaning empty"


def test_the_reference_says_required_defaults_and_types_in_words() -> None:
    sections = _sections(HOOKS.format_reference())
    rows = {
        re.match(r"\| `(\w+)`", line).group(1): line
        for line in sections["Questionnaire"].splitlines()
        if line.startswith("| `")
    }
    assert "| required |" in rows["id"] and "| id (up to 64 characters) |" in rows["id"]
    assert "| default `false` |" in rows["provisional_levels"]
    assert "list of [Dimension](#dimension) (at least 1 entry)" in rows["dimensions"]
    assert "`staff` \\| `customer` \\| `leader`" in rows["audience"]
    assert "| text |" in rows["title"]


def test_the_reference_page_keeps_the_marker_the_hook_replaces() -> None:
    source = (DOCS / HOOKS.REFERENCE_PAGE).read_text(encoding="utf-8")
    assert source.count(HOOKS.MARKER) == 1
    assert "## Scale" not in source, "the tables are generated, not written by hand"


API_BLOCK = re.compile(r"```python\nfrom ([\w.]+) import (\w+)\n\n(\2\(.*?\)) -> (.+?)\n```", re.S)


def _documented() -> list[tuple[str, str, str, str]]:
    return API_BLOCK.findall((DOCS / "python-api.md").read_text(encoding="utf-8"))


def test_the_api_page_documents_the_public_calls() -> None:
    names = {name for _, name, _, _ in _documented()}
    import cxassess

    assert set(cxassess._PUBLIC) - {"find_questionnaire"} <= names
    assert {"write_results", "read_gap", "json_schema", "tidy_rows"} <= names


@pytest.mark.parametrize(
    ("module", "name", "call", "returns"), _documented(), ids=[d[1] for d in _documented()]
)
def test_each_documented_signature_is_the_one_in_the_code(module, name, call, returns) -> None:
    function = getattr(importlib.import_module(module), name)
    written = ast.parse(f"def {' '.join(call.split())}: ...").body[0].args
    actual = inspect.signature(function).parameters.values()
    kinds = {
        "positional": inspect.Parameter.POSITIONAL_OR_KEYWORD,
        "keyword": inspect.Parameter.KEYWORD_ONLY,
    }
    documented = [(a.arg, kinds["positional"]) for a in written.args]
    documented += [(a.arg, kinds["keyword"]) for a in written.kwonlyargs]
    assert documented == [(p.name, p.kind) for p in actual], name
    defaults = dict(zip([a.arg for a in written.args][::-1], written.defaults[::-1], strict=False))
    defaults.update(
        {a.arg: d for a, d in zip(written.kwonlyargs, written.kw_defaults, strict=True) if d}
    )
    for parameter in actual:
        if parameter.default is inspect.Parameter.empty:
            assert parameter.name not in defaults, (name, parameter.name)
        else:
            assert ast.literal_eval(defaults[parameter.name]) == parameter.default, (
                name,
                parameter.name,
            )
    assert returns.replace(" ", "") == str(inspect.signature(function).return_annotation).replace(
        " ", ""
    )


def test_the_site_builds_strictly_with_the_generated_reference(tmp_path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path), strict=True)
    build(config)
    page = (tmp_path / "format-reference" / "index.html").read_text(encoding="utf-8")
    assert HOOKS.MARKER not in page
    assert "Reading this file on GitHub" not in page, "the note for the source is replaced"
    assert '<h2 id="scalepoint">' in page
    assert "<code>dont_know</code>" in page
    assert (tmp_path / "python-api" / "index.html").is_file()
