"""Who may see and do what. Every access rule lives here, small enough to read in one screen."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, false, select, true

from .models import Charity, Match, MatchState, Need, NeedStatus, Role, User


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


# A side sees its match only once staff have approved it (a volunteer also sees their own
# "I'm interested"): the ranker's suggestions and staff's rejections stay with staff.
HIDDEN_FROM_SIDES = frozenset({MatchState.PROPOSED, MatchState.REJECTED})
# The states in which each side sees the other's contact details.
CONTACT_STATES = frozenset({MatchState.INTRODUCED, MatchState.APPOINTED, MatchState.NOT_PROCEEDING})


def can_view_match(user: User, match: Match) -> bool:
    """Staff see every match; each side sees its own once staff have approved it."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if user.id == match.volunteer_id:
        return match.source == "interest" or match.state not in HIDDEN_FROM_SIDES
    return is_member_of(user, match.need.charity) and match.state not in HIDDEN_FROM_SIDES


def matches_visible_to(user: User) -> ColumnElement[bool]:
    """`can_view_match` as a query condition, for lists of matches."""
    if not user.is_authenticated:
        return false()
    if user.is_staff:
        return true()
    side_sees = Match.state.notin_(HIDDEN_FROM_SIDES)
    if user.is_volunteer:
        return (Match.volunteer_id == user.id) & ((Match.source == "interest") | side_sees)
    charity_ids = [m.charity_id for m in user.memberships]
    return Match.need_id.in_(select(Need.id).where(Need.charity_id.in_(charity_ids))) & side_sees


def can_act_on_match(user: User, match: Match) -> bool:
    """Whether the user has buttons to press on this match: it is open and theirs to see.
    (Each service still checks its own button: only staff approve, only a side replies.)"""
    return match.is_open and can_view_match(user, match)


def can_view_match_contacts(user: User, match: Match) -> bool:
    """Contact details cross over only once both sides accepted (and stay visible after)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    in_match = user.id == match.volunteer_id or is_member_of(user, match.need.charity)
    return in_match and match.state in CONTACT_STATES


def can_turn_off_second_factor(user: User) -> bool:
    """Staff must keep two-step verification; everyone else chooses."""
    return user.is_authenticated and not user.is_staff
def can_export_data(actor: User, user: User) -> bool:
    """People download their own data; staff do it for anyone who asks them to."""
    return actor.is_authenticated and (actor.id == user.id or actor.is_staff)


def can_delete_account(actor: User, user: User) -> bool:
    """Volunteers and charity members delete their own account; staff delete one on request.

    Staff accounts are not deleted here (not even their own): `flask users` manages them, so
    the team can never lock itself out from a web page.
    """
    if not actor.is_authenticated or user.is_staff:
        return False
    return actor.id == user.id or actor.is_staff
