"""Set a staff questionnaire beside a customer questionnaire: shared dimensions and item pairs.

Dimensions pair by id. Items pair through the customer item's `pair:` key, which names the staff
item it mirrors, or the staff item's `predicts:` key, which names the customer item whose answer
staff are asked to predict; a customer item without either pairs with a staff item of the same
id in the same dimension, if there is one. A `pair:` that names no staff item, a staff item in
another dimension, or a staff item already paired is an error reported at its line in the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import InputError, Location, Problem, ValidationError
from cxassess.format.models import Item, Questionnaire


@dataclass(frozen=True)
class ItemPair:
    """A staff item and the customer item that mirrors it, in a shared dimension."""

    dimension: str
    staff: Item
    customer: Item


@dataclass
class Pairing:
    """What the two questionnaires have in common, and what they do not."""

    staff: Questionnaire
    customer: Questionnaire
    dimensions: list[str]
    """Shared dimension ids, in the staff questionnaire's order."""
    items: list[ItemPair]
    outcomes: list[str]
    """Staff outcome ids compared with a customer outcome (such as `recommend`)."""
    outcome_customer: dict[str, str] = field(default_factory=dict)
    """For each staff outcome in `outcomes`, the customer outcome it is compared with: the
    same id, or the one it `predicts:`."""
    unpaired_staff_dimensions: list[str] = field(default_factory=list)
    unpaired_customer_dimensions: list[str] = field(default_factory=list)
    unpaired_staff_items: list[str] = field(default_factory=list)
    unpaired_customer_items: list[str] = field(default_factory=list)

    @property
    def same_dimensions(self) -> bool:
        """Whether both overall indexes rest on the same dimensions with the same weights, so
        that the overall gap means something."""
        staff = {d.id: d.weight for d in self.staff.dimensions}
        customer = {d.id: d.weight for d in self.customer.dimensions}
        return staff == customer


def _describe(q: Questionnaire) -> str:
    return ", ".join(d.id for d in q.dimensions)


def _check_sides(staff: Questionnaire, customer: Questionnaire) -> None:
    if staff.id == customer.id:
        raise InputError(
            f"both inputs are answers to '{staff.id}': there is no gap to measure between a "
            "questionnaire and itself",
            hint="give the customers' answers to a customer questionnaire that mirrors it "
            "(such as three-abilities-customer for three-abilities)",
        )
    if staff.audience == "customer" and customer.audience != "customer":
        raise InputError(
            f"the first input is answered by customers ('{staff.id}') and the second by "
            f"{customer.audience} ('{customer.id}')",
            hint="give the staff answers first and the customer answers second: "
            "cxassess gap STAFF_INPUT CUSTOMER_INPUT",
        )


def _pair_line(file: str | None, dim_index: int, item_index: int) -> int | None:
    if not file:
        return None
    from cxassess.format.loader import parse_yaml

    try:
        _data, nodes = parse_yaml(Path(file))
    except InputError:
        return None
    return nodes.line_of(("dimensions", dim_index, "items", item_index, "pair"))


def pair_questionnaires(
    staff: Questionnaire,
    customer: Questionnaire,
    *,
    customer_file: str | Path | None = None,
) -> Pairing:
    """Pair dimensions by id, items by `pair:` or `predicts:`, and outcomes by id or
    `predicts:`; raise `InputError` when the two share no
    dimension and `ValidationError` (one problem per bad `pair:`, with its line) otherwise."""
    _check_sides(staff, customer)
    staff_dims = {d.id: d for d in staff.dimensions}
    customer_dims = {d.id: d for d in customer.dimensions}
    shared = [d.id for d in staff.dimensions if d.id in customer_dims]
    if not shared:
        raise InputError(
            f"'{staff.id}' and '{customer.id}' share no dimension, so there is no gap to measure",
            hint=f"the gap sets dimensions with the same id side by side; '{staff.id}' has "
            f"{_describe(staff)} and '{customer.id}' has {_describe(customer)}. Use a customer "
            "questionnaire written to mirror the staff one, such as three-abilities with "
            "three-abilities-customer",
        )
    staff_item_dim = {i.id: d.id for d in staff.dimensions for i in d.items}
    staff_items = {i.id: i for i in staff.all_items()}
    file = str(customer_file) if customer_file else None
    problems: list[Problem] = []
    pairs: list[ItemPair] = []
    taken: dict[str, str] = {}
    paired_customer: set[str] = set()

    def problem(di: int, ii: int, item: Item, dim_id: str, what: str, hint: str) -> None:
        where = f"dimensions[{dim_id}].items[{item.id}].pair"
        problems.append(Problem(Location(file, _pair_line(file, di, ii)), where, what, hint))

    customer_ids = {q.id for q in customer.scored_questions()}
    predicted: dict[str, str] = {}
    for staff_question in staff.scored_questions():
        if staff_question.predicts is None:
            continue
        if staff_question.predicts not in customer_ids:
            problems.append(
                Problem(
                    Location(None),
                    f"{staff.id}: {staff_question.id}.predicts",
                    f"'{staff_question.predicts}' is not a question of '{customer.id}'",
                    f"name an item or outcome id of '{customer.id}' "
                    f"(see `cxassess show {customer.id}`)",
                )
            )
        else:
            predicted[staff_question.predicts] = staff_question.id

    for di, dim in enumerate(customer.dimensions):
        for ii, item in enumerate(dim.items):
            target = item.pair
            if target is None and item.id in predicted:
                target = predicted[item.id]
            if target is None:
                if dim.id in staff_dims and staff_item_dim.get(item.id) == dim.id:
                    target = item.id
                else:
                    continue
            elif target not in staff_items:
                close = difflib.get_close_matches(target, list(staff_items), n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else (f"use the id of an item in '{staff.id}' (see `cxassess show {staff.id}`)")
                )
                problem(di, ii, item, dim.id, f"'{target}' is not an item of '{staff.id}'", hint)
                continue
            elif staff_item_dim[target] != dim.id:
                problem(
                    di,
                    ii,
                    item,
                    dim.id,
                    f"'{target}' is in the staff dimension '{staff_item_dim[target]}', but "
                    f"this item is in '{dim.id}'",
                    "pair items within the same dimension, or move the item",
                )
                continue
            if target in taken:
                problem(
                    di,
                    ii,
                    item,
                    dim.id,
                    f"the staff item '{target}' is already paired with '{taken[target]}'",
                    "pair each staff item with one customer item at most",
                )
                continue
            taken[target] = item.id
            paired_customer.add(item.id)
            pairs.append(ItemPair(dim.id, staff_items[target], item))
    if problems:
        raise ValidationError(problems, file or f"questionnaire '{customer.id}'")
    order = {i.id: n for n, i in enumerate(staff.all_items())}
    pairs.sort(key=lambda p: order[p.staff.id])
    customer_outcomes = {o.id for o in customer.outcomes}
    outcome_customer = {o.id: o.id for o in staff.outcomes if o.id in customer_outcomes}
    for staff_outcome in staff.outcomes:
        target = staff_outcome.predicts
        if target in customer_outcomes:
            # The staff's prediction of a customer outcome replaces a same-id comparison.
            outcome_customer.pop(target, None)
            outcome_customer[staff_outcome.id] = target
    return Pairing(
        staff=staff,
        customer=customer,
        dimensions=shared,
        items=pairs,
        outcomes=[o.id for o in staff.outcomes if o.id in outcome_customer],
        outcome_customer=outcome_customer,
        unpaired_staff_dimensions=[d for d in staff_dims if d not in customer_dims],
        unpaired_customer_dimensions=[d for d in customer_dims if d not in staff_dims],
        unpaired_staff_items=[i for i in staff_items if i not in taken],
        unpaired_customer_items=[i.id for i in customer.all_items() if i.id not in paired_customer],
    )
