"""The outbox worker loses its PostgreSQL connection mid-batch and goes on: none lost, none twice.

PostgreSQL only (tests/email/conftest.py leaves this file out on SQLite, where there is no server
connection to cut). The database ends the worker's connection with `pg_terminate_backend` at
the worst moments: just before it claims a row, just before it records what SendGrid answered,
and while it waits on SendGrid. The fake SendGrid counts every email it accepts.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

import pytest
from sqlalchemy import create_engine, event, select, text

from trustee_match import create_app
from trustee_match.email.worker import OutboxWorker, backend_for
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage, OutboxStatus

from .conftest import use_sendgrid
from .test_faults import _queue

EMAILS = 80
WORKER_NAME = "tm-outbox-worker-under-test"


class Terminator:
    """Ends the worker's database connections from a separate, unharmed connection."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.kills = 0

    def backend(self, pid: int) -> None:
        with self.engine.connect() as conn:
            # With a timeout it returns once the backend has gone, so the statement fails.
            if conn.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}):
                self.kills += 1

    def every_worker_connection(self) -> None:
        with self.engine.connect() as conn:
            self.kills += len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE application_name = :name AND datname = current_database()"
                    ),
                    {"name": WORKER_NAME},
                ).all()
            )


def _cut_mid_statement(engine, terminator: Terminator) -> Counter:
    """Kill the connection before every 5th claim and every 4th write of a result."""
    seen: Counter = Counter()

    @event.listens_for(engine, "before_cursor_execute")
    def cut(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("UPDATE outbox"):
            kind, every = "update", 4
        elif "FROM outbox" in statement and "FOR UPDATE" in statement:
            kind, every = "claim", 5
        else:
            return
        seen[kind] += 1
        if seen[kind] % every == 0:
            terminator.backend(conn.connection.dbapi_connection.info.backend_pid)

    return seen


@pytest.mark.slow
def test_the_worker_rides_out_killed_connections_and_sends_each_email_once(
    app, config_class, relay, caplog
):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    terminator = Terminator(url)

    class WorkerConfig(config_class):
        SQLALCHEMY_ENGINE_OPTIONS = {
            **config_class.SQLALCHEMY_ENGINE_OPTIONS,
            "connect_args": {"application_name": WORKER_NAME},
        }

    worker_app = create_app(WorkerConfig)
    use_sendgrid(
        worker_app,
        relay.url,
        OUTBOX_RECONNECT_BASE_SECONDS=0.01,
        OUTBOX_RECONNECT_MAX_SECONDS=0.1,
    )
    # While the worker waits on SendGrid its connection sits in the pool: kill it there too.
    calls = Counter()

    def plan(_outbox_id):
        calls["n"] += 1
        if calls["n"] % 9 == 0:
            terminator.every_worker_connection()
        return "ok"

    relay.plan = plan
    _queue(EMAILS)
    errors: list[BaseException] = []

    with worker_app.app_context():
        seen = _cut_mid_statement(db.engine, terminator)
        worker = OutboxWorker(worker_app, backend_for(worker_app))

    def work() -> None:
        try:
            with worker_app.app_context():
                worker.run(once=True)
        except BaseException as error:  # surfaced by the test
            errors.append(error)

    caplog.set_level(logging.WARNING, logger="trustee_match.email.worker")
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the worker hung"
    relay.wait_until_idle()
    terminator.engine.dispose()
    with worker_app.app_context():
        db.engine.dispose()

    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    statuses = Counter(row.status for row in rows)
    duplicated = {i: n for i, n in relay.tally.accepted.items() if n > 1}
    lost = [r.id for r in rows if relay.tally.accepted[r.id] == 0]
    reconnect_lines = [r for r in caplog.records if "lost the database" in r.getMessage()]
    report = (
        f"{EMAILS} emails, {terminator.kills} connections killed ({dict(seen)} statements), "
        f"{worker.reconnects} reconnects: {dict(statuses)}, {len(lost)} lost, "
        f"{len(duplicated)} duplicated"
    )
    print(f"\nconnection loss: {report}")

    assert errors == [], report
    assert worker.reconnects >= 20 and len(reconnect_lines) == worker.reconnects, report
    assert statuses == {OutboxStatus.SENT: EMAILS}, report
    assert lost == [] and duplicated == {}, report
    assert all(row.provider_calls == 1 and row.provider_message_id for row in rows), report
    assert worker.total.sent == EMAILS and worker.unrecorded == [], report
