"""Appending to the event log: the run's next seqs, the Event rows, and the rows the
in-transaction hooks return for them, all inside the transaction of the change.

`run_advance` is the one UPDATE that both takes seqs and, on a worker's hot path, writes
the run's progress in the same statement; a change of status never goes through it
(`run_transition` checks those). After commit, `pipeline.events` publishes the rows.
"""

import logging
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model

from pipeline import registry
from pipeline.event_types import EventType
from pipeline.events import events_publish
from pipeline.models import Event, Run
from pipeline.sql import assignments, rows_insert

log = logging.getLogger(__name__)


def run_advance(
    run: Run,
    *,
    claim: str | None = None,
    no_cancel: bool = False,
    seqs: int = 1,
    **changes: Any,
) -> int | None:
    """One UPDATE of the run that also takes the next `seqs` event seqs; None if not ours.

    Returns the last seq taken: a change with two events numbers them `last - 1, last`.
    With `claim`, the row changes only while this worker holds the run (and, with
    `no_cancel`, while no cancel was asked). The UPDATE takes the run's row lock, so
    concurrent writers get distinct seqs; RETURNING saves the round trip of reading the
    seq back.
    """
    if "status" in changes:
        raise ValueError("A run's status changes through run_transition, never here.")
    connection = connections[router.db_for_write(Run)]
    quote = connection.ops.quote_name
    sets, params = assignments(Run, changes, connection)
    sets.append(f"{quote('last_seq')} = {quote('last_seq')} + %s")
    params.append(seqs)
    where, where_params = [f"{quote('id')} = %s"], [run.pk]
    if claim is not None:
        where += [f"{quote('claim')} = %s", f"{quote('status')} = %s"]
        where_params += [claim, "running"]
    if no_cancel:
        where.append(f"{quote('cancel_requested_at')} IS NULL")
    sql = f"UPDATE {quote(Run._meta.db_table)} SET {', '.join(sets)} WHERE {' AND '.join(where)}"
    with connection.cursor() as cursor:
        if _returning_supported(connection):
            cursor.execute(f"{sql} RETURNING {quote('last_seq')}", params + where_params)
            row = cursor.fetchone()
        else:
            cursor.execute(sql, params + where_params)
            row = None
            if cursor.rowcount == 1:
                cursor.execute(
                    f"SELECT {quote('last_seq')} FROM {quote(Run._meta.db_table)} WHERE id = %s",
                    [run.pk],
                )
                row = cursor.fetchone()
    if row is None:
        return None
    run.last_seq = row[0]
    return row[0]


def _returning_supported(connection: Any) -> bool:
    # SQLite learned UPDATE ... RETURNING in 3.35; older builds still ship with Python.
    return connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)


def event_append(
    *,
    run: Run,
    type: EventType,
    payload: Mapping[str, Any] | None = None,
    seq: int | None = None,
) -> None:
    """Appends the run's next event; call inside the transaction of the change it describes.

    `seq` is the one a `run_advance` of the same change already took.
    """
    events_append(run=run, events=[(type, payload or {})], last_seq=seq)


def events_append(
    *,
    run: Run,
    events: Sequence[tuple[EventType, Mapping[str, Any]]],
    last_seq: int | None = None,
) -> None:
    """Appends the events of one change, in order and with consecutive seqs, in one INSERT.

    Call inside the transaction of the change. `last_seq` is the last seq that the
    change's `run_advance(seqs=len(events))` took. The rows of the in-transaction hooks
    are written with them; after commit the events are published in order.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events_append must run inside the transaction of its change")
    if last_seq is None:
        last_seq = run_advance(run, seqs=len(events))
        if last_seq is None:
            raise Run.DoesNotExist(f"Run {run.pk} does not exist.")
    first = last_seq - len(events) + 1
    # Stored and published as the plain string; EventType(...) refuses an unknown type.
    rows = [
        Event(run=run, seq=first + i, type=EventType(type).value, payload=dict(payload))
        for i, (type, payload) in enumerate(events)
    ]
    rows_insert(rows)
    _hook_rows_insert(run, rows)
    project_id = run.project_id
    transaction.on_commit(lambda: events_publish(rows, project_id, run))


def _hook_rows_insert(run: Run, events: list[Event]) -> None:
    """Writes the rows the in-transaction hooks return for the events: one INSERT a model.

    A hook only builds its rows, so one that raises has written nothing: it is logged
    and the change goes on. There is no savepoint (it would cost two more round trips
    per change), so the database must not refuse a row: each is validated first, as a
    form would be (`full_clean`, but for the existence of its foreign keys, which the
    database checks at commit, savepoint or not), and an invalid one is logged and left
    out. A row refused all the same would fail the change on PostgreSQL.
    """
    by_model: dict[type[Model], list[Model]] = {}
    for event in events:
        for hook in registry.transaction_hooks():
            try:
                for row in hook(event.type, run, event.payload) or ():
                    _validate(row)
                    by_model.setdefault(type(row), []).append(row)
            except Exception:
                log.exception("Pipeline hook %r failed on %s", hook, event)
    for rows in by_model.values():
        try:
            rows_insert(rows)
        except Exception:
            log.exception("The pipeline hooks' rows for %s were not written", events[-1])


def _validate(row: Model) -> None:
    # A foreign key's validation is a query per key; the database checks them anyway.
    relations = [field.name for field in row._meta.concrete_fields if field.is_relation]
    row.full_clean(exclude=relations, validate_unique=False)
