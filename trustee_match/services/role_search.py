"""Finding an open role by what staff remember of it: its title or its charity's name."""

from __future__ import annotations

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..models import Charity, Need, NeedStatus
from .volunteer_search import like_pattern


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
    like = like_pattern(term)
    return query.where(
        or_(
            func.lower(Need.title).like(like, escape="\\"),
            func.lower(Charity.name).like(like, escape="\\"),
        )
    )
