"""Step 2: give every line item a head, a confidence, the method and the alternatives."""

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection
from django.db.models import Sum

from pipeline.context import StepContext
from projects.cma.classify import classify_all
from projects.cma.classify.amounts import book_totals
from projects.cma.classify.book import BookReading
from projects.cma.collector import collector_paused
from projects.cma.records import ExtractedItem, Suggestion
from projects.models import LineItem, Project
from projects.selectors import learned_labels
from projects.steps.recordset import bulk_cursor, preparer, recordset, recordset_rows

FIELDS = ["head", "confidence", "method", "alternatives", "evidence", "review_status"]
# In ExtractedItem's order after the id: a row past its id builds one.
READ_FIELDS = [
    "id", "year", "label", "amount", "side", "source", "section", "closing_stock", "basis"
]  # fmt: skip
# Rows per UPDATE: 7 parameters a row stays well under SQLite's 32,766 and PostgreSQL's
# 65,535 parameters per statement.
UPDATE_BATCH = 1000
# Items read and classified at a time.
CLASSIFY_CHUNK = 2000


def classify(ctx: StepContext) -> None:
    # A 20,000-ledger book's suggestions and their rows are hundreds of thousands of
    # objects, none in a cycle: the collector walking them again and again cost a quarter
    # of the step (the run saves less: one collection is left for after).
    with collector_paused():
        _classify(ctx)


def _classify(ctx: StepContext) -> None:
    firm_id = Project.objects.values_list("firm_id", flat=True).get(pk=ctx.subject_id)
    learned = learned_labels(firm_id=firm_id)
    items = LineItem.objects.filter(project_id=ctx.subject_id)
    total = items.count()
    # The book's size per year, for the amount as evidence (a chunk is not the book).
    ledgers = items.filter(basis="trial_balance", closing_stock=False)
    totals = book_totals(ledgers.order_by().values_list("year", "side").annotate(Sum("amount")))
    # Read a chunk at a time as plain values (only what the classifier reads: the JSON
    # columns it replaces cost more to decode than the rest of the row); what is kept of
    # each item until the write is its id and its suggestion. Each chunk is its own query,
    # read whole: on SQLite a statement left open across the progress writes holds an old
    # snapshot, and the first write after the heartbeat's fails with "database is locked".
    results: list[tuple[int, Suggestion]] = []
    # What the whole book sells and buys decides its stock lines of no stated kind.
    reading = BookReading()
    last_id = 0
    while chunk := list(
        items.filter(id__gt=last_id).order_by("id").values_list(*READ_FIELDS)[:CLASSIFY_CHUNK]
    ):
        last_id = chunk[-1][0]
        done = len(results)

        def progress(count: int, _total: int, done: int = done) -> None:
            ctx.progress(done + count, total)

        extracted = [ExtractedItem(*row[1:]) for row in chunk]
        suggestions = classify_all(
            extracted, learned=learned, progress=progress, book_totals=totals
        )
        for offset, (item, suggestion) in enumerate(zip(extracted, suggestions, strict=True)):
            reading.add(done + offset, item, suggestion)
        results += zip((row[0] for row in chunk), suggestions, strict=True)
    for index, suggestion in reading.revised().items():
        results[index] = (results[index][0], suggestion)
    threshold = ctx.options.get("auto_approve_above", 0.70)
    with ctx.commit():
        update_rows(
            (
                (
                    pk,
                    suggestion.head or "",
                    round(suggestion.confidence, 4),
                    suggestion.method,
                    [
                        {"head": head, "confidence": round(confidence, 4)}
                        for head, confidence in suggestion.alternatives
                    ],
                    list(suggestion.evidence),
                    "",
                )
                for pk, suggestion in results
            ),
            FIELDS,
        )
        methods = Counter(suggestion.method for _, suggestion in results)
        classified = sum(1 for _, suggestion in results if suggestion.head)
        ctx.metadata.update(
            {
                "classified": classified,
                "unclassified": len(results) - classified,
                "below_threshold": sum(1 for _, s in results if round(s.confidence, 4) < threshold),
                "methods": dict(methods),
            }
        )


def update_line_items(items: Sequence[LineItem], fields: Sequence[str]) -> None:
    """Writes `fields` of every item (see `update_rows`)."""
    update_rows(
        (
            (item.pk, *(getattr(item, LineItem._meta.get_field(f).attname) for f in fields))
            for item in items
        ),
        fields,
    )


def update_rows(rows: Iterable[Sequence[object]], fields: Sequence[str]) -> None:
    """Writes `fields` of the line items given as (id, value of each field) rows, with one
    set-based UPDATE per batch; each value as Python holds it (its field prepares it).

    ``QuerySet.bulk_update`` builds a CASE WHEN per row and field, which costs seconds for a
    20,000-ledger book (43 of a run's 62 profiled seconds); joining the table to a VALUES
    list updates the same rows in a fraction of that. The rows keep their ids, which review
    items point to: ``WITH v AS (VALUES ...) UPDATE ... FROM v`` on SQLite (3.33 and later),
    ``UPDATE ... FROM jsonb_to_recordset(<the rows>) AS v`` on PostgreSQL.
    """
    meta = LineItem._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk = quote(meta.pk.column)
    names = [f"v_{field.column}" for field in model_fields]
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(name)}"
        for field, name in zip(model_fields, names, strict=True)
    )
    postgres = connection.vendor == "postgresql"
    # On PostgreSQL one JSON parameter per batch, not a VALUES list (see recordset.py).
    typed = [("v_id", meta.pk), *zip(names, model_fields, strict=True)]
    source = recordset(typed) if postgres else "v"
    update = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{pk} = v.v_id"
    columns = [quote(name) for name in ("v_id", *names)]
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    rows = iter(rows)
    with bulk_cursor() as cursor:
        if postgres:
            while batch := list(islice(rows, UPDATE_BATCH)):
                cursor.execute(update, [recordset_rows(["v_id", *names], batch)])
            return
        # The columns whose values need preparing (JSON), by their place in a row.
        prepares = [
            (index, prepare)
            for index, field in enumerate(model_fields, start=1)
            if (prepare := preparer(field)) is not None
        ]
        head = f"WITH v({', '.join(columns)}) AS (VALUES "
        while batch := list(islice(rows, UPDATE_BATCH)):
            params: list[object] = []
            for values in batch:
                values = list(values)
                for index, prepare in prepares:
                    values[index] = prepare(values[index])
                params += values
            cursor.execute(f"{head}{', '.join([row] * len(batch))}) {update}", params)
