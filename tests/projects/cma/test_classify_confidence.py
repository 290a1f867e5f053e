"""The confidence map: per mechanism, fitted on the development sources only, monotone,
lowering a mechanism that is right less often than it says, lifting one only when more
than one source agrees, never lifting a guess over the review line. Outcomes written
here; the shipped file is what the command writes.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from projects.cma.classify import classify, confidence
from projects.cma.classify.confidence import (
    CALIBRATION_PATH,
    DEVELOPMENT_SOURCES,
    MECHANISMS,
    Curve,
    active_curves,
    calibrated,
    fit_curve,
    fit_map,
)
from projects.cma.classify.decide import raw_suggestion, use_calibration
from projects.cma.records import ExtractedItem, Suggestion

AUTO_APPROVE = 0.70


@pytest.fixture
def restore_calibration():
    yield
    use_calibration(None)


def rows(raw: float, right: int, wrong: int, source: str = "a") -> list[tuple[float, bool, str]]:
    return [(raw, True, source)] * right + [(raw, False, source)] * wrong


def test_a_mechanism_right_less_often_than_it_says_is_lowered() -> None:
    curve = fit_curve(rows(0.9, 30, 10, "a") + rows(0.9, 30, 10, "b"))
    assert curve(0.9) == pytest.approx((60 + 10 * 0.9) / (80 + 10), abs=1e-4)
    assert curve(0.9) < 0.8


def test_one_source_alone_does_not_lift_a_mechanism() -> None:
    alone = fit_curve(rows(0.5, 40, 0, "a"))
    assert alone(0.5) == pytest.approx(0.5)
    agreed = fit_curve(rows(0.5, 20, 0, "a") + rows(0.5, 20, 0, "b"))
    assert agreed(0.5) > 0.8


def test_a_lift_is_limited_by_the_least_sure_source() -> None:
    curve = fit_curve(rows(0.5, 20, 0, "a") + rows(0.5, 12, 8, "b"))
    assert curve(0.5) == pytest.approx((12 + 10 * 0.5) / (20 + 10), abs=1e-4)


def test_the_map_is_monotone_and_keeps_the_tables_order() -> None:
    data = (
        rows(0.45, 8, 4, "a")
        + rows(0.6, 6, 6, "b")  # worse than the lower step: pooled
        + rows(0.8, 20, 1, "a")
        + rows(0.93, 40, 2, "b")
        + rows(0.93, 30, 0, "a")
    )
    curve = fit_curve(data)
    values = [curve(r / 100) for r in range(30, 100)]
    assert values == sorted(values)
    assert curve(0.5) < curve(0.55)  # within a block the tables' order is kept


def test_rows_rated_the_same_are_not_split_by_their_outcome() -> None:
    # Nine rows at 0.8 and many at 0.93, three of them wrong: a light first block must not
    # be filled up with the wrong 0.93 rows (they sort first among their equals).
    curve = fit_curve(rows(0.8, 8, 1, "a") + rows(0.93, 88, 3, "a"))
    assert all(value > 0.85 for _, value in curve.points)


def test_outside_what_the_fit_saw_the_raw_number_stands() -> None:
    curve = fit_curve(rows(0.6, 20, 10, "a") + rows(0.6, 20, 10, "b"))
    assert curve(0.95) == 0.95
    assert curve(0.2) == 0.2


def test_a_guess_below_the_review_line_is_never_lifted_over_it(restore_calibration) -> None:
    use_calibration({"group": Curve(0.3, 0.8, ((0.45, 0.95), (0.8, 0.99)))})
    guess = calibrated(Suggestion("sga_expenses", 0.45, "section"), "group")
    assert guess.confidence < AUTO_APPROVE
    sure = calibrated(Suggestion("sga_expenses", 0.8, "section"), "group")
    assert sure.confidence == 0.99


def test_calibrated_alternatives_share_what_the_confidence_leaves(restore_calibration) -> None:
    use_calibration({"rule": Curve(0.9, 0.95, ((0.9, 0.6), (0.95, 0.65)))})
    found = calibrated(Suggestion("sga_expenses", 0.93, "synonym", (("interest", 0.04),)), "rule")
    assert found.confidence == pytest.approx(0.63, abs=1e-4)
    assert found.alternatives[0][0] == "interest"
    assert found.alternatives[0][1] < found.confidence
    assert found.confidence + sum(c for _, c in found.alternatives) <= 1.0


def test_the_map_is_fitted_per_mechanism_and_none_is_left_alone() -> None:
    fitted = fit_map([("rule", 0.9, True, "a"), ("none", 0.0, False, "a")])
    assert set(fitted) == {"rule"}


def test_classify_uses_the_map_and_raw_suggestion_does_not(
    restore_calibration, no_agreement
) -> None:
    item = ExtractedItem("2024-25", "Salary", Decimal("100.00"), "Dr", "t", "Indirect Expenses")
    raw, mechanism = raw_suggestion("salary", "Dr", False, "trial_balance", "Indirect Expenses")
    use_calibration({mechanism: Curve(0.0, 1.0, ((0.0, 0.0), (1.0, 0.5)))})
    assert classify(item).confidence == pytest.approx(raw.confidence / 2, abs=1e-4)
    use_calibration({})
    assert classify(item).confidence == raw.confidence


def test_the_shipped_map_is_what_the_command_fits_on_the_development_sources(
    tmp_path, monkeypatch
) -> None:
    written = tmp_path / "calibration.json"
    monkeypatch.setattr(confidence, "CALIBRATION_PATH", written)
    call_command("train_classifier", "--confidence", stdout=StringIO())
    shipped = CALIBRATION_PATH.read_bytes()
    assert written.read_bytes() == shipped
    assert "erpnext_in" not in DEVELOPMENT_SOURCES and "odoo_l10n_in" not in DEVELOPMENT_SOURCES
    assert b"erpnext" not in shipped and b"odoo" not in shipped
    assert set(active_curves()) <= set(MECHANISMS) - {"none"}
