"""Plan preview latency (7 projected years) through HTTP, and regenerating a report
from a changed plan.

    .venv/bin/python bench/plan_preview.py [--requests 200] [--regenerations 10]

Works in a throwaway DATA_DIR (SQLite, the product's settings): a project with Shree
Ganesh Polymers' two classified trial balances (the sample answer key's line items),
then POST /api/v1/projects/{id}/plan/preview through Django's test client (the whole
middleware and view stack, no network), each request a different sales growth so that
nothing can be cached. Then a saved plan and a run from generate (inline, no worker).
Prints one figure a line.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "shree-ganesh-polymers-private-limited"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--regenerations", type=int, default=10)
    args = parser.parse_args()
    os.environ.update({"DATA_DIR": tempfile.mkdtemp(prefix="cma-bench-")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from pipeline.runner import run_execute
    from pipeline.services import run_create
    from projects.models import LineItem
    from projects.services import plan_save, project_create, project_files_add, user_add

    call_command("migrate_all", verbosity=0)
    user, _ = user_add(email="bench@bench.test", firm_name="Bench", role="ca", password="x")
    project = project_create(user=user, name="Plan bench", client_name="Shree Ganesh Polymers")
    tb = SAMPLE / "trial-balance-2024-25.xlsx"
    [stored] = project_files_add(
        project=project, uploads=[SimpleUploadedFile(tb.name, tb.read_bytes())], user=user
    )
    truth = json.loads((SAMPLE / "truth.json").read_text())
    LineItem.objects.bulk_create(
        LineItem(
            project=project, file=stored, year=item["year"], label=item["label"],
            amount=Decimal(str(item["amount"])), side=item["side"], source="bench",
            basis="trial_balance", head=item["head"], position=index,
        )
        for index, item in enumerate(truth["line_items"])
    )  # fmt: skip
    stored.status = "extracted"
    stored.save(update_fields=["status"])

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/api/v1/projects/{project.pk}/plan/preview"
    loans = [
        {"name": f"Loan {n}", "amount": 2500000, "rate_pct": 10.5, "start_month": "2025-07",
         "moratorium_months": 6, "tenor_months": 84, "repayment": "emi"}
        for n in range(3)
    ]  # fmt: skip
    timings = []
    for request in range(args.requests + 10):
        body = {
            "projected_years": 7,
            "term_loans": loans,
            "assumptions": {
                "2025-26": {"sales_growth_pct": 5 + request % 20, "receivables_months": 2},
                "2027-28": {"capex": 1000000},
            },
        }
        started = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content
        if request >= 10:  # the first requests warm imports and caches up
            timings.append(elapsed * 1000)
    years = len(response.json()["key_figures"])
    print(f"preview, {years} years (2 actual + estimate + 7 projected), 3 term loans:")
    print(f"  p50 {statistics.median(timings):.1f} ms")
    print(f"  p95 {percentile(timings, 0.95):.1f} ms")
    print(f"  max {max(timings):.1f} ms over {len(timings)} requests")

    # Regenerating: a saved plan (a different growth each time), then a run from generate
    # (inline, no worker), whose workbook carries the 8 estimated and projected columns
    # as formulas over the Assumptions and Term loans sheets.
    from python_calamine import CalamineWorkbook

    from projects.models import Output

    regenerations, statuses = [], set()
    for attempt in range(args.regenerations):
        data = {
            "projected_years": 7,
            "term_loans": loans,
            "assumptions": {"2025-26": {"sales_growth_pct": 12 + attempt}},
        }
        plan_save(project=project, user=user, data=data)
        run = run_create(
            subject=project,
            pipeline_name="cma",
            options={"start_from": "generate", "skip_validation": True},
            requested_by=user,
        )
        started = time.perf_counter()
        run_execute(run_id=run.pk)
        regenerations.append((time.perf_counter() - started) * 1000)
        run.refresh_from_db()
        statuses.add(run.status)
    output = Output.objects.filter(project=project).latest("pk")
    book = CalamineWorkbook.from_path(output.file.path)
    header = next(r for r in book.get_sheet_by_name("Form II").to_python() if r[0] == "Particulars")
    print(
        f"regenerate from a changed plan (start_from=generate, inline), {len(header) - 1} "
        f"year columns, {output.size // 1024} KB workbook, runs {', '.join(sorted(statuses))}:"
    )
    print(f"  p50 {statistics.median(regenerations):.0f} ms")
    print(f"  max {max(regenerations):.0f} ms over {len(regenerations)} regenerations")  # fmt: skip


if __name__ == "__main__":
    main()
