"""Small query expressions shared by the apps."""

import json
from collections.abc import Iterable

from django.db.models import BooleanField, Expression, F


class InIds(Expression):
    """`field IN (ids)` with the ids as ONE parameter, for filtering by an id set read earlier.

    PostgreSQL gets `field = ANY(%s::bigint[])` and SQLite `field IN (SELECT value FROM
    json_each(%s))`, so that a team-sized list of thousands of ids neither meets SQLite's limit on
    query parameters nor makes a statement thousands of placeholders long. Use it in filter():
    `Task.objects.filter(InIds("plan__case_id", case_ids))`.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str | F, ids: Iterable[int]):
        super().__init__()
        self.lhs = F(field) if isinstance(field, str) else field
        self.ids = [int(i) for i in ids]

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        # The array as its text form, built by join(): psycopg's list adapter checks every element
        # with a regular expression (1-2 ms for a supervisor's few thousand case ids). The ids
        # are ints (__init__), so the literal cannot carry anything else.
        return f"{lhs} = ANY(%s::bigint[])", [*params, "{" + ",".join(map(str, self.ids)) + "}"]

    def as_sqlite(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        # The SQL holds only the compiled column; the ids travel as one JSON parameter.
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]  # noqa: S608
