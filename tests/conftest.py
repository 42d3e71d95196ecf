"""Test fixtures: a fresh app per test on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set.

tests/matching/ loads this file too but must run without Flask (the ranker is a plain library),
so the app and its extensions are imported inside the fixtures and helpers, never at the top.
Under pytest-xdist each worker gets its own database: `<name>_gw0`, `<name>_gw1`, ...
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from jinja2 import BytecodeCache

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from config import TestConfig
    from trustee_match.models import OutboxMessage

KEEP_TABLES = {"skills", "causes"}  # the vocabularies, loaded once per session
PASSWORD = "correct horse battery"
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' staff authenticator app


def _worker_database(url: str, worker: str) -> str:
    """The URL of this xdist worker's own PostgreSQL database, created if missing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _test_database_url(tmp_dir: Path) -> str:
    from config import _database_url

    url = _database_url(os.environ.get("TEST_DATABASE_URL"))
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite'}"  # tmp_dir is already one per worker
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... when run with -n
    return _worker_database(url, worker) if worker else url


@pytest.fixture(scope="session")
def config_class(tmp_path_factory: pytest.TempPathFactory) -> type[TestConfig]:
    from config import TestConfig
    from trustee_match import create_app
    from trustee_match.extensions import db
    from trustee_match.services.taxonomy import load_taxonomy

    url = _test_database_url(tmp_path_factory.mktemp("db"))

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        if url.startswith("postgresql"):
            # A test database need not survive a power cut: commits don't wait for the disk.
            SQLALCHEMY_ENGINE_OPTIONS = {
                **TestConfig.SQLALCHEMY_ENGINE_OPTIONS,
                "connect_args": {"options": "-c synchronous_commit=off"},
            }

    app = create_app(Config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        _stamp_migration_heads(db)
        load_taxonomy()
        db.engine.dispose()
    return Config


def _stamp_migration_heads(db) -> None:
    """create_all builds the schema the newest migration does: record that, as `flask db
    stamp` would (/healthz checks it), without running alembic's env.py, whose logging setup
    would silence the loggers the tests read."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    heads = ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations")).get_heads()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        for head in heads:
            conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})


def _empty_tables() -> None:
    from sqlalchemy import text

    from trustee_match.extensions import db

    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name != "postgresql":
        for table in tables:
            db.session.execute(table.delete())
        db.session.commit()
        return
    # One round trip. Ids start at 1 again, as on SQLite. DELETE and setval, not TRUNCATE ...
    # RESTART IDENTITY: that makes new files for every table and took ~0.4 s, twice a test.
    statements = [f'DELETE FROM "{t.name}"' for t in tables] + [
        f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), 1, false)"
        for t in tables
        if "id" in t.c and t.c.id.autoincrement is not False
    ]
    db.session.execute(text("; ".join(statements)))
    db.session.commit()


class _SharedTemplateCache(BytecodeCache):
    """Compiled templates kept across the apps of a test process: the shared one and those
    some tests build for themselves, whose own Jinja environments would otherwise compile
    every template again. Jinja checks each entry against its template's source, so an edited
    template recompiles."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedTemplateCache()


@pytest.fixture(scope="session")
def _worker_app(config_class: type[TestConfig]) -> Flask:
    """One app per test process. Building an app compiles every URL rule and, on first use,
    every template and SQL statement again: most of a short test's time. The `app` fixture
    puts back what a test may change, so each test still starts as on a new app."""
    from flask import g

    from trustee_match import create_app
    from trustee_match.extensions import db

    app = create_app(config_class)
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE

    # Test requests reuse the test's app context (and so its `g` and session); start each one
    # with an empty `g` and fresh rows, as a real request in its own app context would. First,
    # before the app's own hooks (the session limits look at the user).
    def _fresh_request() -> None:
        for key in list(vars(g)):
            delattr(g, key)
        db.session.expire_all()

    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request)
    return app


@pytest.fixture
def app(_worker_app: Flask) -> Iterator[Flask]:
    """The app with an empty database (bar the skills and causes), inside an app context, its
    settings, extensions (the live ranker index among them), hooks and template loader as
    built: a test may change any of them, and the next test sees none of it. (The engine is
    shared too: a test that listens to its events removes its listener.)"""
    from trustee_match.extensions import db

    app = _worker_app
    config, extensions, loader = dict(app.config), dict(app.extensions), app.jinja_env.loader
    hooks = {
        name: {key: list(funcs) for key, funcs in getattr(app, name).items()}
        for name in ("before_request_funcs", "after_request_funcs", "teardown_request_funcs")
    }
    with app.app_context():
        _empty_tables()
        try:
            yield app
        finally:
            # Emptied again as it ends: some tests build an app of their own on this database
            # without this fixture, and expect to find it empty.
            db.session.rollback()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)
    app.jinja_env.loader = loader
    for name, saved in hooks.items():
        getattr(app, name).clear()
        getattr(app, name).update(saved)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on `path`, as a browser would send it back."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict, *, form_path: str | None = None, **kw):
    """Submit a form like a browser: fetch the page for its CSRF token, then POST."""
    token = csrf_token(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data}, **kw)


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    """Log in as a person would: the password, then (staff, or anyone who switched it on) the
    code their authenticator app shows. Returns the last response."""
    response = post_form(client, "/account/login", {"email": email, "password": password})
    if response.status_code == 302 and response.location.endswith("/account/two-step"):
        response = post_form(client, "/account/two-step", {"code": totp_code_for(email)})
    return response


def totp_code_for(email: str) -> str:
    """The code the user's app shows now. The account's last used code is forgotten first, so
    a test may log the same person in many times within one 30-second window (the refusal of
    a reused code has its own tests)."""
    import pyotp

    from trustee_match.extensions import db
    from trustee_match.services.accounts import find_user_by_email
    from trustee_match.services.second_factor import secret_of

    user = find_user_by_email(email)
    user.totp_last_step = None
    db.session.commit()
    return pyotp.TOTP(secret_of(user)).now()


def logout(client: FlaskClient):
    return post_form(client, "/account/logout", {}, form_path="/")


def outbox_for(email: str) -> list[OutboxMessage]:
    """Every queued email to this address, oldest first."""
    from trustee_match.extensions import db
    from trustee_match.models import OutboxMessage

    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.to_email == email)
            .order_by(OutboxMessage.id)
        )
    )


def link_in(message: OutboxMessage, path_prefix: str) -> str:
    """The site path of the first link in an email's text that starts with `path_prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", message.text_body)
    assert match, f"no {path_prefix} link in {message.subject!r}"
    return match.group(1)
