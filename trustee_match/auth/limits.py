"""How many login attempts we take: per IP, and failures per account across every IP.

Counts live in RATELIMIT_STORAGE_URI (Redis in production, so every worker shares them). The
account is keyed by a hash of its address, so the limiter's own log lines carry no email.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..models import normalise_email
from .session import pending_account_key


def account_key(email: str) -> str:
    """The account's key: a hash of its address (so the limiter's own logs carry no email)."""
    email = normalise_email(email)[:254]
    return "login-account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _account_key() -> str:
    return account_key(request.form.get("email", ""))


def _pending_account_key() -> str:
    """The half-logged-in account's key; for a logged-in user setting up an app, their own."""
    if key := pending_account_key():
        return key
    if current_user.is_authenticated:
        return account_key(current_user.email)
    return "login-account:none"  # the views send these away without checking anything


def _failed(response: Response) -> bool:
    return bool(g.get("login_failed"))


def note_failed_login() -> None:
    """Count this attempt against the account (the views call it on a wrong password or code)."""
    g.login_failed = True


per_ip = limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_IP"], methods=["POST"])
# One count per account for wrong passwords and wrong two-step codes alike (a shared scope).
per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
    "login-account",
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
per_account_code = limiter.shared_limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
    "login-account",
    key_func=_pending_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
