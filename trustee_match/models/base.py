"""Shared column helpers for the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DDL, DateTime, Index, MetaData, event, literal_column
from sqlalchemy.types import TypeDecorator

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite drops tzinfo on the way back; PostgreSQL keeps it. Normalising here means the rest of
    the code compares datetimes without caring which database it runs on.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def trigram_index(name: str, expression: str) -> Index:
    """A PostgreSQL trigram index on `expression`, for the staff's searches: `LIKE '%priya%'`
    over 20,000 profiles reads the index instead of every row. None on SQLite (development)."""
    return Index(
        name,
        literal_column(expression).label("searched"),
        postgresql_using="gin",
        postgresql_ops={"searched": "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


def needs_trigrams(metadata: MetaData) -> None:
    """Trigram indexes need the pg_trgm extension before the tables' indexes are made."""
    event.listen(
        metadata,
        "before_create",
        DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
    )
