"""The one-click links in match emails: accept, decline, and the outcome answers."""

from __future__ import annotations

import enum
from datetime import timedelta

from flask import current_app

from ..email.links import external_url
from ..models import Match, User
from ..services.tokens import issue_token


class LinkAction(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    APPOINTED = "appointed"
    NOT_PROCEEDING = "not_proceeding"
    STILL_TALKING = "still_talking"


REPLY_ACTIONS = (LinkAction.ACCEPT, LinkAction.DECLINE)
OUTCOME_ACTIONS = (LinkAction.APPOINTED, LinkAction.NOT_PROCEEDING, LinkAction.STILL_TALKING)


def purpose_for(action: LinkAction) -> str:
    """Each action is its own token purpose, so a link cannot be replayed as another action."""
    return f"match-{action.value}"


def action_link(match: Match, recipient: User, action: LinkAction, days: int | None = None) -> str:
    """Issue a single-use token and return the absolute link to its confirmation page."""
    days = days or current_app.config["MATCH_REPLY_DAYS"]
    token = issue_token(recipient, purpose_for(action), timedelta(days=days), subject_id=match.id)
    return external_url("respond.confirm", match_id=match.id, action=action.value, token=token)
