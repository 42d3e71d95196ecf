"""Signed, expiring, single-use links.

The URL carries an itsdangerous signature over a random nonce; the nonce's row says whom it is
for, what it does and until when. Using it is a conditional UPDATE on `used_at IS NULL`, so two
clicks at once cannot both succeed.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from ..extensions import db
from ..models import OneTimeToken, User
from ..models.base import utcnow


class TokenProblem(enum.StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of looking a link up: the token row, or what is wrong with it."""

    token: OneTimeToken | None
    problem: TokenProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"link:{purpose}")


def issue_token(user: User, purpose: str, max_age: timedelta, subject_id: int | None = None) -> str:
    """Create a single-use token in the current transaction; return the signed string."""
    nonce = secrets.token_urlsafe(24)
    db.session.add(
        OneTimeToken(
            nonce=nonce,
            purpose=purpose,
            user_id=user.id,
            subject_id=subject_id,
            expires_at=utcnow() + max_age,
        )
    )
    return _serializer(purpose).dumps(nonce)


def check_token(signed: str, purpose: str) -> TokenCheck:
    """Look a link up without using it (what a GET may do)."""
    try:
        nonce = _serializer(purpose).loads(signed)
    except BadSignature:
        return TokenCheck(None, TokenProblem.INVALID)
    token = db.session.scalar(
        select(OneTimeToken).where(OneTimeToken.nonce == nonce, OneTimeToken.purpose == purpose)
    )
    if token is None:
        return TokenCheck(None, TokenProblem.INVALID)
    if token.used_at is not None:
        return TokenCheck(token, TokenProblem.USED)
    if token.expires_at <= utcnow():
        return TokenCheck(token, TokenProblem.EXPIRED)
    return TokenCheck(token, None)


def consume_token(signed: str, purpose: str) -> TokenCheck:
    """Check a link and mark it used, atomically. The caller commits."""
    check = check_token(signed, purpose)
    if not check.ok:
        return check
    assert check.token is not None
    result = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == check.token.id, OneTimeToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return TokenCheck(check.token, TokenProblem.USED)
    db.session.refresh(check.token)
    return check


def revoke_tokens(user: User, purpose: str, subject_id: int | None = None) -> None:
    """Mark every unused token of this kind for this user as used (e.g. after a reset)."""
    query = update(OneTimeToken).where(
        OneTimeToken.user_id == user.id,
        OneTimeToken.purpose == purpose,
        OneTimeToken.used_at.is_(None),
    )
    if subject_id is not None:
        query = query.where(OneTimeToken.subject_id == subject_id)
    db.session.execute(query.values(used_at=utcnow()).execution_options(synchronize_session=False))
