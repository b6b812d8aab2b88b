"""The README's examples stay true: its questionnaire example validates and scores."""

from __future__ import annotations

import re
from pathlib import Path

from cxassess.format.loader import read_questionnaire

README = Path(__file__).parent.parent / "README.md"


def test_readme_questionnaire_example_is_valid_without_warnings(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if b.startswith("format: cxassess/1"))
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    questionnaire, problems = read_questionnaire(path)
    assert problems == []
    assert questionnaire is not None and questionnaire.id == "service-pulse"
