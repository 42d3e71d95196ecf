"""Jobs that must not run twice at once, across processes and machines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from .extensions import db


@contextmanager
def only_one(job: str) -> Iterator[bool]:
    """Yields True if this process may run `job` now, False if another is running it.

    On PostgreSQL a session advisory lock on a connection of its own, held until the block
    ends (or the process dies: the server drops a lost session's locks). SQLite is the
    one-process development database, so there it always yields True."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        key = {"job": job}
        got = bool(connection.scalar(text("SELECT pg_try_advisory_lock(hashtext(:job))"), key))
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(hashtext(:job))"), key)


def wait_for_turn(job: str) -> None:
    """Until the session's transaction ends, anyone else asking for the same job waits here,
    then sees what this transaction committed (PostgreSQL; SQLite has one process)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:job))"), {"job": job})
