"""A hot select compiled once and run again with new values.

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
"""

import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators


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
