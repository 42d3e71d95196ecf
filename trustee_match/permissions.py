"""Who may see and do what. Every access rule lives here, small enough to read in one screen."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from .models import Charity, Need, NeedStatus, Role, User


def require_role(role: Role) -> Callable[[], None]:
    """A blueprint-wide `before_request` hook: log in first, then be of this role."""

    def check() -> None:
        if not current_user.is_authenticated:
            from .extensions import login_manager

            abort(login_manager.unauthorized())
        if current_user.role != role:
            abort(403)

    return check


def is_member_of(user: User, charity: Charity) -> bool:
    return user.is_authenticated and any(m.charity_id == charity.id for m in user.memberships)


def can_edit_need(user: User, need: Need) -> bool:
    """Only the charity's own members edit its needs."""
    return is_member_of(user, need.charity)


def can_view_need(user: User, need: Need) -> bool:
    """Open needs are public to volunteers; other states only to their charity and staff."""
    if user.is_authenticated and user.is_staff:
        return True
    if is_member_of(user, need.charity):
        return True
    return need.status == NeedStatus.OPEN and need.charity.is_verified


CONTACT_STATES = frozenset({"introduced", "appointed", "not_proceeding"})


def can_view_match_contacts(user: User, match) -> bool:
    """Contact details cross over only once both sides accepted (and stay visible after)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    in_match = user.id == match.volunteer_id or is_member_of(user, match.need.charity)
    return in_match and match.state.value in CONTACT_STATES
