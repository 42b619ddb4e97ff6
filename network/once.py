"""One row inserted once, in one statement: ``INSERT ... ON CONFLICT DO NOTHING RETURNING``
(PostgreSQL, and SQLite since 3.35). A row that a unique constraint already holds is left
alone and ``None`` comes back; on PostgreSQL a conflicting row still in flight in another
transaction makes the insert wait for that transaction's end, then decide. It replaces
the savepoint, ``INSERT`` and ``IntegrityError`` dance (three statements) on the pledges'
hot path (network.books.post, services._match)."""

from __future__ import annotations

from django.db import connections, router


def insert_once(model, **values) -> int | None:
    """Insert ``values`` (field names or attnames) into ``model``'s table; the new row's
    primary key, or ``None`` when a unique constraint already holds such a row."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [model._meta.get_field(name) for name in values]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [
        field.get_db_prep_save(values[name], connection)
        for field, name in zip(fields, values, strict=True)
    ]
    # names from the model's own meta, quoted; every value a parameter
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING {pk}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
