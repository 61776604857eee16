"""Counting the SQL statements a block runs (for "no query per row" tests)."""

import contextlib

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextlib.contextmanager
def statements():
    """Count the SQL statements run inside the block: `with statements() as seen: ...; len(seen)`."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)
