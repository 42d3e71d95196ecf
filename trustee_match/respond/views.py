"""One-click answers from match emails. Works logged out; never logs anyone in.

Opening a link (GET) only shows a confirmation page, because mail scanners open links; the
button on that page POSTs, and only the POST changes anything.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_wtf import FlaskForm

from ..extensions import limiter
from ..matches.replies import LinkStatus, LinkView, inspect_link, use_link

bp = Blueprint("respond", __name__)

_STATUS_CODES = {
    LinkStatus.READY: 200,
    LinkStatus.DONE: 200,
    LinkStatus.ALREADY: 200,
    LinkStatus.CLOSED: 200,
    LinkStatus.INVALID: 404,
    LinkStatus.EXPIRED: 410,
    LinkStatus.USED: 410,
}


def _render(view: LinkView, form: FlaskForm):
    return render_template("respond/page.html", view=view, form=form), _STATUS_CODES[view.status]


@bp.route("/<int:match_id>/<action>/<token>", methods=["GET"])
@limiter.limit("60 per minute")
def confirm(match_id: int, action: str, token: str):
    return _render(inspect_link(match_id, action, token), FlaskForm())


@bp.route("/<int:match_id>/<action>/<token>", methods=["POST"])
@limiter.limit("30 per minute")
def act(match_id: int, action: str, token: str):
    form = FlaskForm()
    if not form.validate_on_submit():
        return _render(inspect_link(match_id, action, token), form)
    return _render(use_link(match_id, action, token), form)
