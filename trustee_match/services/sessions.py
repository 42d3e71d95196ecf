"""Logins that outlive a browser session ("keep me logged in"), and logging out everywhere.

The account's session token is its session version: every session and remembered login carries
it, and a new one (logout, password change, deactivation) ends them all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select

from ..extensions import db
from ..models import RememberToken, User
from ..models.base import utcnow
from ..models.user import new_session_token


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class RememberedLogin:
    user: User
    secret: str  # the rotated secret, for the new cookie
    started_at: datetime


def remember_login(user: User) -> str:
    """A new remembered login for this device; returns the secret for its cookie."""
    now = utcnow()
    # Tidy up: logins that ran out or belong to an older session version.
    db.session.execute(
        delete(RememberToken).where(
            RememberToken.user_id == user.id,
            or_(
                RememberToken.expires_at <= now,
                RememberToken.user_session_token != user.session_token,
            ),
        )
    )
    secret = secrets.token_urlsafe(32)
    days = current_app.config["REMEMBER_ME_DAYS"]
    db.session.add(
        RememberToken(
            user_id=user.id,
            token_hash=_hash(secret),
            user_session_token=user.session_token,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    db.session.commit()
    return secret


def use_remember_token(secret: str) -> RememberedLogin | None:
    """The login a remember cookie continues, with a fresh secret; None if it is no good.

    A secret works once: the row gets a new one, so a copied cookie stops working as soon as
    either copy is used.
    """
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(RememberToken).where(RememberToken.token_hash == _hash(secret)).with_for_update()
    )
    if token is None:
        return None
    user = token.user
    if (
        token.expires_at <= utcnow()
        or not user.active
        or token.user_session_token != user.session_token
    ):
        db.session.delete(token)
        db.session.commit()
        return None
    new_secret = secrets.token_urlsafe(32)
    token.token_hash = _hash(new_secret)
    token.last_used_at = utcnow()
    db.session.commit()
    return RememberedLogin(user=user, secret=new_secret, started_at=token.created_at)


def log_out_everywhere(user: User) -> None:
    """End every session and remembered login of this account (what logging out does)."""
    user.session_token = new_session_token()
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))
    db.session.commit()


def log_out_everyone() -> int:
    """End every session and remembered login of every account (after a suspected breach).
    Returns how many accounts were logged out."""
    users = list(db.session.scalars(select(User)))
    for user in users:
        user.session_token = new_session_token()
    db.session.execute(delete(RememberToken))
    db.session.commit()
    return len(users)
