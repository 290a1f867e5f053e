"""inspect_upload and sanitize_filename, on files built here and on the sample books."""

import datetime
import io
import json
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

from projects.uploads import Inspection, UploadRejected, inspect_upload, sanitize_filename
from projects.uploads import workbooks as upload_workbooks

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
MEHTA = SAMPLES / "mehta-traders"
MIB = 1024 * 1024
LIMIT = 25 * MIB


class Reader(io.BytesIO):
    """An upload stream that starts somewhere in the middle, as a half-read one would."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.seek(min(3, len(data)))


def inspect(name, data, *, max_bytes=LIMIT, size=None):
    stream = Reader(data)
    result = inspect_upload(
        name=name, fileobj=stream, size=len(data) if size is None else size, max_bytes=max_bytes
    )
    assert stream.tell() == 0
    return result


def refusal(name, data, *, max_bytes=LIMIT, size=None):
    stream = Reader(data)
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(
            name=name,
            fileobj=stream,
            size=len(data) if size is None else size,
            max_bytes=max_bytes,
        )
    assert stream.tell() == 0
    assert str(caught.value) == caught.value.detail
    return caught.value


# Builders


def xlsx(sheets=None, *, dates=None):
    """An .xlsx whose sheets hold the given rows of text; ``dates`` go into a column B."""
    sheets = sheets if sheets is not None else {"Trial Balance": [["Cash", 100.0]]}
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    date_format = workbook.add_format({"num_format": "d-mmm-yyyy"})
    for title, rows in sheets.items():
        sheet = workbook.add_worksheet(title)
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
        for index, value in enumerate(dates or []):
            sheet.write_datetime(index, 1, value, date_format)
    workbook.close()
    return out.getvalue()


def zip_of(members, *, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def ods(rows):
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>"
            for value in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="TB">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xls(rows):
    xlwt = pytest.importorskip("xlwt")
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Trial Balance")
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write(row_index, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ole(stream_names):
    """A minimal OLE2 compound file: a directory of empty streams and nothing else."""
    free, end_of_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
    header += struct.pack("<109I", 0, *[free] * 108)
    fat = struct.pack("<128I", fat_sector, end_of_chain, *[free] * 126)

    def entry(name, kind, right, child):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end_of_chain, 0)
        )

    names = list(stream_names)
    assert len(names) <= 3
    directory = entry("Root Entry", 5, free, 1 if names else free)
    for index, name in enumerate(names, start=1):
        directory += entry(name, 2, index + 1 if index < len(names) else free, free)
    directory = directory.ljust(512, b"\x00")
    return header + fat + directory


def pdf(objects, trailer=b""):
    """A PDF of the given object bodies (object 1 is the catalog) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def text_pdf(*lines):
    shown = b" ".join(b"(%s) '" % line.encode("latin-1") for line in lines)
    content = b"BT /F1 12 Tf 72 720 Td 14 TL " + shown + b" ET"
    return pdf(
        [
            CATALOG,
            ONE_PAGE,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def image_only_pdf():
    # One grey pixel painted over the page: what a scanner produces, minus the size.
    content = b"q 612 0 0 792 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"
    return pdf(
        [
            CATALOG,
            ONE_PAGE,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        ]
    )


def password_pdf():
    # A standard-security dictionary whose user password is not empty: nobody can open it.
    return pdf(
        [
            CATALOG,
            ONE_PAGE,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b">"
            b" /P -4 >>",
        ],
        trailer=b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
        b" <00112233445566778899aabbccddeeff>] ",
    )


def lying_zip(*, declared, inflates_to):
    """A one-member .xlsx-looking zip whose headers claim ``declared`` bytes.

    The CRC is that of the first ``declared`` bytes, so a reader that trusts the header
    and stops there sees a perfectly valid member.
    """
    name = b"xl/workbook.xml"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = [MIB] * (inflates_to // MIB) + [inflates_to % MIB]
    payload = b"".join(compressor.compress(bytes(size)) for size in chunks) + compressor.flush()
    crc = zlib.crc32(bytes(declared))
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), declared, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(payload),
        declared,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + name + payload
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


@pytest.fixture
def no_parsing(monkeypatch):
    """Call it once the test input is built: from then on, nothing may inflate an archive."""

    def refuse(*args, **kwargs):
        raise AssertionError("the archive was inflated or parsed")

    def activate():
        monkeypatch.setattr(
            upload_workbooks, "CalamineWorkbook", type("Refused", (), {"from_filelike": refuse})
        )
        monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
        monkeypatch.setattr(zlib, "decompressobj", refuse)

    return activate


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


# Archives that expand too much


def test_zip_bomb_is_refused_before_parsing(no_parsing):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/workbook.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(bytes(MIB))
    data = out.getvalue()
    assert len(data) < MIB
    no_parsing()
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "archive_too_large"
    assert "expands to far more data" in rejected.detail


def test_archive_that_compresses_over_100_times_is_refused(no_parsing):
    data = zip_of({"xl/workbook.xml": bytes(5 * MIB)})
    no_parsing()
    assert refusal("tb.xlsx", data).code == "archive_too_large"


def test_small_archive_may_compress_very_well():
    with zipfile.ZipFile(io.BytesIO(xlsx())) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["xl/media/blank.bin"] = bytes(900 * 1024)
    assert inspect("tb.xlsx", zip_of(members)).kind == "xlsx"


def test_archive_with_too_many_members_is_refused(no_parsing):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(10_001):
            archive.writestr(f"m/{index}", b"")
    no_parsing()
    rejected = refusal("tb.xlsx", out.getvalue())
    assert rejected.code == "archive_too_large"
    assert "10,001 files" in rejected.detail


def test_zip_that_lies_about_its_size_is_refused_before_calamine(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("calamine was given the archive")

    monkeypatch.setattr(
        upload_workbooks, "CalamineWorkbook", type("Refused", (), {"from_filelike": refuse})
    )
    data = lying_zip(declared=1000, inflates_to=64 * MIB)
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "archive_too_large"
    assert "more data than it says it holds" in rejected.detail


def test_zip_member_shorter_than_it_says_is_corrupt():
    with zipfile.ZipFile(io.BytesIO(lying_zip(declared=1000, inflates_to=MIB))) as archive:
        assert archive.infolist()[0].file_size == 1000
    data = lying_zip(declared=5000, inflates_to=4000)
    assert refusal("tb.xlsx", data).code == "corrupt"


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


# File names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tb.xlsx", "tb.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\CA\\Desktop\\TB 2023-24.xlsx", "TB 2023-24.xlsx"),
        ("C:tb.xlsx", "tb.xlsx"),
        ("clients/mehta/tb.csv", "tb.csv"),
        ("tb\x00.csv", "tb.csv"),
        ("t\x07b\r\n.csv", "tb.csv"),
        ('a<b>c:d"e|f?g*h.xlsx', "a_b_c_d_e_f_g_h.xlsx"),
        ("  trial    balance\t2023 .xlsx", "trial balance 2023.xlsx"),
        ("...hidden.csv", "hidden.csv"),
        (".xlsx", "upload.xlsx"),
        ("", "upload"),
        ("   ", "upload"),
        ("..", "upload"),
        ("/", "upload"),
        ("report.", "report"),
        ("CON.csv", "_CON.csv"),
        ("मेहता ट्रेडर्स.csv", "मेहता ट्रेडर्स.csv"),
        ("invoice\u202excl.exe", "invoicexcl.exe"),
        ("Bilan Café.xlsx", "Bilan Café.xlsx"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_filename_truncates_the_stem_and_keeps_the_extension():
    result = sanitize_filename("a" * 300 + ".xlsx")
    assert len(result) == 150
    assert result == "a" * 145 + ".xlsx"


def test_sanitize_filename_is_stable_when_applied_twice():
    for name in ["  ..x<y>.csv ", "a" * 300 + ".pdf", "C:\\a\\.b. .xls", "\x00"]:
        once = sanitize_filename(name)
        assert sanitize_filename(once) == once


def test_rejection_detail_names_the_sanitized_file():
    rejected = refusal("C:\\Users\\x\\..\\photo\x00.png", b"\x89PNG\r\n\x1a\n" + bytes(8))
    assert rejected.detail.startswith("photo.png is not a spreadsheet")
