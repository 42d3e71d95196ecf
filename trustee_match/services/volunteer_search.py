"""Finding a volunteer by what staff remember of them: a name, an email, a headline, a skill."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, func, select, union
from sqlalchemy.orm import Load, contains_eager

from ..models import Role, Skill, User, VolunteerProfile
from ..models.volunteer import VolunteerSkill


def _like_pattern(term: str) -> str:
    """A LIKE pattern that finds the term anywhere, taking % and _ literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(expression: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """`expression` (lower-case: a lower() of a column, or one stored so) contains `term` in
    any case; % and _ are taken literally. Staff's searches all go through this."""
    return expression.like(_like_pattern(term), escape="\\")


def volunteers_by_name(*also: Load) -> Select:
    """Every volunteer with their profile and ticked skills loaded (and `also`), by name."""
    profile = contains_eager(User.volunteer_profile)
    return (
        select(User)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.role == Role.VOLUNTEER)
        .options(
            profile.selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
            *also,
        )
        .order_by(func.lower(VolunteerProfile.display_name), User.id)
    )


def volunteer_search(term: str) -> Select:
    """Volunteers whose name, email, headline or a ticked skill contains `term` (any case), by
    name; a query to paginate. An empty term finds no one: staff search, they don't browse."""
    query = volunteers_by_name()
    term = term.strip()
    if not term:
        return query.where(false())
    # One branch per place a term may be found, each answered by its own trigram index
    # (models: trigram_index) on PostgreSQL; an OR across the two tables would read every row.
    found = union(
        select(VolunteerProfile.id).where(
            contains(func.lower(VolunteerProfile.display_name), term)
        ),
        select(VolunteerProfile.id).where(contains(func.lower(VolunteerProfile.headline), term)),
        select(VolunteerProfile.id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(contains(User.email, term)),
        select(VolunteerSkill.profile_id).where(
            VolunteerSkill.skill_id.in_(
                select(Skill.id).where(contains(func.lower(Skill.name), term))
            )
        ),
    )
    return query.where(VolunteerProfile.id.in_(found))
