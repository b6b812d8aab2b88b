"""Control characters from files (ESC and OSC sequences, carriage returns, bidi overrides) are
shown as visible escapes such as `\\x1b` in terminal tables and error messages, never sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.visible import visible

DATA = Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv"
OSC_TITLE = "\x1b]0;pwned\x07"
RED = "\x1b[31m"


def test_visible_writes_control_characters_out() -> None:
    assert visible(f"Sales{OSC_TITLE}\r\u202e[b]") == "Sales\\x1b]0;pwned\\x07\\x0d\\u202e\\[b]"


def test_group_names_with_escape_sequences_print_escaped(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(DATA.read_text(encoding="utf-8"))))
    team = rows[0].index("team")
    for index, row in enumerate(rows[1:]):
        row[team] = f"Sales{OSC_TITLE}" if index % 2 else f"{RED}Ops\r"
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = CliRunner().invoke(
        app, ["score", str(answers), "-q", "three-abilities", "-g", "team", "--min-group-size", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\r" not in result.output
    assert "Sales\\x1b]0;pwned" in result.output
    assert "\\x1b[31mOps" in result.output


def test_file_name_with_escape_sequence_is_shown_escaped_in_the_error(tmp_path: Path) -> None:
    name = tmp_path / f"answers{OSC_TITLE}.csv"
    result = CliRunner().invoke(app, ["score", str(name), "-q", "three-abilities"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "answers\\x1b]0;pwned\\x07.csv" in result.output
