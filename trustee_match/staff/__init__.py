"""The staff console. Each view module adds its routes to `bp` (blueprint.py) on import.

views.py        the overview, verifying charities, people's accounts
match_views.py  the match queue: ask the ranker, propose, approve, reject, withdraw
email_views.py  emails that failed, and sending them again
ranker_views.py how the ranker's proposals fare; weight versions: preview, approve, roll back
candidate_views.py  a need's live candidates: filter them, propose, propose and approve
need_views.py   open roles, and those waiting too long for an introduction
audit_views.py  the audit log, read-only
people_views.py find volunteers by what they offer; one volunteer's profile
report_views.py reports with SVG charts, tables and CSVs; the impact summary
digest_views.py the daily digest: preview, take it or not
"""

from . import (  # noqa: F401 - registers routes
    audit_views,
    candidate_views,
    digest_views,
    email_views,
    match_views,
    need_views,
    people_views,
    ranker_views,
    report_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
