"""The experience perception gap: what our people believe they deliver against what customers
say they receive, per shared dimension and paired item, with the noise of each gap.

Modules: `pairing` (which dimensions and items sit side by side), `stats` (Welch intervals),
`compute` (the gap from two `Results`), `advice` (gap-aimed recommendations), `inputs` (reading
each side), `terminal`, `chart` and `report` (outputs). Names are imported lazily so that
importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from cxassess.gap.compute import compute_gap as compute_gap
    from cxassess.gap.model import GapResults as GapResults
    from cxassess.gap.model import read_gap as read_gap
    from cxassess.gap.pairing import pair_questionnaires as pair_questionnaires

__all__ = ["GapResults", "compute_gap", "pair_questionnaires", "read_gap"]

_WHERE = {
    "compute_gap": "cxassess.gap.compute",
    "GapResults": "cxassess.gap.model",
    "read_gap": "cxassess.gap.model",
    "pair_questionnaires": "cxassess.gap.pairing",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
