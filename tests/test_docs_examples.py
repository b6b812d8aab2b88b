"""The documentation's examples stay true: the format page's questionnaire example validates."""

from __future__ import annotations

import re
from pathlib import Path

from cxassess.format.loader import read_questionnaire

FORMAT_PAGE = Path(__file__).parent.parent / "docs" / "format.md"


def test_format_page_questionnaire_example_is_valid_without_warnings(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT_PAGE.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if b.startswith("format: cxassess/1"))
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    questionnaire, problems = read_questionnaire(path)
    assert problems == []
    assert questionnaire is not None and questionnaire.id == "service-pulse"
