"""Passwords are stored as argon2id at OWASP's cost; older hashes still log in and are upgraded."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from config import CONFIGS, ProductionConfig, TestConfig
from trustee_match.extensions import db
from trustee_match.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from trustee_match.services import accounts

from .conftest import PASSWORD, login
from .factories import VolunteerFactory

OWASP = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


def _hash_with(config: type, password: str) -> str:
    app = Flask(__name__)
    app.config.from_object(config)
    with app.app_context():
        return hash_password(password)


def test_production_hashes_with_argon2id_at_owasp_parameters():
    assert ProductionConfig.PASSWORD_HASH_PARAMS == OWASP
    assert _hash_with(ProductionConfig, PASSWORD).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_only_the_test_configuration_lowers_the_cost():
    lowered = [name for name, cls in CONFIGS.items() if cls.PASSWORD_HASH_PARAMS != OWASP]
    assert lowered == ["test"]
    assert TestConfig.PASSWORD_HASH_PARAMS["memory_cost"] < OWASP["memory_cost"]


def test_a_hash_checks_its_own_password_only(app):
    stored = hash_password(PASSWORD)

    assert stored.startswith("$argon2id$")
    assert stored != hash_password(PASSWORD)  # a fresh salt each time
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "!")
    assert not verify_password(stored, "")
    assert not needs_rehash(stored)


def test_a_password_is_checked_exactly_as_typed(app):
    typed = "  Mixed Case passphrase with spaces  "
    stored = hash_password(typed)
    assert verify_password(stored, typed)
    for near in (typed.strip(), typed.lower(), typed.upper(), typed[:-1]):
        assert not verify_password(stored, near), repr(near)
    long = "x7 " * 42 + "ab"  # 128 characters: nothing past 72 is cut off, as bcrypt would
    assert not verify_password(hash_password(long), long[:-1] + "c")


@pytest.mark.parametrize("broken", ["$argon2id$v=19$m=8,t=1,p=1$nonsense", "$argon2id$"])
def test_a_damaged_argon2_hash_refuses_the_password_instead_of_failing(app, broken):
    assert not verify_password(broken, PASSWORD)


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_an_old_werkzeug_hash_logs_in_once_and_is_then_argon2id(app, client, method):
    volunteer = VolunteerFactory(password_hash=generate_password_hash(PASSWORD, method=method))
    session_token = volunteer.session_token

    assert login(client, volunteer.email).location == "/volunteer/"

    db.session.refresh(volunteer)
    assert volunteer.password_hash.startswith("$argon2id$")
    assert not needs_rehash(volunteer.password_hash)
    assert volunteer.session_token == session_token  # other devices stay logged in
    assert login(app.test_client(), volunteer.email).location == "/volunteer/"


def test_a_wrong_password_leaves_an_old_hash_as_it_was(app, client):
    old = generate_password_hash(PASSWORD, method="scrypt")
    volunteer = VolunteerFactory(password_hash=old)

    response = login(client, volunteer.email, "not the password at all")

    assert "That email and password do not match an account." in response.get_data(as_text=True)
    db.session.refresh(volunteer)
    assert volunteer.password_hash == old


def test_a_hash_at_an_older_cost_is_raised_to_the_current_one_at_login(app, client):
    volunteer = VolunteerFactory(password_hash=_hash_with(ProductionConfig, PASSWORD))
    assert needs_rehash(volunteer.password_hash)  # the test app's cost differs

    assert login(client, volunteer.email).location == "/volunteer/"

    db.session.refresh(volunteer)
    params = TestConfig.PASSWORD_HASH_PARAMS
    assert volunteer.password_hash.startswith(
        f"$argon2id$v=19$m={params['memory_cost']},t={params['time_cost']},"
        f"p={params['parallelism']}$"
    )


def test_an_unknown_address_is_checked_against_a_hash_of_the_same_cost(app, monkeypatch):
    checked = []

    def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return verify_password(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", spy)

    assert accounts.authenticate("nobody@example.org", PASSWORD) is None
    assert checked == [dummy_hash()]
    assert not needs_rehash(dummy_hash())
