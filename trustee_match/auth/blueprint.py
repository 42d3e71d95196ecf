"""The accounts blueprint. views.py and two_step_views.py add their routes to it on import."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
