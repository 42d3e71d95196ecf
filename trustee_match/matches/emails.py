"""Who gets which email as a match moves, and what it carries."""

from __future__ import annotations

from collections.abc import Iterable

from ..email import queue_email
from ..email.links import external_url
from ..models import Charity, CharityMember, Match, User
from .links import OUTCOME_ACTIONS, REPLY_ACTIONS, LinkAction, action_link

VOLUNTEER = "volunteer"
CHARITY = "charity"


def match_email_members(charity: Charity) -> list[CharityMember]:
    """The members who chose to get match emails (all of them, should none be left: the
    colleagues page keeps at least one, and a charity must never miss a reply deadline)."""
    chosen = [m for m in charity.members if m.match_emails]
    return chosen or list(charity.members)


def charity_members(match: Match) -> list[CharityMember]:
    return match_email_members(match.need.charity)


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


def _email_sides(
    kind: str,
    match: Match,
    sides: Iterable[str],
    subject: str | dict[str, str],
    actions: Iterable[LinkAction] = (),
    link_days: int | None = None,
    **context,
) -> None:
    """One email per person on `sides`, each with their own one-click links for `actions`.

    `subject` may differ by side: {"volunteer": ..., "charity": ...}.
    """
    actions = tuple(actions)
    for side, user, name in _recipients(match, sides):
        links = {a.value: action_link(match, user, a, days=link_days) for a in actions}
        _send(
            kind,
            match,
            user,
            name,
            subject[side] if isinstance(subject, dict) else subject,
            side=side,
            links=links,
            dashboard=_dashboard(side, match),
            **context,
        )


def send_proposal(match: Match) -> None:
    """Both sides: what the match is, why, and one-click accept / decline links."""
    subjects = {
        VOLUNTEER: f"A trustee role at {match.need.charity.name} could suit you",
        CHARITY: f"A possible trustee for your role: {match.need.title}",
    }
    _email_sides("match_proposed", match, (VOLUNTEER, CHARITY), subjects, REPLY_ACTIONS)


def send_reminder(match: Match) -> None:
    """Whoever has not answered yet: a fresh pair of links and the deadline."""
    sides = [
        side
        for side, reply in ((VOLUNTEER, match.volunteer_reply), (CHARITY, match.charity_reply))
        if reply is None
    ]
    subject = f"Reminder: please reply about {match.need.title}"
    _email_sides("match_reminder", match, sides, subject, REPLY_ACTIONS)


def send_introduction(match: Match) -> None:
    """Both said yes: each side gets the other's contact details and next steps."""
    _email_sides(
        "match_introduction",
        match,
        (VOLUNTEER, CHARITY),
        f"Introduction: {_volunteer_name(match)} and {match.need.charity.name}",
        members=charity_members(match),
        volunteer_email=match.volunteer.email,
    )


def send_declined(match: Match, declined_by: str) -> None:
    """The other side hears kindly that it won't go ahead; no reason is passed on."""
    other = CHARITY if declined_by == VOLUNTEER else VOLUNTEER
    _email_sides("match_declined", match, (other,), f"Update on {match.need.title}")


def send_expired(match: Match) -> None:
    subject = f"The introduction for {match.need.title} has lapsed"
    _email_sides("match_expired", match, (VOLUNTEER, CHARITY), subject)


def send_withdrawn(match: Match, sides: Iterable[str]) -> None:
    _email_sides("match_withdrawn", match, sides, f"Update on {match.need.title}")


OUTCOME_LINK_DAYS = 60


def send_outcome_question(match: Match) -> None:
    """Some weeks after the introduction: did it work out? One click to answer."""
    _email_sides(
        "match_outcome_question",
        match,
        (VOLUNTEER, CHARITY),
        f"Did it work out? {match.need.title}",
        OUTCOME_ACTIONS,
        link_days=OUTCOME_LINK_DAYS,
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
