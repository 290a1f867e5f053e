"""File names: what sanitize_filename keeps, and names refused."""

import pytest

from projects.uploads import sanitize_filename
from tests.projects.uploads.conftest import refusal

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
