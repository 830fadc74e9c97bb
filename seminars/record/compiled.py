"""Querysets of one value, compiled to SQL once per process and run again with each value.

Django builds and compiles a queryset's SQL every time it is evaluated. For the small queries of
an edition page (a handful of rows each) that is most of their cost: measured 2026-12-08 on the
benchmark dataset, the page's agenda query took 0.75 ms through the ORM and 0.07 ms as SQL alone;
its organizers (ordered by role, a CASE) 1.1 ms; the edition with its neighbours (two
subqueries) 1.6 ms. `Compiled(build)` compiles `build(PLACEHOLDER)` once per database and
language, then `compiled(value)` evaluates the real queryset `build(value)` with that SQL and
`value` in the placeholder's places, on the asking thread's connection: the instances, their
select_related rows and annotations are made by Django's own iterable, as for any queryset, and
the queryset returned is the real one (filtering it again builds SQL of its own).
`compiled.rows(value)` gives the same rows as a list without building `build(value)` at all (it
runs a copy of the placeholder's queryset): for querysets whose building costs more than their
rows (the neighbours' subqueries, for_detail()'s prefetch definitions).

The shape must not depend on the value: `build` may only pass it to filters as a parameter (a
number). `matches(value)` compiles the real queryset and compares: the tests call it for every
query the edition page reads this way (tests/performance/test_compiled_queries.py).
"""

import copy
import threading

from django.db import connections
from django.utils import translation

# Stands for the value while the SQL is compiled: in every integer column's range (Django
# compiles an out-of-range value to no query at all) and unlike the constants of the queries
# served (statuses, roles, ranks 0–2).
PLACEHOLDER = 32_749
# The values the compiled SQL serves: the edition numbers and primary keys (positive, within a
# small integer's range for an edition number). Any other value is a queryset like any other.
VALUES = range(1, 32_768)


class Compiled:
    def __init__(self, build, values=VALUES):
        self.build = build
        self.values = values
        self._templates = {}
        self._lock = threading.Lock()
        self._alias = None

    def _template(self, alias):
        key = (alias, translation.get_language())
        template = self._templates.get(key)
        if template is None:
            queryset = self.build(PLACEHOLDER)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            places = tuple(i for i, value in enumerate(params) if value == PLACEHOLDER)
            if not places:
                raise ValueError("The queryset does not use its value as a parameter.")
            template = (compiler, sql, tuple(params), places, queryset)
            with self._lock:
                self._templates[key] = template
        return template

    def sql(self, value, alias):
        """(SQL, parameters) that `self(value)` runs on database `alias`."""
        _compiler, sql, params, places, _queryset = self._template(alias)
        bound = list(params)
        for place in places:
            bound[place] = value
        return sql, tuple(bound)

    def __call__(self, value):
        """`build(value)`, evaluated with the compiled SQL."""
        queryset = self.build(value)
        if not self._serves(value):
            queryset._fetch_all()  # compiled as Django does (an out-of-range number: no query)
            return queryset
        return self._evaluate(queryset, value)

    def rows(self, value):
        """The instances `build(value)` gives, as a list, without building that queryset (a copy
        of the placeholder's, which nothing else sees, is run instead): for a caller that only
        reads the rows of a queryset costly to build (subqueries, prefetch definitions)."""
        if not self._serves(value):
            return list(self.build(value))
        if self._alias is None:  # the database its model is read from (the router's answer)
            self._alias = self.build(PLACEHOLDER).db
        template_queryset = self._template(self._alias)[4]
        return list(self._evaluate(template_queryset._chain(), value))

    def _serves(self, value):
        return type(value) is int and value in self.values

    def _evaluate(self, queryset, value):
        alias = queryset.db
        template = self._template(alias)[0]
        sql, params = self.sql(value, alias)
        compiler = copy.copy(template)  # its select and row layout, this thread's connection
        compiler.connection = connections[alias]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = queryset.query
        query.get_compiler = lambda *args, **kwargs: compiler
        try:
            queryset._fetch_all()
        finally:
            del query.get_compiler  # the queryset compiles as any other from now on
        return queryset

    def matches(self, value):
        """Whether the real queryset of `value` compiles to what `self(value)` runs."""
        queryset = self.build(value)
        compiled = queryset.query.get_compiler(using=queryset.db).as_sql()
        return (compiled[0], tuple(compiled[1])) == self.sql(value, queryset.db)
