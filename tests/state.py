"""Whole-database snapshots, for tests that show a refused request changed nothing."""

from inspect_service.models_registry import metadata


def db_state(session) -> dict[str, list[str]]:
    """Every row of every table; two equal snapshots mean nothing was written in between."""
    connection = session.connection()
    # Plain SQL: a snapshot is taken twice per write test, and compiling selects costs more than running them.
    return {
        table.name: sorted(map(repr, connection.exec_driver_sql(f'SELECT * FROM "{table.name}"')))
        for table in metadata.sorted_tables
    }
