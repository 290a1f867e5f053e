"""The classifier's accuracy on the samples, its throughput and its peak memory.

    .venv/bin/python bench/classify_accuracy.py [--items 20000] [--seed 7]

For each sample: line items, accuracy among the auto-approved (confidence >= 0.70) and
the share sent to a CA. Then throughput on generated ledgers (the samples' labels
combined with bank names, branches, numbers and the suffixes Tally exports carry), first
pass and repeated, and on as many distinct party ledgers under Tally groups (every label
new: the slowest case); then peak memory of a first pass (tracemalloc). Prints figures
only; records nothing.
"""

import argparse
import json
import random
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from projects.cma.classify import classify_all  # noqa: E402
from projects.cma.records import ExtractedItem  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
AUTO_APPROVE = 0.70

BANKS = [
    "HDFC Bank", "SBI", "State Bank of India", "ICICI Bank", "Axis Bank", "Kotak Mahindra Bank",
    "Bank of Baroda", "PNB", "Canara Bank", "Union Bank of India", "IDBI Bank", "Yes Bank",
    "Saraswat Co-op Bank", "Cosmos Bank", "IndusInd Bank", "Bank of India",
]  # fmt: skip
FACILITIES = ["CC A/c", "OD A/c", "Current A/c", "Cash Credit", "Term Loan", "Savings A/c"]
SUFFIXES = [
    "", " A/c", " - Mumbai", " - Unit {n}", " (Old)", " - Branch {n}", " No. {account}",
    " {n}", " - FY 2023-24", " - Mr. Ramesh", " Ltd.", " & Co", " - {bank}",
]  # fmt: skip
PARTY_FIRST = [
    "Shree", "Sri", "Om", "Sai", "Balaji", "Ganesh", "Laxmi", "Krishna", "Modern", "Royal",
    "Jai", "Maa Durga", "Vinayak", "Radhe", "Shiv", "Patel", "Gupta", "Agarwal", "Jain",
    "Mehta", "Shah", "Bansal", "Kothari", "Reddy", "Nair", "Iyer",
]  # fmt: skip
PARTY_TRADE = [
    "Steel", "Plastics", "Textiles", "Agro", "Chemicals", "Electricals", "Hardware",
    "Polymers", "Pharma", "Foods", "Packaging", "Motors", "Logistics", "Garments", "Paper",
]  # fmt: skip
PARTY_FORM = [
    "Traders", "Enterprises", "Industries", "Pvt Ltd", "& Co", "Corporation", "Agencies",
    "Brothers", "& Sons", "LLP", "Stores", "Suppliers", "Distributors",
]  # fmt: skip
GROUPS = [
    ("Sundry Debtors", "Dr"), ("Current Assets / Sundry Debtors", "Dr"),
    ("Sundry Creditors", "Cr"), ("Current Liabilities / Sundry Creditors", "Cr"),
]  # fmt: skip


def truth(sample: Path) -> list[tuple[ExtractedItem, str]]:
    lines = json.loads((sample / "truth.json").read_text())["line_items"]
    return [
        (
            ExtractedItem(
                year=line["year"],
                label=line["label"],
                amount=Decimal(str(line["amount"])),
                side=line["side"],
                source="truth.json",
                closing_stock=line.get("closing_stock", False),
            ),
            line["head"],
        )
        for line in lines
    ]


def ledgers(count: int, seed: int) -> list[ExtractedItem]:
    """Realistic ledgers: the samples' labels varied as other firms name them."""
    base = [case for sample in sorted(SAMPLES.iterdir()) for case, _ in truth(sample)]
    rng = random.Random(seed)
    items = []
    for _ in range(count):
        case = rng.choice(base)
        label, side, closing = case.label, case.side, case.closing_stock
        roll = rng.random()
        if roll < 0.15:
            # A bank ledger, on either side: cash in debit, a borrowing in credit.
            label = f"{rng.choice(BANKS)} {rng.choice(FACILITIES)}"
            side, closing = rng.choice(["Dr", "Cr"]), False
        elif roll < 0.25:
            label = f"{label} - {rng.choice(BANKS)}"
        label += rng.choice(SUFFIXES).format(
            n=rng.randint(1, 99), account=rng.randint(10**9, 10**12), bank=rng.choice(BANKS)
        )
        if closing and rng.random() < 0.3:
            label += " (Closing Stock)"  # as a CSV marks it
        items.append(
            ExtractedItem(
                year=case.year,
                label=label,
                amount=case.amount,
                side=side,
                source="generated",
                closing_stock=closing,
            )
        )
    return items


def parties(count: int, seed: int) -> list[ExtractedItem]:
    """Distinct party ledgers under Tally's debtor/creditor groups: no label repeats."""
    rng = random.Random(seed)
    seen: set[str] = set()
    items = []
    while len(items) < count:
        label = (
            f"{rng.choice(PARTY_FIRST)} {rng.choice(PARTY_TRADE)} {rng.choice(PARTY_FORM)}"
            f" {rng.randint(1, 9999)}"
        )
        if label in seen:
            continue
        seen.add(label)
        group, side = rng.choice(GROUPS)
        items.append(
            ExtractedItem(
                year="2024-25",
                label=label,
                amount=Decimal("1000.00"),
                side=side,  # type: ignore[arg-type]
                source="generated",
                section=group,
            )
        )
    return items


def throughput(items: list[ExtractedItem]) -> tuple[float, float]:
    started = time.perf_counter()
    classify_all(items)
    seconds = time.perf_counter() - started
    return seconds, len(items) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    # Peak memory first, while every cache is still empty.
    tracemalloc.start()
    classify_all(ledgers(args.items, args.seed + 1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for sample in sorted(SAMPLES.iterdir()):
        cases = truth(sample)
        suggestions = classify_all([case for case, _ in cases])
        auto = [
            (s.head, head)
            for s, (_, head) in zip(suggestions, cases, strict=True)
            if s.confidence >= AUTO_APPROVE
        ]
        accuracy = sum(1 for got, want in auto if got == want) / max(len(auto), 1)
        review = 1 - len(auto) / len(cases)
        print(
            f"{sample.name}: {len(cases)} items, accuracy among auto-approved"
            f" {accuracy:.1%}, sent to review {review:.1%}"
        )

    items = ledgers(args.items, args.seed)
    seconds, rate = throughput(items)
    print(f"generated ledgers, first pass: {len(items)} items in {seconds:.2f} s ({rate:,.0f}/s)")
    seconds, rate = throughput(items)
    print(f"generated ledgers, repeated:   {len(items)} items in {seconds:.2f} s ({rate:,.0f}/s)")
    party_items = parties(args.items, args.seed)
    seconds, rate = throughput(party_items)
    print(
        f"distinct party ledgers:        {len(party_items)} items in {seconds:.2f} s"
        f" ({rate:,.0f}/s)"
    )
    print(f"peak memory of a first pass of {args.items} items: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
