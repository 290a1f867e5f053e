"""Step 1: read every file of the project into line items.

A file that cannot be read fails alone (partial); so does a file whose printed totals do
not add up, or that contradicts the project's other files (another company, a year far
from the others), until the user accepts it. When several files cover the same year, the
year's figures come from one source (trial balances first) and the others only
cross-check its totals, so nothing is counted twice; a balance sheet and a statement of
profit and loss of one year in two files make one set of statements. A file of closing
stock alone (a trial balance leaves stock out) adds its stock to the trial balance of the
same year, unless that trial balance lists its closing stock already.

Every file keeps what its extraction said: its warnings, the company it names, and every
row that did not become a line item with the reason (shown on its page).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from itertools import islice

from django.db import connection

from pipeline.context import PermanentError, StepContext
from projects.cma.consistency import FileFacts, file_conflicts
from projects.cma.extract import extract_file
from projects.cma.extract.numbers import format_inr
from projects.cma.records import ExtractedItem, Extraction, ExtractionError
from projects.models import FileStatus, LineItem, Project, ProjectFile, ReviewItem
from projects.steps.recordset import bulk_cursor, preparer, recordset, recordset_rows

# Which basis wins when two files cover the same year.
BASIS_RANK = {"trial_balance": 0, "statements": 1}
# A file's page lists its skipped rows; past this many the rest are counted, not kept.
SKIPPED_ROWS_KEPT = 5000
STATEMENT_KINDS = ("Balance Sheet", "Statement of Profit and Loss")
# Rows per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement.
INSERT_BATCH = 1000


def extract(ctx: StepContext) -> None:
    project = Project.objects.get(pk=ctx.subject_id)
    files = list(ProjectFile.objects.filter(project=project).order_by("created_at", "id"))
    results: dict[int, Extraction] = {}
    errors: dict[int, tuple[str, bool]] = {}  # file id -> (message, acceptable)
    for index, project_file in enumerate(files):
        ctx.doc_phase(project_file.pk, "extracting", name=project_file.name)

        def progress(done: int, total: int, index: int = index) -> None:
            # Each file gets an equal share of the step's bar.
            ctx.progress(index * 1000 + int(1000 * done / max(total, 1)), len(files) * 1000)

        try:
            results[project_file.pk] = extract_file(
                path=project_file.file.path,
                kind=project_file.kind,
                name=project_file.name,
                fiscal_year=project_file.fiscal_year or None,
                accept_mismatches=project_file.accepted,
                progress=progress,
            )
        except ExtractionError as exc:
            errors[project_file.pk] = (str(exc), exc.acceptable)
            ctx.doc_phase(project_file.pk, "failed", str(exc), name=project_file.name)
        else:
            ctx.doc_phase(project_file.pk, "extracted", name=project_file.name)

    names = {f.pk: f.name for f in files}
    file_warnings: dict[int, list[str]] = defaultdict(list)
    conflicts = file_conflicts(
        [
            FileFacts(pk, f.name, results[pk].company, tuple(results[pk].years))
            for f in files
            if (pk := f.pk) in results
        ],
        client_name=project.client_name,
    )
    accepted = {f.pk for f in files if f.accepted}
    for conflict in conflicts:
        if conflict.key in accepted:
            file_warnings[conflict.key].append(f"Accepted as it is: {conflict.message}")
            continue
        errors[conflict.key] = (conflict.message, True)
        ctx.doc_phase(conflict.key, "failed", conflict.message, name=names[conflict.key])
    # A file set aside keeps what its extraction said (its company, its rows) for its page.
    usable = {pk: extraction for pk, extraction in results.items() if pk not in errors}
    if all(_stock_only(extraction) for extraction in usable.values()):
        reasons = [errors[f.pk][0] for f in files if f.pk in errors]
        if usable:
            # Stock alone makes no statements: it goes with a trial balance of its year.
            stock_files = ", ".join(names[pk] for pk in usable)
            reasons.append(
                f"{stock_files} holds closing stock only; upload the trial balance of the "
                "same years, which the stock goes with"
            )
        _files_record(files, errors, results, file_warnings, {})
        raise PermanentError(
            f"No file could be used. {'; '.join(reasons)}", metadata={"file_errors": reasons}
        )
    chosen, warnings_by_file, set_aside = choose_sources(names, usable)
    for file_id, messages in warnings_by_file.items():
        file_warnings[file_id] += messages
    chosen = apply_ledger_groups(chosen, usable)
    # Rows as plain values, made a batch at a time while they are inserted: no model object
    # per ledger (100,000 of them would take more memory than the extraction).
    rows = (
        {
            "project_id": ctx.subject_id,
            "file_id": file_id,
            "year": item.year,
            "label": item.label[:300],
            "amount": item.amount,
            "side": item.side,
            "source": f"{names[file_id]}: {item.source}"[:200],
            "section": item.section[:200],
            "closing_stock": item.closing_stock,
            "basis": item.basis,
            "ocr_confidence": item.ocr_confidence,
            "position": position,
        }
        for position, (file_id, item) in enumerate(chosen)
    )
    with ctx.commit():
        line_items_delete(project_id=ctx.subject_id)
        insert_line_items(rows)
        _files_record(files, errors, results, file_warnings, set_aside)
        ctx.metadata.update(
            {
                "line_items": len(chosen),
                "years": sorted({item.year for _, item in chosen}),
                "files": len(files),
                "failed_files": len(errors),
                "file_errors": [errors[f.pk][0] for f in files if f.pk in errors],
                "warnings": [
                    message for f in files for message in _named(f.name, file_warnings[f.pk])
                ],
            }
        )


def line_items_delete(*, project_id: int) -> None:
    """Deletes the project's line items and the review items that point to them, one
    statement each: the ORM's delete would load every line item first to cascade
    (1-2 s for a 20,000-ledger book read again). Nothing else points to either; were
    something to, the database's foreign keys would refuse the commit."""
    ReviewItem.objects.filter(line_item__project_id=project_id).delete()
    quote = connection.ops.quote_name
    table, column = LineItem._meta.db_table, LineItem._meta.get_field("project").column
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} = %s", [project_id])


def insert_line_items(rows: Iterable[dict[str, object]]) -> None:
    """Inserts line items given as {field attname: value} (any other field takes its
    default) with a multi-row INSERT per batch of plain values.

    ``bulk_create`` prepares every field of every row through the ORM (a third of the
    extract step for 20,000 ledgers); these columns are plain strings, numbers and flags
    that both drivers take as they are; JSON (or any other type) is prepared per value,
    defaults once.
    """
    meta = LineItem._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = iter(rows)
    if connection.vendor == "postgresql":
        # One JSON parameter per batch, not 17,000 placeholders (see recordset.py).
        insert += f"SELECT {columns} FROM {recordset([(f.column, f) for f in fields])}"
        names = [f.column for f in fields]
        raw_defaults = [(f.attname, f.get_default()) for f in fields]
        with bulk_cursor() as cursor:
            while batch := list(islice(rows, INSERT_BATCH)):
                values_of = (
                    [values.get(name, default) for name, default in raw_defaults]
                    for values in batch
                )
                cursor.execute(insert, [recordset_rows(names, values_of)])
        return
    # Each column: its name, how its values are prepared, its default (prepared once).
    plan = [
        (f.attname, preparer(f), f.get_db_prep_save(f.get_default(), connection)) for f in fields
    ]
    with bulk_cursor() as cursor:
        while batch := list(islice(rows, INSERT_BATCH)):
            params: list[object] = []
            for values in batch:
                for name, prepare, default in plan:
                    if name not in values:
                        params.append(default)
                    elif prepare is None:
                        params.append(values[name])
                    else:
                        params.append(prepare(values[name]))
            cursor.execute(f"{insert}VALUES {', '.join([row] * len(batch))}", params)


def _named(name: str, messages: list[str]) -> list[str]:
    """Messages as listed for the whole project: each says which file it is about."""
    return [m if name in m else f"{name}: {m}" for m in messages]


def _files_record(
    files: list[ProjectFile],
    errors: dict[int, tuple[str, bool]],
    results: dict[int, Extraction],
    warnings: defaultdict[int, list[str]],
    set_aside: dict[int, dict[str, str]],
) -> None:
    for project_file in files:
        extraction = results.get(project_file.pk)
        error, acceptable = errors.get(project_file.pk, ("", False))
        skipped = [
            {"source": row.source, "text": row.text, "reason": row.reason, "kind": row.kind}
            for row in (extraction.skipped if extraction else [])
        ]
        if len(skipped) > SKIPPED_ROWS_KEPT:
            more = f"and {len(skipped) - SKIPPED_ROWS_KEPT:,} more rows not listed"
            skipped = [
                *skipped[:SKIPPED_ROWS_KEPT],
                {"source": "", "text": "", "reason": more, "kind": "ignored"},
            ]
        ProjectFile.objects.filter(pk=project_file.pk).update(
            status=FileStatus.FAILED if error else FileStatus.EXTRACTED,
            error=error,
            error_acceptable=acceptable,
            warnings=[*(extraction.warnings if extraction else []), *warnings[project_file.pk]],
            company=(extraction.company if extraction else "")[:200],
            skipped_rows=skipped,
            set_aside_totals=set_aside.get(project_file.pk, {}),
        )


def choose_sources(
    names: dict[int, str], results: dict[int, Extraction]
) -> tuple[list[tuple[int, ExtractedItem]], dict[int, list[str]], list[dict[str, str]]]:
    """Per year, the items of the best source; other sources only cross-check it.

    A year's statements may come in two files (the balance sheet in one, the statement
    of profit and loss in the other): a statements file then adds the statement the
    chosen one lacks. A file of closing stock alone competes for no year: its stock joins
    the year's trial balance (`_stock_added`). Returns the items with their file, each
    file's warnings about what was not added, and, by file, the total assets of each
    statement year set aside (to check against the balance sheet computed from the file
    that gave the year).
    """
    order = list(results)
    by_year: dict[str, list[int]] = defaultdict(list)
    stock_by_year: dict[str, list[int]] = defaultdict(list)
    for file_id, extraction in results.items():
        for year in extraction.years:
            (stock_by_year if _stock_only(extraction) else by_year)[year].append(file_id)
    chosen: list[tuple[int, ExtractedItem]] = []
    warnings: dict[int, list[str]] = defaultdict(list)
    set_aside: dict[int, dict[str, str]] = defaultdict(dict)
    for year in sorted(by_year):
        sources = sorted(
            by_year[year], key=lambda f: (BASIS_RANK[results[f].basis], order.index(f))
        )
        winner = sources[0]
        chosen += [(winner, i) for i in results[winner].items if i.year == year]
        covered = _statements_in(results[winner], year)
        for other in sources[1:]:
            extraction = results[other]
            adds = _statements_in(extraction, year) - covered
            if results[winner].basis == "statements" and extraction.basis == "statements" and adds:
                chosen += [
                    (other, i)
                    for i in extraction.items
                    if i.year == year and _statement_of(i) in adds
                ]
                covered |= adds
                continue
            warnings[other].append(
                f"{names[other]} also covers {year}; its figures were not added "
                f"(the year comes from {names[winner]})."
            )
            if extraction.basis == "statements" and year in extraction.totals:
                # Checked against the computed balance sheet by the report, once every
                # ledger has a head.
                set_aside[other][year] = str(extraction.totals[year][0])
        chosen += _stock_added(names, results, winner, year, stock_by_year.pop(year, []), warnings)
    for year, stock_files in sorted(stock_by_year.items()):
        for file_id in stock_files:
            warnings[file_id].append(
                f"{names[file_id]} gives the closing stock of {year}, but no trial balance of "
                f"{year} was read; its figures for {year} were not added."
            )
    return chosen, warnings, set_aside


def _stock_only(extraction: Extraction) -> bool:
    """A file of closing stock alone: the stock a trial balance leaves out, given apart."""
    return bool(extraction.items) and all(item.closing_stock for item in extraction.items)


def _stock_added(
    names: dict[int, str],
    results: dict[int, Extraction],
    winner: int,
    year: str,
    stock_files: list[int],
    warnings: dict[int, list[str]],
) -> list[tuple[int, ExtractedItem]]:
    """The closing stock of a year from files of stock alone, for the year's trial balance:
    the first such file's, unless the trial balance lists closing stock itself (counted
    once: the trial balance's is kept)."""
    added: list[tuple[int, ExtractedItem]] = []
    source = results[winner]
    own = [i for i in source.items if i.year == year and i.closing_stock]
    given_by = names[winner] if own else ""
    for file_id in stock_files:
        items = [i for i in results[file_id].items if i.year == year]
        amount = format_inr(abs(sum(_signed(i) for i in items)))
        if source.basis != "trial_balance":
            reason = (
                f"the year comes from the statements in {names[winner]}, whose inventories "
                "include it"
            )
        elif given_by:
            reason = f"{given_by} already gives the closing stock of {year}"
            if own:
                reason += f" (\u20b9{format_inr(abs(sum(_signed(i) for i in own)))})"
        else:
            added += [(file_id, item) for item in items]
            given_by = names[file_id]
            continue
        warnings[file_id].append(
            f"{names[file_id]} gives the closing stock of {year} (\u20b9{amount}), but {reason}; "
            "its figures were not added, so the stock is not counted twice."
        )
    return added


def _signed(item: ExtractedItem) -> Decimal:
    return item.amount if item.side == "Dr" else -item.amount


def _statement_of(item: ExtractedItem) -> str:
    return next((kind for kind in STATEMENT_KINDS if item.section.startswith(kind)), "")


def _statements_in(extraction: Extraction, year: str) -> set[str]:
    if extraction.basis != "statements":
        return set(STATEMENT_KINDS)  # a trial balance gives both
    return {_statement_of(i) for i in extraction.items if i.year == year} - {""}


def apply_ledger_groups(
    chosen: list[tuple[int, ExtractedItem]], results: dict[int, Extraction]
) -> list[tuple[int, ExtractedItem]]:
    """A ledger without a section takes its group chain from a file that lists groups
    (Tally's masters), matched by its name as Tally keeps it: case and spacing aside."""
    groups = {
        _ledger_key(ledger): chain
        for extraction in results.values()
        for ledger, chain in extraction.ledger_groups.items()
    }
    if not groups:
        return chosen
    return [
        (
            file_id,
            replace(item, section=groups[key])
            if not item.section and (key := _ledger_key(item.label)) in groups
            else item,
        )
        for file_id, item in chosen
    ]


def _ledger_key(name: str) -> str:
    return " ".join(name.lower().split())
