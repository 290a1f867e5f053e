"""The sample books' paths and small readers shared by the extraction tests, and the
one-ledger classification the classifier's tests are written in."""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from projects.cma.classify import classify
from projects.cma.classify.agreement import load_agreement
from projects.cma.classify.decide import use_agreement_fit
from projects.cma.records import ExtractedItem, Suggestion

SAMPLES = Path(__file__).parents[2] / "fixtures" / "samples"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
MEHTA = SAMPLES / "mehta-traders"
LAKH = Decimal(100_000)


def by_label(extraction, year):
    return {item.label: item for item in extraction.items if item.year == year}


AUTO_APPROVE = 0.70  # the default confidence from which a head is approved without review


def suggest(label: str, side: str = "Dr", section: str = "") -> Suggestion:
    """The classifier's suggestion for one ledger of ₹1,000 with no book around it."""
    return classify(
        ExtractedItem(
            year="2024-25",
            label=label,
            amount=Decimal("1000.00"),
            side=side,  # type: ignore[arg-type]
            source="test",
            section=section,
        )
    )


def assert_head(label: str, side: str, section: str, head: str) -> Suggestion:
    found = suggest(label, side, section)
    assert found.head == head, (label, section, found)
    return found


@pytest.fixture
def no_agreement() -> Iterator[None]:
    """The confidence not re-weighed by the reader's agreement (agreement.py) for the
    test; the shipped fit back after it."""
    use_agreement_fit(None)
    yield
    use_agreement_fit(load_agreement())
