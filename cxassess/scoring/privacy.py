"""Rule 11: anonymity of small groups, including protection against subtraction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxassess.results import Results

NOT_STATED = "(not stated)"


def groups_to_suppress(
    counts: Mapping[str, int], min_group_size: int, segment_title: str = ""
) -> tuple[set[str], list[str]]:
    """Which groups of one segment must show only their n, and a note for each extra one.

    Groups below the minimum are suppressed. While the hidden groups hold fewer respondents
    together than the minimum, a reader could recover their figures from the total and the
    shown groups, so the next smallest group is suppressed too, and a note says why.
    """
    small = {value for value, n in counts.items() if n < min_group_size}
    notes: list[str] = []
    label = f"{segment_title} " if segment_title else ""
    while small and len(small) < len(counts) and sum(counts[v] for v in small) < min_group_size:
        n, extra = min((n, value) for value, n in counts.items() if value not in small)
        names = " and ".join(f"'{v}'" for v in sorted(small))
        whose = "its" if len(small) == 1 else "their"
        small.add(extra)
        notes.append(
            f"{label}'{extra}' (n={n}) is also hidden: with only {names} hidden, {whose} "
            "figures could be worked out from the total and the other groups."
        )
    return small, notes


def tighten_privacy(results: Results, min_group_size: int) -> Results:
    """Results with every group below a (higher) threshold suppressed, as scoring would have
    done (rule 11, including the next smallest group when only one is hidden)."""
    from cxassess.results import GroupResult

    if min_group_size <= results.min_group_size:
        return results
    groups: list[GroupResult] = []
    notes = list(results.notes)
    for segment in dict.fromkeys(g.segment for g in results.groups):
        members = [g for g in results.groups if g.segment == segment]
        counts = {g.value: g.n for g in members}
        hidden, extra = groups_to_suppress(counts, min_group_size, segment)
        notes += extra
        for group in members:
            if group.value in hidden or group.suppressed:
                groups.append(
                    GroupResult(segment=segment, value=group.value, n=group.n, suppressed=True)
                )
            else:
                groups.append(group)
    return results.model_copy(
        update={"groups": groups, "min_group_size": min_group_size, "notes": notes}
    )
