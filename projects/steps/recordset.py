"""Many line items in one short statement on PostgreSQL: the rows as one JSON document.

psycopg parses a statement's placeholders in Python and caches only short statements: a
VALUES list of 17,000 placeholders cost about a second per 20,000 rows, and arrays (one
per column) are quoted in Python value by value. ``jsonb_to_recordset`` takes the rows
as a single parameter, encoded by the json module's C encoder, and PostgreSQL gives them
back typed by the columns they are written to.
"""

import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Field


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
