"""How headers and answers are compared (`key`), and what a matched column holds (`Target`):
the vocabulary the column matcher and the survey tools' naming rules share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["question", "segment", "comment", "respondent", "ignore"]

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def key(text: str) -> str:
    """A text as compared: Unicode-normalised, case-folded, without spaces or punctuation."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Target:
    """What a column holds: a question's answers, a segment, a comment, respondent ids, or
    nothing we read (`ignore`)."""

    kind: TargetKind
    id: str = ""
