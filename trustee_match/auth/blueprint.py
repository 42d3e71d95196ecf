"""The accounts blueprint. views.py, two_step_views.py and privacy_views.py add their routes
to it on import."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
