"""Hostile request lines are answered before any view sees them.

A control character in the path or query string has no honest use here, and PostgreSQL refuses
NUL outright; ids and page numbers beyond PostgreSQL's integer are no page we could have. Form
fields get the same care, with a message, in forms_common.SafeForm.
"""

from __future__ import annotations

import unicodedata

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from .models.base import MAX_ID

# Query arguments that views read as whole numbers (with request.args.get(..., type=int)).
NUMBER_ARGS = ("page",)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: a number from 0 to MAX_ID, so a bigger id is a 404."""

    def __init__(self, url_map, fixed_digits: int = 0, **bounds) -> None:
        bounds.setdefault("min", 0)
        bounds.setdefault("max", MAX_ID)
        super().__init__(url_map, fixed_digits=fixed_digits, **bounds)


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in value)


def _too_big(value: str) -> bool:
    """Would int() read this as a number beyond MAX_ID? (It reads '1_000', ' 7' and '١٢'.)"""
    try:
        return abs(int(value)) > MAX_ID
    except ValueError:
        return False


def refuse_hostile_request_line() -> None:
    """404 for a path with control characters; 400 for such a query or a page out of range."""
    if _has_control_characters(request.path):
        abort(404)
    for key, value in request.args.items(multi=True):
        if _has_control_characters(key) or _has_control_characters(value):
            abort(400)
        if key in NUMBER_ARGS and _too_big(value):
            abort(404)


def install(app: Flask) -> None:
    """Call before the blueprints are registered: routes pick their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_hostile_request_line)
