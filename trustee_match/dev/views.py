"""The local mailbox: every email the app has queued, readable in the browser (debug only)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage

bp = Blueprint("dev", __name__)


@bp.before_request
def only_in_development() -> None:
    if not current_app.config.get("DEV_MAILBOX"):
        abort(404)


@bp.route("/mailbox")
def mailbox() -> str:
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("dev/mailbox.html", messages=messages)


@bp.route("/mailbox/<int:message_id>")
def message(message_id: int) -> str:
    return render_template("dev/message.html", message=db.get_or_404(OutboxMessage, message_id))


@bp.route("/mailbox/<int:message_id>/html")
def message_html(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    response = Response(message.html_body, mimetype="text/html")
    # Shown in a sandboxed iframe; the email's own HTML must not run scripts on this origin.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    return response
