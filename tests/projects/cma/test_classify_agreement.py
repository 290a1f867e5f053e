"""The agreement fit: the rules' calibrated confidence re-weighed by how far the second
reader agrees with them, within what the rules decided."""

import random
from collections.abc import Iterator

import pytest

from projects.cma.classify.agreement import (
    TARGET,
    Agreement,
    Inputs,
    fit_agreement,
    guarded,
    load_agreement,
)
from projects.cma.classify.confidence import BELOW_LINE, GUESS_BELOW
from projects.cma.classify.decide import use_second_reader
from projects.cma.classify.softmax import SoftmaxModel, fit_softmax, load_reader
from projects.cma.heads import HEADS_BY_ID
from tests.projects.cma.conftest import AUTO_APPROVE, suggest


def _inputs(
    *,
    confidence: float = 0.8,
    agrees: bool = True,
    reader_p: float = 0.9,
    guess: bool = False,
    group_names: bool = False,
) -> Inputs:
    return Inputs(
        confidence=confidence,
        guess=guess,
        method="synonym",
        grouped=group_names,
        group_names=group_names,
        reader_p=reader_p,
        agrees=agrees,
        top_p=reader_p if agrees else 0.8,
    )


def _rows(count: int = 600, seed: int = 3) -> list[tuple[Inputs, bool]]:
    """Rows where the reader's agreement is what tells a right head from a wrong one."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        agrees = rng.random() < 0.8
        reader_p = rng.uniform(0.6, 0.99) if agrees else rng.uniform(0.01, 0.3)
        right = rng.random() < (0.97 if agrees else 0.45)
        rows.append((_inputs(confidence=rng.uniform(0.72, 0.95), agrees=agrees,
                             reader_p=reader_p), right))  # fmt: skip
    return rows


def test_the_same_rows_give_the_same_fit() -> None:
    assert fit_agreement(_rows()) == fit_agreement(_rows())


def test_a_reader_that_agrees_raises_the_confidence_and_one_that_differs_lowers_it() -> None:
    fit = Agreement.from_json(fit_agreement(_rows()))
    agreeing = fit(_inputs(agrees=True, reader_p=0.95))
    differing = fit(_inputs(agrees=False, reader_p=0.05))
    assert agreeing > 0.85
    assert differing < AUTO_APPROVE < agreeing


def test_what_the_fit_approves_averages_the_target_by_its_own_reckoning() -> None:
    rows = _rows()
    tree = fit_agreement(rows)
    assert tree["shift"] <= 0
    fit = Agreement.from_json(tree)
    unshifted = Agreement(fit.weights, 0.0)
    approved = [unshifted(inputs) for inputs, _ in rows if fit(inputs) >= GUESS_BELOW]
    assert approved and sum(approved) / len(approved) >= TARGET


def test_a_guess_of_the_rule_tables_never_crosses_the_review_line() -> None:
    assert guarded(_inputs(confidence=0.6, guess=True), 0.99) == BELOW_LINE
    assert guarded(_inputs(confidence=0.6, guess=True), 0.3) == 0.3


def test_a_head_the_group_names_keeps_at_least_the_rules_confidence() -> None:
    assert guarded(_inputs(confidence=0.8, group_names=True), 0.4) == 0.8
    assert guarded(_inputs(confidence=0.8, group_names=True), 0.95) == 0.95
    assert guarded(_inputs(confidence=0.8), 0.4) == 0.4


def test_a_file_names_its_features_so_an_unknown_one_weighs_nothing() -> None:
    tree = fit_agreement(_rows())
    tree["features"] = [*tree["features"][:-1], "head no_such_head"]
    fit = Agreement.from_json(tree)
    assert fit.weights[-1] == 0.0


def test_the_shipped_fit_says_what_the_reader_read() -> None:
    assert load_agreement() is not None
    found = suggest("Salary", "Dr")
    assert found.head == "sga_expenses" and found.confidence >= AUTO_APPROVE
    assert any("reads the same head" in line for line in found.evidence)


def test_a_party_its_group_names_is_not_read_again() -> None:
    # Approved by its group, whatever a reader says: the reading would change nothing.
    found = suggest("Ganesh Travels", "Cr", "Sundry Creditors")
    assert found.head == "sundry_creditors" and found.confidence >= AUTO_APPROVE
    assert not any("model trained" in line for line in found.evidence)


def test_a_reader_reading_a_head_the_side_does_not_take_says_so(reader_restored) -> None:
    # This reader reads "Audit Fees Payable" mostly as the expense, which a credit balance
    # does not take; of the heads it does, the rules' own.
    rows = [
        ("Audit Fees Payable", "", "Cr", "sga_expenses"),
        ("Audit Fees Payable", "", "Cr", "other_current_liabilities"),
        ("Salary", "", "Dr", "sga_expenses"),
        ("Sales", "", "Cr", "sales_domestic"),
    ]
    use_second_reader(SoftmaxModel.from_json(fit_softmax(rows * 40, min_count=1)))
    found = suggest("Audit Fees Payable", "Cr")
    assert found.head == "other_current_liabilities"
    assert "which a credit balance does not take" in found.evidence[-1]
    assert HEADS_BY_ID["sga_expenses"].label in found.evidence[-1]


@pytest.fixture
def reader_restored() -> Iterator[None]:
    yield
    use_second_reader(load_reader())
