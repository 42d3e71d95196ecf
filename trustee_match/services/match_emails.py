"""Who gets which email as a match moves, and what it carries."""

from __future__ import annotations

from collections.abc import Iterable

from ..email import queue_email
from ..email.links import external_url
from ..models import CharityMember, Match, User
from .match_links import OUTCOME_ACTIONS, REPLY_ACTIONS, LinkAction, action_link

VOLUNTEER = "volunteer"
CHARITY = "charity"


def charity_members(match: Match) -> list[CharityMember]:
    return list(match.need.charity.members)


def _volunteer_name(match: Match) -> str:
    return match.volunteer.volunteer_profile.display_name


def _send(kind: str, match: Match, to: User, name: str, subject: str, **context) -> None:
    queue_email(
        kind,
        to,
        subject=subject,
        to_name=name,
        match_id=match.id,
        name=name,
        match=match,
        need=match.need,
        charity=match.need.charity,
        profile=match.volunteer.volunteer_profile,
        **context,
    )


def _recipients(match: Match, sides: Iterable[str]) -> list[tuple[str, User, str]]:
    """(side, user, name) for everyone on the given sides."""
    people = []
    if VOLUNTEER in sides:
        people.append((VOLUNTEER, match.volunteer, _volunteer_name(match)))
    if CHARITY in sides:
        people += [(CHARITY, m.user, m.contact_name) for m in charity_members(match)]
    return people


def _dashboard(side: str, match: Match) -> str:
    if side == VOLUNTEER:
        return external_url("volunteer.match", match_id=match.id)
    return external_url("charity.match", match_id=match.id)


def send_proposal(match: Match) -> None:
    """Both sides: what the match is, why, and one-click accept / decline links."""
    for side, user, name in _recipients(match, (VOLUNTEER, CHARITY)):
        links = {a.value: action_link(match, user, a) for a in REPLY_ACTIONS}
        subject = (
            f"A trustee role at {match.need.charity.name} could suit you"
            if side == VOLUNTEER
            else f"A possible trustee for your role: {match.need.title}"
        )
        _send(
            "match_proposed",
            match,
            user,
            name,
            subject,
            side=side,
            links=links,
            dashboard=_dashboard(side, match),
        )


def send_reminder(match: Match) -> None:
    """Whoever has not answered yet: a fresh pair of links and the deadline."""
    sides = []
    if match.volunteer_reply is None:
        sides.append(VOLUNTEER)
    if match.charity_reply is None:
        sides.append(CHARITY)
    for side, user, name in _recipients(match, sides):
        links = {a.value: action_link(match, user, a) for a in REPLY_ACTIONS}
        _send(
            "match_reminder",
            match,
            user,
            name,
            f"Reminder: please reply about {match.need.title}",
            side=side,
            links=links,
            dashboard=_dashboard(side, match),
        )


def send_introduction(match: Match) -> None:
    """Both said yes: each side gets the other's contact details and next steps."""
    members = charity_members(match)
    for side, user, name in _recipients(match, (VOLUNTEER, CHARITY)):
        _send(
            "match_introduction",
            match,
            user,
            name,
            f"Introduction: {_volunteer_name(match)} and {match.need.charity.name}",
            side=side,
            members=members,
            volunteer_email=match.volunteer.email,
            dashboard=_dashboard(side, match),
        )


def send_declined(match: Match, declined_by: str) -> None:
    """The other side hears kindly that it won't go ahead; no reason is passed on."""
    other = CHARITY if declined_by == VOLUNTEER else VOLUNTEER
    for side, user, name in _recipients(match, (other,)):
        _send(
            "match_declined",
            match,
            user,
            name,
            f"Update on {match.need.title}",
            side=side,
            dashboard=_dashboard(side, match),
        )


def send_expired(match: Match) -> None:
    for side, user, name in _recipients(match, (VOLUNTEER, CHARITY)):
        _send(
            "match_expired",
            match,
            user,
            name,
            f"The introduction for {match.need.title} has lapsed",
            side=side,
            dashboard=_dashboard(side, match),
        )


def send_withdrawn(match: Match, sides: Iterable[str]) -> None:
    for side, user, name in _recipients(match, sides):
        _send(
            "match_withdrawn",
            match,
            user,
            name,
            f"Update on {match.need.title}",
            side=side,
            dashboard=_dashboard(side, match),
        )


def send_outcome_question(match: Match) -> None:
    """Some weeks after the introduction: did it work out? One click to answer."""
    for side, user, name in _recipients(match, (VOLUNTEER, CHARITY)):
        days = 60
        links = {a.value: action_link(match, user, a, days=days) for a in OUTCOME_ACTIONS}
        _send(
            "match_outcome_question",
            match,
            user,
            name,
            f"Did it work out? {match.need.title}",
            side=side,
            links=links,
            dashboard=_dashboard(side, match),
        )


__all__ = [
    "CHARITY",
    "VOLUNTEER",
    "LinkAction",
    "send_declined",
    "send_expired",
    "send_introduction",
    "send_outcome_question",
    "send_proposal",
    "send_reminder",
    "send_withdrawn",
]
