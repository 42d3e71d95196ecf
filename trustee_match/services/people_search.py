"""Staff's search for volunteers by name, skill, region, cause and availability."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import contains_eager, selectinload

from ..models import Cause, CharityMember, Role, Skill, User, VolunteerProfile, volunteer_causes
from ..models.volunteer import VolunteerSkill
from .volunteer_search import contains, volunteers_by_name


@dataclass(frozen=True)
class PeopleFilters:
    name: str = ""
    skill: str = ""  # a skill slug
    region: str = ""
    cause: str = ""  # a cause slug
    available: bool = False
    min_hours: int | None = None


def people_query(filters: PeopleFilters) -> Select:
    """Volunteers matching every filter given, by name; a query to paginate."""
    query = volunteers_by_name(
        contains_eager(User.volunteer_profile).selectinload(VolunteerProfile.causes)
    )
    if filters.name.strip():
        query = query.where(contains(func.lower(VolunteerProfile.display_name), filters.name))
    if filters.skill:
        query = query.where(
            VolunteerProfile.id.in_(
                select(VolunteerSkill.profile_id)
                .join(Skill, Skill.id == VolunteerSkill.skill_id)
                .where(Skill.slug == filters.skill)
            )
        )
    if filters.region:
        query = query.where(VolunteerProfile.region == filters.region)
    if filters.cause:
        query = query.where(
            VolunteerProfile.id.in_(
                select(volunteer_causes.c.profile_id)
                .join(Cause, Cause.id == volunteer_causes.c.cause_id)
                .where(Cause.slug == filters.cause)
            )
        )
    if filters.available:
        query = query.where(VolunteerProfile.available.is_(True), User.active.is_(True))
    if filters.min_hours is not None:
        query = query.where(VolunteerProfile.hours_per_month >= filters.min_hours)
    return query


def person_query(user_id: int) -> Select:
    """One volunteer with everything their staff page shows."""
    return (
        select(User)
        .where(User.id == user_id, User.role == Role.VOLUNTEER)
        .options(
            selectinload(User.volunteer_profile)
            .selectinload(VolunteerProfile.skills)
            .joinedload(VolunteerSkill.skill),
            selectinload(User.volunteer_profile).selectinload(VolunteerProfile.causes),
        )
    )


def accounts_matching(term: str) -> Select:
    """Ids of the accounts whose email, volunteer name or charity contact name contains `term`
    (any case; % and _ taken literally): one branch per place, each read through its own index,
    and each account once however many charities it belongs to."""
    term = term.strip()
    return union(
        select(User.id).where(contains(User.email, term)),
        select(VolunteerProfile.user_id).where(
            contains(func.lower(VolunteerProfile.display_name), term)
        ),
        select(CharityMember.user_id).where(contains(func.lower(CharityMember.contact_name), term)),
    )
