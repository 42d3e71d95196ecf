"""Two-step verification: staff set it up at their first login and give a code at every login;
codes work once; recovery codes for a lost phone; a reset from the command line; volunteers and
charities may switch it on and off. Until the code passes, a browser is logged out."""

from __future__ import annotations

import logging
import re
import time

import pyotp
import pytest
from flask.testing import FlaskClient

from config import TestConfig
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import AuditEntry, RecoveryCode
from trustee_match.services.accounts import find_user_by_email
from trustee_match.services.second_factor import secret_of

from .conftest import PASSWORD, STAFF_TOTP_SECRET, link_in, login, logout, outbox_for, post_form
from .factories import CharityUserFactory, StaffFactory, VolunteerFactory


def _password(client: FlaskClient, email: str, password: str = PASSWORD):
    return post_form(client, "/account/login", {"email": email, "password": password})


def _code(client: FlaskClient, code: str, path: str = "/account/two-step"):
    return post_form(client, path, {"code": code})


def _secret_on(page: str) -> str:
    match = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page)
    assert match, "no key to type in on the setup page"
    return match.group(1).replace(" ", "")


def _recovery_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7-]+)</code></li>", page)


def _set_up(client: FlaskClient, path: str = "/account/two-step/setup") -> tuple[str, list[str]]:
    """Go through the setup page as a person with a phone would: (secret, recovery codes)."""
    secret = _secret_on(client.get(path).get_data(as_text=True))
    done = _code(client, pyotp.TOTP(secret).now(), path)
    assert done.status_code == 200
    return secret, _recovery_codes(done.get_data(as_text=True))


def _forget_last_code(email: str) -> None:
    find_user_by_email(email).totp_last_step = None
    db.session.commit()


def test_new_staff_set_it_up_at_first_login_with_a_local_qr_code_and_recovery_codes(client):
    staff = StaffFactory(
        email="new.staff@example.org", totp_secret=None, second_factor_enabled_at=None
    )

    after_password = _password(client, staff.email)
    assert after_password.location.endswith("/account/two-step/setup")
    setup = client.get("/account/two-step/setup")
    page = setup.get_data(as_text=True)
    assert "Set up two-step verification" in page
    # The QR code is drawn here as an SVG: the secret goes to no other site.
    assert 'src="data:image/svg+xml' in page and "https://" not in page.split("qr-code")[1][:200]
    assert setup.headers["Cache-Control"] == "no-store"
    secret = _secret_on(page)
    assert len(secret) == 32
    # Half logged in: the password alone opens nothing.
    assert client.get("/staff/").location.startswith("/account/login")

    wrong = _code(
        client,
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111",
        "/account/two-step/setup",
    )
    assert "That code does not match" in wrong.get_data(as_text=True)
    assert client.get("/staff/").location.startswith("/account/login")

    done = _code(client, pyotp.TOTP(secret).now(), "/account/two-step/setup")
    codes = _recovery_codes(done.get_data(as_text=True))
    assert "This is the only time we show them" in done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/").status_code == 200
    # Stored: the secret encrypted, the codes hashed.
    user = find_user_by_email(staff.email)
    assert user.has_second_factor and secret not in user.totp_secret
    stored = {c.code_hash for c in db.session.scalars(db.select(RecoveryCode))}
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}

    logout(client)
    again = _password(client, staff.email)
    assert again.location.endswith("/account/two-step")  # now the code, not a new setup


def test_every_staff_login_asks_for_the_code_after_the_password(client):
    staff = StaffFactory()
    assert _password(client, staff.email).location.endswith("/account/two-step")
    for path in ("/staff/", "/staff/users", "/account/password", "/account/two-step/settings"):
        assert client.get(path).location.startswith("/account/login"), path
    # A half-done login cannot set up a second app to skip the code.
    assert client.get("/account/two-step/setup").location.endswith("/account/two-step")

    response = _code(client, pyotp.TOTP(STAFF_TOTP_SECRET).now())

    assert response.status_code == 302 and response.location.endswith("/staff/")
    assert client.get("/staff/").status_code == 200


def test_the_login_goes_on_to_the_page_asked_for(client):
    staff = StaffFactory()
    post_form(
        client,
        "/account/login?next=/staff/users",
        {"email": staff.email, "password": PASSWORD},
        form_path="/account/login",
    )
    response = _code(client, pyotp.TOTP(STAFF_TOTP_SECRET).now())
    assert response.location.endswith("/staff/users")


def test_a_wrong_password_never_reaches_the_code_page(client):
    staff = StaffFactory()
    response = _password(client, staff.email, "not the password at all")
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/account/two-step").location.startswith("/account/login")


def test_wrong_and_right_codes_are_logged_by_user_id(client, caplog):
    caplog.set_level(logging.INFO, logger="trustee_match")  # not left to other tests' set-up
    staff = StaffFactory()
    _password(client, staff.email)
    _code(client, "123456" if pyotp.TOTP(STAFF_TOTP_SECRET).now() != "123456" else "654321")
    _code(client, pyotp.TOTP(STAFF_TOTP_SECRET).now())
    assert f"two-step code wrong: user {staff.id}" in caplog.text
    assert f"login: user {staff.id} (two-step)" in caplog.text
    assert staff.email not in caplog.text


def test_a_code_works_once_and_an_older_one_never_after_a_newer(app):
    staff = StaffFactory()
    totp = pyotp.TOTP(STAFF_TOTP_SECRET)
    code = totp.now()
    first = app.test_client()
    _password(first, staff.email)
    assert _code(first, code).status_code == 302

    copied = app.test_client()  # someone who saw the code over a shoulder
    _password(copied, staff.email)
    replay = _code(copied, code)

    assert replay.status_code == 200
    assert "was used already" in replay.get_data(as_text=True)
    assert copied.get("/staff/").location.startswith("/account/login")
    older = totp.at(time.time() - 30)
    assert _code(copied, older).status_code == 200


def test_a_recovery_code_logs_in_once(app, client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    _, codes = _set_up(client)
    logout(client)

    _password(client, volunteer.email)
    used = _code(client, codes[3].upper().replace("-", " "))  # as typed from a printout
    assert used.status_code == 302
    assert "You have 9 left" in client.get("/volunteer/").get_data(as_text=True)
    logout(client)

    _password(client, volunteer.email)
    again = _code(client, codes[3])
    assert "was used already" in again.get_data(as_text=True)
    audit = db.session.scalars(db.select(AuditEntry.action)).all()
    assert audit.count("recovery_code_used") == 1


def test_wrong_codes_count_with_wrong_passwords_against_the_account(app, config_class):
    staff = StaffFactory()
    limited = create_app(
        type(
            "Limited",
            (config_class,),
            {
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                "LOGIN_FAILURES_PER_ACCOUNT": "3 per 15 minutes",
            },
        )
    )
    wrong_password = limited.test_client()
    _password(wrong_password, staff.email, "not the password at all")
    guesser = limited.test_client()
    assert _password(guesser, staff.email).status_code == 302
    for guess in ("123456", "654321"):
        assert _code(guesser, guess).status_code == 200

    blocked = _code(guesser, pyotp.TOTP(STAFF_TOTP_SECRET).now())

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert guesser.get("/staff/").location.startswith("/account/login")


def test_a_half_done_login_runs_out(app, client):
    staff = StaffFactory()
    _password(client, staff.email)
    with client.session_transaction() as session:
        pending = dict(session["_two_step"])
        pending["at"] -= TestConfig.SECOND_FACTOR_PENDING_MINUTES * 60 + 1
        session["_two_step"] = pending

    response = post_form(
        client,
        "/account/two-step",
        {"code": pyotp.TOTP(STAFF_TOTP_SECRET).now()},
        form_path="/account/login",
    )

    assert response.location.startswith("/account/login")
    assert client.get("/staff/").location.startswith("/account/login")


def test_reset_from_the_command_line_ends_sessions_and_asks_for_a_new_setup(app, client):
    staff = StaffFactory(email="lost.phone@example.org")
    login(client, staff.email)
    assert client.get("/staff/").status_code == 200

    result = app.test_cli_runner().invoke(args=["users", "reset-2fa", "Lost.Phone@example.org"])

    assert result.exit_code == 0, result.output
    assert "reset for lost.phone@example.org" in result.output
    assert "set it up again" in result.output
    assert client.get("/staff/").location.startswith("/account/login")
    assert _password(client, staff.email).location.endswith("/account/two-step/setup")
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    assert "second_factor_reset" in db.session.scalars(db.select(AuditEntry.action)).all()
    unknown = app.test_cli_runner().invoke(args=["users", "reset-2fa", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No account uses nobody@example.org" in unknown.output


def test_a_staff_session_without_a_second_factor_is_ended(app, client):
    staff = StaffFactory()
    login(client, staff.email)
    user = find_user_by_email(staff.email)
    user.second_factor_enabled_at = None  # e.g. a session from before staff needed it
    db.session.commit()

    response = client.get("/staff/")

    assert response.location.startswith("/account/login")


@pytest.mark.parametrize(
    "factory, home", [(VolunteerFactory, "/volunteer/"), (CharityUserFactory, "/charity/")]
)
def test_volunteers_and_charities_may_switch_it_on_and_off(app, client, factory, home):
    person = factory()
    assert login(client, person.email).location.endswith(home)  # off: no code asked
    settings = client.get("/account/two-step/settings").get_data(as_text=True)
    assert "Two-step verification is <strong>off</strong>" in settings
    assert "Two-step verification settings" in client.get("/account/password").get_data(
        as_text=True
    )
    phone = app.test_client()
    login(phone, person.email)

    secret, codes = _set_up(client)

    assert len(codes) == 10
    assert client.get(home).status_code == 200  # this browser stays logged in
    assert phone.get(home).location.startswith("/account/login")  # the others do not
    assert "10 unused recovery codes" in client.get("/account/two-step/settings").get_data(
        as_text=True
    )
    logout(client)
    assert _password(client, person.email).location.endswith("/account/two-step")
    _forget_last_code(person.email)
    assert _code(client, pyotp.TOTP(secret).now()).location.endswith(home)

    refused = post_form(
        client,
        "/account/two-step/off",
        {"password": "not it"},
        form_path="/account/two-step/settings",
    )
    assert "Your password is not right" in refused.get_data(as_text=True)
    off = post_form(
        client,
        "/account/two-step/off",
        {"password": PASSWORD},
        form_path="/account/two-step/settings",
    )
    assert off.status_code == 302
    logout(client)
    assert _password(client, person.email).location.endswith(home)


def test_staff_cannot_switch_it_off(client):
    staff = StaffFactory()
    login(client, staff.email)
    settings = client.get("/account/two-step/settings").get_data(as_text=True)
    assert "Staff accounts always use it" in settings and "Switch off" not in settings
    refused = post_form(
        client,
        "/account/two-step/off",
        {"password": PASSWORD},
        form_path="/account/two-step/settings",
    )
    assert refused.status_code == 403
    assert find_user_by_email(staff.email).has_second_factor


def test_a_changed_key_makes_codes_fail_and_says_so_in_the_log(app, config_class, caplog):
    staff = StaffFactory()
    other = create_app(type("NewKey", (config_class,), {"SECOND_FACTOR_KEY": "another key"}))
    client = other.test_client()
    with other.app_context():
        _password(client, staff.email)
        response = _code(client, pyotp.TOTP(STAFF_TOTP_SECRET).now())
    assert response.status_code == 200
    assert "second factor secret unreadable" in caplog.text


def test_resetting_a_forgotten_password_does_not_skip_the_code(client):
    staff = StaffFactory(email="forgetful@example.org")
    post_form(client, "/account/forgot-password", {"email": staff.email})
    (message,) = outbox_for(staff.email)
    new = "a brand new staff passphrase"
    link = link_in(message, "/account/reset-password/")
    assert post_form(client, link, {"password": new, "confirm": new}).status_code == 302

    after = _password(client, staff.email, new)

    assert after.location.endswith("/account/two-step")
    assert client.get("/staff/").location.startswith("/account/login")


def test_the_half_done_login_keeps_no_secret_or_address_in_the_cookie(app, client):
    staff = StaffFactory(
        email="cookie.check@example.org", totp_secret=None, second_factor_enabled_at=None
    )
    _password(client, staff.email)
    client.get("/account/two-step/setup")  # the seed now exists, in the database only
    secret = secret_of(find_user_by_email(staff.email))

    raw = client.get_cookie("session").value
    data = app.session_interface.get_signing_serializer(app).loads(raw)

    text = repr(data)
    assert secret not in text and "cookie.check" not in text and PASSWORD not in text
    assert "_user_id" not in data  # not logged in yet


def test_a_first_login_with_setup_still_goes_on_to_the_page_asked_for(client):
    staff = StaffFactory(totp_secret=None, second_factor_enabled_at=None)
    post_form(
        client,
        "/account/login?next=/staff/users",
        {"email": staff.email, "password": PASSWORD},
        form_path="/account/login",
    )
    secret = _secret_on(client.get("/account/two-step/setup").get_data(as_text=True))
    done = _code(client, pyotp.TOTP(secret).now(), "/account/two-step/setup")
    assert 'href="/staff/users"' in done.get_data(as_text=True)  # "I have saved them: continue"
    assert client.get("/staff/users").status_code == 200
    with client.session_transaction() as session:
        assert "_started_at" in session  # the session limits count from here
