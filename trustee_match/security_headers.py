"""Response headers every page gets.

The Referrer-Policy matters most: emailed links carry single-use tokens in their path, and a
page opened from one must not hand that URL to any other site.
"""

from __future__ import annotations

from flask import Flask, Response, request, session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)


# Pages opened from emailed links show a match or a form for one person, logged in or not.
_LINK_PAGES = frozenset({"auth.verify_email", "auth.reset_password"})
_PRIVATE_BLUEPRINTS = frozenset({"respond", "links", "dev"})


def is_private(response: Response) -> bool:
    """Does this page show someone's own data (so no cache, shared or not, may keep it)?"""
    if request.endpoint == "static":
        return False
    return (
        "_user_id" in session
        or "_two_step" in session
        or request.method != "GET"
        or request.blueprint in _PRIVATE_BLUEPRINTS
        or request.endpoint in _LINK_PAGES
    )


def install(app: Flask) -> None:
    @app.after_request
    def secure_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if is_private(response):
            headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
