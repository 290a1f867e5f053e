"""A scan's misread words read back (issue 13, ninth session; classify/ocr.py): look-alike
digits among letters, letters OCR swaps, a doubled letter, words run together or broken
apart, in labels and in the groups above them. Labels written here, none taken from the
corpus.
"""

import pytest

from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.classify.ocr import read_label, read_word, unjoined
from tests.projects.cma.conftest import AUTO_APPROVE, assert_head, suggest


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("P0wer & Fue1", "power and fuel"),
        ("lnterest on Term Loan", "interest on term loan"),
        ("Sa1aries to Staff", "salaries to staff"),
        ("Sundry Debt0rs", "sundry debtors"),
        ("Sundry Crcditors", "sundry creditors"),
        ("Sundry Creditorss", "sundry creditors"),
        ("Prernises Insurance", "premises insurance"),
        ("Sun dry Creditors", "sundry creditors"),
        ("G5T Payable", "gst payable"),
    ],
)
def test_a_misread_word_is_read_as_the_ledger_word_it_was(written: str, read: str) -> None:
    assert read_label(normalize_label(written)) == read


@pytest.mark.parametrize(
    "word",
    # Numbers, codes and rates; names and words that are no confusion of a ledger word.
    ["18", "gst18", "b2b", "2nd", "patil", "atul", "mahavir", "sunshine", "k1"],
)
def test_numbers_codes_and_names_are_left_as_written(word: str) -> None:
    assert read_word(word) == word


def test_words_run_together_are_read_apart_only_at_a_capital() -> None:
    assert normalize_label(unjoined("BankCharges & Commission")) == "bank charges and commission"
    assert normalize_label(unjoined("Kisan RentOutstanding")) == "kisan rent outstanding"
    # In one case the seam is lost: "network" is not "net work".
    assert read_label(normalize_label(unjoined("Network Charges"))) == "network charges"


def test_a_word_already_known_is_never_read_as_another() -> None:
    # "sale" is a ledger word: no confusion ("l" -> "i") turns it into another.
    for word in ("sale", "bill", "mill", "oil", "cash", "lease", "rent"):
        assert read_word(word) == word


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("P0wer & Fue1", "Dr", "", "power_fuel"),
        ("lnterest on CC A/c", "Dr", "", "interest"),
        ("Depreciati0n", "Dr", "", "depreciation"),
        ("0pening Stock - Raw Material", "Dr", "", "opening_stock_rm"),
        ("Provn. for I.Tax", "Cr", "", "provision_for_tax"),
        ("BankCharges", "Dr", "Indirect Expenses", "interest"),
        # The group misread: a party under it is still the group's.
        ("Apollo Chemists, Wardha", "Dr", "SUNDRY DEBT0RS", "receivables_domestic"),
        ("Gujarat Alkalies - Caustic", "Cr", "Sundry Creditorss", "sundry_creditors"),
    ],
)
def test_a_scanned_ledger_gets_the_head_of_its_clean_spelling(
    label: str, side: str, section: str, head: str
) -> None:
    found = assert_head(label, side, section, head)
    assert found.confidence >= AUTO_APPROVE


def test_the_evidence_says_how_the_name_was_read() -> None:
    found = suggest("P0wer & Fue1", "Dr")
    assert any("read as 'power and fuel'" in line for line in found.evidence), found.evidence
    clean = suggest("Power & Fuel", "Dr")
    assert not any("read as" in line for line in clean.evidence)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Security Dep.- Electricity Board", " security deposit electricity board "),
        ("Rent Dep. - Godown", " rent deposit godown "),
        ("Dep. on Plant & Machinery", " depreciation on plant and machinery "),
        ("Provn. for I.Tax", " provision for income tax "),
    ],
)
def test_paper_abbreviations_read_by_what_comes_before_them(label: str, words: str) -> None:
    assert padded_words(normalize_label(label)) == words
