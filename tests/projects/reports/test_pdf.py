"""The print-ready PDF of the forms, rendered by WeasyPrint, read back with poppler:
A4 landscape pages, the firm, the client, the years with their kinds, amounts in lakhs,
page numbers and the CA's signature block; page 1 saved as a screenshot."""

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from projects.cma.bank import bank_readiness
from projects.reports.pdf import amount_text, css_string, render_forms_html
from tests.projects.cma.workbook_files import D, shree_plan, shree_projection

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
FIRM = 'Mehta & "Rao" Associates'
CLIENT = "Shree Ganesh Polymers <Private> Limited"


def require(tool: str) -> str:
    """Skips without poppler or WeasyPrint's Pango locally; fails under CI (.ci/run)."""
    path = shutil.which(tool)
    if path is None:
        if os.getenv("CI"):
            pytest.fail(f"{tool} is missing: .ci/run must install poppler-utils")
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return path


def render_kwargs() -> dict:
    # Sales growth of 30 % in the estimate year trips a warning, explained by a note.
    plan = replace(
        shree_plan(**{"2025-26": {"sales_growth_pct": D(30)}}),
        msme=True,
        notes={"sales_growth": "new export order <b>2 cr</b>"},
    )
    _, projection = shree_projection(plan)
    return {
        "firm_name": FIRM,
        "project_name": "CC renewal 2025-26",
        "client_name": CLIENT,
        "report": projection.report,
        "kinds": projection.kinds,
        "display_unit": "lakhs",
        "readiness": bank_readiness(projection, plan),
        "generated_on": "15 July 2025",
    }


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    try:
        from projects.reports import render_forms_pdf
    except OSError as error:  # WeasyPrint without Pango
        if os.getenv("CI"):
            pytest.fail(f"WeasyPrint cannot load Pango: {error}")
        pytest.skip(f"WeasyPrint cannot load Pango: {error}")
    path = tmp_path_factory.mktemp("pdf") / "cma.pdf"
    path.write_bytes(render_forms_pdf(**render_kwargs()))
    return path


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(
        [require("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")[:-1]


def test_every_page_is_a4_landscape_and_numbered_of_the_total(pdf):
    info = subprocess.run(
        [require("pdfinfo"), "-f", "1", "-l", "99", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]
    assert sizes and all("841.89 x 595.27" in line and "(A4)" in line for line in sizes)
    pages = pages_text(pdf)
    assert len(pages) == len(sizes) >= 7  # the summary and Forms II to VI and the ratios
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_first_page_names_firm_client_years_with_kinds_and_the_unit(pdf):
    first = pages_text(pdf)[0]
    assert FIRM in first
    assert CLIENT in first  # "<Private>" printed as text, not swallowed as a tag
    for year, kind in (("2023-24", "Audited"), ("2025-26", "Estimated"), ("2026-27", "Projected")):
        assert f"{year} ({kind})" in first
    assert "lakhs" in first
    assert "Turnover method" in first


def test_the_checks_carry_the_users_note_as_typed(pdf):
    pages = pages_text(pdf)
    summary = "".join(pages[: next(i for i, p in enumerate(pages) if "Form II" in p)])
    # The note, wrapped in its column, printed as typed (tags and all).
    assert "new export order" in summary and "<b>2" in summary


def test_the_forms_carry_their_years_and_amounts_in_lakhs(pdf):
    pages = pages_text(pdf)
    form_ii = next(page for page in pages if "Form II" in page)
    assert "Estimated" in form_ii and "Projected" in form_ii
    assert "₹ in lakhs" in form_ii


def test_the_last_page_has_the_ca_signature_block(pdf):
    last = pages_text(pdf)[-1]
    for words in ("Chartered Accountants", "Membership No.", "UDIN", "Partner", FIRM):
        assert words in last


def test_page_one_as_an_image_is_saved_as_a_screenshot(pdf, tmp_path):
    prefix = tmp_path / "page"
    subprocess.run(
        [require("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    # 60 dpi A4 landscape: about 702 x 496 pixels, wider than tall.
    header = image.read_bytes()[16:24]
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
    assert width > height > 400
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(image, SCREENSHOTS / "report-pdf-page-1.png")


def test_user_text_is_escaped_in_the_html_and_the_page_margins():
    html = render_forms_html(**render_kwargs())
    assert "Shree Ganesh Polymers &lt;Private&gt; Limited" in html
    assert "<b>2 cr</b>" not in html
    assert css_string('a"b</style>') == "a\\22 b\\3c \\2f style\\3e "
    style = html.split("</style>")[0]
    assert 'content: "Mehta \\26  \\22 Rao\\22  Associates"' in style


def test_amounts_are_in_the_unit_with_indian_grouping_and_brackets_for_negatives():
    assert amount_text(D("123456789.5"), D(1)) == "12,34,56,789.50"
    assert amount_text(D("-250000"), D(100000)) == "(2.50)"
    assert amount_text(None, D(100000)) == ""
