"""The staff console. Each view module adds its routes to `bp` (blueprint.py) on import.

views.py        the overview, verifying charities, people's accounts
match_views.py  the match queue: ask the ranker, propose, approve, reject, withdraw
email_views.py  emails that failed, and sending them again
ranker_views.py how the ranker's proposals fare; weight versions: preview, approve, roll back
"""

from . import email_views, match_views, ranker_views, views  # noqa: F401 - registers routes
from .blueprint import bp

__all__ = ["bp"]
