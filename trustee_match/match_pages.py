"""The match page and its buttons, shared by the volunteer and charity blueprints.

Each side finds its own match (its own rules for which ones it may see); what it does with it
is the same, so it lives here rather than twice.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .forms_common import MatchActionForm
from .models import Match, Need, User
from .permissions import can_view_match_contacts
from .services.errors import ServiceError
from .services.match_actions import act_on_match


def with_list_details():
    """Loader options for a list of matches: the need, its charity, and the volunteer's profile
    come in a few queries, not one per row."""
    return (
        selectinload(Match.need).selectinload(Need.charity),
        selectinload(Match.volunteer).selectinload(User.volunteer_profile),
    )


def render_match_page(match: Match, template: str) -> str:
    """A side's view of one match; contacts only once both accepted."""
    return render_template(
        template,
        match=match,
        form=MatchActionForm(),
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
