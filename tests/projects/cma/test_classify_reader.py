"""The second reader: a learned model that withdraws the rules' approval where it rules
their head out, and approves what the rules left undecided where it is all but certain."""

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from projects.cma.classify import classify
from projects.cma.classify.decide import use_second_reader
from projects.cma.classify.reader import LIFT_ABOVE, VETO_BELOW
from projects.cma.classify.softmax import SoftmaxModel, fit_softmax, load_reader
from projects.cma.classify.training import dump
from projects.cma.heads import HEADS_BY_ID
from projects.cma.records import ExtractedItem
from tests.projects.cma.conftest import AUTO_APPROVE, suggest


def _reader(rows: list[tuple[str, str, str, str]], copies: int = 40) -> SoftmaxModel:
    """A small reader that has learnt `rows` well (each seen `copies` times)."""
    return SoftmaxModel.from_json(fit_softmax(rows * copies, min_count=1))


@pytest.fixture
def reading(no_agreement) -> Iterator[None]:
    # The shipped agreement fit was fitted to the shipped reader's readings, not these.
    yield
    use_second_reader(load_reader())  # back to the shipped reader


# The rules approve "Freight Outward" as a selling cost; this reader has only ever seen
# it as a factory cost (and other ledgers as what they are).
FACTORY_FREIGHT = [
    ("Freight Outward", "", "Dr", "other_mfg_expenses"),
    ("Salary", "", "Dr", "sga_expenses"),
    ("Bank Charges", "", "Dr", "interest"),
    ("Sales", "", "Cr", "sales_domestic"),
]


def test_a_head_the_reader_rules_out_goes_to_review_with_both_readings(reading) -> None:
    assert suggest("Freight Outward").confidence >= AUTO_APPROVE  # the rules alone
    use_second_reader(_reader(FACTORY_FREIGHT))
    found = suggest("Freight Outward")
    assert found.head == "sga_expenses"  # withdrawn, not overruled
    assert found.confidence < AUTO_APPROVE
    assert found.alternatives[0][0] == "other_mfg_expenses"
    assert "model trained on other firms' ledgers" in found.evidence[-1]
    assert HEADS_BY_ID["other_mfg_expenses"].label in found.evidence[-1]


def test_a_reader_that_leaves_the_rules_head_a_chance_changes_nothing(reading) -> None:
    before = suggest("Freight Outward")
    # Half the time a selling cost: far above the veto line.
    rows = [*FACTORY_FREIGHT, ("Freight Outward", "", "Dr", "sga_expenses")]
    model = _reader(rows)
    assert dict(model.scores("freight outward", "", "Dr"))["sga_expenses"] > VETO_BELOW
    use_second_reader(model)
    assert suggest("Freight Outward") == before


def test_a_head_the_group_names_is_not_vetoed(reading) -> None:
    before = suggest("Freight Outward", "Dr", "Indirect Expenses")
    assert before.head == "sga_expenses" and before.confidence >= AUTO_APPROVE
    use_second_reader(_reader(FACTORY_FREIGHT))
    assert suggest("Freight Outward", "Dr", "Indirect Expenses").confidence >= AUTO_APPROVE


def test_the_reader_only_offers_a_head_the_side_allows(reading) -> None:
    # This reader reads "Freight Outward" as income, which a debit balance is not.
    use_second_reader(_reader([("Freight Outward", "", "Dr", "non_operating_income")]))
    found = suggest("Freight Outward")
    assert found.head == "sga_expenses" and found.confidence >= AUTO_APPROVE


def test_what_the_rules_left_to_the_group_is_approved_when_the_reader_is_certain(
    reading,
) -> None:
    use_second_reader(None)
    left = suggest("Zorblax Qumquat", "Dr", "Purchase Accounts")
    assert left.method == "section" and left.confidence < AUTO_APPROVE
    use_second_reader(_reader([("Zorblax Qumquat", "Purchase Accounts", "Dr", "purchases_rm"),
                                ("Salary", "", "Dr", "sga_expenses")]))  # fmt: skip
    found = suggest("Zorblax Qumquat", "Dr", "Purchase Accounts")
    assert found.head == "purchases_rm"
    assert found.method == "model" and found.confidence >= AUTO_APPROVE
    assert "too" in found.evidence[-1]


def test_a_deliberate_guess_of_the_rules_is_not_lifted(reading) -> None:
    # "Income received in advance" is a CA's call between two heads, whatever a model says.
    model = _reader([("Unearned Revenue", "", "Cr", "advances_from_customers"),
                     ("Salary", "", "Dr", "sga_expenses")])  # fmt: skip
    assert dict(model.scores("unearned revenue", "", "Cr"))["advances_from_customers"] >= (
        LIFT_ABOVE
    )
    use_second_reader(model)
    assert suggest("Unearned Revenue", "Cr").confidence < AUTO_APPROVE


def test_statement_captions_are_the_rule_tables_alone(reading) -> None:
    caption = ExtractedItem("2024-25", "Freight Outward", Decimal("1000"), "Dr", "t",
                            basis="statements")  # fmt: skip
    before = classify(caption)
    use_second_reader(_reader(FACTORY_FREIGHT))
    assert classify(caption) == before


def test_training_is_deterministic() -> None:
    rows = [*FACTORY_FREIGHT, ("Rent Paid", "Indirect Expenses", "Dr", "sga_expenses")] * 3
    assert dump(fit_softmax(rows, min_count=1)) == dump(fit_softmax(rows, min_count=1))


def test_a_feature_of_one_row_is_not_learnt() -> None:
    tree = fit_softmax([("Qwertyuiop", "", "Dr", "sga_expenses"), *FACTORY_FREIGHT * 2])
    assert "w:qwertyuiop" not in tree["weights"] and "w:freight" in tree["weights"]


def test_the_shipped_reader_loads_and_knows_every_head_it_can_read() -> None:
    model = load_reader()
    assert model is not None
    assert {"sundry_creditors", "purchases_rm", "term_loans"} <= set(model.classes)
    assert model.scores("Sundry Creditors", "Sundry Creditors", "Cr")[0][0] == "sundry_creditors"


def _corpus(directory: Path, source: str, rows: list[tuple[str, str, str, str]]) -> None:
    with (directory / f"{source}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["label", "group", "side", "head", "scored", "note", "source"])
        for label, group, side, head in rows:
            writer.writerow([label, group, side, head, "yes", "", source])


def test_the_command_learns_only_the_projects_own_lists_of_the_development_split(
    tmp_path: Path,
) -> None:
    _corpus(tmp_path, "tally_sme_authored", [("Freight Outward", "", "Dr", "other_mfg_expenses")])
    _corpus(tmp_path, "held_out_authored", [("Zorblax", "", "Dr", "sga_expenses")] * 5)
    _corpus(tmp_path, "weberp", [("Zorblax", "", "Dr", "sga_expenses")] * 5)  # a public list
    out = StringIO()
    target = tmp_path / "reader.json"
    call_command("train_classifier", "--reader", "--corpus", str(tmp_path), "--output",
                 str(target), stdout=out)  # fmt: skip
    assert "1 rows of the project's own ledger lists" in out.getvalue()
    model = SoftmaxModel.from_json(json.loads(target.read_text()))
    assert "w:zorblax" not in model.weights


@pytest.mark.parametrize(("label", "side"), [("IGST Sales 28%", "Cr"), ("Purchase @ 5% GST", "Dr")])
def test_a_trade_named_beside_its_tax_rate_only_is_not_read_again(label: str, side: str) -> None:
    # The rates and tax words are all the reader would read: the table's reading stands.
    found = suggest(label, side, "")
    assert found.head in ("sales_domestic", "purchases_rm")
    assert found.confidence >= AUTO_APPROVE
    assert not any("trained on other firms" in e for e in found.evidence)
