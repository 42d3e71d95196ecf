"""Render an email from its templates and add it to the outbox in the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from ..extensions import db
from ..models import OutboxMessage, User


def queue_email(
    kind: str,
    to: User | str,
    *,
    subject: str,
    to_name: str | None = None,
    match_id: int | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render `templates/email/<kind>.txt` and `.html` and queue the message.

    The message is added to the current session but not committed: it goes out only if the
    caller's transaction commits.
    """
    user = to if isinstance(to, User) else None
    to_email = to.email if isinstance(to, User) else to
    context.setdefault("site_name", current_app.config["SITE_NAME"])
    context.setdefault("base_url", current_app.config["SERVER_BASE_URL"].rstrip("/"))
    context["subject"] = subject
    message = OutboxMessage(
        kind=kind,
        to_email=to_email,
        to_name=to_name,
        user_id=user.id if user is not None else None,
        subject=subject,
        match_id=match_id,
        headers=headers,
        text_body=render_template(f"email/{kind}.txt", **context),
        html_body=render_template(f"email/{kind}.html", **context),
    )
    db.session.add(message)
    return message
