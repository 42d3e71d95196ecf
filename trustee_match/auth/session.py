"""How a request finds its user, and how long a login lasts.

Flask-Login keeps the account's session token in the (signed) session cookie; the user loader
only accepts the account's current one, so a new token (logout, password change, deactivation)
ends every copy of every session. On top of that each session has an idle and an absolute limit,
and "keep me logged in" is our own per-login cookie (services/sessions.py), not Flask-Login's.
After a right password, an account with two-step verification (every staff account) is only
half logged in (PENDING): Flask-Login is not told until the code is right.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, Response, after_this_request, current_app, flash, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services import sessions

PENDING = "_two_step"  # password checked, code not yet: the user is NOT logged in
STARTED = "_started_at"  # when this login began (a remembered login keeps its first start)
SEEN = "_seen_at"  # the last request, to the minute
_SEEN_GRANULARITY = 60  # seconds: don't rewrite the cookie on every request
LEGACY_REMEMBER_COOKIE = "remember_token"  # Flask-Login's, which lasted a year; never honoured


def configure_login(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to see that page."
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(select(User).where(User.session_token == session_token))


def install(app: Flask) -> None:
    """App-wide hooks: they run before any blueprint's own checks."""
    app.before_request(_continue_remembered_login)
    app.before_request(_enforce_session_limits)
    app.after_request(_drop_legacy_remember_cookie)


def begin_session(user: User, *, remember: bool) -> None:
    """Log this browser in; remember it if asked (never for staff, whose logins are short)."""
    login_user(user)
    session[STARTED] = session[SEEN] = time.time()
    if remember and not user.is_staff:
        _set_remember_cookie(sessions.remember_login(user))


@dataclass(frozen=True)
class PendingLogin:
    user: User
    remember: bool
    next: str | None


def begin_pending_login(
    user: User, *, remember: bool, next_path: str | None, account_key: str
) -> None:
    """The password was right and a code is still to come. Until it does the browser stays
    logged out (Flask-Login knows nothing of it), so no other page opens for it."""
    forget_session()
    session[PENDING] = {
        "token": user.session_token,
        "remember": bool(remember),
        "next": next_path,
        "at": time.time(),
        "account": account_key,  # the login limiter's key: wrong codes count as wrong passwords
    }


def pending_login() -> PendingLogin | None:
    """The half-done login of this browser, if it is recent and its account unchanged."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    max_age = current_app.config["SECOND_FACTOR_PENDING_MINUTES"] * 60
    if time.time() - pending.get("at", 0) > max_age:
        session.pop(PENDING, None)
        return None
    user = db.session.scalar(select(User).where(User.session_token == pending.get("token")))
    if user is None or not user.active:
        session.pop(PENDING, None)
        return None
    return PendingLogin(user=user, remember=pending["remember"], next=pending.get("next"))


def pending_account_key() -> str:
    """The login limiter's account key for the half-done login (see limits.py)."""
    pending = session.get(PENDING)
    return pending.get("account", "") if isinstance(pending, dict) else ""


def finish_pending_login(pending: PendingLogin) -> None:
    """The code was right: log in as begin_session does."""
    session.pop(PENDING, None)
    begin_session(pending.user, remember=pending.remember)


def end_session() -> None:
    """Log out: this browser, and every other session and remembered login of the account."""
    if current_user.is_authenticated:
        sessions.log_out_everywhere(current_user._get_current_object())
    forget_session()


def forget_session() -> None:
    """Log this browser out, and drop its remember cookie."""
    logout_user()
    session.pop(PENDING, None)
    session.pop(STARTED, None)
    session.pop(SEEN, None)
    if _cookie_name() in request.cookies:
        _set_remember_cookie(None)


def _limits(user: User) -> tuple[float, float]:
    """(idle, absolute) limits in seconds for this kind of account."""
    config = current_app.config
    if user.is_staff:
        return config["STAFF_SESSION_IDLE_MINUTES"] * 60, config["STAFF_SESSION_MAX_HOURS"] * 3600
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_MAX_HOURS"] * 3600


def _enforce_session_limits() -> None:
    if not current_user.is_authenticated:
        return
    if current_user.is_staff and not current_user.has_second_factor:
        # A staff session from before two-step verification (or after a reset): log in again.
        forget_session()
        flash("Please log in again to set up two-step verification.", "info")
        return
    now = time.time()
    idle, absolute = _limits(current_user)
    started, seen = session.get(STARTED, now), session.get(SEEN, now)
    if now - seen > idle or now - started > absolute:
        forget_session()
        flash("For your security you have been logged out. Please log in again.", "info")
        return
    session.setdefault(STARTED, now)
    if SEEN not in session or now - seen >= _SEEN_GRANULARITY:
        session[SEEN] = now


def _continue_remembered_login() -> None:
    secret = request.cookies.get(_cookie_name())
    if not secret or "_user_id" in session:
        return
    remembered = sessions.use_remember_token(secret)
    if remembered is None:
        _set_remember_cookie(None)
        return
    login_user(remembered.user)
    session[STARTED] = remembered.started_at.timestamp()
    session[SEEN] = time.time()
    _set_remember_cookie(remembered.secret)


def _drop_legacy_remember_cookie(response: Response) -> Response:
    if LEGACY_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(LEGACY_REMEMBER_COOKIE)
    return response


def _cookie_name() -> str:
    return current_app.config["REMEMBER_ME_COOKIE"]


def _set_remember_cookie(secret: str | None) -> None:
    """Set (or, with None, delete) the remember cookie on this request's response."""
    config = current_app.config

    @after_this_request
    def write(response: Response) -> Response:
        if secret is None:
            response.delete_cookie(
                _cookie_name(), secure=config.get("SESSION_COOKIE_SECURE", False)
            )
            return response
        response.set_cookie(
            _cookie_name(),
            secret,
            max_age=config["REMEMBER_ME_DAYS"] * 86400,
            secure=config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
            path="/",
        )
        return response
