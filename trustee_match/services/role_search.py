"""Finding an open role by what staff remember of it: its title or its charity's name."""

from __future__ import annotations

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Charity, Need, NeedStatus
from ..models.base import MAX_ID
from .volunteer_search import contains

ROLE_CHOICES = 20  # roles offered for one search; more means the search should be narrower


def open_roles_matching(term: str) -> Select:
    """Open roles whose title or charity's name contains `term` (any case), by title; a query
    to paginate. An empty term finds none: there are thousands to search, not to scroll."""
    query = (
        select(Need)
        .join(Charity, Charity.id == Need.charity_id)
        .where(Need.status == NeedStatus.OPEN)
        .options(contains_eager(Need.charity))
        .order_by(func.lower(Need.title), Need.id)
    )
    term = term.strip()
    if not term:
        return query.where(false())
    return query.where(
        or_(contains(func.lower(Need.title), term), contains(func.lower(Charity.name), term))
    )


def open_role(need_id: int | None) -> Need | None:
    """The role with this id if it is open (a role's candidates page links with it)."""
    if need_id is None or not 0 < need_id <= MAX_ID:  # a forged id no table could hold
        return None
    need = db.session.get(Need, need_id)
    return need if need is not None and need.status == NeedStatus.OPEN else None


def _label(need: Need) -> str:
    return f"{need.title} ({need.charity.name})"


def role_choices(fixed: Need | None, term: str) -> tuple[list[tuple[int, str]], bool]:
    """The open roles to choose from, and whether more matched: only `fixed`, or the first few
    whose title or charity matches `term` (a menu of every open role would be thousands long;
    one more is read instead of counting them all)."""
    if fixed is not None:
        return [(fixed.id, _label(fixed))], False
    found = db.session.scalars(open_roles_matching(term).limit(ROLE_CHOICES + 1)).all()
    return [(n.id, _label(n)) for n in found[:ROLE_CHOICES]], len(found) > ROLE_CHOICES
