"""Hand-written UPDATE and INSERT statements for the engine's per-step writes, and reads
compiled once (`CompiledRead`) for the busiest pages.

Between two steps the engine runs the same few statements, and the ORM spends more
time building each of them than the database spends running it (on the bench: about
0.4 ms of Python per `QuerySet.update` or `bulk_create` against a 0.2 ms round trip
to PostgreSQL). These build the SQL directly. Values still go through their fields
(`pre_save`, `get_db_prep_save`), so they are stored exactly as the ORM stores them.
"""

import copy
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


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


# Stand for a read's parameters while the ORM compiles it: no row has such an id, and
# nothing happened at such a time.
_ID_MARKS = (-7_319_024_117, -7_319_024_118)
# For a 32-bit id (e.g. auth's users): the ORM finds nothing to ask for a value out of the
# column's range on PostgreSQL (`EmptyResultSet`), so it would not compile with the above.
_INT32_ID_MARKS = (-1_319_024_117, -1_319_024_118)
_TIME_MARK = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
# And for a text (a token's hash): no key or name is such a string.
_TEXT_MARKS = ("\x00compiled-read-text-0\x00", "\x00compiled-read-text-1\x00")


class CompiledRead:
    """A read the busiest requests make every time (the project page, the report), built
    by the ORM once per database and then sent as its SQL with the request's values.

    Building a query costs the ORM ~0.3 ms of CPU, several times what the database takes
    to answer these (bench/request_cost.py). `build` takes ids (ints), then at most one
    time (`with_time`), and returns the queryset; the values it binds besides those
    (constants) are kept as compiled. `objects` gives model instances through the ORM's
    converters (``raw``), exactly what the queryset gives; `rows`, a plain read's tuples.

    `texts` reads also take that many strings after the ids (before the time), and
    `instances` gives what iterating the queryset gives, its `select_related` objects
    and annotations included: the ORM's own compiled columns, converters and populators,
    only not built again."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        with_time: bool = False,
        texts: int = 0,
    ) -> None:
        self.model, self.build, self.with_time, self.texts = model, build, with_time, texts
        # Per database: the SQL, and for each placeholder the position of the value it
        # binds (None: the constant beside it).
        self.sql: dict[tuple[str, str], tuple[str, list[tuple[int | None, Any]]]] = {}
        # And the compiler that made it: its columns, related objects and converters,
        # which `instances` works out once per connection (a thread's, for as long as it
        # lives: weakly held).
        self.compilers: dict[tuple[str, str], Any] = {}
        self.plans: WeakKeyDictionary = WeakKeyDictionary()

    def _compiled(self, db: str, count: int) -> tuple[str, list[tuple[int | None, Any]]]:
        connection = connections[db]
        key = (db, connection.vendor)
        compiled = self.sql.get(key)
        if compiled is None:
            marks, compiler, sql, params = self._compile(db, count)
            self.compilers[key] = compiler
            bound = [self._adapt(mark, connection) for mark in marks]
            order = [(bound.index(p), None) if p in bound else (None, p) for p in params]
            # Every value is bound, some maybe in several places.
            if {i for i, _ in order if i is not None} != set(range(count)):
                raise ValueError(f"{self.model.__name__}: parameters {params!r}")
            compiled = self.sql[key] = (sql, order)
        return compiled

    def _compile(self, db: str, count: int) -> tuple[list[Any], Any, str, Sequence[Any]]:
        ids = count - self.with_time - self.texts
        for id_marks in (_ID_MARKS, _INT32_ID_MARKS):
            marks: list[Any] = list(id_marks[:ids])
            marks += _TEXT_MARKS[: self.texts]
            if self.with_time:
                marks.append(_TIME_MARK)
            compiler = self.build(*marks).query.get_compiler(using=db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                if not ids or id_marks is _INT32_ID_MARKS:
                    raise
                continue
            return marks, compiler, sql, params
        raise AssertionError("unreachable")

    @staticmethod
    def _adapt(value: Any, connection: Any) -> Any:
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _params(self, db: str, values: tuple) -> tuple[str, list[Any]]:
        sql, order = self._compiled(db, len(values))
        connection = connections[db]
        return sql, [
            constant if index is None else self._adapt(values[index], connection)
            for index, constant in order
        ]

    def objects(self, *values: Any) -> list[Any]:
        db = router.db_for_read(self.model)
        sql, params = self._params(db, values)
        return list(self.model._default_manager.db_manager(db).raw(sql, params))

    def rows(self, *values: Any) -> list[tuple]:
        db = router.db_for_read(self.model)
        sql, params = self._params(db, values)
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self, *values: Any) -> list[Any]:
        """The queryset's model instances, as iterating it gives them (`ModelIterable`):
        each with its `select_related` objects (None for a missing one) and annotations."""
        db = router.db_for_read(self.model)
        sql, params = self._params(db, values)
        connection = connections[db]
        plan = self._plan(db, connection)
        model_cls, start, end, init_list, populators, annotations, converters = plan
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        found = []
        for fetched_row in fetched:
            row = list(fetched_row)  # as `apply_converters` does
            for pos, (functions, expression) in converters:
                value = row[pos]
                for function in functions:
                    value = function(value, expression, connection)
                row[pos] = value
            obj = model_cls.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, col_pos in annotations:
                setattr(obj, attr_name, row[col_pos])
            found.append(obj)
        return found

    def _plan(self, db: str, connection: Any) -> tuple:
        """What `ModelIterable` works out from the compiler on each read, worked out once:
        per database (the columns, related objects' populators, annotations) and per
        connection (its converters: `get_converters` asks the connection's backend)."""
        key = (db, connection.vendor)
        plans = self.plans.get(connection)
        if plans is None:
            plans = self.plans[connection] = {}
        plan = plans.get(key)
        if plan is None:
            compiler = copy.copy(self.compilers[key])
            compiler.connection = connection
            select, klass_info = compiler.select, compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            fields = [s[0] for s in select[0 : compiler.col_count]]
            plan = (
                klass_info["model"],
                start,
                end,
                [f[0].target.attname for f in select[start:end]],
                get_related_populators(klass_info, select, db),
                list((compiler.annotation_col_map or {}).items()),
                list(compiler.get_converters(fields).items()),
            )
            plans[key] = plan
        return plan
