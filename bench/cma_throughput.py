"""Extraction and classification of a 20,000-ledger trial balance: items per second, memory.

    .venv/bin/python bench/cma_throughput.py [--ledgers 20000]

Writes a balanced .xlsx trial balance of realistic, varied ledgers (the samples' ledger
names with banks, branches, parties and numbers), then times the pipeline's own
functions on it: extract_file, then classify_all, and the peak memory of both
(tracemalloc). Prints figures only. Accuracy and review share on the samples are
bench/classify_accuracy.py's.
"""

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from projects.cma import classify as classifier  # noqa: E402
from projects.cma.classify import classify_all  # noqa: E402
from projects.cma.extract import extract_file  # noqa: E402

DEBIT_LEDGERS = [
    "Purchase of Raw Material", "Power & Fuel", "Factory Wages", "Salary to Staff",
    "Office Rent", "Sundry Debtors", "Cash-in-Hand", "Plant & Machinery", "Freight Inward",
    "Repairs to Machinery", "Advance to Suppliers", "Prepaid Insurance", "Telephone Expenses",
    "Printing & Stationery", "Interest on Cash Credit", "Bank Charges", "Travelling Expenses",
]  # fmt: skip
CREDIT_LEDGERS = [
    "Sales - Domestic", "Sundry Creditors", "GST Payable", "TDS Payable", "Salary Payable",
    "Unsecured Loan from Directors", "Term Loan", "Advance from Customers", "Scrap Sales",
    "Interest Received on FD", "Equity Share Capital", "Audit Fees Payable",
]  # fmt: skip
PLACES = ["Mumbai", "Pune", "Surat", "Indore", "Unit 2", "Branch 4", "Old", "Export"]
BANKS = ["HDFC Bank", "SBI", "ICICI Bank", "Axis Bank", "Kotak Bank", "Bank of Baroda"]


def write_trial_balance(path: Path, ledgers: int, seed: int) -> None:
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Trial Balance")
    sheet.write_row(0, 0, ["Bench Industries Private Limited"])
    sheet.write_row(1, 0, ["Trial Balance"])
    sheet.write_row(2, 0, ["1-Apr-2024 to 31-Mar-2025"])
    sheet.write_row(4, 0, ["Particulars", "Debit", "Credit"])
    debit_total = credit_total = 0
    for n in range(ledgers - 1):
        pool = DEBIT_LEDGERS if n % 2 else CREDIT_LEDGERS
        label = f"{rng.choice(pool)} - {rng.choice(PLACES + BANKS)} {n}"
        paise = rng.randint(10_000, 50_000_000)
        if n % 2:
            debit_total += paise
            sheet.write_row(5 + n, 0, [label, paise / 100, None])
        else:
            credit_total += paise
            sheet.write_row(5 + n, 0, [label, None, paise / 100])
    difference = debit_total - credit_total
    balancing = (
        ["Profit & Loss A/c", None, difference / 100]
        if difference > 0
        else ["Profit & Loss A/c", -difference / 100, None]
    )
    sheet.write_row(4 + ledgers, 0, balancing)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledgers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big-trial-balance.xlsx"
        write_trial_balance(path, args.ledgers, args.seed)
        # Timed without tracemalloc, which slows Python several times over.
        started = time.perf_counter()
        extraction = extract_file(path=path, kind="xlsx")
        extracted = time.perf_counter()
        suggestions = classify_all(extraction.items)
        classified = time.perf_counter()
        # A first pass again for memory: the classifier's caches start empty. They sit in
        # the package's modules (normalize, sections, fuzzy, decide), not only its top.
        prefix = classifier.__name__ + "."
        modules = [m for n, m in sys.modules.items() if n.startswith(prefix)]
        for module in (classifier, *modules):
            for function in vars(module).values():
                if hasattr(function, "cache_clear"):
                    function.cache_clear()
        tracemalloc.start()
        classify_all(extract_file(path=path, kind="xlsx").items)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    items = len(extraction.items)
    total = classified - started
    print(f"ledgers: {items}")
    for name, seconds in [("extract", extracted - started), ("classify", classified - extracted)]:
        print(f"{name}: {seconds:.2f} s ({items / seconds:,.0f} items/s)")
    print(f"extract + classify: {total:.2f} s ({items / total:,.0f} items/s)")
    print(f"peak memory (tracemalloc): {peak / 2**20:.1f} MiB")
    below = sum(1 for s in suggestions if s.confidence < 0.70)
    print(f"sent to review at 0.70: {below / items:.1%} of these generated ledgers")


if __name__ == "__main__":
    main()
