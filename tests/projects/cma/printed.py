"""Statements printed by a browser from HTML, as firms' own templates and many accounting
programs make them: a table laid out by Chromium (not by our own PDF builder), headings
wrapped over several lines in narrow year columns, labels wrapped by the page width.

These are held out from the reader's development: its rules were written against other
files, so reading these right says something about files we have not seen.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = os.getenv("CHROMIUM", "/usr/bin/chromium")

STYLE = """
body{font-family:"DejaVu Serif",serif;font-size:10.5pt;margin:1.5cm}
table{width:100%;border-collapse:collapse} td,th{padding:2px 4px;vertical-align:VALIGN}
td.n{text-align:right;width:13%} td.note{text-align:center;width:7%}
th{border-bottom:1px solid #000} .b{font-weight:bold} .i1{padding-left:18px}
.i2{padding-left:36px} .i3{padding-left:54px} h2,h3{text-align:center;margin:2px}
tr.t td{border-top:1px solid #000;border-bottom:3px double #000;font-weight:bold}
"""

# (label, css class, note, 2025, 2024); None for a line without figures.
BALANCE_SHEET = [
    ("I. EQUITY AND LIABILITIES", "b", "", None, None),
    ("(1) Shareholders' funds", "b i1", "", None, None),
    ("(a) Share capital", "i2", "2", "50.00", "50.00"),
    ("(b) Reserves and surplus", "i2", "3", "212.46", "174.09"),
    ("(2) Non-current liabilities", "b i1", "", None, None),
    ("(a) Long-term borrowings", "i2", "4", "88.10", "102.35"),
    ("(b) Deferred tax liabilities (Net)", "i2", "5", "6.21", "5.02"),
    ("(3) Current liabilities", "b i1", "", None, None),
    ("(a) Short-term borrowings", "i2", "6", "145.70", "131.18"),
    ("(b) Trade payables", "i2", "7", None, None),
    (
        "(A) total outstanding dues of micro enterprises and small enterprises; and",
        "i3",
        "",
        "18.44",
        "11.90",
    ),
    (
        "(B) total outstanding dues of creditors other than micro enterprises and small "
        "enterprises",
        "i3",
        "",
        "96.73",
        "84.51",
    ),
    ("(c) Other current liabilities", "i2", "8", "27.35", "22.80"),
    ("(d) Short-term provisions", "i2", "9", "11.02", "-"),
    ("TOTAL", "t", "", "656.01", "581.85"),
    ("II. ASSETS", "b", "", None, None),
    ("(1) Non-current assets", "b i1", "", None, None),
    ("(a) Property, Plant and Equipment and Intangible assets", "i2", "", None, None),
    ("(i) Property, Plant and Equipment", "i3", "10", "241.88", "228.40"),
    ("(ii) Capital work-in-progress", "i3", "10", "12.50", "-"),
    ("(b) Long-term loans and advances", "i2", "11", "14.75", "13.60"),
    ("(2) Current assets", "b i1", "", None, None),
    ("(a) Inventories", "i2", "12", "198.32", "171.05"),
    ("(b) Trade receivables", "i2", "13", "141.67", "119.38"),
    ("(c) Cash and cash equivalents", "i2", "14", "9.84", "14.27"),
    ("(d) Short-term loans and advances", "i2", "15", "31.27", "28.46"),
    ("(e) Other current assets", "i2", "16", "5.78", "6.69"),
    ("TOTAL", "t", "", "656.01", "581.85"),
]

PROFIT_AND_LOSS = [
    ("I. Revenue from operations", "", "17", "1,24,518", "1,08,233"),
    ("II. Other income", "", "18", "712", "640"),
    ("III. Total Income (I + II)", "t", "", "1,25,230", "1,08,873"),
    ("IV. Expenses:", "b", "", None, None),
    ("Cost of materials consumed", "", "19", "88,410", "77,925"),
    ("Purchases of Stock-in-Trade", "", "20", "4,120", "3,010"),
    (
        "Changes in inventories of finished goods, work-in-progress and Stock-in-Trade",
        "",
        "21",
        "(2,185)",
        "(1,420)",
    ),
    ("Employee benefits expense", "", "22", "9,860", "8,705"),
    ("Finance costs", "", "23", "3,344", "3,102"),
    ("Depreciation and amortization expense", "", "10", "2,410", "2,215"),
    ("Other expenses", "", "24", "14,226", "12,588"),
    ("Total expenses (IV)", "t", "", "1,20,185", "1,06,125"),
    (
        "V. Profit before exceptional and extraordinary items and tax (III - IV)",
        "",
        "",
        "5,045",
        "2,748",
    ),
    ("VI. Exceptional items", "", "", "-", "-"),
    ("VII. Profit before tax (V - VI)", "", "", "5,045", "2,748"),
    ("VIII. Tax expense:", "", "", None, None),
    ("(1) Current tax", "i1", "", "1,180", "640"),
    ("(2) Deferred tax", "i1", "", "119", "52"),
    ("IX. Profit for the period (VII - VIII)", "", "", "3,746", "2,056"),
]


def _rows(lines: list[tuple[str, str, str, str | None, str | None]]) -> str:
    html = []
    for label, css, note, current, previous in lines:
        if css == "t":
            html.append(f'<tr class="t"><td>{label}</td><td></td>')
        else:
            html.append(f'<tr><td class="{css}">{label}</td><td class="note">{note}</td>')
        html.append(f'<td class="n">{current or ""}</td><td class="n">{previous or ""}</td></tr>')
    return "\n".join(html)


def balance_sheet_html(*, drop: str = "", valign: str = "top") -> str:
    """Kaveri Agro Foods' balance sheet in lakhs, its year columns headed "As at 31st
    March, 2025" wrapped over four lines; ``drop`` leaves out the line starting so."""
    lines = [line for line in BALANCE_SHEET if not (drop and line[0].startswith(drop))]
    return f"""<!doctype html><html><head><meta charset="utf-8">
<style>{STYLE.replace("VALIGN", valign)}</style></head><body>
<h2>KAVERI AGRO FOODS PRIVATE LIMITED</h2>
<h3>CIN: U15400KA2011PTC000000</h3>
<h3>Balance Sheet as at 31st March, 2025</h3>
<p style="text-align:right">(Rs. in Lakhs)</p>
<table><tr><th style="text-align:left">Particulars</th><th>Note No.</th>
<th>As at 31st March, 2025</th><th>As at 31st March, 2024</th></tr>
{_rows(lines)}</table>
<p>See accompanying notes forming part of the financial statements</p></body></html>"""


def profit_and_loss_html() -> str:
    """The same company's statement of profit and loss in thousands of rupees."""
    return f"""<!doctype html><html><head><meta charset="utf-8">
<style>{STYLE.replace("VALIGN", "top")}</style></head><body>
<h3>Kaveri Agro Foods Private Limited</h3>
<h3>Statement of Profit and Loss for the year ended 31 March 2025</h3>
<p style="text-align:right">(All amounts in Rs. '000, unless otherwise stated)</p>
<table><tr><th style="text-align:left">Particulars</th><th>Note</th>
<th>Year ended<br>31 March 2025</th><th>Year ended<br>31 March 2024</th></tr>
{_rows(PROFIT_AND_LOSS)}</table></body></html>"""


def print_pdf(html: str, path: Path) -> Path:
    """``html`` printed to ``path`` by headless Chromium, as a browser's "Save as PDF"."""
    if not shutil.which(CHROMIUM):
        if os.getenv("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    source = path.with_suffix(".html")
    source.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={path}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path
