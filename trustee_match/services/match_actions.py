"""One entry point for the buttons on a side's match page."""

from __future__ import annotations

from ..models import Match, Reply, User
from .match_links import LinkAction
from .matches import record_outcome, record_reply, withdraw_match

MESSAGES = {
    "accept": "Thank you: you said yes. We'll email you when the other side replies.",
    "decline": "Thank you for letting us know. We won't take this one further.",
    "withdraw": "The match is withdrawn. The other side has been told.",
    "appointed": "Wonderful news. Thank you for telling us.",
    "not_proceeding": "Thank you for letting us know how it went.",
    "still_talking": "Thank you. We'll check in again later.",
}
INTRODUCED_MESSAGE = "You both said yes: we've emailed you each other's contact details."


def act_on_match(actor: User, match: Match, action: str) -> str:
    """Do what the button says (services enforce who may); return the message to show."""
    if action == "withdraw":
        withdraw_match(actor, match)
    elif action in ("accept", "decline"):
        reply = Reply.ACCEPTED if action == "accept" else Reply.DECLINED
        outcome = record_reply(actor, match, reply)
        if outcome.value == "introduced":
            return INTRODUCED_MESSAGE
    else:
        record_outcome(actor, match, LinkAction(action))
    return MESSAGES[action]
