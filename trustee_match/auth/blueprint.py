"""The auth blueprint: views.py and privacy_views.py add their routes to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
