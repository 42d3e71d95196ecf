"""Passwords: 8 to 128 characters, no rules about kinds of character, refused when common,
guessable or built from the user's own details; sign-up never says an address is registered."""

from __future__ import annotations

import re

import pytest

from trustee_match.extensions import db
from trustee_match.models import Charity, User

from .conftest import PASSWORD, link_in, login, outbox_for, post_form
from .factories import CharityUserFactory, VolunteerFactory

GUESSABLE = "too easy to guess"
PERSONAL = "from your name or email address"


def _signup(client, password: str, **overrides):
    data = {
        "display_name": "Samantha Lee",
        "email": "sam.lee@example.org",
        "password": password,
        "confirm": password,
        **overrides,
    }
    return post_form(client, "/account/signup/volunteer", data)


def _users() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


@pytest.mark.parametrize(
    "password",
    [
        "password12345",
        "Summer2024!",
        "qwertyuiop",
        "iloveyou2024",
        "letmein2024",
        "xkcd1234",
        "monkey12",
        "Passw0rd!",
        "TrusteeMatch2026",
        "charity2026!",
    ],
)
def test_common_or_guessable_passwords_are_refused(client, password):
    page = _signup(client, password).get_data(as_text=True)
    assert GUESSABLE in page
    assert _users() == 0


@pytest.mark.parametrize("password", ["Kx9#mVq2", "tQ8%vn3L"])
def test_eight_characters_with_no_pattern_in_them_are_enough(client, password):
    assert _signup(client, password).status_code == 302
    assert _users() == 1


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("Kx9#mVq", "Use at least 8 characters"),
        ("aaaaaaaa", GUESSABLE),
        ("12345678", GUESSABLE),
        ("abcd1234", GUESSABLE),
    ],
)
def test_shorter_or_patterned_eight_character_passwords_are_refused(client, password, words):
    assert words in _signup(client, password).get_data(as_text=True)
    assert _users() == 0


@pytest.mark.parametrize(
    "password", ["samanthalee2024", "sam.lee@example.org", "SamLee!2024", "LeeSamantha99"]
)
def test_a_password_built_from_your_own_name_or_email_is_refused(client, password):
    page = _signup(client, password).get_data(as_text=True)
    assert PERSONAL in page
    assert _users() == 0


def test_a_charity_password_built_from_the_charity_name_is_refused(client):
    data = {
        "contact_name": "Jo Bloggs",
        "email": "jo@canal.org",
        "password": "canalboattrust2024",
        "confirm": "canalboattrust2024",
        "charity_name": "Canal Boat Trust",
        "regulator_number": "1123456",
        "region": "London",
    }
    page = post_form(client, "/account/signup/charity", data).get_data(as_text=True)
    assert PERSONAL in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Charity)) == 0


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "purple otter lamp river", "Lee-family-1980", "ä" * 3 + " ok " * 40],
)
def test_long_or_unusual_passwords_need_no_digits_or_symbols(client, password):
    password = password[:128]
    assert _signup(client, password).status_code == 302
    assert _users() == 1


def test_changing_to_a_password_built_from_your_own_name_is_refused(client):
    volunteer = VolunteerFactory(email="priya@example.org")
    volunteer.volunteer_profile.display_name = "Priya Ramanathan"
    db.session.commit()
    login(client, volunteer.email)
    new = "ramanathan1985"
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert PERSONAL in response.get_data(as_text=True)
    db.session.refresh(volunteer)
    assert volunteer.check_password(PASSWORD)


def test_resetting_to_a_password_built_from_your_email_is_refused(client):
    member = CharityUserFactory(email="fundraising@canalboats.org")
    post_form(client, "/account/forgot-password", {"email": member.email})
    link = link_in(outbox_for(member.email)[0], "/account/reset-password/")
    new = "canalboats.org"
    page = post_form(client, link, {"password": new, "confirm": new}).get_data(as_text=True)
    assert PERSONAL in page
    db.session.refresh(member)
    assert member.check_password(PASSWORD)


def test_sign_up_answers_the_same_for_a_known_and_a_new_address(app):
    VolunteerFactory(email="known@example.org")
    answers = []
    for address in ("known@example.org", "new@example.org"):
        client = app.test_client()
        response = _signup(client, PASSWORD, email=address, display_name="Sam")
        followed = client.get(response.location)
        answers.append((response.status_code, response.location, followed.get_data(as_text=True)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert _users() == 2


def test_a_known_address_is_emailed_a_reset_link_instead_of_a_second_account(client):
    VolunteerFactory(email="known@example.org")
    _signup(client, PASSWORD, email="Known@Example.org")
    (message,) = outbox_for("known@example.org")
    assert message.kind == "account_exists"
    assert "already have an account" in message.text_body
    link = link_in(message, "/account/reset-password/")
    new = "a brand new passphrase"
    assert post_form(client, link, {"password": new, "confirm": new}).status_code == 302
    assert login(client, "known@example.org", new).location == "/volunteer/"
    assert _users() == 1


def test_a_new_address_gets_the_verification_email(client):
    _signup(client, PASSWORD, email="new@example.org")
    (message,) = outbox_for("new@example.org")
    assert message.kind == "verify_email"


def test_charity_sign_up_with_a_known_address_makes_no_charity_and_emails_the_owner(client):
    VolunteerFactory(email="known@example.org")
    data = {
        "contact_name": "Jo",
        "email": "known@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "charity_name": "Jo's Charity",
        "regulator_number": "1123456",
        "region": "London",
    }
    response = post_form(client, "/account/signup/charity", data)
    assert response.status_code == 302
    assert response.location == "/account/check-email"
    assert db.session.scalar(db.select(db.func.count()).select_from(Charity)) == 0
    assert [m.kind for m in outbox_for("known@example.org")] == ["account_exists"]


def test_password_fields_are_masked_and_welcome_password_managers(client):
    pages = {
        "/account/login": {"password": "current-password"},
        "/account/signup/volunteer": {"password": "new-password", "confirm": "new-password"},
    }
    for path, fields in pages.items():
        page = client.get(path).get_data(as_text=True)
        assert "onpaste" not in page and "oncopy" not in page
        for name, autocomplete in fields.items():
            tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
            assert 'type="password"' in tag and f'autocomplete="{autocomplete}"' in tag, tag
