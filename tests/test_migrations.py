"""The Alembic migrations build the whole schema from empty, and agree with the models."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestConfig, _database_url
from trustee_match import create_app
from trustee_match.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database on the engine the suite runs on."""
    base = _database_url(os.environ.get("TEST_DATABASE_URL"))
    if not base:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    name = f"tm_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# The trigram indexes are PostgreSQL's only; on SQLite alembic says it can't compare them.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_from_empty_builds_every_table_and_matches_the_models(empty_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_the_migrations_have_one_head_and_no_forks():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations"))
    heads = script.get_heads()
    assert len(heads) == 1, f"more than one head: {heads}"
    # One base, and walking down from the head reaches every file: none hangs off on its own.
    revisions = list(script.walk_revisions())
    assert [rev.revision for rev in revisions if not rev.down_revision] == ["0001"]
    files = list((Path(script.dir) / "versions").glob("*.py"))
    assert len(revisions) == len(files)


def test_downgrade_from_head_back_to_empty_and_up_again(empty_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set(), f"downgrade left tables behind: {left}"
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
        upgrade()  # and the way back up still works from there
        assert {t.name for t in db.metadata.sorted_tables} <= set(
            inspect(db.engine).get_table_names()
        )
        db.engine.dispose()
