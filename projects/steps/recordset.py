"""Writing many line items at a time: the statements, their cursor, their values.

PostgreSQL: psycopg parses a statement's placeholders in Python and caches only short
statements: a VALUES list of 17,000 placeholders cost about a second per 20,000 rows, and
arrays (one per column) are quoted in Python value by value. ``jsonb_to_recordset`` takes
the rows as a single parameter, encoded by the json module's C encoder, and PostgreSQL
gives them back typed by the columns they are written to.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, JSONField

# Columns both drivers take as Python gives them; any other goes through its field's
# preparation (JSON, dates...).
PLAIN_FIELD_TYPES = {
    "CharField", "TextField", "IntegerField", "PositiveIntegerField", "BigIntegerField",
    "ForeignKey", "BooleanField", "FloatField", "DecimalField",
}  # fmt: skip


def recordset(columns: Sequence[tuple[str, Field]]) -> str:
    """``jsonb_to_recordset(%s::jsonb) AS v(...)`` whose columns have these names and the
    types of these fields."""
    quote = connection.ops.quote_name
    typed = ", ".join(f"{quote(name)} {field.db_type(connection)}" for name, field in columns)
    return f"jsonb_to_recordset(%s::jsonb) AS v({typed})"


def recordset_rows(names: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The parameter of `recordset`: each row's values under the columns' names. Decimals
    travel as their exact text."""
    return json.dumps(
        [dict(zip(names, row, strict=True)) for row in rows], default=str, ensure_ascii=False
    )


def preparer(field: Field) -> Callable[[object], object] | None:
    """How a value of ``field`` is given to a VALUES list: None when as it is; JSON
    encoded once by the json module as Django would (SQLite stores the text), without
    the field's per-value dispatch (a fifth of writing 20,000 suggestions)."""
    if field.get_internal_type() in PLAIN_FIELD_TYPES:
        return None
    if isinstance(field, JSONField) and field.encoder is None and connection.vendor != "postgresql":
        return lambda value: None if value is None else json.dumps(value)

    def prepare(value: object) -> object:
        return field.get_db_prep_save(value, connection)

    return prepare


@contextmanager
def bulk_cursor() -> Iterator[CursorWrapper]:
    """A cursor for statements of thousands of values, kept out of DEBUG's query log.

    With DEBUG on (the embedded default) Django logs every statement with its values
    quoted in, which on SQLite means a ``SELECT QUOTE(?), ...`` per 999 of them: 0.4 s
    of inserting 20,000 line items, and the log would hold a copy of every batch. A test
    that captures queries (``force_debug_cursor``) still sees these statements.
    """
    if connection.force_debug_cursor or not connection.queries_logged:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.validate_thread_sharing()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.create_cursor()
    with connection.make_cursor(raw) as cursor:
        yield cursor
