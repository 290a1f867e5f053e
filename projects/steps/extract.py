"""Step 1: read every file of the project into line items.

A file that cannot be read fails alone (partial); when several files cover the same
year, the year's figures come from one source (trial balances first) and the others
only cross-check its totals, so nothing is counted twice.
"""

from collections import defaultdict

from pipeline.context import PermanentError, StepContext
from projects.cma.extract import extract_file
from projects.cma.records import ExtractedItem, Extraction, ExtractionError
from projects.models import FileStatus, LineItem, ProjectFile

# Which basis wins when two files cover the same year.
BASIS_RANK = {"trial_balance": 0, "statements": 1}


def extract(ctx: StepContext) -> None:
    files = list(ProjectFile.objects.filter(project_id=ctx.subject_id).order_by("created_at", "id"))
    results: dict[int, Extraction] = {}
    errors: dict[int, str] = {}
    for index, project_file in enumerate(files):
        ctx.doc_phase(project_file.pk, "extracting", name=project_file.name)

        def progress(done: int, total: int, index: int = index) -> None:
            # Each file gets an equal share of the step's bar.
            ctx.progress(index * 1000 + int(1000 * done / max(total, 1)), len(files) * 1000)

        try:
            results[project_file.pk] = extract_file(
                path=project_file.file.path,
                kind=project_file.kind,
                fiscal_year=project_file.fiscal_year or None,
                progress=progress,
            )
        except ExtractionError as exc:
            errors[project_file.pk] = str(exc)
            ctx.doc_phase(project_file.pk, "failed", str(exc), name=project_file.name)
        else:
            ctx.doc_phase(project_file.pk, "extracted", name=project_file.name)
    if not results:
        reasons = "; ".join(f"{f.name}: {errors[f.pk]}" for f in files if f.pk in errors)
        raise PermanentError(f"No file could be read. {reasons}")

    chosen, warnings, cross_checks = choose_sources(files, results)
    items = [
        LineItem(
            project_id=ctx.subject_id,
            file_id=file_id,
            year=item.year,
            label=item.label[:300],
            amount=item.amount,
            side=item.side,
            source=f"{name}: {item.source}"[:200],
            section=item.section[:200],
            closing_stock=item.closing_stock,
            basis=item.basis,
            position=position,
        )
        for position, (file_id, name, item) in enumerate(chosen)
    ]
    with ctx.commit():
        LineItem.objects.filter(project_id=ctx.subject_id).delete()
        LineItem.objects.bulk_create(items, batch_size=2000)
        for project_file in files:
            failed = project_file.pk in errors
            ProjectFile.objects.filter(pk=project_file.pk).update(
                status=FileStatus.FAILED if failed else FileStatus.EXTRACTED,
                error=errors.get(project_file.pk, ""),
            )
        ctx.metadata.update(
            {
                "line_items": len(items),
                "years": sorted({item.year for item in items}),
                "files": len(files),
                "failed_files": len(errors),
                "warnings": warnings,
                "cross_checks": cross_checks,
            }
        )


def choose_sources(
    files: list[ProjectFile], results: dict[int, Extraction]
) -> tuple[list[tuple[int, str, ExtractedItem]], list[str], list[dict[str, str]]]:
    """Per year, the items of the best source; other sources only cross-check it."""
    names = {f.pk: f.name for f in files}
    by_year: dict[str, list[tuple[int, Extraction]]] = defaultdict(list)
    for file_id, extraction in results.items():
        for year in extraction.years:
            by_year[year].append((file_id, extraction))
    chosen: list[tuple[int, str, ExtractedItem]] = []
    warnings: list[str] = []
    cross_checks: list[dict[str, str]] = []
    for year in sorted(by_year):
        sources = sorted(
            by_year[year], key=lambda s: (BASIS_RANK[s[1].basis], list(results).index(s[0]))
        )
        winner_id, winner = sources[0]
        chosen += [(winner_id, names[winner_id], i) for i in winner.items if i.year == year]
        for other_id, other in sources[1:]:
            warnings.append(
                f"{names[other_id]} also covers {year}; its figures were not added "
                f"(the year comes from {names[winner_id]})."
            )
            if other.basis == "statements" and year in other.totals:
                # Checked against the computed balance sheet in validate, once every
                # ledger has a head.
                cross_checks.append(
                    {
                        "year": year,
                        "file": names[other_id],
                        "total_assets": str(other.totals[year][0]),
                    }
                )
    for file_id, extraction in results.items():
        # The extractor cites places within the file; say which file too.
        warnings += [f"{names[file_id]}: {warning}" for warning in extraction.warnings]
    return chosen, warnings, cross_checks
