"""Reports: the funnel, time to introduction, replies, ranker acceptance; each a chart drawn on
the server as SVG with its table beside it and a CSV of the same rows; and a one-page impact
summary for funders."""

from __future__ import annotations

import csv
import io

from flask import abort, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Cause
from ..models.base import utcnow
from ..services.reports import REPORTS, ReportFilters, all_reports, bars, impact
from .blueprint import bp
from .forms import ReportFilterForm


def _filters() -> tuple[ReportFilterForm, ReportFilters, bool]:
    form = ReportFilterForm(request.args)
    causes = db.session.scalars(select(Cause).order_by(Cause.position)).all()
    form.cause.choices = [("", "Any cause")] + [(c.slug, c.name) for c in causes]
    valid = form.validate()
    if not valid:
        return form, ReportFilters(), False
    filters = ReportFilters(
        cause=form.cause.data or "",
        region=form.region.data or "",
        since=(form.since.data or "").strip(),
        until=(form.until.data or "").strip(),
    )
    return form, filters, True


@bp.route("/reports")
def reports() -> tuple[str, int]:
    form, filters, valid = _filters()
    html = render_template(
        "staff/reports.html",
        form=form,
        tables=all_reports(filters),
        bars=bars,
        args=filters.as_args(),
    )
    return html, 200 if valid else 400


@bp.route("/reports/<name>.csv")
def report_csv(name: str) -> Response:
    if name not in REPORTS:
        abort(404)
    _form, filters, valid = _filters()
    if not valid:
        abort(400)
    table = REPORTS[name](filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="trusteematch-{name}.csv"'},
    )


@bp.route("/reports/impact")
def impact_summary() -> tuple[str, int]:
    form, filters, valid = _filters()
    cause = dict(form.cause.choices).get(filters.cause) if filters.cause else None
    html = render_template(
        "staff/impact.html",
        figures=impact(filters),
        filters=filters,
        cause_name=cause,
        today=utcnow(),
    )
    return html, 200 if valid else 400
