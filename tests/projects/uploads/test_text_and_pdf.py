"""inspect_upload on CSV and other text, and on PDF."""

import random

import pytest

from projects.uploads import Inspection
from tests.projects.uploads.conftest import inspect, refusal
from tests.projects.uploads.files import CATALOG, image_only_pdf, password_pdf, pdf, text_pdf

# CSV and other text


def test_csv_in_windows_1252_is_accepted():
    # ₹ has no place in Windows-1252; Excel writes "Rs." and keeps é and the curly quote.
    data = "Ledger,Amount (Rs.)\nCafé Supplies,100\nO\u2019Brien & Co,200\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert inspect("tb.csv", data) == Inspection("csv", None)


def test_utf8_csv_with_bom_is_accepted():
    data = "\ufeffLedger;Amount ₹;FY 2023-24\nमेहता ट्रेडर्स;100;\n".encode()
    assert inspect("tb.csv", data) == Inspection("csv", "2023-24")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_with_any_common_delimiter_is_accepted(delimiter):
    rows = [["Ledger", "Debit", "Credit"], ["Cash", "100", ""], ["Capital", "", "100"]]
    data = "\n".join(delimiter.join(row) for row in rows).encode()
    assert inspect("tb.txt", data).kind == "csv"


def test_csv_with_a_title_line_above_the_table_is_accepted():
    data = b"Acme Ltd Trial Balance\nLedger;Amount\nCash;100\nBank;200\n"
    assert inspect("tb.csv", data).kind == "csv"


def test_csv_year_comes_from_its_first_lines():
    data = b"Trial Balance 1-Apr-2024 to 31-Mar-2025\nLedger,Amount\nCash,100\n"
    assert inspect("tb.csv", data).fiscal_year == "2024-25"


def test_text_without_delimiters_is_unsupported():
    rejected = refusal("notes.txt", b"just some text\nwith lines\nbut no columns\n")
    assert rejected.code == "unsupported_type"
    assert rejected.detail == (
        "notes.txt is not a spreadsheet, CSV or PDF: it is text, but not in columns "
        "separated by commas, semicolons, tabs or pipes."
    )


def test_csv_of_a_single_row_is_unsupported():
    assert refusal("tb.csv", b"Ledger,Amount\n").code == "unsupported_type"


def test_utf16_text_is_refused_with_advice():
    data = "Ledger\tAmount\nCash\t100\n".encode("utf-16")
    rejected = refusal("tb.txt", data)
    assert rejected.code == "unsupported_type"
    assert "CSV UTF-8" in rejected.detail


def test_web_page_saved_as_xls_is_refused_with_advice():
    data = b"<html><body><table><tr><td>Cash,</td><td>100</td></tr>\n<tr></tr></table></html>"
    rejected = refusal("tb.xls", data)
    assert rejected.code == "unsupported_type"
    assert "(it looks like a web page (HTML))" in rejected.detail
    assert "save it as .xlsx" in rejected.detail


def test_excel_2003_xml_is_refused_with_advice():
    data = (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        b'\n<Worksheet ss:Name="TB"/>\n</Workbook>'
    )
    rejected = refusal("tb.xml", data)
    assert "Excel 2003 XML spreadsheet" in rejected.detail


def test_large_csv_is_judged_by_its_beginning():
    data = b"Ledger,Amount\n" + b"Cash,100\n" * 1_000_000
    assert inspect("tb.csv", data).kind == "csv"


# PDF


def test_text_pdf_gets_its_year_from_the_first_page():
    data = text_pdf("Balance Sheet as at 31 March 2024", "Cash 100")
    assert inspect("statements.pdf", data) == Inspection("pdf", "2023-24")


def test_image_only_pdf_is_accepted_for_the_extractor_to_judge():
    assert inspect("scan-2024-25.pdf", image_only_pdf()) == Inspection("pdf", "2024-25")


def test_pdf_without_pages_is_corrupt():
    data = pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"])
    rejected = refusal("empty.pdf", data)
    assert (rejected.code, rejected.detail) == ("corrupt", "empty.pdf is a PDF without any pages.")


def test_truncated_pdf_is_corrupt():
    data = text_pdf("Balance Sheet")
    rejected = refusal("bs.pdf", data[: len(data) // 2])
    assert rejected.code == "corrupt"
    assert rejected.detail.startswith("bs.pdf looks like a PDF but could not be read")


def test_pdf_header_followed_by_junk_is_corrupt():
    data = b"%PDF-1.7\n" + random.Random(7).randbytes(2000)
    assert refusal("bs.pdf", data).code == "corrupt"


def test_password_protected_pdf_is_corrupt_and_says_so():
    rejected = refusal("bs.pdf", password_pdf())
    assert rejected.code == "corrupt"
    assert rejected.detail.startswith("bs.pdf is password-protected.")
