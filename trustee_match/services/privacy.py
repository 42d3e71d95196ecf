"""GDPR rights: a person's data as JSON, deleting an account, and purging old closed matches.

What deleting an account keeps, and why (the privacy notice, templates/public/privacy.html, says
the same in plain words):

- The account row stays, emptied: no email (a placeholder address), no password, no name,
  inactive, so the matches, history lines and audit entries that point at it still make sense
  ("a former volunteer declined") and staff decisions stay explainable. Nothing in it can be
  tied back to the person.
- A volunteer's profile is emptied (name, headline, bio, phone, LinkedIn, skills, causes).
- A charity member's membership (name, job title) is removed. The charity itself belongs to the
  charity, not to the member: the last member cannot delete themselves until another member
  joins or staff close the charity (`LastMember`), so no charity is left with no one to answer.
- Open matches are withdrawn first, through the usual workflow, so the charity is told.
- Outbox rows to the person lose the address, the name and the body; ones not yet sent are
  cancelled. Delivery events lose the address.
- The audit log gains one entry (who asked: the person or staff), with no personal data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db
from ..matches.actions import withdraw_open_matches_of_volunteer
from ..matches.state import state_label
from ..models import (
    EmailEvent,
    Match,
    MatchState,
    MatchTransition,
    Need,
    OneTimeToken,
    OutboxMessage,
    OutboxStatus,
    RememberToken,
    Role,
    User,
    VolunteerProfile,
)
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..models.user import new_session_token
from ..permissions import can_delete_account, can_export_data
from ..ranking.changes import record_change
from .audit import record_audit
from .errors import NotAllowed, ServiceError

# Addresses that can never receive mail (RFC 2606): a deleted account, a purged match's stand-in.
DELETED_DOMAIN = "deleted.invalid"
ANONYMISED_DOMAIN = "anonymised.invalid"
FORMER_VOLUNTEER = "Former volunteer"
_STATUS_WORDS = {
    OutboxStatus.PENDING: "waiting to be sent",
    OutboxStatus.SENDING: "being sent",
    OutboxStatus.SENT: "sent",
    OutboxStatus.FAILED: "could not be sent",
    OutboxStatus.UNCONFIRMED: "may have been sent",
}


class LastMember(ServiceError):
    """The charity would be left with no member."""


def is_removed(user: User) -> bool:
    """A deleted account, or a purged match's stand-in."""
    return user.email.endswith(("@" + DELETED_DOMAIN, "@" + ANONYMISED_DOMAIN))


# --- Export -------------------------------------------------------------------------------


def export_user_data(actor: User, user: User) -> dict[str, Any]:
    """Everything we hold about `user`, as they may see it; staff exports are audit-logged."""
    if not can_export_data(actor, user):
        raise NotAllowed("You can download only your own data.")
    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "account": {
            "email": user.email,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_verified_at),
            "active": user.active,
        },
        "volunteer_profile": _profile(user.volunteer_profile),
        "charity_memberships": [
            {
                "charity": m.charity.name,
                "your_name": m.contact_name,
                "job_title": m.job_title,
                "joined_at": _iso(m.created_at),
            }
            for m in user.memberships
        ],
        "matches": _matches(user),
        "emails_sent_to_you": _emails(user),
    }
    if actor.id != user.id:
        record_audit(actor, "user_data_exported", "user", user.id)
        db.session.commit()
    return data


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _profile(profile: VolunteerProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "region": profile.region,
        "remote_ok": profile.remote_ok,
        "hours_per_month": profile.hours_per_month,
        "board_experience": profile.board_experience.value,
        "linkedin_url": profile.linkedin_url,
        "phone": profile.phone,
        "available_for_matches": profile.available,
        "skills": [{"skill": s.skill.name, "level": s.level.value} for s in profile.skills],
        "causes": [cause.name for cause in profile.causes],
        "updated_at": _iso(profile.updated_at),
    }


def _matches(user: User) -> list[dict[str, Any]]:
    """The volunteer's own matches, or a member's charity's: what each side sees of them."""
    charity_ids = [m.charity_id for m in user.memberships]
    clauses = [Match.volunteer_id == user.id]
    if charity_ids:
        clauses.append(Match.need_id.in_(select(Need.id).where(Need.charity_id.in_(charity_ids))))
    matches = db.session.scalars(select(Match).where(or_(*clauses)).order_by(Match.id)).all()
    out = []
    for match in matches:
        as_volunteer = match.volunteer_id == user.id
        entry: dict[str, Any] = {
            "role": match.need.title,
            "charity": match.need.charity.name,
            "status": state_label(match.state),
            "created_at": _iso(match.created_at),
            "history": [
                {"status": state_label(t.to_state), "at": _iso(t.created_at)}
                for t in sorted(match.transitions, key=lambda t: t.id)
            ],
        }
        if as_volunteer:
            entry["why_we_suggested_it"] = list(match.volunteer_reasons or [])
            entry["your_reply"] = match.volunteer_reply.value if match.volunteer_reply else None
        else:
            profile = match.volunteer.volunteer_profile
            entry["volunteer"] = profile.first_name if profile else FORMER_VOLUNTEER
            entry["charity_reply"] = match.charity_reply.value if match.charity_reply else None
        out.append(entry)
    return out


def _emails(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(or_(OutboxMessage.user_id == user.id, OutboxMessage.to_email == user.email))
        .order_by(OutboxMessage.id)
    ).all()
    return [
        {
            "subject": row.subject,
            "queued_at": _iso(row.created_at),
            "sent_at": _iso(row.sent_at),
            "status": _STATUS_WORDS[row.status],
            "text": row.text_body,
        }
        for row in rows
    ]


# --- Deletion -----------------------------------------------------------------------------


def delete_account(actor: User, user: User, password: str | None = None) -> None:
    """Delete `user`'s account (themselves, with their password; or staff on request); commits.

    Raises NotAllowed, ServiceError for a wrong password, or LastMember.
    """
    if not can_delete_account(actor, user):
        raise NotAllowed("You can delete only your own account.")
    if actor.id == user.id and not user.check_password(password or ""):
        raise ServiceError("That password is not right.")
    for membership in user.memberships:
        others = [m for m in membership.charity.members if m.user_id != user.id]
        if not others:
            raise LastMember(
                f"This is the only member of {membership.charity.name}: deleting the account "
                "would leave the charity with no one to answer volunteers. Another member needs "
                "to join first, or our staff can close the charity's account."
            )
    by = "self" if actor.id == user.id else "staff"
    if user.is_volunteer:
        withdraw_open_matches_of_volunteer(actor, user, "The volunteer deleted their account.")
    old_email = user.email
    _scrub_email_trail(user, old_email)
    _empty_profile(user)
    for membership in list(user.memberships):
        db.session.delete(membership)
    db.session.execute(OneTimeToken.__table__.delete().where(OneTimeToken.user_id == user.id))
    db.session.execute(RememberToken.__table__.delete().where(RememberToken.user_id == user.id))
    user.email = f"deleted-{user.id}@{DELETED_DOMAIN}"
    user.password_hash = None
    user.active = False
    user.email_verified_at = None
    user.email_bounced_at = None
    user.session_token = new_session_token()  # every session and remember-me cookie dies
    if user.role == Role.VOLUNTEER:
        record_change(ChangeKind.VOLUNTEER, user.id)
    record_audit(actor, "account_deleted", "user", user.id, by=by, role=user.role.value)
    db.session.commit()


def _empty_profile(user: User) -> None:
    profile = user.volunteer_profile
    if profile is None:
        return
    profile.display_name = FORMER_VOLUNTEER
    profile.headline = ""
    profile.bio = ""
    profile.region = None
    profile.hours_per_month = None
    profile.linkedin_url = None
    profile.phone = None
    profile.available = False
    profile.skills.clear()
    profile.causes.clear()


def _scrub_email_trail(user: User, email: str) -> None:
    """Outbox rows and delivery events to this person lose the address and the words."""
    mine = or_(OutboxMessage.user_id == user.id, OutboxMessage.to_email == email)
    db.session.execute(
        update(OutboxMessage)
        .where(mine, OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.UNCONFIRMED]))
        .values(status=OutboxStatus.FAILED, last_error="not sent: the account was deleted")
        .execution_options(synchronize_session=False)
    )
    ids = select(OutboxMessage.id).where(mine)
    db.session.execute(
        update(EmailEvent)
        .where(or_(EmailEvent.outbox_id.in_(ids), EmailEvent.email == email))
        .values(email=None, reason=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(mine)
        .values(
            to_email=f"deleted-{user.id}@{DELETED_DOMAIN}",
            to_name=None,
            text_body="",
            html_body="",
        )
        .execution_options(synchronize_session=False)
    )


# --- Retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    anonymised: int
    cutoff_days: int


def purge_closed_matches() -> PurgeResult:
    """Declined and expired matches older than PRIVACY_RETENTION_DAYS lose their volunteer.

    Each moves to a stand-in account of its own ("Former volunteer", unreachable, never put
    forward), so the charity's and staff's history still reads and the decision stays a label
    for the ranker, but no one can tell whose it was. Replies, reasons and history notes that
    came from the volunteer are cleared. Commits.
    """
    days = int(current_app.config["PRIVACY_RETENTION_DAYS"])
    cutoff = utcnow() - timedelta(days=days)
    matches = db.session.scalars(
        select(Match)
        .join(User, User.id == Match.volunteer_id)
        .where(
            Match.state.in_([MatchState.DECLINED, MatchState.EXPIRED]),
            Match.updated_at < cutoff,
            User.email.not_like(f"%@{DELETED_DOMAIN}"),
            User.email.not_like(f"%@{ANONYMISED_DOMAIN}"),
        )
        .order_by(Match.id)
    ).all()
    for match in matches:
        volunteer_id = match.volunteer_id
        stand_in = User(
            email=f"former-{secrets.token_hex(8)}@{ANONYMISED_DOMAIN}",
            role=Role.VOLUNTEER,
            active=False,
            password_hash=None,
        )
        stand_in.volunteer_profile = VolunteerProfile(
            display_name=FORMER_VOLUNTEER, available=False
        )
        db.session.add(stand_in)
        db.session.flush()
        match.volunteer_id = stand_in.id
        match.reasons = []
        match.volunteer_reasons = []
        db.session.execute(
            update(MatchTransition)
            .where(MatchTransition.match_id == match.id)
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(MatchTransition)
            .where(MatchTransition.match_id == match.id, MatchTransition.actor_id == volunteer_id)
            .values(actor_id=stand_in.id)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.match_id == match.id, OutboxMessage.user_id == volunteer_id)
            .values(match_id=None)
            .execution_options(synchronize_session=False)
        )
    if matches:
        record_audit(None, "matches_anonymised", "match", None, count=len(matches), days=days)
    db.session.commit()
    return PurgeResult(anonymised=len(matches), cutoff_days=days)
