"""Whole client books through the product: is every figure kept, and filed where it belongs?

    .venv/bin/python bench/books.py [--books slug,slug] [--errors] [--folder bench/books]

Each folder under bench/books/ (PROVENANCE.md there) holds the files a firm would upload
and a truth.json: every ledger's year, label, amount, side and right head. Each book goes
through the product as a user's would: a project, its files uploaded (kind decided from
content), one run of the cma pipeline with review skipped (every head as the classifier
left it) executed here, on a throwaway embedded database (DATA_DIR in a temporary
folder; nothing of `make run`'s is touched).

Per book it prints:
- what each file became (its kind, and its error or warnings: the messages the firm sees);
- the truth's ledgers found among the line items (matched by year, label and amount),
  those LOST (with their rupees) and the line items the truth does not have (EXTRA);
- of the matched, how many went to review and how many the product approved (confidence
  >= 0.70), and how many of those are right: the approved wrong ones are the figures
  misfiled with no message;
- the key figures as the product computed them against the same line items with the
  truth's heads (what a CA who corrected every head would get): every figure that
  differs, by how much.

Prints figures only; records nothing. These books are measured, not tuned on: read a
book's errors and it becomes development data (say so in RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BOOKS = ROOT / "bench" / "books"
AUTO_APPROVE = 0.70
# A key figure this far from the truth-headed one (rupees, or 0.0001 of a ratio) differs.
MONEY_TOLERANCE = Decimal("0.01")
RATIO_TOLERANCE = Decimal("0.0001")
RATIOS = {"current_ratio", "tol_tnw"}


@dataclass
class Outcome:
    """One book's result."""

    slug: str
    files: list[str] = field(default_factory=list)
    truth_rows: int = 0
    matched: int = 0
    lost: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # Lost ledgers a skipped row names (the file's page says why it was left out).
    lost_said: set[str] = field(default_factory=set)
    extra: list[tuple[str, str, Decimal]] = field(default_factory=list)
    review: int = 0
    approved: int = 0
    approved_wrong: list[tuple[str, str, Decimal, str, str, float]] = field(default_factory=list)
    wrong: int = 0
    figures_off: list[tuple[str, str, Decimal | None, Decimal | None]] = field(default_factory=list)
    run_status: str = ""
    # Against truth.json's own key figures, where it gives them (the shared samples do).
    key_figures_off: list[tuple[str, str, Decimal | None, float]] = field(default_factory=list)


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _alike(truth_label: str, label: str) -> bool:
    mine = _key(label)
    return (
        truth_label in mine
        or mine in truth_label
        or SequenceMatcher(None, truth_label, mine).ratio() >= 0.6
    )


def _match(outcome: Outcome, item: tuple, row: dict, truth_head: dict[int, str]) -> None:
    pk, year, label, amount, head, confidence = item
    outcome.matched += 1
    truth_head[pk] = row["head"]
    right = head == row["head"]
    outcome.wrong += not right
    if confidence >= AUTO_APPROVE:
        outcome.approved += 1
        if not right:
            outcome.approved_wrong.append(
                (year, label, _money(amount), row["head"], head, confidence)
            )
    else:
        outcome.review += 1


def book_measure(folder: Path, *, user: object) -> Outcome:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pipeline.runner import run_execute
    from pipeline.services.runs import run_create
    from projects.cma.forms.report import key_figures
    from projects.models import LineItem, ProjectFile
    from projects.reports.compute import project_compute
    from projects.services import FilesRejected, project_create, project_files_add

    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    outcome = Outcome(slug=folder.name)
    project = project_create(user=user, name=folder.name, client_name=truth.get("company", ""))
    uploads = [SimpleUploadedFile(name, (folder / name).read_bytes()) for name in truth["files"]]
    try:
        project_files_add(project=project, uploads=uploads, user=user)
    except FilesRejected as exc:
        outcome.files = [f"REFUSED {p.name}: {p.detail}" for p in exc.problems]
        outcome.run_status = "refused"
        return outcome
    run = run_create(subject=project, pipeline_name="cma", options={"skip_review": True})
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    outcome.run_status = run.status
    skipped_texts: list[str] = []
    for project_file in ProjectFile.objects.filter(project=project).order_by("id"):
        skipped_texts += [_key(row["text"]) for row in project_file.skipped_rows]
        said = project_file.error or "; ".join(project_file.warnings or [])
        outcome.files.append(
            f"{project_file.name} [{project_file.kind}] {project_file.status}"
            + (f": {said}" if said else "")
        )

    wanted: dict[tuple[str, str, Decimal], list[dict]] = defaultdict(list)
    for row in truth["line_items"]:
        if Decimal(str(row["amount"])) == 0:
            continue
        wanted[(row["year"], _key(row["label"]), _money(row["amount"]))].append(row)
        outcome.truth_rows += 1
    items = list(
        LineItem.objects.filter(project=project).values_list(
            "id", "year", "label", "amount", "head", "confidence"
        )
    )
    truth_head: dict[int, str] = {}
    unmatched = []
    for item in items:
        rows = wanted.get((item[1], _key(item[2]), _money(item[3])))
        if rows:
            _match(outcome, item, rows.pop(), truth_head)
        else:
            unmatched.append(item)
    # A label the product tidied (a suffix it read, spaces) still matches its truth row of
    # the same year and amount when one label holds the other or they mostly agree.
    for item in unmatched:
        pk, year, label, amount, *_ = item
        candidates = [
            (key, rows)
            for key, rows in wanted.items()
            if rows and key[0] == year and key[2] == _money(amount) and _alike(key[1], label)
        ]
        if candidates:
            _match(outcome, item, candidates[0][1].pop(), truth_head)
        else:
            outcome.extra.append((year, label, _money(amount)))
    outcome.lost = [
        (year, row["label"], _money(row["amount"]))
        for (year, _, _), rows in wanted.items()
        for row in rows
    ]
    outcome.lost_said = {
        label for _, label, _ in outcome.lost if any(_key(label) in t for t in skipped_texts)
    }

    if run.status == "completed" or items:
        got = key_figures(project_compute(project_id=project.pk).report)
        by_head: dict[str, list[int]] = defaultdict(list)
        for pk, head in truth_head.items():
            by_head[head].append(pk)
        for head, pks in by_head.items():
            LineItem.objects.filter(pk__in=pks).update(head=head)
        right = key_figures(project_compute(project_id=project.pk).report)
        for year, figures in right.items():
            for name, value in figures.items():
                other = got.get(year, {}).get(name)
                tolerance = RATIO_TOLERANCE if name in RATIOS else MONEY_TOLERANCE
                if (value is None) != (other is None) or (
                    value is not None and other is not None and abs(value - other) > tolerance
                ):
                    outcome.figures_off.append((year, name, other, value))
        for year, figures in truth.get("key_figures", {}).items():
            for name, value in figures.items():
                other = got.get(year, {}).get(name)
                tolerance = RATIO_TOLERANCE if name in RATIOS else MONEY_TOLERANCE
                if other is None or abs(other - Decimal(str(value))) > tolerance:
                    outcome.key_figures_off.append((year, name, other, value))
    return outcome


def outcome_print(outcome: Outcome, *, errors: bool) -> None:
    print(f"\n== {outcome.slug}: run {outcome.run_status}")
    for line in outcome.files:
        print(f"   file: {line}")
    lost_rupees = sum((amount for *_, amount in outcome.lost), Decimal(0))
    print(
        f"   ledgers: {outcome.truth_rows} in the truth, {outcome.matched} found,"
        f" {len(outcome.lost)} LOST (Rs {lost_rupees:,.2f}; {len(outcome.lost_said)} named by a"
        f" skipped row), {len(outcome.extra)} extra"
    )
    if outcome.matched:
        accuracy = 1 - len(outcome.approved_wrong) / max(outcome.approved, 1)
        print(
            f"   heads: {outcome.wrong} wrong of {outcome.matched};"
            f" {outcome.review} to review ({outcome.review / outcome.matched:.1%});"
            f" approved {outcome.approved}, right {accuracy:.1%},"
            f" {len(outcome.approved_wrong)} misfiled unasked"
        )
    print(f"   key figures off (product / truth heads): {len(outcome.figures_off)}")
    if outcome.key_figures_off:
        print(f"   key figures off truth.json's: {len(outcome.key_figures_off)}")
    if not errors:
        return
    for year, label, amount in outcome.lost[:30]:
        said = " (a skipped row names it)" if label in outcome.lost_said else ""
        print(f"      lost {year} {label!r} {amount:,.2f}{said}")
    for year, label, amount in outcome.extra[:30]:
        print(f"      extra {year} {label!r} {amount:,.2f}")
    for year, label, amount, want, got, confidence in outcome.approved_wrong:
        print(f"      {confidence:.2f} {year} {label!r} {amount:,.2f}: truth {want}, got {got}")
    for year, name, got, want in [*outcome.figures_off, *outcome.key_figures_off]:
        print(f"      {year} {name}: {got} / {want}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=BOOKS)
    parser.add_argument("--books", default="", help="comma-separated slugs (default: all)")
    parser.add_argument(
        "--errors", action="store_true", help="list lost, extra and misfiled ledgers"
    )
    args = parser.parse_args()
    chosen = {slug for slug in args.books.split(",") if slug}
    folders = sorted(
        path
        for path in args.folder.iterdir()
        if (path / "truth.json").is_file() and (not chosen or path.name in chosen)
    )

    with tempfile.TemporaryDirectory(prefix="cma-books-") as data_dir:
        os.environ["DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from projects.services import user_add

        for database in settings.DATABASES:
            call_command("migrate", database=database, verbosity=0)
        user, _ = user_add(email="books@bench.test", firm_name="Bench & Co", role="owner")
        outcomes = [book_measure(folder, user=user) for folder in folders]
        for outcome in outcomes:
            outcome_print(outcome, errors=args.errors)

    total = Counter()
    for outcome in outcomes:
        total["truth"] += outcome.truth_rows
        total["matched"] += outcome.matched
        total["lost"] += len(outcome.lost)
        total["extra"] += len(outcome.extra)
        total["review"] += outcome.review
        total["approved"] += outcome.approved
        total["approved_wrong"] += len(outcome.approved_wrong)
        total["wrong"] += outcome.wrong
        total["figures_off"] += len(outcome.figures_off)
        total["books_off"] += bool(outcome.figures_off or outcome.lost or outcome.key_figures_off)
    print(
        f"\nALL {len(outcomes)} books: {total['truth']} ledgers, {total['lost']} lost,"
        f" {total['extra']} extra; {total['wrong']} wrong heads of {total['matched']};"
        f" to review {total['review'] / max(total['matched'], 1):.1%}; right among the"
        f" {total['approved']} approved"
        f" {1 - total['approved_wrong'] / max(total['approved'], 1):.1%}"
        f" ({total['approved_wrong']} misfiled unasked); books with a figure off or a ledger"
        f" lost: {total['books_off']}"
    )


if __name__ == "__main__":
    main()
