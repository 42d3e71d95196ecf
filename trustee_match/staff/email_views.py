"""Emails as staff see them: failed, waiting, sent; and sending a failed one again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus
from ..services.errors import ServiceError
from ..services.outbox_admin import (
    bounced_messages,
    may_have_been_sent,
    messages_with_status,
    requeue_email,
)
from .blueprint import bp
from .forms import ConfirmForm

TABS = [
    ("failed", "Failed"),
    ("unconfirmed", "Not confirmed"),
    ("bounced", "Bounced"),
    ("pending", "Waiting to send"),
    ("sent", "Sent"),
]


@bp.route("/emails")
def emails() -> str:
    status = request.args.get("status", "failed")
    if status not in dict(TABS):
        abort(404)
    rows = bounced_messages() if status == "bounced" else messages_with_status(OutboxStatus(status))
    return render_template(
        "staff/emails.html",
        emails=rows,
        tabs=TABS,
        tab=status,
        offer_resend=status in (OutboxStatus.FAILED, OutboxStatus.UNCONFIRMED),
        form=ConfirmForm(),
        may_have_been_sent=may_have_been_sent,
    )


@bp.route("/emails/<int:message_id>/requeue", methods=["POST"])
def requeue(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        requeue_email(current_user, message)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(f"The email to {message.to_email} is queued again.", "success")
    return redirect(url_for("staff.emails"))
