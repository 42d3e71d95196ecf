"""The match page and its buttons, shared by the volunteer and charity blueprints.

Each side finds its own match (its own rules for which ones it may see); what it does with it
is the same, so it lives here rather than twice. These are view helpers: the buttons call the
services in `actions.py`, which check who may and commit.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response
from wtforms import SelectField

from ..forms_common import SafeForm
from ..models import Charity, CharityMember, Match, Need, NeedSkill, Reply, User, VolunteerProfile
from ..permissions import can_act_on_match, can_view_match_contacts
from ..services.errors import ServiceError
from .actions import ReplyOutcome, record_outcome, record_reply, withdraw_match
from .links import LinkAction


class MatchActionForm(SafeForm):
    """The buttons on a match page: reply, withdraw, report the outcome."""

    action = SelectField(
        choices=[
            ("accept", "Yes, introduce us"),
            ("decline", "No, thank you"),
            ("withdraw", "Withdraw"),
            ("appointed", "Appointed"),
            ("not_proceeding", "Not going ahead"),
            ("still_talking", "Still talking"),
        ]
    )


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
        if outcome == ReplyOutcome.INTRODUCED:
            return INTRODUCED_MESSAGE
    else:
        record_outcome(actor, match, LinkAction(action))
    return MESSAGES[action]


def with_list_details():
    """Loader options for a list of matches: the need, its charity, and the volunteer's profile
    come in a few queries, not one per row."""
    return (
        selectinload(Match.need).selectinload(Need.charity),
        selectinload(Match.volunteer).selectinload(User.volunteer_profile),
    )


def with_page_details():
    """Loader options for one match's page, either side's: the need with its skills and the
    charity's contacts, the volunteer's profile with skills and causes, in a fixed few queries."""
    need = joinedload(Match.need)
    profile = joinedload(Match.volunteer).joinedload(User.volunteer_profile)
    return (
        need.joinedload(Need.charity).selectinload(Charity.members).joinedload(CharityMember.user),
        need.selectinload(Need.skill_links).joinedload(NeedSkill.skill),
        profile.selectinload(VolunteerProfile.skills),
        profile.selectinload(VolunteerProfile.causes),
    )


def render_match_page(match: Match, template: str) -> str:
    """A side's view of one match; contacts only once both accepted."""
    return render_template(
        template,
        match=match,
        form=MatchActionForm(),
        can_act=can_act_on_match(current_user, match),
        show_contacts=can_view_match_contacts(current_user, match),
    )


def handle_match_action(match: Match, page_endpoint: str) -> Response:
    """Apply a button press from the match page, then go back to it with a message."""
    form = MatchActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        flash(act_on_match(current_user, match, form.action.data), "success")
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(url_for(page_endpoint, match_id=match.id))
