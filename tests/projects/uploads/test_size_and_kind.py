"""inspect_upload on the sample books, on sizes, and on a file's kind told from its content."""

import json
import random
import struct

import pytest

from projects.uploads import Inspection
from tests.projects.uploads.conftest import MEHTA, MIB, SGP, inspect, refusal
from tests.projects.uploads.files import text_pdf, xlsx

# The sample books


@pytest.mark.parametrize("year", ["2023-24", "2024-25"])
def test_sample_trial_balance_is_an_xlsx_of_its_year(year):
    data = (SGP / f"trial-balance-{year}.xlsx").read_bytes()
    assert inspect(f"trial-balance-{year}.xlsx", data) == Inspection("xlsx", year)


def test_sample_trial_balance_year_comes_from_its_content_not_its_name():
    data = (SGP / "trial-balance-2024-25.xlsx").read_bytes()
    assert inspect("trial-balance.xlsx", data) == Inspection("xlsx", "2024-25")


def test_sample_statements_pdf_shows_two_years_so_has_none():
    truth = json.loads((SGP / "truth.json").read_text())
    assert len(truth["years"]) == 2
    data = (SGP / "financial-statements.pdf").read_bytes()
    assert inspect("financial-statements.pdf", data) == Inspection("pdf", None)


def test_sample_csv_with_a_column_per_year_has_no_year():
    truth = json.loads((MEHTA / "truth.json").read_text())
    assert len(truth["years"]) == 2
    data = (MEHTA / "trial-balance.csv").read_bytes()
    assert inspect("trial-balance.csv", data) == Inspection("csv", None)


# Size


def test_empty_file_is_refused():
    rejected = refusal("tb.xlsx", b"")
    assert (rejected.code, rejected.detail) == ("empty", "tb.xlsx is empty.")


def test_file_whose_stream_is_empty_despite_its_size_is_refused():
    assert refusal("tb.xlsx", b"", size=10).code == "empty"


def test_file_over_the_limit_is_refused_with_the_limit_in_mb():
    rejected = refusal("big.csv", b"a,b\n1,2\n", size=30 * MIB)
    assert rejected.code == "file_too_large"
    assert rejected.detail == "big.csv is 30 MB; files can be at most 25 MB."


def test_file_bigger_than_its_reported_size_is_refused_after_reading():
    data = b"a,b\n" * (MIB // 4) + b"1,2\n"
    rejected = refusal("big.csv", data, size=100, max_bytes=MIB)
    assert rejected.code == "file_too_large"
    assert rejected.detail == "big.csv is 1.1 MB; files can be at most 1 MB."


def test_file_exactly_at_the_limit_is_accepted():
    data = b"a,b\n1,2\n"
    assert inspect("tb.csv", data, max_bytes=len(data)).kind == "csv"


# Kind from content


def test_pdf_named_csv_is_a_pdf():
    assert inspect("tb.csv", text_pdf("Trial balance")).kind == "pdf"


def test_xlsx_named_pdf_is_an_xlsx():
    assert inspect("statements.pdf", xlsx()).kind == "xlsx"


def test_csv_text_named_xlsx_is_a_csv():
    assert inspect("tb.xlsx", b"Ledger,Amount\nCash,100\n").kind == "csv"


def test_plain_text_named_xlsx_is_refused():
    rejected = refusal("tb.xlsx", b"Dear sir\nPlease find the accounts attached\nRegards\n")
    assert rejected.code == "unsupported_type"
    assert rejected.detail.startswith("tb.xlsx is not a spreadsheet, CSV or PDF")


def test_png_is_refused_as_an_image():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50)
    rejected = refusal("photo.png", data)
    assert rejected.code == "unsupported_type"
    assert rejected.detail == (
        "photo.png is not a spreadsheet, CSV or PDF (it looks like a PNG image)."
    )


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "a JPEG image"),
        (b"GIF89a" + bytes(40), "a GIF image"),
        (b"II*\x00" + bytes(40), "a TIFF image"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(40), "a HEIC photo"),
        (b"\x1f\x8b\x08\x00" + bytes(40), "a gzip-compressed file"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(40), "a 7-Zip archive"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(40), "a RAR archive"),
        (b"\x7fELF\x02\x01\x01" + bytes(40), "a Linux program"),
        (
            b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\x00\x00" + bytes(40),
            "a Windows program",
        ),
    ],
)
def test_known_binary_files_are_refused_naming_what_they_look_like(data, looks_like):
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "unsupported_type"
    assert f"(it looks like {looks_like})" in rejected.detail


def test_csv_of_a_firm_whose_name_starts_with_mz_is_still_a_csv():
    data = b"MZ Traders,Amount\nCash,100\nBank,200\n"
    assert inspect("mz.csv", data).kind == "csv"


def test_random_bytes_named_xlsx_are_refused():
    data = random.Random(20240331).randbytes(4096)
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "unsupported_type"
    assert "binary file" in rejected.detail
