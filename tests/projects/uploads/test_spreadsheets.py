"""inspect_upload on spreadsheets: xlsx, xls, ods and what is not one."""

import datetime
import io
import zipfile

import xlsxwriter

from projects.uploads import Inspection
from tests.projects.uploads.conftest import SGP, inspect, refusal
from tests.projects.uploads.files import ods, ole, xls, xlsx, zip_of

# Spreadsheets


def test_xlsx_with_one_year_in_its_header_has_that_year():
    data = xlsx({"TB": [["Acme Ltd"], ["Trial Balance as at 31 March 2025"], ["Cash", 10.0]]})
    assert inspect("tb.xlsx", data) == Inspection("xlsx", "2024-25")


def test_xlsx_year_is_read_from_date_cells():
    data = xlsx({"TB": [["Balance as on"], ["Cash", 10.0]]}, dates=[datetime.date(2024, 3, 31)])
    assert inspect("tb.xlsx", data).fiscal_year == "2023-24"


def test_xlsx_amounts_that_look_like_years_are_ignored():
    data = xlsx({"TB": [["Cash", 2023.0, 24.0], ["Bank", 2023.24, 2024.0]]})
    assert inspect("tb.xlsx", data).fiscal_year is None


def test_xlsx_reads_every_sheet_for_the_year():
    data = xlsx({"TB": [["Cash", 10.0]], "Notes": [["FY 2023-24"]], "Stock": [["FY 2024-25"]]})
    assert inspect("tb.xlsx", data).fiscal_year is None


def test_xlsx_with_a_chart_sheet_is_accepted():
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("TB")
    sheet.write_row(0, 0, ["FY 2023-24", ""])
    sheet.write_row(1, 0, ["Cash", 100])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "=TB!$B$2:$B$2"})
    workbook.add_chartsheet("Chart").set_chart(chart)
    workbook.close()
    assert inspect("tb.xlsx", out.getvalue()) == Inspection("xlsx", "2023-24")


def test_year_falls_back_to_the_file_name_when_the_content_names_none():
    assert inspect("TB_2023_24.xlsx", xlsx()).fiscal_year == "2023-24"
    assert inspect("trial-balance-2023-24.xlsx", xlsx()).fiscal_year == "2023-24"


def test_year_in_the_content_wins_over_the_file_name():
    data = xlsx({"TB": [["FY 2024-25"], ["Cash", 1.0]]})
    assert inspect("tb-2023-24.xlsx", data).fiscal_year == "2024-25"


def test_two_years_in_the_content_mean_no_year_even_when_the_name_has_one():
    data = xlsx({"TB": [["Ledger", "FY 2023-24", "FY 2024-25"]]})
    assert inspect("tb-2023-24.xlsx", data).fiscal_year is None


def test_file_name_with_two_years_gives_no_year():
    assert inspect("tb 2023-24 and 2024-25.xlsx", xlsx()).fiscal_year is None


def test_truncated_xlsx_is_corrupt():
    data = (SGP / "trial-balance-2023-24.xlsx").read_bytes()
    rejected = refusal("tb.xlsx", data[: len(data) // 2])
    assert rejected.code == "corrupt"
    assert rejected.detail.startswith("tb.xlsx looks like an Excel workbook (.xlsx)")


def test_xlsx_with_a_broken_sheet_is_corrupt():
    with zipfile.ZipFile(io.BytesIO(xlsx())) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:200]
    rejected = refusal("tb.xlsx", zip_of(members))
    assert rejected.code == "corrupt"
    assert "could not be read" in rejected.detail


def test_ods_is_accepted_with_its_year():
    data = ods([["Trial Balance FY 2023-24"], ["Cash", "100"]])
    assert inspect("tb.ods", data) == Inspection("ods", "2023-24")


def test_ods_with_broken_content_is_corrupt():
    members = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": "<office:document-content",
    }
    rejected = refusal("tb.ods", zip_of(members, compression=zipfile.ZIP_STORED))
    assert rejected.code == "corrupt"
    assert "OpenDocument spreadsheet (.ods)" in rejected.detail


def test_xlsb_that_cannot_be_read_is_corrupt():
    members = {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}
    rejected = refusal("tb.xlsb", zip_of(members))
    assert rejected.code == "corrupt"
    assert "Excel binary workbook (.xlsb)" in rejected.detail


def test_xls_is_accepted_with_its_year():
    data = xls([["Trial Balance"], ["1-Apr-2023 to 31-Mar-2024"], ["Cash", 100]])
    assert inspect("tb.xls", data) == Inspection("xls", "2023-24")


def test_truncated_xls_is_corrupt():
    data = xls([["Trial Balance"], ["Cash", 100]])
    rejected = refusal("tb.xls", data[: len(data) // 2])
    assert rejected.code == "corrupt"
    assert "Excel 97-2003 workbook (.xls)" in rejected.detail


def test_password_protected_xlsx_is_refused_and_says_so():
    # Excel wraps an encrypted .xlsx in an OLE2 file with these two streams.
    rejected = refusal("tb.xlsx", ole(["EncryptionInfo", "EncryptedPackage"]))
    assert rejected.code == "corrupt"
    assert rejected.detail.startswith("tb.xlsx is password-protected.")


def test_word_97_document_is_unsupported():
    rejected = refusal("tb.xls", ole(["WordDocument", "1Table"]))
    assert rejected.code == "unsupported_type"
    assert "(it looks like a Word 97-2003 document (.doc))" in rejected.detail


def test_outlook_email_is_unsupported():
    rejected = refusal("fwd.xls", ole(["__substg1.0_0037001F"]))
    assert rejected.code == "unsupported_type"
    assert "Outlook email" in rejected.detail


def test_ole_file_with_a_workbook_stream_that_cannot_be_read_is_corrupt():
    rejected = refusal("tb.xls", ole(["Workbook"]))
    assert rejected.code == "corrupt"
    assert "Excel 97-2003 workbook (.xls)" in rejected.detail


def test_docx_is_unsupported():
    data = zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "unsupported_type"
    assert "(it looks like a Word document)" in rejected.detail


def test_plain_zip_is_unsupported_and_says_to_unpack_it():
    rejected = refusal("books.zip", zip_of({"tb.xlsx": xlsx()}))
    assert rejected.code == "unsupported_type"
    assert rejected.detail == (
        "books.zip is not a spreadsheet, CSV or PDF (it looks like a ZIP archive). "
        "Take the files out of it and upload them one by one."
    )


def test_opendocument_text_is_unsupported():
    data = zip_of({"mimetype": "application/vnd.oasis.opendocument.text"})
    assert refusal("notes.ods", data).code == "unsupported_type"


def test_encrypted_zip_member_is_password_protected():
    data = bytearray(zip_of({"xl/workbook.xml": b"<workbook/>"}))
    # zipfile cannot encrypt, so set the "encrypted" bit in both headers by hand.
    data[6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    rejected = refusal("tb.xlsx", bytes(data))
    assert rejected.code == "corrupt"
    assert rejected.detail == (
        "tb.xlsx is password-protected. Save a copy without the password and upload that."
    )
