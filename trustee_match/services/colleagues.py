"""A charity's members: inviting colleagues by email, removing members, and choosing who gets
match emails.

An invitation link is signed (itsdangerous over a random nonce), expires, and works once: the
nonce's row is marked used by a conditional UPDATE in the transaction that creates the account.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import (
    Charity,
    CharityInvitation,
    CharityMember,
    RememberToken,
    Role,
    User,
    normalise_email,
)
from ..models.base import utcnow
from ..models.user import new_session_token
from ..permissions import is_member_of
from .audit import record_audit
from .errors import NotAllowed, ServiceError

INVITE_DAYS = 7


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="link:charity-invite")


def _member_count(charity: Charity) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CharityMember).where(
            CharityMember.charity_id == charity.id
        )
    ) or 0


def invite_colleague(actor: User, charity: Charity, email: str) -> CharityInvitation:
    """Email a colleague a link to join the charity; commits."""
    if not is_member_of(actor, charity):
        raise NotAllowed("Only the charity's own members can invite colleagues.")
    email = normalise_email(email)
    if any(m.user.email == email for m in charity.members):
        raise ServiceError("That person is already one of your colleagues here.")
    nonce = secrets.token_urlsafe(24)
    invitation = CharityInvitation(
        charity=charity,
        email=email,
        nonce=nonce,
        invited_by=actor,
        expires_at=utcnow() + timedelta(days=INVITE_DAYS),
    )
    db.session.add(invitation)
    inviter = next(m.contact_name for m in charity.members if m.user_id == actor.id)
    queue_email(
        "colleague_invitation",
        email,
        subject=f"{inviter} invited you to {charity.name} on TrusteeMatch",
        inviter=inviter,
        charity=charity,
        link=external_url("links.invitation", token=_serializer().dumps(nonce)),
        days=INVITE_DAYS,
    )
    record_audit(actor, "colleague_invited", "charity", charity.id)
    db.session.commit()
    return invitation


class InviteLink(enum.StrEnum):
    READY = "ready"
    DONE = "done"
    HAS_ACCOUNT = "has_account"  # the address already has an account: it can't join
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class InviteView:
    status: InviteLink
    invitation: CharityInvitation | None = None


def inspect_invitation(signed: str) -> InviteView:
    """What the link's page may show (a GET changes nothing)."""
    try:
        nonce = _serializer().loads(signed)
    except BadSignature:
        return InviteView(InviteLink.INVALID)
    invitation = db.session.scalar(
        select(CharityInvitation).where(CharityInvitation.nonce == nonce)
    )
    if invitation is None:
        return InviteView(InviteLink.INVALID)
    if invitation.used_at is not None:
        return InviteView(InviteLink.USED, invitation)
    if invitation.expires_at <= utcnow():
        return InviteView(InviteLink.EXPIRED, invitation)
    taken = db.session.scalar(select(User.id).where(User.email == invitation.email))
    if taken is not None:
        return InviteView(InviteLink.HAS_ACCOUNT, invitation)
    return InviteView(InviteLink.READY, invitation)


def accept_invitation(
    signed: str, *, contact_name: str, job_title: str | None, password: str
) -> InviteView:
    """Create the colleague's account and membership from the link; commits. The link's own
    address is the login (clicking it proved the address is theirs)."""
    view = inspect_invitation(signed)
    if view.status != InviteLink.READY:
        return view
    invitation = view.invitation
    assert invitation is not None
    claimed = db.session.execute(
        update(CharityInvitation)
        .where(CharityInvitation.id == invitation.id, CharityInvitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return InviteView(InviteLink.USED, invitation)
    user = User(email=invitation.email, role=Role.CHARITY, email_verified_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.add(
        CharityMember(
            charity_id=invitation.charity_id,
            user=user,
            contact_name=contact_name.strip(),
            job_title=(job_title or "").strip() or None,
        )
    )
    record_audit(user, "colleague_joined", "charity", invitation.charity_id)
    try:
        db.session.commit()
    except IntegrityError:
        # The address signed up by itself at the same moment.
        db.session.rollback()
        return InviteView(InviteLink.HAS_ACCOUNT, invitation)
    db.session.refresh(invitation)
    return InviteView(InviteLink.DONE, invitation)


def remove_member(actor: User, member: CharityMember) -> None:
    """A member removes a colleague, or leaves; the last member can't. Commits.

    The account goes with the membership: a charity account belongs to exactly one charity."""
    if not is_member_of(actor, member.charity):
        raise NotAllowed("Only the charity's own members can change who is a member.")
    charity = member.charity
    if _member_count(charity) <= 1:
        raise ServiceError(
            f"You are the last member of {charity.name}, so you can't leave: invite a "
            "colleague first, or ask our team to close the account."
        )
    user = member.user
    db.session.delete(member)
    remaining = [m for m in charity.members if m.id != member.id]
    if not any(m.match_emails for m in remaining):
        for other in remaining:  # whoever is left must hear about matches
            other.match_emails = True
    user.active = False
    # Their sessions and remembered logins end with the membership.
    user.session_token = new_session_token()
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))
    record_audit(actor, "member_removed", "charity", charity.id, user_id=user.id)
    db.session.commit()


def choose_match_email_members(actor: User, charity: Charity, member_ids: list[int]) -> None:
    """Which members get match emails; at least one must. Commits."""
    if not is_member_of(actor, charity):
        raise NotAllowed("Only the charity's own members can choose this.")
    wanted = set(member_ids)
    ours = {m.id for m in charity.members}
    if not wanted <= ours:
        raise ServiceError("One of those people is not a member here. Please choose again.")
    if not wanted:
        raise ServiceError(
            "Choose at least one person to get match emails, so no reply is ever missed."
        )
    for member in charity.members:
        member.match_emails = member.id in wanted
    db.session.commit()
