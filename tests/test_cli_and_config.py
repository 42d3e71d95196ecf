"""The commands an operator runs, and the configuration production insists on."""

from __future__ import annotations

import pytest

from config import ConfigError, ProductionConfig
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import Role, User

from .conftest import PASSWORD, login, post_form
from .factories import CharityUserFactory, VolunteerFactory


def test_create_staff_asks_for_a_password_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-staff", "Boss@Example.org"],
        input="a long staff passphrase\na long staff passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Staff account created for boss@example.org" in result.output
    user = db.session.scalar(db.select(User))
    assert user.role == Role.STAFF and user.email_verified
    assert user.check_password("a long staff passphrase")


def test_create_staff_with_link_prints_a_one_time_set_password_link(app, client):
    result = app.test_cli_runner().invoke(
        args=["users", "create-staff", "ops@example.org", "--link"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.split("at: ")[1].strip()
    path = link.split("http://localhost", 1)[1]
    password = "chosen by the new staff member"
    assert post_form(client, path, {"password": password, "confirm": password}).status_code == 302
    assert client.get(path).status_code == 400  # once only
    # The password is the first step; a new staff member then sets up two-step verification.
    assert login(client, "ops@example.org", password).location == "/account/two-step/setup"


def test_create_staff_refuses_a_taken_email_and_a_short_password(app):
    VolunteerFactory(email="taken@example.org")
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["users", "create-staff", "taken@example.org", "--link"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    short = runner.invoke(args=["users", "create-staff", "new@example.org"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    own = "ops.new@example.org"
    weak = runner.invoke(args=["users", "create-staff", own], input=f"{own}1\n{own}1\n")
    assert weak.exit_code != 0 and "from your name or email address" in weak.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_seed_demo_refuses_a_non_empty_database_without_force(app):
    VolunteerFactory()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["seed", "demo"])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    skipped = runner.invoke(args=["seed", "demo", "--skip-if-seeded"])
    assert skipped.exit_code == 0 and "not seeding" in skipped.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_matches_tick_reports_what_it_did(app):
    result = app.test_cli_runner().invoke(args=["matches", "tick"])
    assert result.exit_code == 0
    assert "Reminded 0, expired 0" in result.output


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY, DATABASE_URL"),
        ({"SECRET_KEY": "s3cret"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://x@localhost/y"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_and_says_what_is_missing(monkeypatch, env, missing):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=f"environment variables set: {missing}$"):
        create_app(ProductionConfig)


def test_bounced_address_shows_a_banner_to_its_owner(client):
    from trustee_match.models.base import utcnow

    volunteer = VolunteerFactory(email_bounced_at=utcnow())
    login(client, volunteer.email)
    assert "reach you by email" in client.get("/volunteer/").get_data(as_text=True)


def test_production_refuses_demo_data_with_its_published_password(config_class):
    production = create_app(type("NoDemo", (config_class,), {"ALLOW_DEMO_DATA": False}))
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["seed", "demo"])
        assert result.exit_code != 0
        assert "Demo data is not allowed in production" in result.output
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    assert ProductionConfig.ALLOW_DEMO_DATA is False


def test_log_out_everyone_ends_every_session_and_remembered_login(app):
    volunteer, member = VolunteerFactory(), CharityUserFactory()
    clients = {}
    for user, home in ((volunteer, "/volunteer/"), (member, "/charity/")):
        clients[home] = app.test_client()
        post_form(
            clients[home],
            "/account/login",
            {"email": user.email, "password": PASSWORD, "remember": "y"},
        )
        assert clients[home].get(home).status_code == 200

    refused = app.test_cli_runner().invoke(args=["users", "log-out-everyone"], input="n\n")
    assert refused.exit_code != 0
    assert clients["/volunteer/"].get("/volunteer/").status_code == 200
    result = app.test_cli_runner().invoke(args=["users", "log-out-everyone", "--yes"])

    assert result.exit_code == 0 and "Logged out 2 accounts everywhere" in result.output
    for home, client in clients.items():
        assert client.get(home).location.startswith("/account/login"), home
        client.delete_cookie("session", domain="localhost")  # a new browser session: remember me
        assert client.get(home).location.startswith("/account/login"), home
