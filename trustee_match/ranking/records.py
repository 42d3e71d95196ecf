"""The database in the ranker's terms: rows become `matching`'s plain records.

`matching/` knows nothing of the app. This module loads the profiles and needs the ranker may
consider and turns them into `VolunteerRecord` / `NeedRecord`, with the app's skill taxonomy as
its vocabulary.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matching.records import NeedRecord, VolunteerRecord
from matching.vocabulary import SkillVocabulary

from ..extensions import db
from ..models import (
    BoardExperience,
    Charity,
    CharityStatus,
    Need,
    NeedSkill,
    NeedStatus,
    Skill,
    User,
    VolunteerProfile,
    VolunteerSkill,
)


def _specific(alias: str) -> bool:
    """Whether an alias is specific enough to detect in free text.

    Single lower-case words ("people", "change", "risk", "inclusion") appear in every bio in
    other senses: "people with mental health problems" is not HR experience. Phrases,
    product names and acronyms ("employment law", "Salesforce", "SOC", "a11y") are kept.
    """
    return " " in alias or not alias.isalpha() or alias != alias.lower()


def skill_vocabulary(every_alias: bool = False) -> SkillVocabulary:
    """The app's taxonomy, in the ranker's terms (skills on profiles and needs are passed as
    slugs; the aliases serve to find skills named in free text). Matching by meaning compares
    whole phrases, not words inside them, so it may use `every_alias`, "privacy" included."""
    skills = db.session.scalars(select(Skill).order_by(Skill.position))
    return SkillVocabulary(
        [
            (s.slug, s.name, tuple(a for a in s.aliases or () if every_alias or _specific(a)))
            for s in skills
        ]
    )


def volunteer_record(profile: VolunteerProfile) -> VolunteerRecord:
    return VolunteerRecord(
        id=str(profile.user_id),
        headline=profile.headline,
        bio=profile.bio,
        # Ticked skills with the level the volunteer gave: only these count as "has".
        skills=tuple((entry.skill.slug, entry.level.value) for entry in profile.skills),
        causes=tuple(cause.name for cause in profile.causes),
        region=profile.region,
        remote_ok=profile.remote_ok,
        hours_per_month=profile.hours_per_month,
        board_experience=profile.board_experience != BoardExperience.NONE,
    )


def need_record(need: Need) -> NeedRecord:
    return NeedRecord(
        id=str(need.id),
        title=need.title,
        description=need.description,
        skills_required=tuple(s.slug for s in need.required_skills),
        skills_desired=tuple(s.slug for s in need.desired_skills),
        causes=tuple(cause.name for cause in need.causes),
        region=need.region,
        remote_ok=need.remote_ok,
        hours_per_month=need.hours_per_month,
    )


def candidate_profiles(user_ids: Collection[int] | None = None) -> list[VolunteerProfile]:
    """Profiles the ranker may put forward: available, not paused, active, email verified (of
    these users only, when given)."""
    query = (
        select(VolunteerProfile)
        .join(VolunteerProfile.user)
        .where(
            VolunteerProfile.available.is_(True),
            # Paused until a date: the tick lifts the pause that day and tells the index.
            VolunteerProfile.paused_until.is_(None),
            User.active.is_(True),
            User.email_verified_at.is_not(None),
        )
    )
    if user_ids is not None:
        query = query.where(VolunteerProfile.user_id.in_(list(user_ids)))
    return list(
        db.session.scalars(
            query.options(
                selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
                selectinload(VolunteerProfile.causes),
            )
        )
    )


def open_needs(need_ids: Collection[int] | None = None) -> list[Need]:
    """Needs the ranker may propose for: open, at a verified charity (of these ids only, when
    given)."""
    query = (
        select(Need)
        .join(Need.charity)
        .where(Need.status == NeedStatus.OPEN, Charity.status == CharityStatus.VERIFIED)
    )
    if need_ids is not None:
        query = query.where(Need.id.in_(list(need_ids)))
    return list(
        db.session.scalars(
            query.options(
                selectinload(Need.skill_links).joinedload(NeedSkill.skill),
                selectinload(Need.causes),
            )
        )
    )
