"""When PostgreSQL drops a connection, the request using it fails cleanly (an error page, not a
hang) and the next request works (the pool tests connections before use: pool_pre_ping).

These need PostgreSQL itself (pg_terminate_backend is how a restart, a failover or an idle
timeout looks to us), so each test makes a database of its own on the suite's PostgreSQL, or on
the local one when the suite runs on SQLite.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from config import TestConfig, _database_url
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.services.taxonomy import load_taxonomy

from .conftest import login
from .factories import VolunteerFactory

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_base() -> str:
    url = _database_url(os.environ.get("TEST_DATABASE_URL"))
    return url if url and url.startswith("postgresql") else LOCAL_POSTGRES


@pytest.fixture
def pg_app() -> Iterator[tuple[Flask, object]]:
    base = make_url(_postgres_base())
    name = f"tm_dbfail_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = base.set(database=name).render_as_string(hide_password=False)
        PROPAGATE_EXCEPTIONS = False  # as in production: an error is a page, not a raise

    app = create_app(Config)
    try:
        with app.app_context():
            db.create_all()
            load_taxonomy()
            yield app, admin
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _terminate_all(admin, database: str) -> int:
    with admin.connect() as conn:
        return len(
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": database},
            ).all()
        )


def _get_within(client, path: str, seconds: float = 30):
    """The response, or a failure if the request hangs (a hang is the bug looked for here)."""
    box: dict = {}
    worker = threading.Thread(target=lambda: box.update(r=client.get(path)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"GET {path} hung after the database dropped its connection"
    return box["r"]


def test_a_connection_killed_mid_request_fails_that_request_cleanly_and_the_next_works(pg_app):
    app, admin = pg_app
    volunteer = VolunteerFactory()
    client = app.test_client()
    login(client, volunteer.email)
    assert client.get("/volunteer/matches").status_code == 200

    armed = {"statements": 0, "killed": False}

    def kill_on_second_statement(conn, cursor, statement, params, context, executemany):
        if armed["killed"]:
            return
        armed["statements"] += 1
        if armed["statements"] == 2:  # the user is loaded; the page's own query comes next
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as killer:
                killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            armed["killed"] = True

    event.listen(db.engine, "before_cursor_execute", kill_on_second_statement)
    try:
        failed = _get_within(client, "/volunteer/matches")
    finally:
        event.remove(db.engine, "before_cursor_execute", kill_on_second_statement)
    assert armed["killed"]
    assert failed.status_code == 500
    page = failed.get_data(as_text=True)
    assert "Sorry, something went wrong on our side" in page
    assert "OperationalError" not in page and "terminat" not in page

    again = _get_within(client, "/volunteer/matches")
    assert again.status_code == 200
    assert "Your introductions" in again.get_data(as_text=True)


def test_connections_dropped_while_idle_in_the_pool_are_replaced_unseen(pg_app):
    app, admin = pg_app
    volunteer = VolunteerFactory()
    client = app.test_client()
    login(client, volunteer.email)
    assert client.get("/volunteer/").status_code == 200
    db.session.remove()  # the connection goes back to the pool, idle
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    assert _terminate_all(admin, database) >= 1  # as a database restart would
    response = _get_within(client, "/volunteer/")
    assert response.status_code == 200
