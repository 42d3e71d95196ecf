"""Test fixtures: a fresh app per test on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import text

from config import TestConfig, _database_url
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage

KEEP_TABLES = {"skills", "causes"}  # the vocabularies, loaded once per session
PASSWORD = "correct horse battery"


def _test_database_url(tmp_dir: Path) -> str:
    return _database_url(os.environ.get("TEST_DATABASE_URL")) or (
        f"sqlite:///{tmp_dir / 'test.sqlite'}"
    )


@pytest.fixture(scope="session")
def config_class(tmp_path_factory: pytest.TempPathFactory) -> type[TestConfig]:
    url = _test_database_url(tmp_path_factory.mktemp("db"))

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        from trustee_match.services.taxonomy import load_taxonomy

        load_taxonomy()
        db.engine.dispose()
    return Config


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(config_class: type[TestConfig]) -> Iterator[Flask]:
    """A new app with an empty database (bar the skills and causes), inside an app context."""
    app = create_app(config_class)

    # Test requests reuse the test's app context (and so its `g` and session); start each one
    # with an empty `g` and fresh rows, as a real request in its own app context would. First,
    # before the app's own hooks (the session limits look at the user).
    def _fresh_request() -> None:
        for key in list(vars(g)):
            delattr(g, key)
        db.session.expire_all()

    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request)

    with app.app_context():
        _empty_tables()
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


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
    return post_form(client, "/account/login", {"email": email, "password": password})


def logout(client: FlaskClient):
    return post_form(client, "/account/logout", {}, form_path="/")


def outbox_for(email: str) -> list[OutboxMessage]:
    """Every queued email to this address, oldest first."""
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
