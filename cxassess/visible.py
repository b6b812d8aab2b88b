"""Text from files made harmless on a terminal: control characters shown, not obeyed.

A header, a cell, a group name or a file name can hold ESC or OSC sequences that would
recolour the terminal, hide text, set the window title or plant a link; Rich's `escape` only
protects its own markup. `visible` replaces every control character (C0, DEL, C1) and the
bidirectional overrides that can reorder a line with a visible escape such as `\\x1b`, then
escapes Rich markup, so the result can be printed with `console.print`.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_AND_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, keep_newlines: bool = True) -> str:
    """`text` with control characters written out (`\\x1b`, `\\u202e`) and Rich markup
    escaped: safe to print. Line breaks (`\\n`, harmless) are kept unless `keep_newlines`
    is false; a carriage return, which can overwrite what a line shows, is always shown."""
    from rich.markup import escape

    pattern = _CONTROL if keep_newlines else _CONTROL_AND_NEWLINE
    return escape(pattern.sub(_shown, str(text)))
