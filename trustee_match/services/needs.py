"""Needs: a charity's trustee roles, from draft to closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..matches.actions import withdraw_open_matches_of
from ..models import (
    Charity,
    CharityStatus,
    Need,
    NeedSkill,
    NeedStatus,
    Skill,
    User,
    need_causes,
)
from ..models.base import utcnow
from ..models.need import ENDED_STATUSES, NEED_ACTIONS
from ..models.ranker_change import ChangeKind
from ..permissions import can_edit_need, is_member_of
from ..ranking.changes import record_change
from .errors import InvalidTransition, NotAllowed, ServiceError
from .taxonomy import causes_with_ids


@dataclass
class NeedFields:
    title: str
    description: str
    region: str | None
    town: str | None
    remote_ok: bool
    hours_per_month: int
    closing_date: date | None
    required_skill_ids: list[int] = field(default_factory=list)
    desired_skill_ids: list[int] = field(default_factory=list)
    cause_ids: list[int] = field(default_factory=list)


def _apply(need: Need, fields: NeedFields) -> None:
    wanted = set(fields.required_skill_ids) | set(fields.desired_skill_ids)
    found = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(wanted))))
    if found != wanted:
        raise ServiceError("One of the skills is not on our list. Please choose again.")
    causes = causes_with_ids(fields.cause_ids)
    if fields.closing_date is not None and fields.closing_date < date.today():
        raise ServiceError("The closing date is in the past. Choose a date from today on.")

    need.title = fields.title.strip()
    need.description = fields.description.strip()
    need.region = fields.region or None
    need.town = (fields.town or "").strip() or None
    need.remote_ok = fields.remote_ok
    need.hours_per_month = fields.hours_per_month
    need.closing_date = fields.closing_date
    need.causes = causes
    required = set(fields.required_skill_ids)
    # A skill both required and desired counts as required.
    links = {link.skill_id: link for link in need.skill_links}
    for skill_id, link in links.items():
        if skill_id not in wanted:
            need.skill_links.remove(link)
    for skill_id in sorted(wanted):
        if skill_id in links:
            links[skill_id].required = skill_id in required
        else:
            need.skill_links.append(NeedSkill(skill_id=skill_id, required=skill_id in required))


def create_need(actor: User, charity: Charity, fields: NeedFields) -> Need:
    """Save a new need as a draft. Any member may draft, verified or not."""
    if not is_member_of(actor, charity):
        raise NotAllowed("Only the charity's own members can post its needs.")
    need = Need(status=NeedStatus.DRAFT)
    _apply(need, fields)
    need.charity = charity
    db.session.add(need)
    db.session.commit()
    return need


def update_need(actor: User, need: Need, fields: NeedFields) -> None:
    """Edit a need that is not yet closed or filled."""
    if not can_edit_need(actor, need):
        raise NotAllowed("Only the charity's own members can edit its needs.")
    if not need.can_be_edited:
        raise InvalidTransition("This role is closed, so it can no longer be edited.")
    _apply(need, fields)
    record_change(ChangeKind.NEED, need.id)
    db.session.commit()


def change_need_status(actor: User, need: Need, action: str) -> None:
    """Publish, pause, close or mark a need filled. Publishing needs a verified charity."""
    if not can_edit_need(actor, need):
        raise NotAllowed("Only the charity's own members can change its needs.")
    if action not in NEED_ACTIONS:
        raise InvalidTransition("That is not something you can do to a role.")
    _, target = NEED_ACTIONS[action]
    if action not in need.allowed_actions:
        raise InvalidTransition(
            f"A role that is {need.status.value} cannot be {target.value.replace('_', ' ')}."
        )
    if target == NeedStatus.OPEN:
        if need.charity.status != CharityStatus.VERIFIED:
            raise InvalidTransition(
                "Your charity has not been verified yet, so the role stays a draft. We usually "
                "verify within two working days; you'll get an email when it's done."
            )
        if need.closing_date is not None and need.closing_date < date.today():
            raise InvalidTransition("The closing date has passed. Set a new one, then publish.")
        need.published_at = need.published_at or utcnow()
    if target in ENDED_STATUSES:
        withdraw_open_matches_of(actor, need)
    need.status = target
    record_change(ChangeKind.NEED, need.id)
    db.session.commit()


@dataclass(frozen=True)
class NeedFilters:
    skill_id: int | None = None
    cause_id: int | None = None
    region: str | None = None
    remote_only: bool = False


def with_need_details():
    """Loader options for showing needs: the charity, the skills and the causes, up front."""
    return (
        joinedload(Need.charity),
        selectinload(Need.causes),
        selectinload(Need.skill_links).joinedload(NeedSkill.skill),
    )


def open_needs_query(filters: NeedFilters) -> Select[tuple[Need]]:
    """Open needs of verified charities, newest first, narrowed by the filters."""
    query = (
        select(Need)
        .join(Need.charity)
        .where(Need.status == NeedStatus.OPEN, Charity.status == CharityStatus.VERIFIED)
        .where((Need.closing_date.is_(None)) | (Need.closing_date >= date.today()))
        .options(*with_need_details())
        .order_by(Need.published_at.desc(), Need.id.desc())
    )
    if filters.skill_id:
        query = query.where(Need.skill_links.any(NeedSkill.skill_id == filters.skill_id))
    if filters.cause_id:
        query = query.where(
            Need.id.in_(
                select(need_causes.c.need_id).where(need_causes.c.cause_id == filters.cause_id)
            )
        )
    if filters.region:
        query = query.where(Need.region == filters.region)
    if filters.remote_only:
        query = query.where(Need.remote_ok.is_(True))
    return query
