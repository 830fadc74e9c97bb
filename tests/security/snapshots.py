"""Byte-for-byte snapshots of the database (every row of every table) and of the media folder."""

import hashlib

from django.db import connection


def database_rows():
    """Every row of every table, as text, in a stable order."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = sorted(repr(row) for row in cursor.fetchall())
    return snapshot


def media_files(root):
    """Relative path → SHA-256 of every file under `root`."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
