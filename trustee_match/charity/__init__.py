"""The charity's pages. Each view module adds its routes to `bp` (blueprint.py) on import.

views.py        the dashboard, the charity's profile, its needs and its matches
team_views.py   colleagues: invite, remove, who gets match emails
board_views.py  the board skills audit, and drafting a role from its gaps
"""

from . import board_views, team_views, views  # noqa: F401 - registers routes
from .blueprint import bp

__all__ = ["bp"]
