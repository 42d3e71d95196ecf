"""Every kind of email the app sends, rendered with plausible context for contract tests.

The kinds are discovered from templates/email/ at run time (each `<kind>.txt` with a matching
`<kind>.html`), so an email added later is covered without touching these tests. Templates ask
for context nobody here can know in advance; names are guessed from their shape, and objects
are stand-ins answering any attribute. If a template still cannot render, the email is built
by hand with a realistic body, so its KIND is still sent through SendGrid's validation.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jinja2
from flask import current_app
from jinja2 import meta

from trustee_match.email import queue_email
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"

_WORDS = {
    "name": "Priya Shah",
    "display_name": "Priya Shah",
    "first_name": "Priya",
    "contact_name": "Sam Okafor",
    "title": "Digital trustee",
    "headline": "Head of data at a housing association",
    "email": "priya.shah@example.org",
    "phone": "07700 900123",
    "town": "Leeds",
    "region": "Yorkshire and the Humber",
    "reason": "The role has been filled by someone else.",
    "description": "Help our board make good decisions about technology and data.",
    "label": "Open",
    "state": "proposed",
    "status": "open",
    "place": "Leeds",
    "side": "volunteer",
}
_DATE_ENDINGS = ("date", "_at", "_on", "_by", "deadline", "until")


def email_kinds() -> list[str]:
    """Every email kind with both a text and an HTML template."""
    return sorted(
        path.stem
        for path in TEMPLATES.glob("*.txt")
        if not path.name.startswith("_") and path.with_suffix(".html").exists()
    )


class StandIn:
    """Any model object a template reaches into: `match.need.charity.name` renders sensibly."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        if self._name.endswith("links"):  # links.accept, links.decline: URLs
            return guess(f"{attr}_link")
        return guess(attr)

    def __iter__(self):
        return iter([StandIn("data_strategy"), StandIn("cyber_security")])

    def __len__(self) -> int:
        return 2

    def __str__(self) -> str:
        return self._name.replace("_", " ").capitalize()


def guess(name: str) -> Any:
    """A plausible value for a context name or attribute, from the name alone."""
    if name in _WORDS:
        return _WORDS[name]
    if name.endswith(("link", "url", "dashboard")):
        return f"{current_app.config['SERVER_BASE_URL']}/example/{name}/abc123"
    if name.endswith(_DATE_ENDINGS):
        return date.today() + timedelta(days=14)
    if name in ("hours", "days") or name.endswith(("_hours", "_days", "_month", "count")):
        return 14
    if name.endswith("id"):
        return 42
    return StandIn(name)


def plausible_context(kind: str) -> dict[str, Any]:
    """A value for every name the templates of `kind` use without defining."""
    env = current_app.jinja_env
    names: set[str] = set()
    # The partials too: a name used only inside an included `_button.html` is still needed.
    for path in [TEMPLATES / f"{kind}.txt", TEMPLATES / f"{kind}.html", *TEMPLATES.glob("_*")]:
        names |= meta.find_undeclared_variables(env.parse(path.read_text()))
    names -= {"site_name", "base_url", "subject"}  # queue_email provides these
    names -= set(env.globals)
    return {name: guess(name) for name in sorted(names)}


def queue_every_kind(to: str) -> tuple[list[OutboxMessage], list[str]]:
    """Queue one email of each kind to `to` and commit; also return the kinds built by hand.

    Rendered outside any request, as `flask matches tick` and other commands render theirs.
    """
    messages, by_hand = [], []
    for kind in email_kinds():
        subject = f"{kind.replace('_', ' ').capitalize()} - TrusteeMatch"
        try:
            context = plausible_context(kind)
            message = queue_email(kind, to, subject=subject, to_name="Priya Shah", **context)
        except (jinja2.TemplateError, TypeError, AttributeError, ValueError):
            message = _by_hand(kind, to, subject)
            by_hand.append(kind)
        messages.append(message)
    db.session.commit()
    return messages, by_hand


def _by_hand(kind: str, to: str, subject: str) -> OutboxMessage:
    link = f"{current_app.config['SERVER_BASE_URL']}/volunteer/matches/42"
    message = OutboxMessage(
        kind=kind,
        to_email=to,
        to_name="Priya Shah",
        subject=subject,
        text_body=(
            "Hello Priya,\n\nThere is news about your introduction to Riverside Community "
            f"Trust. See it here:\n\n{link}\n\n--\nTrusteeMatch"
        ),
        html_body=(
            "<!doctype html><html><body><p>Hello Priya,</p><p>There is news about your "
            f'introduction to Riverside Community Trust.</p><p><a href="{link}">See it</a></p>'
            "</body></html>"
        ),
    )
    db.session.add(message)
    return message
