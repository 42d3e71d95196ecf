"""What every template can use: navigation, dates, labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, has_request_context
from flask_login import current_user

from .models import INCOME_BAND_LABELS, IncomeBand


def _nav() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in user's main navigation."""
    if not has_request_context():
        return []  # an email rendered by a worker or a command
    if not current_user.is_authenticated:
        return [("public.home", "Home"), ("auth.signup", "Sign up"), ("auth.login", "Log in")]
    if current_user.is_staff:
        return [
            ("staff.dashboard", "Overview"),
            ("staff.matches", "Matches"),
            ("staff.ranker", "Ranker"),
            ("staff.charities", "Charities"),
            ("staff.people", "Volunteers"),
            ("staff.users", "Accounts"),
            ("staff.reports", "Reports"),
            ("staff.audit", "Audit log"),
        ]
    if current_user.is_charity:
        return [
            ("charity.dashboard", "Our roles"),
            ("charity.matches", "Introductions"),
            ("charity.new_need", "Post a role"),
            ("charity.profile", "Charity profile"),
        ]
    return [
        ("volunteer.dashboard", "Dashboard"),
        ("volunteer.needs", "Browse roles"),
        ("volunteer.matches", "Introductions"),
        ("volunteer.profile", "My profile"),
    ]


def format_date(value: date | datetime | None) -> str:
    """'3 March 2027': the way a UK reader writes a date."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_when(value: datetime | None) -> str:
    """'3 March 2027, 14:05 UTC': a moment, for staff pages."""
    if value is None:
        return ""
    return f"{format_date(value)}, {value:%H:%M} UTC"


def income_label(value: IncomeBand | str | None) -> str:
    return INCOME_BAND_LABELS.get(IncomeBand(value), "") if value else "Not given"


def install(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["income"] = income_label
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from .labels import source_name, state_name
    from .matches.describe import describe
    from .matches.state import closed_note, state_label

    app.jinja_env.globals["describe_match"] = describe

    app.jinja_env.globals["state_label"] = state_label
    app.jinja_env.globals["closed_note"] = closed_note
    app.jinja_env.globals["state_name"] = state_name
    app.jinja_env.globals["source_name"] = source_name

    @app.context_processor
    def globals_() -> dict:
        return {"nav_items": _nav(), "site_name": app.config["SITE_NAME"]}


def compile_templates(app: Flask) -> int:
    """Compile every template now. gunicorn's master calls this before it forks, so each
    worker (and each replacement worker, every `max_requests`) starts with them compiled
    instead of compiling them during its first requests. Returns how many."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
