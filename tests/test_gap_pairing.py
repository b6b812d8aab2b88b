"""Which dimensions and items of a staff and a customer questionnaire sit side by side, and
how a wrong `pair:` is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.errors import InputError, ValidationError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.gap.pairing import pair_questionnaires

DATA_QUESTIONNAIRES = Path(__file__).parent.parent / "questionnaires"

DATA = Path(__file__).parent / "data" / "gap"


def _load(name: str):
    return load_questionnaire(DATA / name)


def test_pairing_built_in_three_abilities_pairs_every_item() -> None:
    staff = resolve_questionnaire("three-abilities")
    customer = resolve_questionnaire("three-abilities-customer")
    pairing = pair_questionnaires(staff, customer)
    assert pairing.dimensions == ["capability", "accessibility", "enjoyability"]
    assert len(pairing.items) == 18
    # staff outcomes are predictions of the customer outcomes they name
    assert pairing.outcome_customer == {
        "recommend": "recommend",
        "satisfied-predicted": "satisfied",
        "come-back-predicted": "come-back",
        "trust-predicted": "trust",
    }
    assert pairing.same_dimensions
    assert not pairing.unpaired_staff_items
    # customer-only items: things staff cannot see for themselves
    assert "cacc-self-service" in pairing.unpaired_customer_items
    knowledge = next(p for p in pairing.items if p.staff.id == "cap-knowledge")
    assert knowledge.customer.id == "ccap-knowledge"
    assert knowledge.dimension == "capability"
    # every pair stays within its dimension
    for pair in pairing.items:
        assert staff.dimension_of(pair.staff.id).id == customer.dimension_of(pair.customer.id).id


def test_pairing_uses_pair_key_then_same_id_and_lists_the_rest() -> None:
    pairing = pair_questionnaires(_load("staff.yaml"), _load("customer.yaml"))
    assert pairing.dimensions == ["alpha", "beta"]
    pairs = {(p.staff.id, p.customer.id) for p in pairing.items}
    assert pairs == {("a1", "ca1"), ("a2", "ca2"), ("a3", "a3"), ("b1", "cb1"), ("b2", "cb2")}
    assert [p.staff.id for p in pairing.items] == ["a1", "a2", "a3", "b1", "b2"]
    assert pairing.unpaired_staff_dimensions == ["gamma"]
    assert pairing.unpaired_customer_dimensions == ["delta"]
    assert pairing.unpaired_staff_items == ["g1"]
    assert pairing.unpaired_customer_items == ["ca-extra", "d1"]
    assert not pairing.same_dimensions


def _line_of(file: Path, needle: str) -> int:
    return next(n for n, line in enumerate(file.read_text().splitlines(), 1) if needle in line)


def test_pairing_refuses_a_pair_naming_no_staff_item_at_its_line() -> None:
    file = DATA / "customer-pair-unknown-item.yaml"
    with pytest.raises(ValidationError) as caught:
        pair_questionnaires(_load("staff.yaml"), load_questionnaire(file), customer_file=file)
    (problem,) = caught.value.problems
    assert problem.location.file == str(file)
    assert problem.location.line == _line_of(file, "pair: b11")
    assert problem.where == "dimensions[beta].items[cb1].pair"
    assert "'b11' is not an item of 'gap-staff'" in problem.what
    assert "did you mean 'b1'" in problem.hint
    assert caught.value.exit_code == 2


def test_pairing_refuses_a_pair_across_dimensions() -> None:
    file = DATA / "customer-pair-other-dimension.yaml"
    with pytest.raises(ValidationError) as caught:
        pair_questionnaires(_load("staff.yaml"), load_questionnaire(file), customer_file=file)
    (problem,) = caught.value.problems
    assert problem.location.line == _line_of(file, "pair: a1}")
    assert "staff dimension 'alpha'" in problem.what
    assert "this item is in 'beta'" in problem.what


def test_pairing_refuses_two_customer_items_on_one_staff_item() -> None:
    file = DATA / "customer-pair-used-twice.yaml"
    with pytest.raises(ValidationError) as caught:
        pair_questionnaires(_load("staff.yaml"), load_questionnaire(file), customer_file=file)
    (problem,) = caught.value.problems
    assert "already paired with 'ca2'" in problem.what
    assert problem.location.line == _line_of(file, "id: ca-extra")


def test_pairing_refuses_questionnaires_sharing_no_dimension() -> None:
    with pytest.raises(InputError) as caught:
        pair_questionnaires(_load("staff.yaml"), _load("customer-no-shared-dimension.yaml"))
    error = caught.value
    assert error.exit_code == 2
    assert "'gap-staff' and 'gap-customer-unrelated' share no dimension" in error.message
    assert "alpha, beta, gamma" in error.hint and "parking" in error.hint


def test_pairing_refuses_customer_questionnaire_given_as_staff() -> None:
    with pytest.raises(InputError, match="answered by customers"):
        pair_questionnaires(_load("customer.yaml"), _load("staff.yaml"))


def test_pairing_staff_item_predicting_a_customer_item_pairs_with_it(tmp_path) -> None:
    staff_text = (DATA_QUESTIONNAIRES / "three-abilities.yaml").read_text()
    customer_text = (DATA_QUESTIONNAIRES / "three-abilities-customer.yaml").read_text()
    staff_path, customer_path = tmp_path / "staff.yaml", tmp_path / "customer.yaml"
    staff_path.write_text(
        staff_text.replace(
            "      - id: cap-promises\n",
            "      - id: cap-promises\n        predicts: ccap-promises\n",
        )
    )
    customer_path.write_text(
        customer_text.replace("{id: ccap-promises, pair: cap-promises,", "{id: ccap-promises,")
    )
    customer = load_questionnaire(customer_path)
    assert customer.all_items()[6].pair is None
    pairing = pair_questionnaires(load_questionnaire(staff_path), customer)
    promises = next(p for p in pairing.items if p.staff.id == "cap-promises")
    assert promises.customer.id == "ccap-promises"


def test_pairing_prediction_of_an_unknown_customer_question_is_refused(tmp_path) -> None:
    staff_text = (DATA_QUESTIONNAIRES / "three-abilities.yaml").read_text()
    staff_path = tmp_path / "staff.yaml"
    staff_path.write_text(staff_text.replace("predicts: come-back\n", "predicts: come-bak\n"))
    with pytest.raises(ValidationError) as caught:
        pair_questionnaires(
            load_questionnaire(staff_path), resolve_questionnaire("three-abilities-customer")
        )
    assert "'come-bak' is not a question of 'three-abilities-customer'" in str(
        caught.value.problems[0]
    )
