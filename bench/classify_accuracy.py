"""The classifier's accuracy on the samples, its throughput and its peak memory.

    .venv/bin/python bench/classify_accuracy.py [--items 20000] [--seed 7]
    .venv/bin/python bench/classify_accuracy.py --corpus [--errors 20]

For each sample: line items, accuracy among the auto-approved (confidence >= 0.70) and
the share sent to a CA. Then throughput on generated ledgers (the samples' labels
combined with bank names, branches, numbers and the suffixes Tally exports carry), first
pass and repeated, and on as many distinct party ledgers under Tally groups (every label
new: the slowest case); then peak memory of a first pass (tracemalloc). Every pass reads
its items as one book (book.py), as the classify step does. Prints figures only; records
nothing.

With --corpus: the held-out evaluation on the labelled public corpus
(bench/corpus/*.csv, one file per source, PROVENANCE.md beside it). For
each source, on its scored rows, twice (the ledger's group passed as the item's section,
and not): n, accuracy, share auto-approved, accuracy among the auto-approved, share sent
to review, expected calibration error (10 equal-width bins), the share whose right head
is among the top 3 and a reliability table. Held out by source family: the word model is
trained on the project's own examples only; the blend weights and calibration are fitted
on the other families each time (erpnext_in and odoo_l10n_in are one family). --errors N
lists the N most confident wrong answers per source; --rules-only measures the rule table
alone; --shipped measures what the product runs: the rule table with its decisions read a
second time (reader.py) by a reader trained as shipped but without the source reported
(the project's own ledger lists of the development split, leaving that one out). The
rule table's confidence map (calibration.json) is refitted on the development sources
other than the one reported (leave one source out); a test source gets the map
fitted on the whole development split, as shipped; --raw measures without the map. Rows
with a `book` id are read with the rest of their book (its unscored rows too), as the
product reads a client's books; --no-books reads every row alone (BEFORE). The corpus has
no amounts: the amount checks are measured by tests, not here (throughput includes them).
"""

import argparse
import csv
import json
import random
import sys
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from projects.cma.classify import classify_all  # noqa: E402
from projects.cma.classify.agreement import Agreement, Inputs, fit_agreement  # noqa: E402
from projects.cma.classify.amounts import totals_of  # noqa: E402
from projects.cma.classify.book import classify_book  # noqa: E402
from projects.cma.classify.calibrate import (  # noqa: E402
    Labelled,
    agreement_rows,
    confidence_rows,
    fit_blend,
)
from projects.cma.classify.confidence import DEVELOPMENT_SOURCES, fit_map  # noqa: E402
from projects.cma.classify.decide import (  # noqa: E402
    use_agreement_fit,
    use_calibration,
    use_model,
    use_second_reader,
)
from projects.cma.classify.model import WordModel  # noqa: E402
from projects.cma.classify.softmax import SoftmaxModel, fit_softmax  # noqa: E402
from projects.cma.classify.training import OWN_SUFFIX, examples, fit_model, own_rows  # noqa: E402
from projects.cma.heads import Side  # noqa: E402
from projects.cma.records import ExtractedItem, Suggestion  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
# Evaluation data, not the product: its sources are GPL/LGPL/AGPL/MIT (PROVENANCE.md).
CORPUS = ROOT / "bench" / "corpus"
AUTO_APPROVE = 0.70
BINS = 10

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


@dataclass(frozen=True)
class Case:
    """One scored corpus row: the ledger as a trial balance would give it, and its truth."""

    label: str
    group: str
    side: Side
    head: str
    source: str
    book: str = ""  # the corpus's `book` column, where the source has one


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    auto_share: float
    auto_accuracy: float
    review_share: float
    ece: float
    top3: float
    reliability: list[tuple[str, int, float, float]]  # bin, n, mean confidence, accuracy


# Every row of each book, scored or not (a book's unscored ledgers are evidence too).
BOOKS: dict[tuple[str, str], list[Case]] = {}


def corpus_cases(directory: Path = CORPUS) -> dict[str, list[Case]]:
    """Scored rows of every corpus CSV, by source; rows marked scored=no are left out (but
    kept in `BOOKS` with the rest of their book)."""
    cases: dict[str, list[Case]] = {}
    BOOKS.clear()
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                side: Side = "Cr" if row["side"] == "Cr" else "Dr"
                book = row.get("book") or ""
                case = Case(row["label"], row["group"], side, row["head"], row["source"], book)
                if book:
                    BOOKS.setdefault((case.source, book), []).append(case)
                if row["scored"] == "yes":
                    cases.setdefault(row["source"], []).append(case)
    return cases


def classify_cases(cases: list[Case], *, with_group: bool, books: bool) -> list[Suggestion]:
    """Each case's suggestion. `books`: a case from a source with a `book` column is read
    with the rest of its book (book.py), as the product reads a client's books; a case
    with none is read alone, as before."""
    if not books or not any(c.book for c in cases):
        return classify_all(corpus_items(cases, with_group=with_group))
    alone = [c for c in cases if not c.book]
    by_row = dict(
        zip(
            ((c.source, c.book, c.label, c.group) for c in alone),
            classify_all(corpus_items(alone, with_group=with_group)),
            strict=True,
        )
    )
    for (source, book), rows in BOOKS.items():
        if not cases or source != cases[0].source:
            continue
        read = classify_book(corpus_items(rows, with_group=with_group))
        by_row.update(
            ((source, book, r.label, r.group), s) for r, s in zip(rows, read, strict=True)
        )
    return [by_row[(c.source, c.book, c.label, c.group)] for c in cases]


def corpus_items(cases: list[Case], *, with_group: bool) -> list[ExtractedItem]:
    return [
        ExtractedItem(
            year="2024-25",
            label=case.label,
            amount=Decimal("1000.00"),
            side=case.side,
            source=f"{case.source}:{number}",
            section=case.group if with_group else "",
        )
        for number, case in enumerate(cases, start=1)
    ]


def scores(pairs: list[tuple[Suggestion, str]]) -> Scores:
    """Accuracy, auto-approval and calibration of suggestions against their truth."""
    n = len(pairs)
    right = [s.head == truth for s, truth in pairs]
    auto = [ok for (s, _), ok in zip(pairs, right, strict=True) if s.confidence >= AUTO_APPROVE]
    table: list[tuple[str, int, float, float]] = []
    ece = 0.0
    for b in range(BINS):
        low, high = b / BINS, (b + 1) / BINS
        inside = [
            (s.confidence, ok)
            for (s, _), ok in zip(pairs, right, strict=True)
            if low <= s.confidence < high or (b == BINS - 1 and s.confidence >= high)
        ]
        if not inside:
            continue
        mean_conf = sum(c for c, _ in inside) / len(inside)
        accuracy = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / n * abs(mean_conf - accuracy)
        table.append((f"{low:.1f}-{high:.1f}", len(inside), mean_conf, accuracy))
    return Scores(
        n=n,
        accuracy=sum(right) / max(n, 1),
        auto_share=len(auto) / max(n, 1),
        auto_accuracy=sum(auto) / max(len(auto), 1),
        review_share=1 - len(auto) / max(n, 1),
        ece=ece,
        top3=sum(
            truth == s.head or truth in [h for h, _ in s.alternatives[:2]] for s, truth in pairs
        )
        / max(n, 1),
        reliability=table,
    )


# Sources that share wording are held out together (PROVENANCE.md: ERPNext's older
# Indian charts came from OpenERP's, Odoo's ancestor).
FAMILIES = {"erpnext_in": "erpnext+odoo", "odoo_l10n_in": "erpnext+odoo"}


def family(source: str) -> str:
    return FAMILIES.get(source, source)


def confidence_fold(by_source: dict[str, list[Case]], source: str) -> None:
    """Calibrate the rule table's confidence with a map fitted on the development sources
    other than `source` (leave one source out); a test source gets the map fitted on the
    whole development split, as calibration.json ships it."""
    rows = {
        other: [Labelled(c.label, c.group, c.side, c.head) for c in cases]
        for other, cases in by_source.items()
        if other in DEVELOPMENT_SOURCES and other != source
    }
    use_calibration(fit_map(confidence_rows(rows)))


def reader_fold(source: str, folds: dict[str, SoftmaxModel]) -> SoftmaxModel:
    """The second reader for `source`: trained as shipped (the project's examples and its
    own ledger lists of the development split) without `source` if it is one of them."""
    key = source if source.endswith(OWN_SUFFIX) else ""
    if key not in folds:
        rows = examples() + own_rows(CORPUS, among=DEVELOPMENT_SOURCES, leave_out=(key,))
        folds[key] = SoftmaxModel.from_json(fit_softmax(rows))
    return folds[key]


def agreement_fold(rows: list[tuple[Inputs, bool, str]], source: str) -> Agreement | None:
    """The agreement fit for `source`: fitted on the other development sources' held-out
    readings (a test source: on all of them, as agreement.json ships)."""
    chosen = [(inputs, right) for inputs, right, other in rows if other != source]
    return Agreement.from_json(fit_agreement(chosen)) if chosen else None


def report_corpus(
    errors: int,
    *,
    rules_only: bool = False,
    shipped: bool = False,
    agreement: bool = True,
    sources: frozenset[str] | None = None,
    raw: bool = False,
    books: bool = True,
) -> None:
    """Leave one source family out: the word model never sees the corpus (it is trained on
    the project's own examples); the blend and calibration are fitted on the other
    families and applied to the held-out one. The rule table's confidence map is fitted on
    the development sources only, leaving the reported one out (`raw`: no map).
    `sources`: report only these (a development split never prints the test split's rows
    or figures)."""
    by_source = corpus_cases()
    if not by_source:
        print(f"no corpus rows under {CORPUS}")
        return
    model = WordModel.from_json(fit_model(examples()))
    folds: dict[str, SoftmaxModel] = {}
    # What the agreement fit learns from: every development source read held out.
    agreeing = agreement_rows(CORPUS) if shipped and agreement else []
    pooled: dict[bool, list[tuple[Suggestion, str]]] = {True: [], False: []}
    for source, cases in by_source.items():
        if sources is not None and source not in sources:
            continue
        if raw:
            use_calibration({})
        else:
            confidence_fold(by_source, source)
        if rules_only or shipped:
            use_model(None)
            use_second_reader(reader_fold(source, folds) if shipped else None)
            use_agreement_fit(agreement_fold(agreeing, source))
        else:
            training = [
                Labelled(c.label, c.group, c.side, c.head)
                for other, rows in sorted(by_source.items())
                if family(other) != family(source)
                for c in rows
            ]
            use_model(model, fit_blend(model, training))
        for with_group in (True, False):
            suggestions = classify_cases(cases, with_group=with_group, books=books)
            pairs = [(s, case.head) for s, case in zip(suggestions, cases, strict=True)]
            pooled[with_group].extend(pairs)
            mode = "with group as section" if with_group else "label and side only"
            print_scores(f"{source} ({mode})", scores(pairs))
            if errors:
                print_errors(cases, suggestions, errors)
    use_calibration(None)
    use_second_reader(None)
    use_agreement_fit(None)
    for with_group in (True, False):
        mode = "with group as section" if with_group else "label and side only"
        print_scores(f"ALL SOURCES ({mode})", scores(pooled[with_group]))


def print_scores(title: str, result: Scores) -> None:
    print(
        f"{title}: n={result.n}, accuracy {result.accuracy:.1%}, auto-approved"
        f" {result.auto_share:.1%} of which right {result.auto_accuracy:.1%}, sent to review"
        f" {result.review_share:.1%}, ECE {result.ece:.3f}, right head in top 3"
        f" {result.top3:.1%}"
    )
    print("    bin      n   mean conf  accuracy")
    for name, count, mean_conf, accuracy in result.reliability:
        print(f"    {name}  {count:4d}   {mean_conf:.3f}      {accuracy:.1%}")


def print_errors(cases: list[Case], suggestions: list[Suggestion], limit: int) -> None:
    wrong = sorted(
        ((s, case) for s, case in zip(suggestions, cases, strict=True) if s.head != case.head),
        key=lambda pair: -pair[0].confidence,
    )
    for s, case in wrong[:limit]:
        print(
            f"      {s.confidence:.2f} {case.label!r} [{case.group}] {case.side}:"
            f" truth {case.head}, got {s.head} ({s.method})"
        )


def throughput(items: list[ExtractedItem]) -> tuple[float, float]:
    """Seconds and items per second, the amounts weighed against the book and its stock
    read against the rest of it, as the step does."""
    started = time.perf_counter()
    classify_book(items, book_totals=totals_of(items))
    seconds = time.perf_counter() - started
    return seconds, len(items) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--corpus", action="store_true", help="held-out evaluation on the labelled public corpus"
    )
    parser.add_argument("--errors", type=int, default=0, help="with --corpus: wrong answers shown")
    parser.add_argument(
        "--rules-only", action="store_true", help="with --corpus: the rule table alone (BEFORE)"
    )
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="with --corpus: as the product classifies: the rule table, its approvals read a"
        " second time by the word model (reader.py), trained without the source reported",
    )
    parser.add_argument(
        "--no-agreement",
        action="store_true",
        help="with --shipped: the reader's veto and lift only, the confidence not re-weighed"
        " by how far it agrees (agreement.py; BEFORE)",
    )
    parser.add_argument(
        "--sources",
        default="",
        help="with --corpus: comma-separated source ids to report (default: all), e.g. the"
        " development split gnucash_en_in,gnukhata,tally_teaching_pn",
    )
    parser.add_argument(
        "--no-books",
        action="store_true",
        help="with --corpus: every row read alone, not with the rest of its book (book.py;"
        " BEFORE); sources without a book column are always read row by row",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="with --corpus: the rule table's confidence uncalibrated (BEFORE the map)",
    )
    args = parser.parse_args()

    if args.corpus:
        chosen = frozenset(s for s in args.sources.split(",") if s) or None
        report_corpus(
            args.errors,
            rules_only=args.rules_only,
            shipped=args.shipped,
            agreement=not args.no_agreement,
            sources=chosen,
            raw=args.raw,
            books=not args.no_books,
        )
        return

    # Peak memory first, while every cache is still empty.
    tracemalloc.start()
    classify_book(ledgers(args.items, args.seed + 1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for sample in sorted(SAMPLES.iterdir()):
        cases = truth(sample)
        suggestions = classify_book([case for case, _ in cases])
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
