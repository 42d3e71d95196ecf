"""Volunteer profiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import BoardExperience, Skill, SkillLevel, User, VolunteerSkill
from ..models.ranker_change import ChangeKind
from ..ranking.changes import record_change
from .errors import NotAllowed, ServiceError
from .taxonomy import causes_with_ids


@dataclass
class ProfileUpdate:
    display_name: str
    headline: str
    bio: str
    region: str | None
    remote_ok: bool
    hours_per_month: int
    board_experience: str
    linkedin_url: str | None
    phone: str | None
    available: bool
    skill_levels: dict[int, str] = field(default_factory=dict)
    cause_ids: list[int] = field(default_factory=list)


def update_volunteer_profile(actor: User, update: ProfileUpdate) -> None:
    """Save the acting volunteer's own profile: fields, skills with levels, causes."""
    profile = actor.volunteer_profile
    if profile is None or not actor.is_volunteer:
        raise NotAllowed("Only volunteers have a skills profile.")
    skills = {
        s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_(update.skill_levels)))
    }
    if len(skills) != len(update.skill_levels):
        raise ServiceError("One of the skills is not on our list. Please choose again.")
    causes = causes_with_ids(update.cause_ids)

    profile.display_name = update.display_name.strip()
    profile.headline = update.headline.strip()
    profile.bio = update.bio.strip()
    profile.region = update.region or None
    profile.remote_ok = update.remote_ok
    profile.hours_per_month = update.hours_per_month
    profile.board_experience = BoardExperience(update.board_experience)
    profile.linkedin_url = update.linkedin_url or None
    profile.phone = update.phone or None
    profile.available = update.available

    existing = {entry.skill_id: entry for entry in profile.skills}
    for skill_id, entry in existing.items():
        if skill_id not in update.skill_levels:
            profile.skills.remove(entry)
    for skill_id, level in update.skill_levels.items():
        if skill_id in existing:
            existing[skill_id].level = SkillLevel(level)
        else:
            profile.skills.append(VolunteerSkill(skill_id=skill_id, level=SkillLevel(level)))
    profile.causes = causes
    record_change(ChangeKind.VOLUNTEER, actor.id)
    db.session.commit()
