"""Two-step verification: a time-based code from an authenticator app (TOTP, RFC 6238), with
single-use recovery codes for a lost phone. Staff must use it; everyone else may.

The TOTP secret is stored encrypted (AES-256-GCM, a fresh 96-bit nonce each time) under a key
derived with HKDF-SHA256 from SECOND_FACTOR_KEY, or SECRET_KEY when that is not set, so a copy
of the database alone does not give anyone the codes. Recovery codes are stored as SHA-256
hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import RecoveryCode, User
from ..models.base import utcnow
from .audit import record_audit
from .errors import NotAllowed, ServiceError
from .sessions import log_out_everywhere

log = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # 5 bits a character
_RECOVERY_LENGTH = 24  # 120 bits: above ASVS 6.5.2's 112, so a plain hash suffices
# Codes from one step either side of now: a phone's clock a little out still works.
_STEPS_EITHER_SIDE = 1


class WrongCode(ServiceError):
    """The code does not match (or was used already)."""


def required_for(user: User) -> bool:
    """Whether logging in as this user takes a code after the password."""
    return user.is_staff or user.has_second_factor


_NONCE_BYTES = 12
_AAD = b"trustee-match totp secret v1"


def _cipher() -> AESGCM:
    config = current_app.config
    material = (config.get("SECOND_FACTOR_KEY") or config["SECRET_KEY"]).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"trustee-match totp secrets"
    ).derive(material)
    return AESGCM(key)


def _encrypt(secret: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher().encrypt(nonce, secret.encode(), _AAD)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _decrypt(stored: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(stored.encode())
        return _cipher().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD).decode()
    except (InvalidTag, ValueError):
        return None


def encrypt_secret(secret: str) -> str:
    """The stored form of a TOTP secret (tests and the setup use it)."""
    return _encrypt(secret)


def secret_of(user: User) -> str | None:
    """The user's TOTP secret in the clear, or None (none set, or the key has changed)."""
    if not user.totp_secret:
        return None
    secret = _decrypt(user.totp_secret)
    if secret is None:
        log.error("second factor secret unreadable (key changed?): user %s", user.id)
    return secret


@dataclass(frozen=True)
class Setup:
    secret: str  # for typing into the app by hand
    qr_data_uri: str  # an SVG QR code, drawn here: the secret never leaves for another site


def start_setup(user: User) -> Setup:
    """A secret to set up an authenticator app with, kept until the user confirms a code.

    Showing the page again shows the same secret, so a code from the app still works.
    """
    if user.has_second_factor:
        raise ServiceError("Two-step verification is already on.")
    secret = secret_of(user)
    if secret is None:
        secret = pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends
        user.totp_secret = _encrypt(secret)
        user.totp_last_step = None
        db.session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SITE_NAME"]
    )
    qr = segno.make(uri, error="m")
    return Setup(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_data_uri=qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"),
    )


def _normalise(code: str) -> str:
    return "".join(c for c in (code or "") if c not in " -\t").lower()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - _STEPS_EITHER_SIDE, current + _STEPS_EITHER_SIDE + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp_code(user: User, code: str) -> bool:
    """Accept an app code once: its time step must be later than the last one accepted.

    One UPDATE decides, so two requests racing with the same code cannot both pass.
    """
    secret = secret_of(user)
    if secret is None or not (len(code) == 6 and code.isdigit()):
        return False
    step = _matching_step(secret, code, utcnow())
    if step is None:
        return False
    taken = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != _RECOVERY_LENGTH:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    used_recovery_code: bool = False
    recovery_codes_left: int = 0


def check_login_code(user: User, code: str) -> CodeCheck:
    """The second step of logging in: a code from the app, or an unused recovery code."""
    code = _normalise(code)
    if not user.has_second_factor:
        return CodeCheck(ok=False)
    if _use_totp_code(user, code):
        db.session.commit()
        return CodeCheck(ok=True)
    if _use_recovery_code(user, code):
        record_audit(user, "recovery_code_used", "user", user.id)
        db.session.commit()
        return CodeCheck(ok=True, used_recovery_code=True, recovery_codes_left=codes_left(user))
    db.session.rollback()
    return CodeCheck(ok=False)


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes
    )
    return ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in codes]


def confirm_setup(user: User, code: str) -> list[str]:
    """Switch two-step verification on once the user shows a code from their app.

    Returns the recovery codes, in the clear for the one time they are shown. Every other
    session and remembered login of the account ends (they began with the password alone).
    """
    if user.has_second_factor:
        raise ServiceError("Two-step verification is already on.")
    if not _use_totp_code(user, _normalise(code)):
        db.session.rollback()
        raise WrongCode(
            "That code does not match. Enter the 6 digits your app shows now for TrusteeMatch."
        )
    user.second_factor_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    record_audit(user, "second_factor_on", "user", user.id)
    log_out_everywhere(user)  # commits
    return codes


def codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _clear(user: User) -> None:
    user.totp_secret = None
    user.second_factor_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user: User, password: str) -> None:
    """Switch two-step verification off (not for staff, who must keep it). Asks the password."""
    if user.is_staff:
        raise NotAllowed("Staff accounts must keep two-step verification on.")
    if not user.check_password(password):
        raise ServiceError("Your password is not right.")
    _clear(user)
    record_audit(user, "second_factor_off", "user", user.id)
    db.session.commit()


def reset(user: User) -> None:
    """For a lost phone (the CLI): switch it off and end every session of the account. A staff
    member is asked to set it up again at their next login."""
    _clear(user)
    record_audit(None, "second_factor_reset", "user", user.id)
    log_out_everywhere(user)  # commits
