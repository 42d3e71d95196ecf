"""POST /webhooks/sendgrid: SendGrid's Event Webhook, the delivery tracking of our emails."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request

from ..extensions import limiter
from ..services.email_events import record_events
from .payload import BadPayload, load_events
from .signature import (
    DEFAULT_MAX_AGE_SECONDS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    is_signed_by_sendgrid,
)

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)


@bp.post("/sendgrid")
@limiter.exempt  # SendGrid posts in bursts; the signature, not a rate limit, keeps others out
def sendgrid_events() -> tuple[Response, int]:
    """Record a signed batch of delivery events; 403 unless signed, 400 unless a sane JSON list."""
    request.max_content_length = current_app.config["WEBHOOK_MAX_CONTENT_LENGTH"]
    body = request.get_data()
    public_key = current_app.config.get("SENDGRID_WEBHOOK_PUBLIC_KEY")
    if not public_key:
        log.error("SendGrid webhook called but SENDGRID_WEBHOOK_PUBLIC_KEY is not set")
    signed = is_signed_by_sendgrid(
        body,
        request.headers.get(SIGNATURE_HEADER),
        request.headers.get(TIMESTAMP_HEADER),
        public_key,
        max_age=current_app.config.get("SENDGRID_WEBHOOK_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS),
    )
    if not signed:
        return jsonify(error="signature or timestamp not valid"), 403
    try:
        events = load_events(body)
    except BadPayload as problem:
        return jsonify(error=str(problem)), 400
    counts = record_events(events)
    return jsonify(
        recorded=counts.recorded, duplicates=counts.duplicates, ignored=counts.ignored
    ), 200
