"""Hot statements compiled once and run again with new values: a select, inserts, updates.

Django compiles every query it runs: for a select that joins three wide tables this costs
several times what the database spends on it (0.8 ms of Python against 0.1 ms of SQLite
for the lock of a hand-over, paid on every officer's decision). A :class:`PreparedSelect`
compiles its query once per thread and query shape, then runs the same SQL with the
values of each call and builds the model instances, with their ``select_related`` rows,
the way a queryset does.

Which parameter goes where in the compiled SQL is checked, not assumed: the shape is first
compiled with distinct probe values, and its parameters must come out exactly as the
caller's ``params`` function lists them. If they do not (a future Django orders them
otherwise), the select falls back to compiling the queryset on every call, and stays
correct.

:func:`insert` and :func:`update` do the same for the rows every hand-over writes (the
tasks, the dossier's standing, the audit record, the control-slip row, the outbox event):
Django builds and compiles the statement on every save, about 55 µs of a 100 µs write on
SQLite, a fifth of a hand-over in all. Inside :func:`together`, PostgreSQL receives them
without a wait for each answer.
"""

import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery


class PreparedSelect:
    """A select whose only variation between calls is its parameters, within a shape.

    * ``build(args)`` returns the queryset for ``args``;
    * ``params(args)`` lists the values it binds, in the order of the compiled SQL;
    * ``shape(args)`` names the queries ``build`` makes that compile to one SQL text (for
      example, how many alternatives an ``OR`` has);
    * ``probe(shape)`` returns arguments of that shape whose bound values are all distinct.

    A value Django writes into the SQL text instead of binding it (None becomes ``IS NULL``,
    a boolean ``NOT col``, an empty list no condition at all) must be part of the shape, or
    kept out of the arguments: the probe cannot see it.
    """

    def __init__(self, build, params, shape, probe):
        self.build = build
        self.params = params
        self.shape = shape
        self.probe = probe
        self._local = threading.local()

    def __call__(self, args, using=DEFAULT_DB_ALIAS):
        connection = connections[using]
        compiled = self._compiled(self.shape(args), connection, using)
        if compiled is None:
            return list(self.build(args).using(using))
        return compiled.run(self.params(args))

    def _compiled(self, shape, connection, using):
        # Per thread: a compiled statement keeps its connection, which is the thread's own.
        cache = getattr(self._local, "statements", None)
        if cache is None:
            cache = self._local.statements = {}
        key = (using, shape)
        entry = cache.get(key)
        if entry is None or entry[0] is not connection:
            probe = self.probe(shape)
            statement = _Statement(self.build(probe), using)
            entry = cache[key] = (connection, statement if statement.params == list(self.params(probe)) else None)
        return entry[1]


class _Statement:
    """One compiled select and how to turn its rows into model instances."""

    def __init__(self, queryset, using):
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self.compiler = compiler
        self.using = using
        select, klass_info = compiler.select, compiler.klass_info
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.related = get_related_populators(klass_info, select, using)

    def run(self, params):
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, instance)
            instances.append(instance)
        return instances


def insert(obj, using=DEFAULT_DB_ALIAS):
    """Write ``obj`` as a new row, as ``obj.save(force_insert=True)`` would for a model
    whose ``save`` adds nothing (the caller runs what it adds) and that no signal watches,
    and return it. The INSERT is compiled once per thread and model."""
    return _statement(_Insert, obj, (), using, None).run(obj)


def update(obj, fields, using=DEFAULT_DB_ALIAS):
    """Write ``fields`` of ``obj`` to its row, as ``obj.save(update_fields=fields)`` would
    under the same conditions as :func:`insert`. The UPDATE is compiled once per thread,
    model, list of fields and pattern of empty values (Django writes ``= NULL`` into the
    text for an empty value instead of binding it)."""
    fields = [obj._meta.get_field(name) for name in fields]
    raw = [field.pre_save(obj, False) for field in fields]
    shape = tuple((field.name, value is None) for field, value in zip(fields, raw, strict=True))
    return _statement(_Update, obj, shape, using, raw).run(obj, raw)


@contextmanager
def together(using=DEFAULT_DB_ALIAS):
    """Writes sent without waiting for each answer.

    On PostgreSQL the block is a pipeline (psycopg): the statements leave one after
    another and the client waits once, at the end of the block, where an error is raised
    as Django raises it; a query read inside is answered after a wait of its own. That
    saves a wait for the server per statement (tens of µs on a loopback, more across a
    network). Elsewhere the statements run one after the other.

    Inside, on PostgreSQL, the key the database makes for a row :func:`insert` wrote is set
    on the object at the end of the block, and :func:`update` does not check that it found
    its row: use the block for rows the transaction holds locked. And no ORM ``save()`` of
    a row that exists: Django chooses between UPDATE and INSERT by the row count, which a
    pipeline knows only at the end (it would try an INSERT and fail on the duplicate key).
    """
    connection = connections[using]
    if _inside() or not _pipelines(connection):
        yield  # nested, or a database without pipelines: one statement after the other
        return
    connection.ensure_connection()
    _together.keys = keys = []
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            yield
        for statement, cursor, obj in keys:
            statement.read_key(cursor, obj)
    finally:
        _together.keys = None
        for _insert, cursor, _obj in keys:
            cursor.close()


def _inside():
    return getattr(_together, "keys", None) is not None


def _pipelines(connection):
    if connection.vendor != "postgresql":
        return False
    from psycopg import Pipeline  # the PostgreSQL driver, only where it is the database's

    return Pipeline.is_supported()


_together = threading.local()
_writes = threading.local()


def _statement(kind, obj, shape, using, raw):
    cache = getattr(_writes, "statements", None)
    if cache is None:
        cache = _writes.statements = {}
    connection = connections[using]
    key = (kind, type(obj), shape, using)
    statement = cache.get(key)
    if statement is None or statement.connection is not connection:
        statement = cache[key] = kind(obj, shape, using, connection, raw)
    return statement


class _Insert:
    """Values go through the compiler's own ``pre_save_val`` and ``prepare_value``, the
    returned key through the backend's own fetch, as in Django's ``execute_sql``."""

    def __init__(self, obj, _shape, using, connection, _raw):
        meta = obj._meta
        self.using, self.connection, self.meta = using, connection, meta
        self.fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
        self.returning = meta.db_returning_fields if meta.auto_field else []
        query = InsertQuery(type(obj))
        query.insert_values(self.fields, [obj])
        self.compiler = compiler = query.get_compiler(using=using)
        compiler.returning_fields = self.returning
        [(self.sql, params)] = compiler.as_sql()
        self.returning_params = getattr(compiler, "returning_params", ())
        # One bound value per field, in field order, is what run() binds.
        self.valid = self.sql.count("%s") == len(params) == len(self.fields)

    def run(self, obj):
        # As save() does: a related object not saved yet is an error, not a NULL.
        obj._prepare_related_fields_for_save(operation_name="save")
        compiler = self.compiler
        values = [compiler.prepare_value(f, compiler.pre_save_val(f, obj)) for f in self.fields]
        own_key = self.meta.auto_field is not None and obj.pk is not None
        if not self.valid or own_key or any(hasattr(value, "as_sql") for value in values):
            # An expression is compiled into the text; a key the caller chose is written.
            obj.save(force_insert=True, using=self.using)
            return obj
        obj._state.db = self.using
        cursor = self.connection.cursor()
        try:
            cursor.execute(self.sql, values)
            keys = getattr(_together, "keys", None)
            if self.returning and keys is not None:
                keys.append((self, cursor, obj))  # read at the end of the block, no wait now
                cursor = None
            else:
                self.read_key(cursor, obj)
        finally:
            if cursor is not None:
                cursor.close()
        return obj

    def read_key(self, cursor, obj):
        ops = self.connection.ops
        if not self.returning:
            row = ()
        elif self.connection.features.can_return_columns_from_insert:
            row = ops.fetch_returned_insert_columns(cursor, self.returning_params)
        else:
            row = (ops.last_insert_id(cursor, self.meta.db_table, self.meta.pk.column),)
        for value, field in zip(row, self.returning, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False  # saved once its key is known, as save() leaves it


class _Update:
    def __init__(self, obj, shape, using, connection, raw):
        meta = obj._meta
        self.using, self.connection = using, connection
        self.names = [name for name, _empty in shape]
        self.fields = [meta.get_field(name) for name in self.names]
        query = UpdateQuery(type(obj))
        query.add_update_fields(list(zip(self.fields, [None] * len(raw), raw, strict=True)))
        query.add_q(Q(pk=obj.pk))
        self.sql, params = query.get_compiler(using=using).as_sql()
        # The values that are not empty in field order, then the key: checked, not assumed.
        bound = sum(value is not None for value in raw)
        key = meta.pk.get_db_prep_value(obj.pk, connection)
        self.valid = self.sql.count("%s") == len(params) == bound + 1 and params[-1] == key

    def run(self, obj, raw):
        connection = self.connection
        if not self.valid or any(hasattr(value, "resolve_expression") for value in raw):
            # An expression goes into the text. Inside a pipeline save() cannot know its row
            # count (it would take the row for missing): the queryset's update does not ask.
            if _inside():
                type(obj)._base_manager.using(self.using).filter(pk=obj.pk).update(
                    **dict(zip(self.names, raw, strict=True))
                )
            else:
                obj.save(update_fields=self.names, using=self.using)
            return obj
        values = [
            field.get_db_prep_save(value, connection=connection)
            for field, value in zip(self.fields, raw, strict=True)
            if value is not None
        ]
        values.append(obj._meta.pk.get_db_prep_value(obj.pk, connection))
        with connection.cursor() as cursor:
            cursor.execute(self.sql, values)
            if cursor.rowcount != 1 and not _inside():
                raise DatabaseError("Save with update_fields did not affect any rows.")
        return obj
