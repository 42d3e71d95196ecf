"""Jobs that must not run twice at once, across processes and machines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from .extensions import db


@contextmanager
def only_one(job: str) -> Iterator[bool]:
    """Yields True if this process may run `job` now, False if another is running it.

    On PostgreSQL a transaction advisory lock, on a connection of its own whose transaction
    stays open until the block ends: it is let go however that ends, the process dying
    included, and a transaction keeps its server connection behind PgBouncer's transaction
    pooling, where a session lock could be left on a connection someone else then gets.
    SQLite is the one-process development database, so there it always yields True."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection, connection.begin():
        yield bool(
            connection.scalar(
                text("SELECT pg_try_advisory_xact_lock(hashtext(:job))"), {"job": job}
            )
        )


def wait_for_turn(job: str) -> None:
    """Until the session's transaction ends, anyone else asking for the same job waits here,
    then sees what this transaction committed (PostgreSQL; SQLite has one process)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:job))"), {"job": job})
