"""How many login attempts we take: per IP, and failures per account across every IP.

Counts live in RATELIMIT_STORAGE_URI (Redis in production, so every worker shares them). The
account is keyed by a hash of its address, so the limiter's own log lines carry no email.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, request
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..models import normalise_email


def _account_key() -> str:
    email = normalise_email(request.form.get("email", ""))[:254]
    return "login-account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _failed(response: Response) -> bool:
    return bool(g.get("login_failed"))


def note_failed_login() -> None:
    """Count this attempt against the account (the view calls it when the password is wrong)."""
    g.login_failed = True


per_ip = limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_IP"], methods=["POST"])
per_account = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
