"""Friendly error pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Something was wrong with that request",
        "Please go back, reload the page and try again.",
    ),
    403: ("You can't see this page", "Your account doesn't have access to it."),
    404: ("Page not found", "The address may be mistyped, or the page may have moved."),
    405: ("That didn't work", "This page can't be used that way."),
    413: (
        "That was too large",
        "No form here needs that much. Please go back, shorten what you wrote and try again.",
    ),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: ("Sorry, something went wrong on our side", "We've been told. Please try again shortly."),
}


def install(app: Flask) -> None:
    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded):
        minutes = max(1, round(error.limit.limit.get_expiry() / 60))
        message = (
            f"For your security we have paused this for a while. Please try again in {minutes} "
            "minutes. If you have forgotten your password, you can reset it."
        )
        return render_template(
            "errors/error.html", code=429, title="Too many attempts", message=message
        ), 429

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html",
            code=400,
            title="This form has expired",
            message="For your security, forms expire. Go back, reload the page and try again.",
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        if code == 403:
            who = current_user.id if current_user.is_authenticated else "anonymous"
            log.warning("forbidden: user %s, %s %s", who, request.method, request.path)
        title, message = MESSAGES.get(code, (error.name, error.description or ""))
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        title, message = MESSAGES[500]
        return render_template("errors/error.html", code=500, title=title, message=message), 500
