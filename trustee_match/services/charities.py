"""Charities: their profile, and verification by staff."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import Charity, CharityStatus, IncomeBand, User
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..permissions import is_member_of
from ..ranking.changes import record_change
from .audit import record_audit
from .errors import InvalidTransition, NotAllowed, ServiceError
from .taxonomy import causes_with_ids


@dataclass
class CharityProfile:
    name: str
    description: str
    region: str | None
    town: str | None
    income_band: str | None
    website: str | None
    cause_ids: list[int] = field(default_factory=list)


def update_charity(actor: User, charity: Charity, profile: CharityProfile) -> None:
    """A member edits the charity's public profile. The regulator number is fixed once given."""
    if not is_member_of(actor, charity):
        raise NotAllowed("Only the charity's own members can edit its profile.")
    causes = causes_with_ids(profile.cause_ids)
    charity.name = profile.name.strip()
    charity.description = profile.description.strip()
    charity.region = profile.region or None
    charity.town = (profile.town or "").strip() or None
    charity.income_band = IncomeBand(profile.income_band) if profile.income_band else None
    charity.website = profile.website or None
    charity.causes = causes
    db.session.commit()


def _members_emails(charity: Charity, kind: str, subject: str, **context) -> None:
    for member in charity.members:
        queue_email(
            kind,
            member.user,
            subject=subject,
            to_name=member.contact_name,
            name=member.contact_name,
            charity=charity,
            **context,
        )


def verify_charity(actor: User, charity: Charity) -> None:
    """Staff confirm the charity is real; its members can now publish needs."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can verify charities.")
    if not charity.can_be_verified:
        raise InvalidTransition(f"{charity.name} is already verified.")
    charity.status = CharityStatus.VERIFIED
    charity.verified_at = utcnow()
    charity.verified_by_id = actor.id
    charity.rejection_reason = None
    record_audit(actor, "charity_verified", "charity", charity.id, name=charity.name)
    record_change(ChangeKind.CHARITY, charity.id)
    _members_emails(
        charity,
        "charity_verified",
        f"{charity.name} is verified on TrusteeMatch",
        link=external_url("charity.dashboard"),
    )
    db.session.commit()


def reject_charity(actor: User, charity: Charity, reason: str) -> None:
    """Staff decline to verify, with a reason the charity is told."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can reject charities.")
    if not charity.can_be_rejected:
        raise InvalidTransition(f"{charity.name} is not waiting for verification.")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give a reason: the charity will see it.")
    charity.status = CharityStatus.REJECTED
    charity.rejection_reason = reason
    record_audit(actor, "charity_rejected", "charity", charity.id, reason=reason)
    record_change(ChangeKind.CHARITY, charity.id)
    _members_emails(
        charity,
        "charity_rejected",
        f"About {charity.name}'s registration on TrusteeMatch",
        reason=reason,
    )
    db.session.commit()
