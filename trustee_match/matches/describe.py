"""Where a match stands, in one sentence for each side ("Waiting for the charity's reply, due
3 March").

The staff console has its own words (it sees every state and the ranker's part); these are for
the volunteer and the charity, so they name the other side the way each knows it and never
mention our internal steps.
"""

from __future__ import annotations

from datetime import datetime

from ..models import Match, MatchState, Reply

S = MatchState
VOLUNTEER = "volunteer"
CHARITY = "charity"


def _day(value: datetime) -> str:
    # templating.format_date's style; not imported, as templating registers this module.
    return f"{value.day} {value:%B %Y}"


def _other(match: Match, side: str) -> str:
    if side == VOLUNTEER:
        return "the charity"
    profile = match.volunteer.volunteer_profile
    return profile.first_name if profile is not None else "the volunteer"


def _waiting(match: Match, side: str) -> str:
    due = f", due {_day(match.replies_due_at)}" if match.replies_due_at else ""
    mine = match.reply_of(side)
    other_side = CHARITY if side == VOLUNTEER else VOLUNTEER
    theirs = match.reply_of(other_side)
    if mine is None and theirs is None:
        return f"Waiting for your reply (and {_other(match, side)}'s){due}"
    if mine is None:
        return f"{_other(match, side).capitalize()} said yes: waiting for your reply{due}"
    return f"You said yes: waiting for {_other(match, side)}'s reply{due}"


def _declined(match: Match, side: str) -> str:
    if match.reply_of(side) == Reply.DECLINED:
        return "You said no, thank you, so this one won't go ahead"
    return f"{_other(match, side).capitalize()} decided not to go ahead with this one"


def _proposed(match: Match, side: str) -> str:
    if side == VOLUNTEER and match.source == "interest":
        return "You said you're interested: our team will look at it soon"
    return "Our team is looking at this suggestion"


_FIXED = {
    S.REJECTED: {
        VOLUNTEER: "Our team decided not to take this one further",
        CHARITY: "Our team decided not to take this one further",
    },
    S.APPROVED: {
        VOLUNTEER: "Our team suggested you: an email asking for your reply is on its way",
        CHARITY: "Our team suggested this volunteer: an email asking for your reply is on its way",
    },
    S.INTRODUCED: {
        VOLUNTEER: "Introduced: you both said yes and have each other's contact details",
        CHARITY: "Introduced: you both said yes and have each other's contact details",
    },
    S.APPOINTED: {
        VOLUNTEER: "You were appointed as a trustee. Congratulations",
        CHARITY: "Appointed to your board. Congratulations",
    },
    S.NOT_PROCEEDING: {
        VOLUNTEER: "You met, and it isn't going ahead",
        CHARITY: "You met, and it isn't going ahead",
    },
    S.EXPIRED: {
        VOLUNTEER: "Lapsed: the time to reply ran out",
        CHARITY: "Lapsed: the time to reply ran out",
    },
    S.WITHDRAWN: {
        VOLUNTEER: "Withdrawn: no reply is needed",
        CHARITY: "Withdrawn: no reply is needed",
    },
}


def describe(match: Match, side: str) -> str:
    """Where this match stands, said to one side ("volunteer" or "charity")."""
    if side not in (VOLUNTEER, CHARITY):
        raise ValueError(f"unknown side: {side!r}")
    if match.state == S.PROPOSED:
        return _proposed(match, side)
    if match.state == S.AWAITING_REPLIES:
        return _waiting(match, side)
    if match.state == S.DECLINED:
        return _declined(match, side)
    return _FIXED[match.state][side]
