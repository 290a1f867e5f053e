"""Hand-written UPDATE and INSERT statements for the engine's per-step writes.

Between two steps the engine runs the same few statements, and the ORM spends more
time building each of them than the database spends running it (on the bench: about
0.4 ms of Python per `QuerySet.update` or `bulk_create` against a 0.2 ms round trip
to PostgreSQL). These build the SQL directly. Values still go through their fields
(`pre_save`, `get_db_prep_save`), so they are stored exactly as the ORM stores them.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def column(model: type[Model], name: str, connection: BaseDatabaseWrapper) -> str:
    """A field's column, quoted for the connection's database."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def assignments(
    model: type[Model], values: Mapping[str, Any], connection: BaseDatabaseWrapper
) -> tuple[list[str], list[Any]]:
    """`column = %s` for each field name in `values`, and the parameters."""
    sets, params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        sets.append(f"{column(model, name, connection)} = %s")
        params.append(field.get_db_prep_save(value, connection=connection))
    return sets, params


def rows_update(
    model: type[Model],
    *,
    where: Mapping[str, Any],
    values: Mapping[str, Any],
    increment: Sequence[str] = (),
) -> int:
    """`UPDATE … SET values, field + 1 for each of increment WHERE field = value AND …`.

    Returns how many rows changed.
    """
    connection = connections[router.db_for_write(model)]
    sets, params = assignments(model, values, connection)
    for name in increment:
        counter = column(model, name, connection)
        sets.append(f"{counter} = {counter} + 1")
    conditions = []
    for name, value in where.items():
        field = model._meta.get_field(name)
        conditions.append(f"{column(model, name, connection)} = %s")
        params.append(field.get_db_prep_value(value, connection=connection))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {' AND '.join(conditions)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _insert(rows: Sequence[Model], connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """The INSERT of new rows of one model, and its parameters."""
    model = type(rows[0])
    if model._meta.parents:
        raise ValueError(f"{model.__name__} inherits from another model; save it instead.")
    quote = connection.ops.quote_name
    fields = [
        field
        for field in model._meta.concrete_fields
        if field is not model._meta.auto_field and not field.generated
    ]
    params = [
        field.get_db_prep_save(field.pre_save(row, add=True), connection=connection)
        for row in rows
        for field in fields
    ]
    columns = ", ".join(quote(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([row] * len(rows))}"
    )
    return sql, params


def rows_insert(rows: Sequence[Model]) -> None:
    """INSERTs new rows of one model in one statement; their ids are not read back.

    Fields fill in as on `save()` (e.g. `auto_now_add` is set on the instances too).
    """
    if not rows:
        return
    connection = connections[router.db_for_write(type(rows[0]))]
    sql, params = _insert(rows, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def row_create(row: Model) -> None:
    """INSERTs one new row and gives the instance its id, as `save()` would.

    For the row a request makes and then points others at (a run, on each press of
    Process): `Model.objects.create` spent longer building its INSERT than the database
    took to run it.
    """
    model = type(row)
    connection = connections[router.db_for_write(model)]
    sql, params = _insert([row], connection)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {pk_column}", params)
            row.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, params)
            row.pk = connection.ops.last_insert_id(cursor, model._meta.db_table, pk_column)
    row._state.adding = False
    row._state.db = connection.alias
