"""Sessions end when they should: at logout (every copy), after a while idle, after a maximum
time; "keep me logged in" is one rotating token per login."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config import ProductionConfig
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import RememberToken, User
from trustee_match.services.accounts import set_user_active

from .conftest import PASSWORD, logout, post_form, totp_code_for
from .factories import StaffFactory, VolunteerFactory

REMEMBER = "remember_login"


def _login(client: FlaskClient, email: str, *, remember: bool = False):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = post_form(client, "/account/login", data)
    if response.location.endswith("/account/two-step"):  # staff: the code from their app
        response = post_form(client, "/account/two-step", {"code": totp_code_for(email)})
    assert response.status_code == 302
    return response


def _logged_in(client: FlaskClient, home: str = "/volunteer/") -> bool:
    response = client.get(home)
    return response.status_code == 200


def _copy(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """Another browser holding a copy of these cookies (all of them by default)."""
    thief = app.test_client()
    for name in names or ("session", REMEMBER):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value, domain="localhost")
    return thief


def test_a_copied_session_cookie_is_dead_after_logout(app, client):
    volunteer = VolunteerFactory()
    _login(client, volunteer.email)
    thief = _copy(app, client)
    assert _logged_in(thief)

    logout(client)

    assert not _logged_in(client)
    assert not _logged_in(thief)
    assert thief.get("/volunteer/").location.startswith("/account/login")


def test_a_cookie_from_before_login_does_not_become_the_logged_in_session(app, client):
    client.get("/account/login")
    planted = _copy(app, client)  # what someone could have planted in the browser beforehand
    _login(client, VolunteerFactory().email)
    assert _logged_in(client)
    assert not _logged_in(planted)


def test_every_logged_in_page_offers_log_out(app):
    pages = {
        "volunteer": ["/volunteer/", "/volunteer/profile", "/volunteer/needs", "/account/password"],
        "staff": ["/staff/", "/staff/users", "/account/two-step/settings"],
    }
    for role, paths in pages.items():
        client = app.test_client()
        _login(client, (StaffFactory() if role == "staff" else VolunteerFactory()).email)
        for path in paths:
            page = client.get(path).get_data(as_text=True)
            assert 'action="/account/logout"' in page and "Log out" in page, path


def test_logging_out_tells_the_browser_to_forget_cached_pages(client):
    _login(client, VolunteerFactory().email)
    response = logout(client)
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_logging_out_ends_the_accounts_other_sessions_too(app, client):
    volunteer = VolunteerFactory()
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop, volunteer.email)
    _login(phone, volunteer.email)
    logout(phone)
    assert not _logged_in(laptop)


def test_keep_me_logged_in_survives_the_browser_closing(app, client):
    volunteer = VolunteerFactory()
    response = _login(client, volunteer.email, remember=True)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie

    reopened = _copy(app, client, REMEMBER)  # no session cookie: a new browser session
    assert _logged_in(reopened)
    assert reopened.get_cookie(REMEMBER).value != client.get_cookie(REMEMBER).value


def test_each_login_gets_its_own_remember_token_and_a_used_one_is_retired(app):
    volunteer = VolunteerFactory()
    first, second = app.test_client(), app.test_client()
    _login(first, volunteer.email, remember=True)
    _login(second, volunteer.email, remember=True)
    assert first.get_cookie(REMEMBER).value != second.get_cookie(REMEMBER).value
    assert db.session.scalar(db.select(db.func.count()).select_from(RememberToken)) == 2

    copy = _copy(app, first, REMEMBER)
    again = _copy(app, first, REMEMBER)
    assert _logged_in(copy)  # the token rotates on use...
    assert not _logged_in(again)  # ...so the same cookie used twice works once


def test_session_and_remember_tokens_are_long_random_values(app):
    volunteer = VolunteerFactory()
    client = app.test_client()
    _login(client, volunteer.email, remember=True)
    secret = client.get_cookie(REMEMBER).value
    stored = db.session.scalar(db.select(RememberToken.token_hash))
    assert len(secret) >= 43 and secret not in stored  # 256 random bits; only a hash kept
    token = db.session.get(User, volunteer.id).session_token
    assert len(token) >= 32  # 192 random bits
    logout(client)
    assert len({token, db.session.get(User, volunteer.id).session_token}) == 2


def test_logout_revokes_the_remember_token(app, client):
    volunteer = VolunteerFactory()
    _login(client, volunteer.email, remember=True)
    thief = _copy(app, client, REMEMBER)

    response = logout(client)

    assert any(h.startswith(f"{REMEMBER}=;") for h in response.headers.getlist("Set-Cookie")), (
        "the remember cookie is deleted"
    )
    assert not _logged_in(thief)
    assert db.session.scalar(db.select(db.func.count()).select_from(RememberToken)) == 0


def test_a_password_change_ends_remembered_logins_elsewhere(app, client):
    volunteer = VolunteerFactory()
    other = app.test_client()
    _login(other, volunteer.email, remember=True)
    remembered = _copy(app, other, REMEMBER)
    _login(client, volunteer.email)
    new = "another good passphrase"
    post_form(
        client, "/account/password", {"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert _logged_in(client)
    assert not _logged_in(remembered)


def test_deactivation_ends_sessions_and_remembered_logins(app, client):
    volunteer = VolunteerFactory()
    staff = StaffFactory()
    _login(client, volunteer.email, remember=True)
    remembered = _copy(app, client, REMEMBER)
    set_user_active(staff, volunteer, False)
    assert not _logged_in(client)
    assert not _logged_in(remembered)


def test_staff_are_never_kept_logged_in(client):
    response = _login(client, StaffFactory().email, remember=True)
    assert not any(h.startswith(REMEMBER) for h in response.headers.getlist("Set-Cookie"))
    assert db.session.scalar(db.select(db.func.count()).select_from(RememberToken)) == 0


def _age_session(client: FlaskClient, *, idle_minutes: float = 0, hours: float = 0) -> None:
    """Pretend the last request was `idle_minutes` ago and the login `hours` ago."""
    now = time.time()
    with client.session_transaction() as session:
        session["_seen_at"] = now - idle_minutes * 60
        session["_started_at"] = now - max(hours * 3600, idle_minutes * 60)


@pytest.mark.parametrize(
    ("role", "idle", "logged_in"),
    [
        ("volunteer", 119, True),
        ("volunteer", 121, False),
        ("staff", 29, True),
        ("staff", 31, False),
    ],
)
def test_a_session_idle_too_long_ends(client, role, idle, logged_in):
    user = StaffFactory() if role == "staff" else VolunteerFactory()
    home = "/staff/" if role == "staff" else "/volunteer/"
    _login(client, user.email)
    _age_session(client, idle_minutes=idle)
    assert _logged_in(client, home) is logged_in
    if not logged_in:
        page = client.get("/account/login").get_data(as_text=True)
        assert "For your security you have been logged out" in page


@pytest.mark.parametrize(
    ("role", "hours", "logged_in"),
    [
        ("staff", 11.9, True),
        ("staff", 12.1, False),
        ("volunteer", 13, True),
        ("volunteer", 24 * 30 + 1, False),
    ],
)
def test_a_session_ends_after_its_maximum_however_busy(client, role, hours, logged_in):
    user = StaffFactory() if role == "staff" else VolunteerFactory()
    home = "/staff/" if role == "staff" else "/volunteer/"
    _login(client, user.email)
    _age_session(client, hours=hours)
    assert _logged_in(client, home) is logged_in


def test_the_idle_limit_is_configurable(app, client):
    app.config["SESSION_IDLE_MINUTES"] = 5
    _login(client, VolunteerFactory().email)
    _age_session(client, idle_minutes=6)
    assert not _logged_in(client)


def test_flask_logins_old_year_long_remember_cookie_is_not_honoured_and_is_deleted(app):
    volunteer = VolunteerFactory()
    client = app.test_client()
    client.set_cookie("remember_token", f"{volunteer.session_token}|anything", domain="localhost")
    response = client.get("/volunteer/")
    assert response.status_code == 302
    assert any(h.startswith("remember_token=;") for h in response.headers.getlist("Set-Cookie"))


@pytest.fixture
def production_app(monkeypatch, config_class) -> Flask:
    monkeypatch.setenv("SECRET_KEY", "production-like-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://unused@localhost/unused")

    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = config_class.SQLALCHEMY_DATABASE_URI
        RATELIMIT_ENABLED = False

    return create_app(Production)


def test_production_cookies_are_host_only_secure_httponly_and_lax(app, production_app):
    volunteer = VolunteerFactory()
    client = production_app.test_client()
    https = "https://localhost"
    html = client.get("/account/login", base_url=https).get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/account/login",
        data={"csrf_token": token, "email": volunteer.email, "password": PASSWORD, "remember": "y"},
        base_url=https,
        headers={"Referer": f"{https}/account/login"},  # Flask-WTF checks it over HTTPS
    )
    assert response.status_code == 302
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"__Host-session", "__Host-remember_login"}
    for header in (cookies["__Host-session"], cookies["__Host-remember_login"]):
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
        assert "Path=/" in header and "Domain=" not in header
    assert client.get("/volunteer/", base_url=https).status_code == 200
