"""Open roles as staff see them: which have waited too long for an introduction."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Need, NeedStatus
from ..models.base import utcnow
from ..services.staff_overview import QUIET_NEED_DAYS, days_since, quiet_needs_filter
from .blueprint import bp

PAGE_SIZE = 50


@bp.route("/needs")
def needs() -> str:
    """Open roles, longest open first; `quiet=1`: only those with no introduction after
    QUIET_NEED_DAYS days."""
    quiet = bool(request.args.get("quiet"))
    query = select(Need).options(selectinload(Need.charity))
    if quiet:
        query = query.where(quiet_needs_filter(utcnow()))
    else:
        query = query.where(Need.status == NeedStatus.OPEN)
    query = query.order_by(Need.published_at.nulls_last(), Need.id)
    page = request.args.get("page", 1, type=int)
    results = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "staff/needs.html",
        results=results,
        quiet=quiet,
        quiet_days=QUIET_NEED_DAYS,
        days_since=days_since,
    )
