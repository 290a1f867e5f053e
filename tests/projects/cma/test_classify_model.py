"""The word model, its blend and calibration: deterministic, loadable, monotonic, explained."""

from decimal import Decimal

from projects.cma.classify import classify_all
from projects.cma.classify.blend import Blend
from projects.cma.classify.calibrate import Labelled, fit_blend, isotonic, train
from projects.cma.classify.decide import use_model
from projects.cma.classify.model import MODEL_PATH, WordModel, load_model
from projects.cma.classify.training import dump, examples, fit_model
from projects.cma.records import ExtractedItem


def _item(label: str, side: str, section: str = "") -> ExtractedItem:
    return ExtractedItem(
        year="2024-25", label=label, amount=Decimal("1000.00"), side=side,  # type: ignore[arg-type]
        source="test", section=section,
    )  # fmt: skip


def test_training_twice_writes_the_same_file() -> None:
    assert dump(train(None)) == dump(train(None))


def test_the_shipped_model_file_loads_and_knows_every_head() -> None:
    model = load_model(MODEL_PATH)
    assert model is not None
    assert "sundry_creditors" in model.classes and len(model.classes) >= 50


def test_the_word_model_reads_a_misspelt_statutory_due_under_duties_and_taxes() -> None:
    model = WordModel.from_json(fit_model(examples()))
    top = [h for h, _ in model.scores("Employee Providend Fund Payable", "Duties & Taxes", "Cr")]
    assert "statutory_liabilities" in top[:3]


def test_calibration_is_monotonic_in_the_raw_margin() -> None:
    pairs = [(i / 10, i % 3 != 0 or i > 60) for i in range(100)]
    steps = isotonic(pairs)
    accuracies = [accuracy for _, accuracy in steps]
    assert accuracies == sorted(accuracies)
    blend = Blend(calibration=steps)
    values = [blend.calibrate(x / 4) for x in range(0, 50)]
    assert values == sorted(values)


def test_the_blend_explains_its_choice_and_offers_runners_up() -> None:
    model = WordModel.from_json(fit_model(examples()))
    rows = [
        Labelled("Salary Payable", "Current Liabilities", "Cr", "other_current_liabilities"),
        Labelled("Office Rent", "Indirect Expenses", "Dr", "sga_expenses"),
        Labelled("Sundry Creditors for Goods", "Sundry Creditors", "Cr", "sundry_creditors"),
    ] * 10
    use_model(model, fit_blend(model, rows))
    try:
        (suggestion,) = classify_all([_item("Telephone Expenses", "Dr", "Indirect Expenses")])
    finally:
        use_model(None)
    assert suggestion.head == "sga_expenses"
    assert any("group" in sentence for sentence in suggestion.evidence)
    assert "a debit balance" in suggestion.evidence
    assert len(suggestion.alternatives) >= 2


def test_a_rule_decision_carries_its_evidence() -> None:
    (suggestion,) = classify_all([_item("Salary Payable", "Cr", "Current Liabilities")])
    assert suggestion.evidence
    assert "a credit balance" in suggestion.evidence
