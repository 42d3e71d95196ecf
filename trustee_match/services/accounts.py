"""Accounts: sign-up, email verification, passwords, staff accounts, deactivation."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import Charity, CharityMember, Role, User, VolunteerProfile, normalise_email
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..models.user import new_session_token
from ..passwords import dummy_hash, hash_password, needs_rehash, verify_password
from ..ranking.changes import record_change
from .audit import record_audit
from .errors import NotAllowed, ServiceError
from .tokens import TokenCheck, consume_token, issue_token, revoke_tokens

VERIFY = "verify-email"
RESET = "reset-password"


class EmailTaken(ServiceError):
    """Shown on the sign-up form as a plain field error."""


def find_user_by_email(email: str) -> User | None:
    """The account with this address, compared case-insensitively."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _email_taken(email: str) -> bool:
    return (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == normalise_email(email))
        )
        > 0
    )


def _new_user(email: str, password: str, role: Role) -> User:
    if _email_taken(email):
        raise EmailTaken("An account with this email already exists. Try logging in instead.")
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    return user


def _commit_new_account() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        # Two sign-ups for one address at the same moment: the unique constraint decides.
        db.session.rollback()
        raise EmailTaken(
            "An account with this email already exists. Try logging in instead."
        ) from None


def _tell_them_they_have_an_account(user: User, password: str) -> None:
    """A sign-up with a known address: the page says what it says for a new one, and the
    address's owner gets an email with a reset link instead of a second account."""
    # Hash the password all the same, so the answer takes as long as a real sign-up.
    User().set_password(password)
    _email_reset_link(
        user,
        "account_exists",
        "You already have a TrusteeMatch account",
        login_link=external_url("auth.login"),
    )


def register_volunteer(*, display_name: str, email: str, password: str) -> None:
    """Create a volunteer account with an empty profile and send the verification email.

    For an address that already has an account, email its owner instead (sign-up must not
    say which addresses are registered).
    """
    existing = find_user_by_email(email)
    if existing is not None:
        _tell_them_they_have_an_account(existing, password)
        return
    user = _new_user(email, password, Role.VOLUNTEER)
    user.volunteer_profile = VolunteerProfile(display_name=display_name.strip())
    db.session.flush()
    _queue_verification(user, display_name.strip())
    _commit_new_account_quietly()


def _commit_new_account_quietly() -> None:
    """Commit a sign-up; if another sign-up took the address a moment ago, answer as if done
    (that one sent its own verification email)."""
    with suppress(EmailTaken):
        _commit_new_account()


@dataclass(frozen=True)
class CharitySignup:
    contact_name: str
    job_title: str | None
    email: str
    password: str
    charity_name: str
    regulator_number: str | None
    not_registered_reason: str | None
    region: str | None


def register_charity(signup: CharitySignup) -> None:
    """Create a charity, its first member's account, and send the verification email.

    The charity starts pending: staff verify it before any of its needs can be published. A
    known address gets an email instead, as in register_volunteer.
    """
    if signup.regulator_number and db.session.scalar(
        select(Charity.id).where(Charity.regulator_number == signup.regulator_number)
    ):
        raise ServiceError(
            "That charity is already registered with us. Ask a colleague who has an account "
            "to add you, or contact us."
        )
    existing = find_user_by_email(signup.email)
    if existing is not None:
        _tell_them_they_have_an_account(existing, signup.password)
        return
    user = _new_user(signup.email, signup.password, Role.CHARITY)
    charity = Charity(
        name=signup.charity_name.strip(),
        regulator_number=signup.regulator_number,
        not_registered_reason=signup.not_registered_reason,
        region=signup.region,
    )
    db.session.add(charity)
    db.session.add(
        CharityMember(
            charity=charity,
            user=user,
            contact_name=signup.contact_name.strip(),
            job_title=signup.job_title,
        )
    )
    db.session.flush()
    _queue_verification(user, signup.contact_name.strip())
    _commit_new_account_quietly()


def _queue_verification(user: User, name: str) -> None:
    hours = current_app.config["EMAIL_VERIFY_MAX_AGE_HOURS"]
    token = issue_token(user, VERIFY, timedelta(hours=hours))
    queue_email(
        "verify_email",
        user,
        subject="Confirm your email for TrusteeMatch",
        to_name=name,
        name=name,
        link=external_url("auth.verify_email", token=token),
        hours=hours,
    )


def resend_verification(user: User) -> None:
    """Send a fresh verification link, retiring the old ones."""
    if user.email_verified:
        return
    revoke_tokens(user, VERIFY)
    _queue_verification(user, display_name_of(user))
    db.session.commit()


def display_name_of(user: User) -> str:
    """The name we greet a user by in emails."""
    if user.volunteer_profile is not None:
        return user.volunteer_profile.display_name
    if user.memberships:
        return user.memberships[0].contact_name
    return "there"


def verify_email(signed: str) -> TokenCheck:
    """Use a verification link. A used or expired link changes nothing."""
    check = consume_token(signed, VERIFY)
    if check.ok and check.token is not None:
        user = check.token.user
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
            if user.is_volunteer:
                record_change(ChangeKind.VOLUNTEER, user.id)
        db.session.commit()
    else:
        db.session.rollback()
    return check


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials belong to, or None. Same answer time either way."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(dummy_hash(), password)  # so an unknown address takes as long
        return None
    if not user.check_password(password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        # An older scrypt / pbkdf2 hash, or a lower cost: upgraded while we know the password.
        # Not set_password: that would also end the user's other sessions.
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists. Says nothing either way, by design."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    _email_reset_link(user, "reset_password", "Reset your TrusteeMatch password")


def _email_reset_link(user: User, kind: str, subject: str, **context) -> None:
    """Queue an email carrying a fresh single-use reset link, and commit."""
    hours = current_app.config["PASSWORD_RESET_MAX_AGE_HOURS"]
    token = issue_token(user, RESET, timedelta(hours=hours))
    queue_email(
        kind,
        user,
        subject=subject,
        name=display_name_of(user),
        link=external_url("auth.reset_password", token=token),
        hours=hours,
        **context,
    )
    db.session.commit()


def reset_password(signed: str, new_password: str) -> TokenCheck:
    """Set a new password from a reset link. Ends every session; verifies the email too."""
    check = consume_token(signed, RESET)
    if not check.ok or check.token is None:
        db.session.rollback()
        return check
    user = check.token.user
    user.set_password(new_password)
    # Following the emailed link proves the address is theirs.
    user.email_verified_at = user.email_verified_at or utcnow()
    revoke_tokens(user, RESET)
    record_audit(user, "password_reset", "user", user.id)
    db.session.commit()
    return check


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a password; every other session of this user ends."""
    if not user.check_password(current_password):
        raise ServiceError("Your current password is not right.")
    user.set_password(new_password)
    record_audit(user, "password_changed", "user", user.id)
    db.session.commit()


def create_staff(email: str, password: str | None = None) -> tuple[User, str | None]:
    """Create a verified staff account. Without a password, return a one-time set-password link."""
    user = _new_user(email, password or "", Role.STAFF)
    user.email_verified_at = utcnow()
    link = None
    if password is None:
        user.password_hash = None
        db.session.flush()
        token = issue_token(user, RESET, timedelta(days=3))
        link = external_url("auth.reset_password", token=token)
    db.session.flush()
    record_audit(None, "staff_created", "user", user.id, email=user.email)
    _commit_new_account()
    return user, link


def set_user_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account (staff only). A deactivated user is logged out."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can change accounts.")
    if user.id == actor.id:
        raise ServiceError("You cannot deactivate your own account.")
    user.active = active
    if not active:
        user.session_token = new_session_token()
    record_audit(actor, "user_activated" if active else "user_deactivated", "user", user.id)
    if user.is_volunteer:
        record_change(ChangeKind.VOLUNTEER, user.id)
    db.session.commit()
