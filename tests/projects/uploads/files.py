"""Files built byte by byte for the upload checks: spreadsheets, archives, OLE, PDF."""

import io
import struct
import zipfile
import zlib

import pytest
import xlsxwriter

from tests.projects.uploads.conftest import MIB


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
