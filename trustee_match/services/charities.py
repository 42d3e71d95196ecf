"""Charities: their profile, and verification by staff."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import Charity, CharityStatus, IncomeBand, User
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..permissions import is_member_of
from ..ranking.changes import record_change
from ..validators import normalise_regulator_number, regulator_of
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


# Each register's public page for one charity. The formats are the ones public charity-data
# projects link to for the org-id schemes GB-CHC, GB-SC and GB-NIC (checked on 4 Dec 2026
# against several; this machine cannot open the registers themselves).
_REGISTERS = {
    "England and Wales": (
        "the Charity Commission for England and Wales",
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/"
        "{number}",
    ),
    "Scotland": (
        "OSCR, the Scottish Charity Regulator",
        "https://www.oscr.org.uk/about-charities/search-the-register/charity-details"
        "?number={number}",
    ),
    "Northern Ireland": (
        "the Charity Commission for Northern Ireland",
        "https://www.charitycommissionni.org.uk/charity-details/?regId={digits}&subId=0",
    ),
}


@dataclass(frozen=True)
class RegisterLink:
    regulator: str
    url: str


def register_link(number: str | None) -> RegisterLink | None:
    """The charity's entry on its regulator's register, from the number's form (None when the
    number is missing or not one of the three UK formats)."""
    if not number:
        return None
    number = normalise_regulator_number(number)
    where = regulator_of(number)
    if where is None:
        return None
    regulator, template = _REGISTERS[where]
    digits = number.removeprefix("NIC").removeprefix("SC")
    return RegisterLink(regulator, template.format(number=number, digits=digits))


def _already_decided(charity: Charity) -> InvalidTransition:
    db.session.rollback()
    db.session.refresh(charity)
    if charity.is_verified:
        by = f" by {charity.verified_by.email}" if charity.verified_by else ""
        when = f" on {charity.verified_at:%d %B %Y at %H:%M} UTC" if charity.verified_at else ""
        return InvalidTransition(
            f"{charity.name} was already verified{by}{when}. Nothing was changed and nobody "
            "was emailed again."
        )
    return InvalidTransition(
        f"{charity.name} is not waiting for verification. Nothing was changed and nobody was "
        "emailed."
    )


def verify_charity(actor: User, charity: Charity) -> None:
    """Staff confirm the charity is real; its members can now publish needs.

    Safe to send twice (a double click, two staff at once): the status changes with a
    conditional UPDATE, so only one request verifies and emails; the other gets a clear error.
    """
    if not actor.is_staff:
        raise NotAllowed("Only staff can verify charities.")
    if not charity.can_be_verified:
        raise _already_decided(charity)
    claimed = db.session.execute(
        update(Charity)
        .where(Charity.id == charity.id, Charity.status != CharityStatus.VERIFIED)
        .values(
            status=CharityStatus.VERIFIED,
            verified_at=utcnow(),
            verified_by_id=actor.id,
            rejection_reason=None,
        )
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if claimed != 1:
        raise _already_decided(charity)
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
    """Staff decline to verify, with a reason the charity is told (once, however many POSTs)."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can reject charities.")
    if not charity.can_be_rejected:
        raise _already_decided(charity)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give a reason: the charity will see it.")
    claimed = db.session.execute(
        update(Charity)
        .where(Charity.id == charity.id, Charity.status == CharityStatus.PENDING)
        .values(status=CharityStatus.REJECTED, rejection_reason=reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if claimed != 1:
        raise _already_decided(charity)
    record_audit(actor, "charity_rejected", "charity", charity.id, reason=reason)
    record_change(ChangeKind.CHARITY, charity.id)
    _members_emails(
        charity,
        "charity_rejected",
        f"About {charity.name}'s registration on TrusteeMatch",
        reason=reason,
    )
    db.session.commit()
